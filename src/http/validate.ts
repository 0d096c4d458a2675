import type { z } from "zod";
import { AppError } from "../domain/errors.js";

/** Turns zod issues into OpenAI's 400: the first problem's message, with `param` naming the field. */
export const parseOrThrow = <S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: "body" | "query" | "path",
): z.infer<S> => {
  const r = schema.safeParse(value ?? (where === "body" ? {} : value));
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue?.path.map(String).join(".") ?? "";
  let message = issue?.message ?? "Invalid request";
  if (issue?.code === "unrecognized_keys") {
    const keys = (issue as { keys?: string[] }).keys ?? [];
    message = `Unrecognized request argument supplied: ${keys.join(", ")}`;
    return throwBad(message, keys[0] ?? null);
  }
  if (where === "body" && issue?.path.length === 0 && issue.code === "invalid_type") {
    return throwBad("The request body must be a JSON object.", null);
  }
  const param = path === "" ? null : path;
  if (param) message = `Invalid '${param}': ${message.charAt(0).toLowerCase()}${message.slice(1)}`;
  return throwBad(message, param);
};

const throwBad = (message: string, param: string | null): never => {
  throw new AppError("invalid_request", { message, param });
};

/**
 * OpenAI's SDKs send arrays as `x[]=a&x[]=b` and objects as `x[gte]=1`; other clients repeat `x=`
 * or index `x[0]=`. Normalise all of them to plain arrays/objects before validation.
 */
export const normalizeQuery = (query: unknown): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  if (typeof query !== "object" || query === null) return out;
  for (const [rawKey, value] of Object.entries(query as Record<string, unknown>)) {
    const m = /^([^[\]]+)\[([^[\]]*)\]$/.exec(rawKey);
    if (!m) {
      out[rawKey] = value;
      continue;
    }
    const [, base = rawKey, inner = ""] = m;
    const values = Array.isArray(value) ? value : [value];
    if (inner === "" || /^\d+$/.test(inner)) {
      const prev = out[base];
      out[base] = [...(Array.isArray(prev) ? prev : prev === undefined ? [] : [prev]), ...values];
    } else {
      const prev = out[base];
      const obj =
        typeof prev === "object" && prev !== null && !Array.isArray(prev)
          ? (prev as Record<string, unknown>)
          : {};
      obj[inner] = values[values.length - 1];
      out[base] = obj;
    }
  }
  return out;
};
