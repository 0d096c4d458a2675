import { describe, expect, it } from "vitest";
import { budgetPeriod, calendarMonthPeriod, fits, fixedDaysPeriod, reached } from "./budgets.js";

describe("budget periods", () => {
  it("uses UTC calendar months", () => {
    expect(calendarMonthPeriod(Date.UTC(2026, 10, 30, 23, 59, 59))).toEqual({
      key: "2026-11",
      startsAtMs: Date.UTC(2026, 10, 1),
      endsAtMs: Date.UTC(2026, 11, 1),
    });
    expect(calendarMonthPeriod(Date.UTC(2026, 11, 31, 12)).endsAtMs).toBe(Date.UTC(2027, 0, 1));
    expect(calendarMonthPeriod(Date.UTC(2027, 0, 1)).key).toBe("2027-01");
  });

  it("approximates rolling N days with fixed N-day windows from the epoch", () => {
    const day = 86_400_000;
    const p = fixedDaysPeriod(30 * day * 680 + 5, 30);
    expect(p).toEqual({ key: "30d-680", startsAtMs: 30 * day * 680, endsAtMs: 30 * day * 681 });
    expect(fixedDaysPeriod(30 * day * 681 - 1, 30).key).toBe("30d-680");
    expect(fixedDaysPeriod(30 * day * 681, 30).key).toBe("30d-681");
    expect(budgetPeriod({ kind: "days", days: 7 }, 0).key).toBe("7d-0");
    expect(budgetPeriod({ kind: "calendar_month" }, Date.UTC(2026, 4, 3)).key).toBe("2026-05");
  });

  it("admits up to the limit and measures thresholds in integers", () => {
    expect(fits(500, 400, 100, 1000)).toBe(true);
    expect(fits(500, 400, 101, 1000)).toBe(false);
    expect(reached(899_999, 1_000_000, 90)).toBe(false);
    expect(reached(900_000, 1_000_000, 90)).toBe(true);
    expect(reached(1, 1, 100)).toBe(true);
  });
});
