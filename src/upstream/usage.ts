import type { Usage } from "./types.js";

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const int = (v: unknown): number =>
  typeof v === "number" && Number.isFinite(v) && v > 0 ? Math.floor(v) : 0;

/**
 * Reads an upstream `usage` object in either shape: chat/completions/embeddings
 * (`prompt_tokens`, `completion_tokens`, `prompt_tokens_details.cached_tokens`) or Responses
 * (`input_tokens`, `output_tokens`, `input_tokens_details.cached_tokens`).
 */
export const usageFromObject = (u: unknown): Usage | null => {
  if (!isObject(u)) return null;
  if (typeof u.input_tokens === "number" || typeof u.output_tokens === "number") {
    const details = isObject(u.input_tokens_details) ? u.input_tokens_details : null;
    return {
      inputTokens: int(u.input_tokens),
      outputTokens: int(u.output_tokens),
      cachedInputTokens: details ? int(details.cached_tokens) : 0,
      estimated: false,
    };
  }
  if (typeof u.prompt_tokens === "number" || typeof u.completion_tokens === "number") {
    const details = isObject(u.prompt_tokens_details) ? u.prompt_tokens_details : null;
    return {
      inputTokens: int(u.prompt_tokens),
      outputTokens: int(u.completion_tokens),
      cachedInputTokens: details ? int(details.cached_tokens) : 0,
      estimated: false,
    };
  }
  return null;
};

/** Usage of a buffered JSON body: parsed once; the bytes themselves are forwarded untouched. */
export const usageFromBody = (body: Buffer): Usage | null => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    return null;
  }
  return isObject(parsed) ? usageFromObject(parsed.usage) : null;
};

/** Index just past the `{…}` object starting at `start`, skipping braces inside strings; -1 if cut off. */
export const objectEnd = (s: string, start: number): number => {
  let depth = 0;
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) {
      for (i++; i < s.length && s.charCodeAt(i) !== 0x22; i++) if (s.charCodeAt(i) === 0x5c) i++;
    } else if (c === 0x7b) depth++;
    else if (c === 0x7d && --depth === 0) return i + 1;
  }
  return -1;
};

/**
 * Usage from the tail of a body too large to parse whole (multi-MB embeddings): the last
 * `"usage": {…}` key in the text. An unescaped `"usage"` can only be a key, never string content.
 */
export const usageFromTail = (tail: string): Usage | null => {
  for (
    let at = tail.lastIndexOf('"usage"');
    at >= 0;
    at = at > 0 ? tail.lastIndexOf('"usage"', at - 1) : -1
  ) {
    const m = /^"usage"\s*:\s*\{/.exec(tail.slice(at, at + 64));
    if (!m) continue;
    const start = at + m[0].length - 1;
    const end = objectEnd(tail, start);
    if (end < 0) continue;
    try {
      const u = usageFromObject(JSON.parse(tail.slice(start, end)));
      if (u) return u;
    } catch {
      // not a complete object (tail cut mid-way); try an earlier occurrence
    }
  }
  return null;
};
