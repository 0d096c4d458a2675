import type { Usage } from "./types.js";

/**
 * Reads a `usage` object's text without JSON.parse — on every model response, the parse and its
 * objects cost as much as parsing the client's request. Handles what providers send: keys with
 * non-negative integer values, `null`s, and one level of `*_details` objects of the same.
 * Anything else (floats, negatives, strings, escapes, deeper nesting) returns undefined and the
 * caller parses the text properly, so this can only be faster, never different.
 */
export const readUsageText = (s: string): Usage | null | undefined => {
  let i = 0;
  let inputT = -1;
  let outputT = -1;
  let promptT = -1;
  let completionT = -1;
  let cachedInput = 0;
  let cachedPrompt = 0;

  const ws = (): void => {
    for (
      let c = s.charCodeAt(i);
      c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
      c = s.charCodeAt(++i)
    );
  };
  /** A key without escapes; null when there is a backslash (leave those to JSON.parse). */
  const key = (): string | null => {
    if (s.charCodeAt(i) !== 0x22) return null;
    const end = s.indexOf('"', i + 1);
    if (end < 0) return null;
    const k = s.slice(i + 1, end);
    if (k.includes("\\")) return null;
    i = end + 1;
    return k;
  };
  /** A non-negative integer, -2 for `null`, -1 when the value is anything else. */
  const int = (): number => {
    let c = s.charCodeAt(i);
    if (c === 0x6e) {
      if (s.startsWith("null", i)) {
        i += 4;
        return -2;
      }
      return -1;
    }
    if (c < 0x30 || c > 0x39) return -1;
    // JSON has no leading zeros: "01" is not a number JSON.parse would accept.
    if (c === 0x30 && s.charCodeAt(i + 1) >= 0x30 && s.charCodeAt(i + 1) <= 0x39) return -1;
    let n = 0;
    for (; c >= 0x30 && c <= 0x39; c = s.charCodeAt(++i)) n = n * 10 + (c - 0x30);
    return c === 0x2e || c === 0x65 || c === 0x45 || n > Number.MAX_SAFE_INTEGER ? -1 : n;
  };
  /** Walks `{ "k": v, ... }` from i; calls `on` per key/value; false when the text is not that shape. */
  const object = (on: (k: string) => boolean): boolean => {
    ws();
    if (s.charCodeAt(i) !== 0x7b) return false;
    i++;
    ws();
    if (s.charCodeAt(i) === 0x7d) {
      i++;
      return true;
    }
    for (;;) {
      ws();
      const k = key();
      if (k === null) return false;
      ws();
      if (s.charCodeAt(i) !== 0x3a) return false;
      i++;
      ws();
      if (!on(k)) return false;
      ws();
      const c = s.charCodeAt(i++);
      if (c === 0x7d) return true;
      if (c !== 0x2c) return false;
    }
  };

  const ok = object((k) => {
    if (s.charCodeAt(i) === 0x7b) {
      let cached = 0;
      const inner = object((k2) => {
        const v = int();
        if (k2 === "cached_tokens" && v >= 0) cached = v;
        return v !== -1;
      });
      if (k === "input_tokens_details") cachedInput = cached;
      else if (k === "prompt_tokens_details") cachedPrompt = cached;
      return inner;
    }
    const v = int();
    if (v === -1) return false;
    if (k === "input_tokens") inputT = v;
    else if (k === "output_tokens") outputT = v;
    else if (k === "prompt_tokens") promptT = v;
    else if (k === "completion_tokens") completionT = v;
    return true;
  });
  if (!ok) return undefined;
  ws();
  if (i !== s.length) return undefined;
  // Same precedence as usageFromObject: the Responses shape first, then chat/completions.
  if (inputT >= 0 || outputT >= 0) return reported(inputT, outputT, cachedInput);
  if (promptT >= 0 || completionT >= 0) return reported(promptT, completionT, cachedPrompt);
  return null;
};

/** A missing side (-1) or `null` (-2) counts as 0, as usageFromObject reads them. */
const reported = (input: number, output: number, cached: number): Usage => ({
  inputTokens: Math.max(input, 0),
  outputTokens: Math.max(output, 0),
  cachedInputTokens: cached,
  estimated: false,
});
