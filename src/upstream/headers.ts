import type { IncomingHttpHeaders } from "node:http";
import { util } from "undici";
import type { PassHeaders } from "./types.js";

/**
 * Client headers never sent upstream: hop-by-hop framing, the client's credentials (the provider's
 * key replaces them), Keyplane's own org/project selectors, cookies, the client's address, and
 * accept-encoding (usage is read from the body, so it must arrive uncompressed).
 */
const DROP_REQUEST = new Set([
  "host",
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
  "expect",
  "content-length",
  "authorization",
  "proxy-authorization",
  "cookie",
  "x-api-key",
  "api-key",
  "openai-organization",
  "openai-project",
  "accept-encoding",
  "forwarded",
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-real-ip",
]);

/**
 * Upstream response headers the client may see. An allowlist, because upstreams send identifying
 * and account headers (set-cookie, openai-organization, x-ratelimit-* of the upstream account,
 * request ids, server, cf-ray) that must not leak, and the gateway sets its own ids and limits.
 */
const PASS_RESPONSE = new Set([
  "content-type",
  "content-encoding",
  "content-disposition",
  "content-language",
  "cache-control",
  "etag",
  "last-modified",
  "retry-after",
  "retry-after-ms",
]);

/** Turns undici's raw header list (name, value, name, value…) into the headers a caller reads. */
export type HeaderPicker = (raw: Buffer[]) => IncomingHttpHeaders;

/**
 * A picker for the named headers (lower case). A name is decoded only when its length matches a
 * wanted one, so most of an upstream's dozens of headers are skipped without making a string.
 * Values are decoded as latin1, byte for byte, as node:http decodes them and writes them back
 * out, so a passed-through value keeps its exact bytes. Repeated headers become arrays.
 */
export const headerPicker = (names: Iterable<string>): HeaderPicker => {
  const wanted = new Set(names);
  // By byte length: an array index, where a Set of lengths cost a hash lookup per header.
  const lengths = new Uint8Array(Math.max(0, ...[...wanted].map((n) => n.length)) + 1);
  for (const n of wanted) lengths[n.length] = 1;
  return (raw) => {
    const out: Record<string, string | string[]> = {};
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const nameBytes = raw[i] as Buffer;
      if (lengths[nameBytes.length] !== 1) continue;
      const name = util.headerNameToString(nameBytes);
      if (!wanted.has(name)) continue;
      const value = (raw[i + 1] as Buffer).toString("latin1");
      const seen = out[name];
      if (seen === undefined) out[name] = value;
      else if (typeof seen === "string") out[name] = [seen, value];
      else seen.push(value);
    }
    return out as IncomingHttpHeaders;
  };
};

/**
 * Every upstream response header the gateway reads: what the client may see, plus the length and
 * the upstream's request id. The rest (dates, connection framing, CDN ids, the upstream account's
 * own rate-limit headers: often a dozen or two per answer) is never decoded.
 */
export const readUpstreamHeaders: HeaderPicker = headerPicker([
  ...PASS_RESPONSE,
  "content-length",
  "x-request-id",
]);

export interface UpstreamAuth {
  /** `Bearer …`, or null when the provider needs no key. Secret: never logged. */
  authorization: string | null;
  extra: Readonly<Record<string, string>>;
}

/** Headers for the upstream request: filtered client headers, then the provider's, then its key. */
export const upstreamRequestHeaders = (
  client: IncomingHttpHeaders,
  auth: UpstreamAuth,
  bodyLength: number | null,
): Record<string, string> => {
  const out: Record<string, string> = {};
  const declaredHopByHop = client.connection;
  for (const name in client) {
    if (DROP_REQUEST.has(name) || name.startsWith("x-keyplane-")) continue;
    const v = client[name];
    if (v === undefined) continue;
    out[name] = Array.isArray(v) ? v.join(", ") : v;
  }
  if (declaredHopByHop && declaredHopByHop !== "keep-alive" && declaredHopByHop !== "close") {
    for (const token of declaredHopByHop.split(",")) delete out[token.trim().toLowerCase()];
  }
  for (const name in auth.extra) {
    const v = auth.extra[name];
    if (v !== undefined) out[name.toLowerCase()] = v;
  }
  if (auth.authorization) out.authorization = auth.authorization;
  if (bodyLength !== null) out["content-length"] = String(bodyLength);
  return out;
};

/** The upstream response headers the client gets (content-length is decided by the caller). */
export const clientResponseHeaders = (upstream: IncomingHttpHeaders): PassHeaders => {
  const out: PassHeaders = {};
  for (const name in upstream) {
    if (!PASS_RESPONSE.has(name)) continue;
    const v = upstream[name];
    if (v !== undefined) out[name] = v;
  }
  return out;
};

/** One header value as a string (first of repeated values). */
export const headerValue = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};
