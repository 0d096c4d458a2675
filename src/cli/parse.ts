import { InvalidArgumentError } from "commander";

/** Flag value parsers for commander; a bad value becomes a usage error (exit 2). */

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 };

/** "90d", "24h", "1h30m", "45s", "2w" or plain seconds → seconds. */
export const parseDuration = (value: string): number => {
  const v = value.trim().toLowerCase();
  if (/^\d+$/.test(v)) return Number(v);
  const parts = [...v.matchAll(/(\d+)([smhdwy])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== v)
    throw new InvalidArgumentError(`"${value}" is not a duration; use e.g. 90d, 24h, 30m or 3600.`);
  return parts.reduce((sum, [, n = "0", unit = "s"]) => sum + Number(n) * (UNIT_SECONDS[unit] ?? 1), 0);
};

export const parsePositiveInt = (value: string): number => {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1)
    throw new InvalidArgumentError(`"${value}" is not a positive whole number.`);
  return Number(value);
};

export const parseNonNegativeInt = (value: string): number => {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`"${value}" is not a whole number.`);
  return Number(value);
};

/** "20", "$20", "19.99" → USD as a number. */
export const parseUsd = (value: string): number => {
  const v = value.trim().replace(/^\$/, "");
  if (!/^\d+(\.\d{1,6})?$/.test(v) || Number(v) <= 0)
    throw new InvalidArgumentError(`"${value}" is not an amount in USD; use e.g. 20 or 19.99.`);
  return Number(v);
};

/** Repeatable and comma-separated: `--models a,b --models c` → [a, b, c]. */
export const collectList = (value: string, previous: string[] | undefined): string[] => [
  ...(previous ?? []),
  ...value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== ""),
];

/** "7d" (ago), an ISO date/time, or Unix seconds → Unix seconds. */
export const parseSince = (value: string, nowSeconds = Math.floor(Date.now() / 1000)): number => {
  const v = value.trim();
  if (/^\d{9,}$/.test(v)) return Number(v);
  if (/^\d+[smhdwy]/.test(v.toLowerCase())) return nowSeconds - parseDuration(v);
  const t = Date.parse(v);
  if (!Number.isNaN(t)) return Math.floor(t / 1000);
  throw new InvalidArgumentError(`"${value}" is not a time; use e.g. 7d, 24h, 2026-01-31 or Unix seconds.`);
};

export const oneOf =
  <T extends string>(choices: readonly T[]) =>
  (value: string): T => {
    if ((choices as readonly string[]).includes(value)) return value as T;
    throw new InvalidArgumentError(`"${value}" is not one of: ${choices.join(", ")}.`);
  };
