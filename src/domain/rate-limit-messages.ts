import { formatDuration } from "./duration.js";
import { AppError } from "./errors.js";
import type { ConcurrencyDenial, Denial, LimitScope, LimitSpec, RateDenial } from "./rate-limits.js";

/** OpenAI's texts for 429s (reference/openai-admin-api.md §2), without the link to their site. */
const UNIT: Record<LimitSpec["dimension"], Record<LimitSpec["window"], string>> = {
  requests: { minute: "requests per min (RPM)", day: "requests per day (RPD)" },
  tokens: { minute: "tokens per min (TPM)", day: "tokens per day (TPD)" },
};

const scopePhrase = (scope: LimitScope): string =>
  scope.kind === "key" ? `for key ${scope.id}` : `in ${scope.kind} ${scope.id}`;

const subject = (limit: LimitSpec): string =>
  `${limit.model ? ` for ${limit.model}` : ""} ${scopePhrase(limit.scope)} on ${UNIT[limit.dimension][limit.window]}`;

export const rateLimitMessage = (d: RateDenial): string => {
  const l = d.limit;
  if (d.tooLarge) {
    const hint =
      l.dimension === "tokens"
        ? " The input or output tokens must be reduced in order to run successfully."
        : "";
    return `Request too large${subject(l)}: Limit ${l.capacity}, Requested ${d.requested}.${hint}`;
  }
  return `Rate limit reached${subject(l)}: Limit ${l.capacity}, Used ${d.used}, Requested ${d.requested}. Please try again in ${formatDuration(d.retryAfterMs)}.`;
};

export const concurrencyMessage = (d: ConcurrencyDenial): string =>
  `Rate limit reached ${scopePhrase(d.slot.scope ?? { kind: "key", id: d.slot.id })} on concurrent requests: Limit ${d.slot.max}, In flight ${d.inFlight}. Please try again in ${formatDuration(d.retryAfterMs)}.`;

export const QUOTA_MESSAGE = "You exceeded your current quota, please check your plan and billing details.";

/** `retry-after` is whole seconds ≥ 1; `retry-after-ms` is what the openai SDKs read first. */
const retryHeaders = (ms: number): Record<string, string> => ({
  "retry-after": String(Math.max(1, Math.ceil(ms / 1000))),
  "retry-after-ms": String(ms),
});

/**
 * The 429 for a denied reservation: `type` is the limited dimension, `code` `rate_limit_exceeded`.
 * A request too large for its bucket tells the SDKs not to retry (`x-should-retry: false`).
 */
export const rateLimitedError = (d: Denial): AppError => {
  if (d.kind === "concurrency") {
    return new AppError("rate_limit_exceeded", {
      message: concurrencyMessage(d),
      wireType: "requests",
      wireCode: "rate_limit_exceeded",
      headers: retryHeaders(d.retryAfterMs),
    });
  }
  return new AppError("rate_limit_exceeded", {
    message: rateLimitMessage(d),
    wireType: d.limit.dimension,
    wireCode: "rate_limit_exceeded",
    headers: d.tooLarge ? { "x-should-retry": "false" } : retryHeaders(d.retryAfterMs),
  });
};

/** The 429 for a budget that cannot cover the request. */
export const quotaExceededError = (): AppError =>
  new AppError("insufficient_quota", {
    message: QUOTA_MESSAGE,
    wireType: "insufficient_quota",
    wireCode: "insufficient_quota",
  });
