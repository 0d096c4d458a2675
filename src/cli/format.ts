/** Small formatting helpers shared by the commands' renderers. */

export const date = (unix: number | null | undefined): string => {
  if (unix === null || unix === undefined) return "-";
  return new Date(unix * 1000).toISOString().slice(0, 16).replace("T", " ");
};

export const usd = (value: number | null | undefined): string =>
  value === null || value === undefined ? "-" : `$${value.toFixed(value < 1 && value > 0 ? 4 : 2)}`;

export const int = (n: number | null | undefined): string =>
  n === null || n === undefined ? "-" : n.toLocaleString("en-US");

export const list = (xs: readonly string[] | null | undefined, none = "all"): string =>
  !xs || xs.length === 0 ? none : xs.join(",");

/** OpenAI's permission modes: [] = all, ["api.all.read"] = read only, else restricted. */
export const permissions = (scopes: readonly string[]): string => {
  if (scopes.length === 0) return "all";
  if (scopes.length === 1 && scopes[0] === "api.all.read") return "read-only";
  return `restricted: ${scopes.join(",")}`;
};

/** Seconds → "24h", "90d", "1h30m" (largest exact units). */
export const duration = (seconds: number): string => {
  if (seconds === 0) return "0s";
  const units: [string, number][] = [
    ["d", 86_400],
    ["h", 3600],
    ["m", 60],
    ["s", 1],
  ];
  let rest = seconds;
  let out = "";
  for (const [u, n] of units) {
    if (rest >= n) {
      out += `${Math.floor(rest / n)}${u}`;
      rest %= n;
    }
  }
  return out;
};
