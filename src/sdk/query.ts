type Scalar = string | number | boolean;

const scalar = (v: unknown): string | null =>
  typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? String(v as Scalar) : null;

/**
 * Encodes a query object the way OpenAI's clients do: arrays as `x[]=a&x[]=b`, objects as
 * `x[gte]=1`; undefined and null values are left out.
 */
export const encodeQuery = (query: Record<string, unknown> | undefined): string => {
  if (!query) return "";
  const out = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value) {
        const s = scalar(item);
        if (s !== null) out.append(`${name}[]`, s);
      }
    } else if (typeof value === "object") {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const s = scalar(v);
        if (s !== null) out.append(`${name}[${k}]`, s);
      }
    } else {
      const s = scalar(value);
      if (s !== null) out.append(name, s);
    }
  }
  const text = out.toString();
  return text === "" ? "" : `?${text}`;
};

/** `/v1/x/{id}` + `{id: "a b"}` → `/v1/x/a%20b`; a missing parameter is a programming error. */
export const fillPath = (template: string, params: Record<string, string> | undefined): string =>
  template.replace(/\{([A-Za-z0-9_]+)\}/g, (_, name: string) => {
    const v = params?.[name];
    if (v === undefined || v === "") throw new TypeError(`missing path parameter "${name}" for ${template}`);
    return encodeURIComponent(v);
  });
