import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it, vi } from "vitest";
import { connectTestRedis, deleteRedisPrefix, testRedisPrefix } from "../../test/helpers/redis.js";
import type { BudgetSpec } from "../domain/budgets.js";
import type { ConcurrencySpec, LimitSpec } from "../domain/rate-limits.js";
import { RedisJointReserver } from "./redis-joint.js";
import { RedisRateLimiter } from "./redis-rate-limiter.js";
import { RedisSpendLedger } from "./redis-spend-ledger.js";

const redis = connectTestRedis();
const prefix = testRedisPrefix("joint");
const nowMs = 1_800_000_000_000;

afterAll(async () => {
  await deleteRedisPrefix(redis, prefix);
  redis.disconnect();
});

const setup = () => {
  const limiter = new RedisRateLimiter(redis, { prefix });
  const ledger = new RedisSpendLedger(redis, { prefix });
  const joint = new RedisJointReserver(redis, limiter, ledger);
  const tenant = `org-${randomUUID()}`;
  const rpm = (capacity: number): LimitSpec => ({
    id: `key_${randomUUID()}:requests:minute`,
    dimension: "requests",
    window: "minute",
    capacity,
    scope: { kind: "key", id: "key_joint" },
  });
  const tpm = (capacity: number): LimitSpec => ({
    ...rpm(capacity),
    id: `key_${randomUUID()}:tokens:minute`,
    dimension: "tokens",
  });
  const budget = (limitMicros: number): BudgetSpec => ({
    id: `proj_${randomUUID()}`,
    scope: { kind: "project", id: "proj_joint" },
    limitMicros,
    periodKey: "2027-01",
    periodEndsAtMs: Date.UTC(2027, 1, 1),
  });
  return { limiter, ledger, joint, tenant, rpm, tpm, budget };
};

describe("RedisJointReserver", () => {
  it("takes rate limits and budgets in one script call, settled through the limiter and ledger", async () => {
    const { limiter, ledger, joint, tenant, rpm, tpm, budget } = setup();
    const limits = [rpm(10), tpm(1000)];
    const budgets = [budget(1_000_000)];
    const calls = vi.spyOn(redis, "evalsha");
    let o: Awaited<ReturnType<RedisJointReserver["reserve"]>>;
    try {
      o = await joint.reserve(
        { tenant, limits, tokens: 300, nowMs },
        { tenant, budgets, maxCostMicros: 250_000, nowMs },
      );
      expect(calls).toHaveBeenCalledTimes(1);
    } finally {
      calls.mockRestore();
    }
    if (!o.rate.ok || !o.spend?.ok) throw new Error("expected both held");
    // The snapshot is after this request, as the headers it answers with must be.
    expect(o.rate.snapshot.map((s) => s.remaining)).toEqual([9, 700]);
    expect(o.spend.usage[0]).toMatchObject({ spentMicros: 0, reservedMicros: 250_000 });
    await limiter.settle(o.rate.reservation, 100, nowMs);
    await ledger.settle(o.spend.reservation, 40_000);
    expect((await limiter.peek({ tenant, limits, nowMs })).map((s) => s.remaining)).toEqual([9, 900]);
    expect((await ledger.usage({ tenant, budgets }))[0]).toMatchObject({
      spentMicros: 40_000,
      reservedMicros: 0,
    });
  });

  it("a rate refusal leaves the budgets untouched and unjudged", async () => {
    const { ledger, joint, tenant, rpm, budget } = setup();
    const limits = [rpm(1)];
    const budgets = [budget(1_000_000)];
    const first = await joint.reserve(
      { tenant, limits, tokens: 1, nowMs },
      { tenant, budgets, maxCostMicros: 100, nowMs },
    );
    expect(first.spend?.ok).toBe(true);
    const second = await joint.reserve(
      { tenant, limits, tokens: 1, nowMs },
      { tenant, budgets, maxCostMicros: 100, nowMs },
    );
    expect(second.rate).toMatchObject({ ok: false, reason: "limited" });
    expect(second.spend).toBeNull();
    expect((await ledger.usage({ tenant, budgets }))[0]).toMatchObject({ reservedMicros: 100 });
  });

  it("a budget refusal takes nothing of the rate limits or concurrency slots", async () => {
    const { limiter, joint, tenant, rpm, tpm, budget } = setup();
    const limits = [rpm(10), tpm(1000)];
    const slot: ConcurrencySpec = {
      id: `key_${randomUUID()}:concurrency`,
      max: 1,
      scope: { kind: "key", id: "k" },
    };
    const o = await joint.reserve(
      { tenant, limits, tokens: 300, concurrency: [slot], nowMs },
      { tenant, budgets: [budget(1_000)], maxCostMicros: 5_000, nowMs },
    );
    expect(o.spend).toMatchObject({ ok: false, reason: "over_budget" });
    if (!o.rate.ok) throw new Error("the rate part fitted");
    expect(o.rate.reservation.open).toBe(false);
    expect((await limiter.peek({ tenant, limits, nowMs })).map((s) => s.remaining)).toEqual([10, 1000]);
    // The one concurrency slot is still free.
    const again = await limiter.reserve({ tenant, limits, tokens: 1, concurrency: [slot], nowMs });
    expect(again.ok).toBe(true);
  });

  it("concurrent requests share calls; only those both admit consume either", async () => {
    const { limiter, ledger, joint, tenant, rpm, budget } = setup();
    const limits = [rpm(25)];
    const budgets = [budget(1_000_000)];
    const calls = vi.spyOn(redis, "evalsha");
    let outcomes: Awaited<ReturnType<RedisJointReserver["reserve"]>>[];
    try {
      outcomes = await Promise.all(
        Array.from({ length: 40 }, () =>
          joint.reserve(
            { tenant, limits, tokens: 1, nowMs },
            { tenant, budgets, maxCostMicros: 100_000, nowMs },
          ),
        ),
      );
      expect(calls.mock.calls.length).toBeLessThan(10);
    } finally {
      calls.mockRestore();
    }
    // The budget admits 10; taken one after the other, the 30 it refused would have held (and
    // then refused others) 25 requests per minute.
    expect(outcomes.filter((o) => o.rate.ok && o.spend?.ok)).toHaveLength(10);
    expect(outcomes.filter((o) => !o.rate.ok)).toHaveLength(0);
    expect((await limiter.peek({ tenant, limits, nowMs }))[0]?.remaining).toBe(15);
    expect((await ledger.usage({ tenant, budgets }))[0]).toMatchObject({ reservedMicros: 1_000_000 });
  });

  it("refuses a pair of inputs from two organizations", async () => {
    const { joint, tenant, rpm, budget } = setup();
    await expect(
      joint.reserve(
        { tenant, limits: [rpm(1)], tokens: 1 },
        { tenant: "org-other", budgets: [budget(1)], maxCostMicros: 0 },
      ),
    ).rejects.toThrow(RangeError);
  });
});
