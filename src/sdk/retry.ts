/** Retry policy: which answers are worth another attempt, and how long to wait before it. */

export interface BackoffOptions {
  /** First backoff ceiling in ms; doubles each attempt. */
  initialDelayMs: number;
  /** Largest backoff ceiling in ms. */
  maxDelayMs: number;
  /** A server-suggested wait above this is ignored (the backoff is used instead). */
  maxRetryAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = {
  initialDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
};

/** 408, 409, 429 and 5xx are retried; `x-should-retry` overrides, as OpenAI's clients do. */
export const isRetryableStatus = (status: number, headers: Headers): boolean => {
  const hint = headers.get("x-should-retry");
  if (hint === "true") return true;
  if (hint === "false") return false;
  return status === 408 || status === 409 || status === 429 || status >= 500;
};

/**
 * The wait the server asked for, in ms: `retry-after-ms` first, then `retry-after` as seconds or
 * an HTTP date. Null when absent or unreadable.
 */
export const serverRetryDelay = (headers: Headers, nowMs: number): number | null => {
  const ms = headers.get("retry-after-ms");
  if (ms !== null && ms.trim() !== "") {
    const v = Number(ms);
    if (Number.isFinite(v) && v >= 0) return v;
  }
  const ra = headers.get("retry-after");
  if (ra === null || ra.trim() === "") return null;
  const seconds = Number(ra);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : null;
  const date = Date.parse(ra);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
};

/** Exponential backoff with full jitter: uniform in [0, min(max, initial·2^attempt)). */
export const backoffDelay = (attempt: number, opts: BackoffOptions, random: () => number): number =>
  random() * Math.min(opts.maxDelayMs, opts.initialDelayMs * 2 ** attempt);

/** `attempt` counts retries already made (0 before the first retry). */
export const retryDelay = (
  attempt: number,
  headers: Headers | undefined,
  opts: BackoffOptions,
  nowMs: number,
  random: () => number,
): number => {
  const asked = headers ? serverRetryDelay(headers, nowMs) : null;
  if (asked !== null && asked <= opts.maxRetryAfterMs) return asked;
  return backoffDelay(attempt, opts, random);
};
