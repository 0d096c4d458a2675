import { formatDuration } from "./duration.js";
import type { BucketSnapshot, LimitDimension } from "./rate-limits.js";

/** The bucket a client should watch: fewest remaining, then the one that takes longest to refill. */
const binding = (snapshot: readonly BucketSnapshot[], dimension: LimitDimension): BucketSnapshot | null => {
  let best: BucketSnapshot | null = null;
  for (const s of snapshot) {
    if (s.dimension !== dimension) continue;
    if (
      best === null ||
      s.remaining < best.remaining ||
      (s.remaining === best.remaining && s.resetMs > best.resetMs)
    ) {
      best = s;
    }
  }
  return best;
};

/**
 * OpenAI's `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` headers from a snapshot. A
 * dimension without any limit gets no headers.
 */
export const rateLimitHeaders = (snapshot: readonly BucketSnapshot[]): Record<string, string> => {
  const headers: Record<string, string> = {};
  for (const dimension of ["requests", "tokens"] as const) {
    const s = binding(snapshot, dimension);
    if (s === null) continue;
    headers[`x-ratelimit-limit-${dimension}`] = String(s.limit);
    headers[`x-ratelimit-remaining-${dimension}`] = String(s.remaining);
    headers[`x-ratelimit-reset-${dimension}`] = formatDuration(s.resetMs);
  }
  return headers;
};
