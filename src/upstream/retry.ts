import type { IncomingHttpHeaders } from "node:http";
import { headerValue } from "./headers.js";

/** 408, 409, 429 and 5xx are worth another try (as the OpenAI clients do); other 4xx are final. */
export const isRetryableStatus = (status: number): boolean =>
  status === 408 || status === 409 || status === 429 || status >= 500;

/** Full jitter: uniform in [0, min(max, base·2^attempt)] — spreads retry storms evenly. */
export const backoffMs = (
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number => Math.floor(random() * Math.min(maxMs, baseMs * 2 ** attempt));

/** Longest upstream-requested wait we honour; beyond it the next candidate is a better bet. */
const MAX_RETRY_AFTER_MS = 60_000;

/**
 * The upstream's requested wait: `retry-after-ms` (OpenAI's, milliseconds) first, then
 * `retry-after` as seconds or an HTTP date. Null when absent or unparseable.
 */
export const retryAfterMs = (headers: IncomingHttpHeaders, now: number = Date.now()): number | null => {
  const ms = headerValue(headers, "retry-after-ms");
  if (ms !== undefined) {
    const n = Number(ms);
    if (Number.isFinite(n) && n >= 0) return Math.min(Math.ceil(n), MAX_RETRY_AFTER_MS);
  }
  const ra = headerValue(headers, "retry-after");
  if (ra === undefined) return null;
  const secs = Number(ra);
  if (ra.trim() !== "" && Number.isFinite(secs) && secs >= 0)
    return Math.min(Math.ceil(secs * 1000), MAX_RETRY_AFTER_MS);
  const at = Date.parse(ra);
  return Number.isNaN(at) ? null : Math.min(Math.max(0, at - now), MAX_RETRY_AFTER_MS);
};

/** timeout and connect are retried; aborted (client gone) and other (our own bad request) are not. */
export type FailureKind = "timeout" | "connect" | "aborted" | "other";

const CONNECT_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** Classifies a failed undici request: no response arrived at all. */
export const classifyFailure = (err: unknown): FailureKind => {
  const e = err as { code?: unknown; name?: unknown; cause?: { code?: unknown } } | null;
  const code = typeof e?.code === "string" ? e.code : typeof e?.cause?.code === "string" ? e.cause.code : "";
  if (code === "UND_ERR_HEADERS_TIMEOUT") return "timeout";
  if (code === "UND_ERR_ABORTED" || e?.name === "AbortError") return "aborted";
  return CONNECT_CODES.has(code) ? "connect" : "other";
};
