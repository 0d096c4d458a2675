import { describe, expect, it } from "vitest";
import {
  type LimitSpec,
  rateDenial,
  refill,
  remainingOf,
  resetMs,
  retryAfterMs,
  snapshotOf,
  usedOf,
  worseDenial,
} from "./rate-limits.js";

const MIN = 60_000;

const tpm: LimitSpec = {
  id: "t",
  dimension: "tokens",
  window: "minute",
  capacity: 1000,
  scope: { kind: "project", id: "p" },
};

describe("token bucket math", () => {
  it("refills continuously at capacity per window and never above capacity", () => {
    expect(refill(0, 0, 1000, MIN, 6_000)).toBe(100);
    expect(refill(250, 0, 1000, MIN, 30_000)).toBe(750);
    expect(refill(900, 0, 1000, MIN, 30_000)).toBe(1000);
    expect(refill(-500, 0, 1000, MIN, 30_000)).toBe(0);
  });

  it("adds nothing when the clock runs backwards, and keeps zero-capacity buckets empty", () => {
    expect(refill(10, 5_000, 1000, MIN, 1_000)).toBe(10);
    expect(refill(10, 0, 0, MIN, 1_000_000)).toBe(0);
  });

  it("computes the wait until a cost fits, rounding up to whole ms", () => {
    expect(retryAfterMs(0, 1, 3, MIN)).toBe(20_000);
    expect(retryAfterMs(0.5, 1, 3, MIN)).toBe(10_000);
    expect(retryAfterMs(0, 1, 7, MIN)).toBe(8572);
    expect(retryAfterMs(5, 5, 10, MIN)).toBe(0);
    expect(retryAfterMs(10, 11, 10, MIN)).toBe(Number.POSITIVE_INFINITY);
  });

  it("computes reset, remaining and used", () => {
    expect(resetMs(750, 1000, MIN)).toBe(15_000);
    expect(resetMs(1000, 1000, MIN)).toBe(0);
    expect(resetMs(-1000, 1000, MIN)).toBe(120_000);
    expect(remainingOf(3.99)).toBe(3);
    expect(remainingOf(-2)).toBe(0);
    expect(usedOf(499.6, 1000)).toBe(500);
    expect(usedOf(1000, 1000)).toBe(0);
    expect(snapshotOf(tpm, 640.2)).toEqual({
      id: "t",
      dimension: "tokens",
      window: "minute",
      limit: 1000,
      remaining: 640,
      resetMs: 21_588,
    });
  });

  it("reports a cost above capacity as too large with no wait", () => {
    expect(rateDenial(tpm, 1000, 1001)).toEqual({
      kind: "rate",
      limit: tpm,
      used: 0,
      requested: 1001,
      retryAfterMs: 0,
      tooLarge: true,
    });
    expect(rateDenial(tpm, 100, 200)).toMatchObject({ used: 900, retryAfterMs: 6000, tooLarge: false });
  });

  it("prefers a too-large denial, then the longest wait", () => {
    const short = rateDenial(tpm, 100, 200);
    const long = rateDenial(tpm, 0, 500);
    const large = rateDenial(tpm, 0, 5000);
    expect(worseDenial(null, short)).toBe(short);
    expect(worseDenial(short, long)).toBe(long);
    expect(worseDenial(long, short)).toBe(long);
    expect(worseDenial(large, long)).toBe(large);
    expect(worseDenial(long, large)).toBe(large);
  });
});
