import { describe, expect, it } from "vitest";
import {
  budgetIdOf,
  budgetSpecsFor,
  MONTHLY,
  parseBudgetId,
  percentOf,
  periodOfKey,
  thresholdOf,
  UNLIMITED_MICROS,
} from "./budget-policy.js";
import { budgetPeriod, reached } from "./budgets.js";

const NOW = Date.UTC(2026, 10, 15, 12);
const DOLLAR = 1_000_000;

describe("budget policy", () => {
  it("budget ids round-trip to their scope and period", () => {
    const scopes = [
      { kind: "organization", orgId: "org-a" },
      { kind: "project", orgId: "org-a", projectId: "proj_b" },
      { kind: "key", orgId: "org-a", projectId: "proj_b", keyId: "key_c" },
    ] as const;
    for (const scope of scopes) {
      for (const period of [MONTHLY, { kind: "days", days: 30 } as const]) {
        expect(parseBudgetId(budgetIdOf(scope, period))).toEqual({ scope, period });
      }
    }
    expect(parseBudgetId("bo:org-a")).toBeNull();
    expect(parseBudgetId("bp:org-a:m")).toBeNull();
    expect(parseBudgetId("proj_x:monthly")).toBeNull();
  });

  it("percentages carry absolute thresholds exactly, with and without a hard limit", () => {
    for (const limit of [50 * DOLLAR, 3 * DOLLAR, UNLIMITED_MICROS]) {
      for (const threshold of [0, 1, 25 * DOLLAR, 45 * DOLLAR, 123_456_789, 67_768_654_590]) {
        const p = percentOf(threshold, limit);
        expect(thresholdOf(p, limit)).toBe(threshold);
        // The ledger's own test fires at the threshold exactly: not a micro-dollar before or after.
        if (threshold > 0) expect(reached(threshold - 1, limit, p)).toBe(false);
        expect(reached(threshold, limit, p)).toBe(true);
        expect(Number(String(p))).toBe(p);
      }
    }
  });

  it("one spec per distinct period: the limit's period carries it and its alerts; others count unlimited", () => {
    const specs = budgetSpecsFor(
      {
        scope: { kind: "project", orgId: "org-a", projectId: "proj_b" },
        limit: { micros: 50 * DOLLAR, period: MONTHLY },
        alerts: [
          { thresholdMicros: 25 * DOLLAR, period: MONTHLY },
          { thresholdMicros: 45 * DOLLAR, period: MONTHLY },
          { thresholdMicros: 10 * DOLLAR, period: { kind: "days", days: 7 } },
        ],
      },
      NOW,
    );
    expect(specs).toEqual([
      {
        id: "bp:org-a:proj_b:m",
        scope: { kind: "project", id: "proj_b" },
        limitMicros: 50 * DOLLAR,
        periodKey: "2026-11",
        periodEndsAtMs: Date.UTC(2026, 11, 1),
        alertPercents: [50, 90],
      },
      {
        id: "bp:org-a:proj_b:d7",
        scope: { kind: "project", id: "proj_b" },
        limitMicros: UNLIMITED_MICROS,
        periodKey: budgetPeriod({ kind: "days", days: 7 }, NOW).key,
        periodEndsAtMs: budgetPeriod({ kind: "days", days: 7 }, NOW).endsAtMs,
        alertPercents: [percentOf(10 * DOLLAR, UNLIMITED_MICROS)],
      },
    ]);
  });

  it("no limit and no alert → no spec; a limit alone → explicit empty alert list; key percents apply to the limit", () => {
    const scope = { kind: "key", orgId: "o", projectId: "p", keyId: "k" } as const;
    expect(budgetSpecsFor({ scope, limit: null, alerts: [], limitAlertPercents: [50] }, NOW)).toEqual([]);
    const [only] = budgetSpecsFor({ scope, limit: { micros: DOLLAR, period: MONTHLY }, alerts: [] }, NOW);
    expect(only?.alertPercents).toEqual([]);
    const [key] = budgetSpecsFor(
      { scope, limit: { micros: DOLLAR, period: MONTHLY }, alerts: [], limitAlertPercents: [90, 50] },
      NOW,
    );
    expect(key?.alertPercents).toEqual([50, 90]);
    expect(key?.id).toBe("bk:o:p:k:m");
  });

  it("period keys map back to their periods", () => {
    expect(periodOfKey(MONTHLY, "2026-11")).toEqual(budgetPeriod(MONTHLY, NOW));
    const days = { kind: "days", days: 30 } as const;
    expect(periodOfKey(days, budgetPeriod(days, NOW).key)).toEqual(budgetPeriod(days, NOW));
    expect(periodOfKey(days, "2026-11")).toBeNull();
    expect(periodOfKey({ kind: "days", days: 7 }, budgetPeriod(days, NOW).key)).toBeNull();
  });
});
