import { describe, expect, it } from "vitest";
import { rateLimitHeaders } from "./rate-limit-headers.js";
import type { BucketSnapshot } from "./rate-limits.js";

const snap = (s: Partial<BucketSnapshot>): BucketSnapshot => ({
  id: "x",
  dimension: "requests",
  window: "minute",
  limit: 60,
  remaining: 59,
  resetMs: 1000,
  ...s,
});

describe("x-ratelimit-* headers", () => {
  it("reports the most constrained bucket per dimension", () => {
    const headers = rateLimitHeaders([
      snap({ id: "proj-rpm", limit: 60, remaining: 59, resetMs: 1000 }),
      snap({ id: "key-rpm", limit: 10, remaining: 3, resetMs: 42_000 }),
      snap({ id: "proj-tpm", dimension: "tokens", limit: 150000, remaining: 149984, resetMs: 6.4 }),
      snap({
        id: "proj-tpd",
        dimension: "tokens",
        window: "day",
        limit: 1_000_000,
        remaining: 149984,
        resetMs: 360_000,
      }),
    ]);
    expect(headers).toEqual({
      "x-ratelimit-limit-requests": "10",
      "x-ratelimit-remaining-requests": "3",
      "x-ratelimit-reset-requests": "42s",
      "x-ratelimit-limit-tokens": "1000000",
      "x-ratelimit-remaining-tokens": "149984",
      "x-ratelimit-reset-tokens": "6m0s",
    });
  });

  it("omits a dimension without limits", () => {
    expect(rateLimitHeaders([snap({ resetMs: 12 })])).toEqual({
      "x-ratelimit-limit-requests": "60",
      "x-ratelimit-remaining-requests": "59",
      "x-ratelimit-reset-requests": "12ms",
    });
    expect(rateLimitHeaders([])).toEqual({});
  });
});
