import type { Candidate, Endpoint } from "./types.js";

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

const INJECT = Buffer.from('"stream_options":{"include_usage":true}');
const COMMA = Buffer.from(",");

const isSpace = (b: number | undefined): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/** Inserts the usage option before the closing brace, leaving every other byte as the client sent it. */
const spliceIncludeUsage = (body: Buffer): Buffer | null => {
  let end = body.length - 1;
  while (end >= 0 && isSpace(body[end])) end--;
  if (body[end] !== 0x7d) return null;
  let prev = end - 1;
  while (prev >= 0 && isSpace(body[prev])) prev--;
  const parts = [body.subarray(0, end)];
  if (body[prev] !== 0x7b) parts.push(COMMA);
  parts.push(INJECT, body.subarray(end));
  return Buffer.concat(parts);
};

export const clientWantsUsage = (json: Json): boolean =>
  isObject(json.stream_options) && json.stream_options.include_usage === true;

/** Endpoints whose streams carry usage only when `stream_options.include_usage` is set. */
export const usageNeedsOption = (endpoint: Endpoint): boolean =>
  endpoint === "chat" || endpoint === "completions";

const withUsageOption = (json: Json): Json => ({
  ...json,
  stream_options: { ...(isObject(json.stream_options) ? json.stream_options : {}), include_usage: true },
});

/**
 * Makes a streaming request ask for usage, so the gateway can meter it even when the client did
 * not. When the client sent no `stream_options` the option is spliced into the raw bytes; only an
 * existing `stream_options` object forces re-serialising. The SSE tee hides the extra usage chunk
 * from clients that did not ask for it.
 */
export const prepareStreamBody = (body: Buffer, json: Json): { body: Buffer; clientWantsUsage: boolean } => {
  if (clientWantsUsage(json)) return { body, clientWantsUsage: true };
  const spliced = json.stream_options === undefined ? spliceIncludeUsage(body) : null;
  return { body: spliced ?? Buffer.from(JSON.stringify(withUsageOption(json))), clientWantsUsage: false };
};

/**
 * The body to send to one candidate. Unchanged bytes unless the model is aliased (re-serialised,
 * the only case that requires it) or a stream must be made to report usage.
 */
export const upstreamBody = (
  body: Buffer,
  json: Json | null,
  candidate: Candidate,
  injectUsage: boolean,
): Buffer => {
  if (!json) return body;
  if (typeof json.model === "string" && json.model !== candidate.model) {
    const rewritten = injectUsage ? withUsageOption(json) : { ...json };
    rewritten.model = candidate.model;
    return Buffer.from(JSON.stringify(rewritten));
  }
  return injectUsage ? prepareStreamBody(body, json).body : body;
};
