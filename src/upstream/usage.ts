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

/** How far from the end of a body the top-level `usage` key is looked for first. */
const TAIL_SCAN = 2048;

/**
 * True when `rest` (what follows a value inside a JSON document) closes exactly one object and
 * nothing else: the value was a key of the top-level object.
 */
const closesTopLevel = (rest: string): boolean => {
  let depth = 0;
  for (let i = 0; i < rest.length; i++) {
    const c = rest.charCodeAt(i);
    if (c === 0x22) {
      for (i++; i < rest.length && rest.charCodeAt(i) !== 0x22; i++) if (rest.charCodeAt(i) === 0x5c) i++;
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      if (--depth === -1) return rest.slice(i + 1).trim() === "";
    }
  }
  return false;
};

/**
 * The top-level `usage` of a JSON body read from its tail, where OpenAI-shaped answers keep it:
 * only the usage object is parsed, not the whole answer. Null when it is not found there.
 */
const usageFromJsonTail = (body: Buffer): Usage | null => {
  // latin1 maps bytes 1:1, so offsets are byte offsets; the structure and usage are ASCII.
  const s = body.toString("latin1", Math.max(0, body.length - TAIL_SCAN));
  const at = s.lastIndexOf('"usage"');
  if (at < 0) return null;
  const m = /^"usage"\s*:\s*\{/.exec(s.slice(at, at + 32));
  if (!m) return null;
  const start = at + m[0].length - 1;
  const end = objectEnd(s, start);
  if (end < 0 || !closesTopLevel(s.slice(end))) return null;
  try {
    return usageFromObject(JSON.parse(s.slice(start, end)));
  } catch {
    return null;
  }
};

/** Usage of a buffered JSON body; the bytes themselves are forwarded untouched. */
export const usageFromBody = (body: Buffer): Usage | null => {
  const fromTail = usageFromJsonTail(body);
  if (fromTail) return fromTail;
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
