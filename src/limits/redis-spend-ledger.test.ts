import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it, vi } from "vitest";
import { connectTestRedis, deleteRedisPrefix, testRedisPrefix } from "../../test/helpers/redis.js";
import type { BudgetSpec } from "../domain/budgets.js";
import { RedisSpendLedger } from "./redis-spend-ledger.js";
import { runSpendLedgerContract } from "./spend-ledger.contract.js";
import type { SpendReservation } from "./spend-ledger.js";

const redis = connectTestRedis();
const prefix = testRedisPrefix("spend-ledger");

afterAll(async () => {
  await deleteRedisPrefix(redis, prefix);
  redis.disconnect();
});

runSpendLedgerContract("redis", (opts) => new RedisSpendLedger(redis, { prefix, ...opts }));

describe("RedisSpendLedger batching", () => {
  it("decides concurrent reserves and settles in shared calls; each alert comes back once", async () => {
    const ledger = new RedisSpendLedger(redis, { prefix });
    const tenant = `org-${randomUUID()}`;
    const b: BudgetSpec = {
      id: `proj_${randomUUID()}`,
      scope: { kind: "project", id: "proj_batch" },
      limitMicros: 1_000_000,
      periodKey: "2027-01",
      periodEndsAtMs: Date.UTC(2027, 1, 1),
      alertPercents: [50, 90],
    };
    const calls = vi.spyOn(redis, "evalsha");
    try {
      const outcomes = await Promise.all(
        Array.from({ length: 40 }, () => ledger.reserve({ tenant, budgets: [b], maxCostMicros: 100_000 })),
      );
      const won = outcomes.flatMap((o) => (o.ok ? [o.reservation] : []));
      expect(won).toHaveLength(10);
      const [kept, dropped] = [won.slice(0, 9), won[9] as SpendReservation];
      const settled = await Promise.all([
        ...kept.map((r) => ledger.settle(r, 100_000)),
        ledger.release(dropped).then(() => []),
      ]);
      expect(
        settled
          .flat()
          .map((a) => a.percent)
          .sort(),
      ).toEqual([50, 90]);
      expect(calls.mock.calls.length).toBeLessThan(12);
    } finally {
      calls.mockRestore();
    }
    const [u] = await ledger.usage({ tenant, budgets: [b] });
    expect(u).toMatchObject({ spentMicros: 900_000, reservedMicros: 0 });
  });
});
