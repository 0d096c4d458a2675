import type { Endpoint } from "./types.js";

/**
 * Cheap scans over SSE text, so the tee parses JSON only for the one or two events that carry
 * usage. An unescaped `"key"` can only be a JSON key: inside string values quotes are
 * escaped, so client-controlled text cannot fake these matches.
 */

/**
 * One regex per endpoint finds, in a single pass, the string fields whose characters are model
 * output (group 1 absent) and the usage marker (group 1 set): `"usage": {` for chat/completions,
 * the terminal `"type": "response.completed|incomplete|failed"` for Responses.
 */
const SCANS: Record<Endpoint, RegExp | null> = {
  chat: /"(?:content|refusal|arguments|reasoning_content|reasoning)"\s*:\s*"|"(usage)"\s*:\s*\{/g,
  completions: /"text"\s*:\s*"|"(usage)"\s*:\s*\{/g,
  responses: /"delta"\s*:\s*"|"type"\s*:\s*"(response\.(?:completed|incomplete|failed))"/g,
  embeddings: /"(usage)"\s*:\s*\{/g,
  models: null,
  other: /"(usage)"\s*:\s*\{/g,
};

/** Index just past the JSON string starting at `i` (past its opening quote), and its characters. */
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

export interface EventScan {
  /** Output characters in the text (escapes count once). */
  chars: number;
  /** Text indexes of usage markers (see SCANS); null when there are none. */
  marks: number[] | null;
}

/** Scans whole events' text once for output characters and usage markers. */
export const scanEvents = (endpoint: Endpoint, text: string): EventScan => {
  const re = SCANS[endpoint];
  if (!re) return { chars: 0, marks: null };
  re.lastIndex = 0;
  let chars = 0;
  let marks: number[] | null = null;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[1] !== undefined) {
      if (!marks) marks = [];
      marks.push(m.index);
      continue;
    }
    const s = stringLength(text, re.lastIndex);
    chars += s.chars;
    re.lastIndex = s.end;
  }
  return { chars, marks };
};

/** Output characters in a text (for tests and callers that need only the count). */
export const outputChars = (endpoint: Endpoint, text: string): number => scanEvents(endpoint, text).chars;

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
