import { formatDuration } from "./duration.js";
import { intString } from "./int-format.js";
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
  // Constant names (not built per call): on every model response.
  const headers: Record<string, string> = {};
  const r = binding(snapshot, "requests");
  if (r !== null) {
    headers["x-ratelimit-limit-requests"] = intString(r.limit);
    headers["x-ratelimit-remaining-requests"] = intString(r.remaining);
    headers["x-ratelimit-reset-requests"] = formatDuration(r.resetMs);
  }
  const t = binding(snapshot, "tokens");
  if (t !== null) {
    headers["x-ratelimit-limit-tokens"] = intString(t.limit);
    headers["x-ratelimit-remaining-tokens"] = intString(t.remaining);
    headers["x-ratelimit-reset-tokens"] = formatDuration(t.resetMs);
  }
  return headers;
};
