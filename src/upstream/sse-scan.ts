import type { Endpoint } from "./types.js";

/**
 * Cheap scans over one SSE event's text, so the tee parses JSON only for the one or two events
 * that carry usage. An unescaped `"key"` can only be a JSON key: inside string values quotes are
 * escaped, so client-controlled text cannot fake these matches.
 */

/** String fields whose characters are model output, per endpoint (Responses streams use `delta`). */
const OUTPUT_KEYS: Record<Endpoint, RegExp | null> = {
  chat: /"(?:content|refusal|arguments|reasoning_content|reasoning)"\s*:\s*"/g,
  completions: /"text"\s*:\s*"/g,
  responses: /"delta"\s*:\s*"/g,
  embeddings: null,
  models: null,
  other: null,
};

/** Characters of the JSON string starting at `i` (just past its opening quote); escapes count once. */
const stringLength = (s: string, i: number): { chars: number; end: number } => {
  let chars = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 0x22) return { chars, end: i + 1 };
    if (c === 0x5c) i += s.charCodeAt(i + 1) === 0x75 ? 6 : 2;
    else i++;
    chars++;
  }
  return { chars, end: i };
};

/** Output characters in one event's payload. */
export const outputChars = (endpoint: Endpoint, payload: string): number => {
  const re = OUTPUT_KEYS[endpoint];
  if (!re) return 0;
  re.lastIndex = 0;
  let total = 0;
  for (let m = re.exec(payload); m; m = re.exec(payload)) {
    const { chars, end } = stringLength(payload, re.lastIndex);
    total += chars;
    re.lastIndex = end;
  }
  return total;
};

/** True when `"key"` is followed by `:` and an object (not `null`). */
export const hasObjectKey = (s: string, key: string): boolean => {
  for (let at = s.indexOf(key); at >= 0; at = s.indexOf(key, at + key.length)) {
    let i = at + key.length;
    while (s.charCodeAt(i) === 0x20) i++;
    if (s.charCodeAt(i) !== 0x3a) continue;
    i++;
    while (s.charCodeAt(i) === 0x20) i++;
    if (s.charCodeAt(i) === 0x7b) return true;
  }
  return false;
};

/** The data of an SSE event: its `data:` lines joined by newlines (comments and fields ignored). */
export const eventData = (event: string): string | null => {
  let at = event.startsWith("data:") ? 0 : event.indexOf("\ndata:");
  if (at < 0) return null;
  if (at > 0) at += 1;
  let out: string | null = null;
  while (at >= 0) {
    let start = at + 5;
    if (event.charCodeAt(start) === 0x20) start++;
    let end = event.indexOf("\n", start);
    if (end < 0) end = event.length;
    const line = event.charCodeAt(end - 1) === 0x0d ? event.slice(start, end - 1) : event.slice(start, end);
    out = out === null ? line : `${out}\n${line}`;
    const next = event.indexOf("\ndata:", end - 1);
    at = next < 0 ? -1 : next + 1;
  }
  return out;
};

const TERMINAL_RESPONSE = ['"response.completed"', '"response.incomplete"', '"response.failed"'];

/** Responses API: the event that carries the final `response.usage`. */
export const isTerminalResponseEvent = (payload: string): boolean =>
  TERMINAL_RESPONSE.some((t) => payload.includes(t));
