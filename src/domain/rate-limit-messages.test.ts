import { describe, expect, it } from "vitest";
import {
  QUOTA_MESSAGE,
  quotaExceededError,
  rateLimitedError,
  rateLimitMessage,
} from "./rate-limit-messages.js";
import type { LimitSpec, RateDenial } from "./rate-limits.js";

const tpm: LimitSpec = {
  id: "proj_abc:gpt-4o:tpm",
  dimension: "tokens",
  window: "minute",
  capacity: 30000,
  scope: { kind: "project", id: "proj_abc" },
  model: "gpt-4o",
};

const denial = (limit: LimitSpec, extra: Partial<RateDenial> = {}): RateDenial => ({
  kind: "rate",
  limit,
  used: 29000,
  requested: 2000,
  retryAfterMs: 2000,
  tooLarge: false,
  ...extra,
});

describe("OpenAI 429 texts", () => {
  it("words a rate limit like OpenAI, per dimension, window and scope", () => {
    expect(rateLimitMessage(denial(tpm))).toBe(
      "Rate limit reached for gpt-4o in project proj_abc on tokens per min (TPM): Limit 30000, Used 29000, Requested 2000. Please try again in 2s.",
    );
    const rpd: LimitSpec = {
      ...tpm,
      dimension: "requests",
      window: "day",
      capacity: 200,
      scope: { kind: "organization", id: "org-XXXX" },
    };
    expect(rateLimitMessage(denial(rpd, { used: 200, requested: 1, retryAfterMs: 432_000 }))).toBe(
      "Rate limit reached for gpt-4o in organization org-XXXX on requests per day (RPD): Limit 200, Used 200, Requested 1. Please try again in 7m12s.",
    );
    const keyRpm: LimitSpec = {
      id: "k",
      dimension: "requests",
      window: "minute",
      capacity: 60,
      scope: { kind: "key", id: "key_abc" },
    };
    expect(rateLimitMessage(denial(keyRpm, { used: 60, requested: 1, retryAfterMs: 1000 }))).toBe(
      "Rate limit reached for key key_abc on requests per min (RPM): Limit 60, Used 60, Requested 1. Please try again in 1s.",
    );
    const tpd: LimitSpec = {
      ...tpm,
      window: "day",
      capacity: 10000,
      scope: { kind: "organization", id: "org-XXXX" },
      model: "gpt-4",
    };
    expect(rateLimitMessage(denial(tpd, { used: 8554, requested: 3082, retryAfterMs: 9816 }))).toBe(
      "Rate limit reached for gpt-4 in organization org-XXXX on tokens per day (TPD): Limit 10000, Used 8554, Requested 3082. Please try again in 9.816s.",
    );
  });

  it("words a request larger than the limit like OpenAI", () => {
    expect(rateLimitMessage(denial(tpm, { requested: 31538, tooLarge: true, retryAfterMs: 0 }))).toBe(
      "Request too large for gpt-4o in project proj_abc on tokens per min (TPM): Limit 30000, Requested 31538. The input or output tokens must be reduced in order to run successfully.",
    );
  });

  it("builds the 429 error: type is the limited dimension, code rate_limit_exceeded, retry headers", () => {
    const e = rateLimitedError(denial(tpm, { retryAfterMs: 2500 }));
    expect(e.code).toBe("rate_limit_exceeded");
    expect(e.wireType).toBe("tokens");
    expect(e.wireCode).toBe("rate_limit_exceeded");
    expect(e.headers).toEqual({ "retry-after": "3", "retry-after-ms": "2500" });
    const small = rateLimitedError(denial({ ...tpm, dimension: "requests" }, { retryAfterMs: 12 }));
    expect(small.wireType).toBe("requests");
    expect(small.headers?.["retry-after"]).toBe("1");
    const large = rateLimitedError(denial(tpm, { tooLarge: true, retryAfterMs: 0 }));
    expect(large.headers).toEqual({ "x-should-retry": "false" });
  });

  it("words a concurrency cap and types it as requests", () => {
    const e = rateLimitedError({
      kind: "concurrency",
      slot: { id: "key_abc", max: 5 },
      inFlight: 5,
      retryAfterMs: 1000,
    });
    expect(e.message).toBe(
      "Rate limit reached for key key_abc on concurrent requests: Limit 5, In flight 5. Please try again in 1s.",
    );
    expect(e.wireType).toBe("requests");
    expect(e.headers?.["retry-after"]).toBe("1");
  });

  it("builds the insufficient_quota error for budgets", () => {
    const e = quotaExceededError();
    expect(e.code).toBe("insufficient_quota");
    expect(e.message).toBe(QUOTA_MESSAGE);
    expect(QUOTA_MESSAGE).toBe(
      "You exceeded your current quota, please check your plan and billing details.",
    );
    expect([e.wireType, e.wireCode]).toEqual(["insufficient_quota", "insufficient_quota"]);
  });
});
