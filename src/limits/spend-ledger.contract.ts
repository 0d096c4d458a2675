import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { BudgetSpec } from "../domain/budgets.js";
import type { SpendLedgerOptions } from "./memory-spend-ledger.js";
import type { SpendLedger, SpendReservation, SpendReserveOutcome } from "./spend-ledger.js";

export type MakeSpendLedger = (opts: SpendLedgerOptions) => SpendLedger;

const T0 = 1_800_000_000_000;
const DOLLAR = 1_000_000;

const budget = (limitMicros: number, extra: Partial<BudgetSpec> = {}): BudgetSpec => ({
  id: `proj_${randomUUID()}`,
  scope: { kind: "project", id: "proj_test" },
  limitMicros,
  periodKey: "2027-01",
  periodEndsAtMs: Date.UTC(2027, 1, 1),
  ...extra,
});

const held = (o: SpendReserveOutcome): SpendReservation => {
  if (!o.ok) throw new Error(`expected ok, got ${JSON.stringify(o)}`);
  return o.reservation;
};

/** One behaviour suite for every SpendLedger. */
export const runSpendLedgerContract = (name: string, make: MakeSpendLedger): void => {
  describe(`SpendLedger contract: ${name}`, () => {
    const tenant = `org-${randomUUID()}`;

    it("holds the maximum cost, then records the actual cost and frees the hold", async () => {
      const ledger = make({});
      const b = budget(DOLLAR);
      const o = await ledger.reserve({ tenant, budgets: [b], maxCostMicros: 300_000, nowMs: T0 });
      expect(o.ok && o.usage).toEqual([
        { id: b.id, periodKey: "2027-01", limitMicros: DOLLAR, spentMicros: 0, reservedMicros: 300_000 },
      ]);
      expect(await ledger.settle(held(o), 120_000, T0)).toEqual([]);
      expect(await ledger.usage({ tenant, budgets: [b] })).toEqual([
        { id: b.id, periodKey: "2027-01", limitMicros: DOLLAR, spentMicros: 120_000, reservedMicros: 0 },
      ]);
    });

    it("admits up to exactly the limit and refuses one micro-dollar more", async () => {
      const ledger = make({});
      const b = budget(1000);
      held(await ledger.reserve({ tenant, budgets: [b], maxCostMicros: 400, nowMs: T0 }));
      const o = await ledger.reserve({ tenant, budgets: [b], maxCostMicros: 601, nowMs: T0 });
      expect(o).toMatchObject({ ok: false, reason: "over_budget" });
      expect(o.ok === false && o.reason === "over_budget" && o.denied).toEqual({
        budget: b,
        spentMicros: 0,
        reservedMicros: 400,
        requestedMicros: 601,
      });
      expect((await ledger.reserve({ tenant, budgets: [b], maxCostMicros: 600, nowMs: T0 })).ok).toBe(true);
    });

    it("is all or nothing across budgets and names the first that refuses", async () => {
      const ledger = make({});
      const org = budget(10 * DOLLAR, { scope: { kind: "organization", id: "org-x" } });
      const proj = budget(DOLLAR);
      const key = budget(DOLLAR / 2, { scope: { kind: "key", id: "key_x" } });
      const o = await ledger.reserve({
        tenant,
        budgets: [org, proj, key],
        maxCostMicros: 600_000,
        nowMs: T0,
      });
      expect(o.ok === false && o.reason === "over_budget" && o.denied.budget.id).toBe(key.id);
      expect(
        (await ledger.usage({ tenant, budgets: [org, proj, key] })).map((u) => u.reservedMicros),
      ).toEqual([0, 0, 0]);
      const ok = await ledger.reserve({
        tenant,
        budgets: [org, proj, key],
        maxCostMicros: 500_000,
        nowMs: T0,
      });
      expect(ok.ok && ok.usage.map((u) => u.reservedMicros)).toEqual([500_000, 500_000, 500_000]);
    });

    it("release frees the hold and records nothing; repeated settle or release is a no-op", async () => {
      const ledger = make({});
      const b = budget(DOLLAR);
      const r = held(await ledger.reserve({ tenant, budgets: [b], maxCostMicros: 700_000, nowMs: T0 }));
      await ledger.release(r, T0);
      await ledger.release(r, T0);
      expect(await ledger.settle(r, 700_000, T0)).toEqual([]);
      expect(await ledger.usage({ tenant, budgets: [b] })).toMatchObject([
        { spentMicros: 0, reservedMicros: 0 },
      ]);
      const r2 = held(await ledger.reserve({ tenant, budgets: [b], maxCostMicros: 700_000, nowMs: T0 }));
      await ledger.settle(r2, 100_000, T0);
      await ledger.settle(r2, 100_000, T0);
      await ledger.release(r2, T0);
      expect(await ledger.usage({ tenant, budgets: [b] })).toMatchObject([
        { spentMicros: 100_000, reservedMicros: 0 },
      ]);
    });

    it("never lets 50 concurrent $0.10 requests settle above a $1 budget", async () => {
      const ledger = make({});
      const b = budget(DOLLAR);
      const outcomes = await Promise.all(
        Array.from({ length: 50 }, () =>
          ledger.reserve({ tenant, budgets: [b], maxCostMicros: 100_000, nowMs: T0 }),
        ),
      );
      const winners = outcomes.flatMap((o) => (o.ok ? [o.reservation] : []));
      expect(winners).toHaveLength(10);
      await Promise.all(winners.map((r) => ledger.settle(r, 100_000, T0)));
      const [u] = await ledger.usage({ tenant, budgets: [b] });
      expect(u).toMatchObject({ spentMicros: DOLLAR, reservedMicros: 0 });
      expect((await ledger.reserve({ tenant, budgets: [b], maxCostMicros: 1, nowMs: T0 })).ok).toBe(false);
      expect((await ledger.reserve({ tenant, budgets: [b], maxCostMicros: 0, nowMs: T0 })).ok).toBe(true);
    });

    it("returns each alert threshold once per period, when spend first reaches it", async () => {
      const ledger = make({});
      const b = budget(DOLLAR);
      const spend = async (micros: number) =>
        ledger.settle(
          held(await ledger.reserve({ tenant, budgets: [b], maxCostMicros: micros, nowMs: T0 })),
          micros,
          T0,
        );
      expect(await spend(499_999)).toEqual([]);
      expect(await spend(1)).toEqual([
        {
          budgetId: b.id,
          periodKey: "2027-01",
          scope: b.scope,
          percent: 50,
          limitMicros: DOLLAR,
          spentMicros: 500_000,
        },
      ]);
      expect(await spend(100_000)).toEqual([]);
      expect((await spend(400_000)).map((a) => [a.percent, a.spentMicros])).toEqual([
        [90, DOLLAR],
        [100, DOLLAR],
      ]);
      expect(await spend(0)).toEqual([]);
      const next = { ...b, periodKey: "2027-02" };
      const r = held(await ledger.reserve({ tenant, budgets: [next], maxCostMicros: 600_000, nowMs: T0 }));
      expect((await ledger.settle(r, 600_000, T0)).map((a) => [a.periodKey, a.percent])).toEqual([
        ["2027-02", 50],
      ]);
    });

    it("uses a budget's own alert percentages and the ledger default otherwise", async () => {
      const ledger = make({ alertPercents: [75] });
      const own = budget(1000, { alertPercents: [10, 20] });
      const dflt = budget(1000);
      const r = held(await ledger.reserve({ tenant, budgets: [own, dflt], maxCostMicros: 800, nowMs: T0 }));
      const alerts = await ledger.settle(r, 800, T0);
      expect(alerts.map((a) => [a.budgetId, a.percent])).toEqual([
        [own.id, 10],
        [own.id, 20],
        [dflt.id, 75],
      ]);
    });

    it("keeps periods apart", async () => {
      const ledger = make({});
      const nov = budget(1000, { periodKey: "2026-11" });
      const dec = { ...nov, periodKey: "2026-12" };
      await ledger.settle(
        held(await ledger.reserve({ tenant, budgets: [nov], maxCostMicros: 1000, nowMs: T0 })),
        1000,
        T0,
      );
      expect((await ledger.reserve({ tenant, budgets: [nov], maxCostMicros: 1, nowMs: T0 })).ok).toBe(false);
      expect((await ledger.reserve({ tenant, budgets: [dec], maxCostMicros: 1000, nowMs: T0 })).ok).toBe(
        true,
      );
    });

    it("gives back a hold that was never settled once it expires, and only once", async () => {
      const ledger = make({ holdTtlMs: 5000 });
      const b = budget(1000);
      const lost = held(await ledger.reserve({ tenant, budgets: [b], maxCostMicros: 800, nowMs: T0 }));
      expect((await ledger.reserve({ tenant, budgets: [b], maxCostMicros: 300, nowMs: T0 + 4999 })).ok).toBe(
        false,
      );
      const r = held(await ledger.reserve({ tenant, budgets: [b], maxCostMicros: 300, nowMs: T0 + 5000 }));
      expect(await ledger.usage({ tenant, budgets: [b] })).toMatchObject([
        { spentMicros: 0, reservedMicros: 300 },
      ]);
      await ledger.settle(lost, 200, T0 + 6000);
      expect(await ledger.usage({ tenant, budgets: [b] })).toMatchObject([
        { spentMicros: 200, reservedMicros: 300 },
      ]);
      await ledger.release(r, T0 + 6000);
      expect(await ledger.usage({ tenant, budgets: [b] })).toMatchObject([
        { spentMicros: 200, reservedMicros: 0 },
      ]);
    });

    it("accepts an empty budget list and reports unknown budgets as unspent", async () => {
      const ledger = make({});
      const o = await ledger.reserve({ tenant, budgets: [], maxCostMicros: 5, nowMs: T0 });
      expect(o.ok && o.usage).toEqual([]);
      if (o.ok) expect(await ledger.settle(o.reservation, 5, T0)).toEqual([]);
      const b = budget(1000);
      expect(await ledger.usage({ tenant, budgets: [b] })).toEqual([
        { id: b.id, periodKey: "2027-01", limitMicros: 1000, spentMicros: 0, reservedMicros: 0 },
      ]);
    });

    it("rejects money that is not a non-negative integer of micro-dollars", async () => {
      const ledger = make({});
      const b = budget(1000);
      await expect(ledger.reserve({ tenant, budgets: [b], maxCostMicros: 1.5 })).rejects.toThrow(RangeError);
      await expect(ledger.reserve({ tenant, budgets: [b], maxCostMicros: -1 })).rejects.toThrow(RangeError);
      const r = held(await ledger.reserve({ tenant, budgets: [b], maxCostMicros: 10 }));
      await expect(ledger.settle(r, Number.NaN)).rejects.toThrow(RangeError);
      expect(await ledger.settle(r, 10)).toEqual([]);
    });
  });
};
