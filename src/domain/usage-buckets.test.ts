import { describe, expect, it } from "vitest";
import { AppError } from "./errors.js";
import { alignDown, decodePageCursor, encodePageCursor, planBuckets } from "./usage-buckets.js";

const D0 = 1_730_419_200;

describe("usage buckets", () => {
  it("align the first bucket down to its UTC boundary and cover the range", () => {
    expect(alignDown(D0 + 3599, "1h")).toBe(D0);
    expect(alignDown(D0 + 61, "1m")).toBe(D0 + 60);
    const p = planBuckets({ startTime: D0 + 5, endTime: D0 + 2 * 86_400 + 1, width: "1d", limit: 7 });
    expect(p.starts).toEqual([D0, D0 + 86_400, D0 + 2 * 86_400]);
    expect(p.end).toBe(D0 + 3 * 86_400);
    expect(p.nextPage).toBeNull();
  });

  it("page by limit with a cursor bound to the query", () => {
    const q = { startTime: D0, endTime: D0 + 5 * 3600, width: "1h" as const, limit: 2 };
    const p1 = planBuckets(q);
    expect(p1.starts).toEqual([D0, D0 + 3600]);
    expect(p1.nextPage).toMatch(/^page_/);
    expect(decodePageCursor(p1.nextPage ?? "")).toEqual({ firstStart: D0, nextStart: D0 + 7200 });
    const p2 = planBuckets({ ...q, page: p1.nextPage ?? undefined });
    const p3 = planBuckets({ ...q, page: p2.nextPage ?? undefined });
    expect([...p2.starts, ...p3.starts]).toEqual([D0 + 7200, D0 + 10_800, D0 + 14_400]);
    expect(p3.nextPage).toBeNull();
    // A cursor of another query, past the end, off the grid or garbled is refused.
    for (const page of [
      encodePageCursor(D0 + 86_400, D0 + 90_000),
      encodePageCursor(D0, D0 + 5 * 3600),
      encodePageCursor(D0, D0 + 7201),
      "page_####",
      "nope",
    ]) {
      expect(() => planBuckets({ ...q, page }), page).toThrow(AppError);
    }
  });

  it("refuse an empty or inverted range", () => {
    expect(() => planBuckets({ startTime: D0, endTime: D0, width: "1d", limit: 7 })).toThrow(/end_time/);
  });
});
