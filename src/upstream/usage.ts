import type { Usage } from "./types.js";
import { readUsageJson } from "./usage-text.js";

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

const isSpace = (c: number | undefined): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Skips a JSON string starting at the quote at `i`; returns the index of its closing quote. */
const skipString = (b: Buffer, i: number, end: number): number => {
  for (i++; i < end; i++) {
    const c = b[i];
    if (c === 0x5c) i++;
    else if (c === 0x22) return i;
  }
  return i;
};

/**
 * Walks bytes from `from` with nesting `depth` 0; returns the index just past the bracket that
 * takes the depth to -1 before `end`, or -1. Strings are skipped, so braces inside them do not count.
 */
const closeAt = (b: Buffer, from: number, openDepth: number, end = b.length): number => {
  let depth = openDepth;
  for (let i = from; i < end; i++) {
    const c = b[i];
    if (c === 0x22) i = skipString(b, i, end);
    else if (c === 0x7b || c === 0x5b) depth++;
    else if ((c === 0x7d || c === 0x5d) && --depth === -1) return i + 1;
  }
  return -1;
};

/**
 * The top-level `usage` of a JSON body, found from its tail where OpenAI-shaped answers keep it:
 * only the usage object is parsed, not the whole answer, and the bytes are scanned in place.
 * Null when the last `"usage"` key is not a key of the top-level object (the caller then parses
 * the whole body). An unescaped `"usage"` can only be a key, never string content.
 */
export const USAGE_KEY = Buffer.from('"usage"');

/**
 * Where the object value of a key starts, when `: {` (any JSON whitespace around the colon) follows
 * byte `i`, the end of that key; -1 otherwise. Bytes from `end` on are not looked at.
 */
export const objectValueAt = (b: Buffer, i: number, end = b.length): number => {
  while (i < end && isSpace(b[i])) i++;
  if (b[i] !== 0x3a) return -1;
  i++;
  while (i < end && isSpace(b[i])) i++;
  return i < end && b[i] === 0x7b ? i : -1;
};

const usageFromJsonTail = (body: Buffer): Usage | null => {
  const at = body.lastIndexOf(USAGE_KEY);
  if (at < 0 || at < body.length - TAIL_SCAN) return null;
  const start = objectValueAt(body, at + USAGE_KEY.length);
  if (start < 0) return null;
  const end = closeAt(body, start + 1, 0);
  if (end < 0) return null;
  // What follows must close exactly the top-level object, then nothing but whitespace.
  const close = closeAt(body, end, 0);
  if (close < 0) return null;
  for (let j = close; j < body.length; j++) if (!isSpace(body[j])) return null;
  return usageInRange(body, start, end);
};

/** The usage of the JSON object that is exactly bytes `[from, to)`: read in place when plain, else parsed. */
export const usageInRange = (b: Buffer, from: number, to: number): Usage | null => {
  const fast = readUsageJson(b, from, to);
  if (fast !== undefined) return fast;
  try {
    return usageFromObject(JSON.parse(b.toString("utf8", from, to)));
  } catch {
    return null;
  }
};

/** The usage of the `{…}` object whose brace is at byte `brace`; null unless it closes before `end`. */
export const usageAt = (b: Buffer, brace: number, end = b.length): Usage | null => {
  const close = closeAt(b, brace + 1, 0, end);
  return close < 0 ? null : usageInRange(b, brace, close);
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
