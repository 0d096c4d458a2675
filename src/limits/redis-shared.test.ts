import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { connectTestRedis, deleteRedisPrefix, testRedisPrefix } from "../../test/helpers/redis.js";
import type { BudgetSpec } from "../domain/budgets.js";
import type { LimitSpec } from "../domain/rate-limits.js";
import { LuaScript } from "./lua-script.js";
import { RedisRateLimiter } from "./redis-rate-limiter.js";
import { RedisSpendLedger } from "./redis-spend-ledger.js";

/** What only a shared store must show: several instances on separate connections agree. */
const prefix = testRedisPrefix("shared");
const admin = connectTestRedis();
const connections: Redis[] = Array.from({ length: 5 }, () => connectTestRedis());

afterAll(async () => {
  await deleteRedisPrefix(admin, prefix);
  for (const c of [admin, ...connections]) c.disconnect();
});

const limiters = connections.map((c) => new RedisRateLimiter(c, { prefix }));
const ledgers = connections.map((c) => new RedisSpendLedger(c, { prefix }));
const pick = <T>(xs: readonly T[], i: number): T => xs[i % xs.length] as T;

const spec = (capacity: number, extra: Partial<LimitSpec> = {}): LimitSpec => ({
  id: `proj_${randomUUID()}:gpt-4o:rpd`,
  dimension: "requests",
  window: "day",
  capacity,
  scope: { kind: "project", id: "proj_s" },
  ...extra,
});

const keysOf = (tenant: string) => admin.keys(`${prefix}{${tenant}}:*`);

describe("Redis limits across instances", () => {
  it("five instances on separate connections admit exactly the capacity, by Redis time", async () => {
    const tenant = `org-${randomUUID()}`;
    const limit = spec(37);
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        pick(limiters, i).reserve({ tenant, limits: [limit], tokens: 0 }),
      ),
    );
    expect(outcomes.filter((o) => o.ok)).toHaveLength(37);
    const snapshots = await Promise.all(limiters.map((l) => l.peek({ tenant, limits: [limit] })));
    for (const [s] of snapshots) expect(s?.remaining).toBe(0);
  });

  it("five instances share one concurrency cap", async () => {
    const tenant = `org-${randomUUID()}`;
    const slot = { id: `key_${randomUUID()}`, max: 3 };
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        pick(limiters, i).reserve({ tenant, limits: [], tokens: 0, concurrency: [slot] }),
      ),
    );
    const admitted = outcomes.flatMap((o) => (o.ok ? [o.reservation] : []));
    expect(admitted).toHaveLength(3);
    // Settled on another instance than the one that reserved: the handle carries all it needs.
    await Promise.all(admitted.map((r, i) => pick(limiters, i + 1).settle(r, 0)));
    expect((await pick(limiters, 4).reserve({ tenant, limits: [], tokens: 0, concurrency: [slot] })).ok).toBe(
      true,
    );
  });

  it("five instances never overshoot a $1 budget, and each alert fires once in total", async () => {
    const tenant = `org-${randomUUID()}`;
    const budget: BudgetSpec = {
      id: `proj_${randomUUID()}`,
      scope: { kind: "project", id: "proj_s" },
      limitMicros: 1_000_000,
      periodKey: "2027-03",
    };
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        pick(ledgers, i).reserve({ tenant, budgets: [budget], maxCostMicros: 100_000 }),
      ),
    );
    const held = outcomes.flatMap((o) => (o.ok ? [o.reservation] : []));
    expect(held).toHaveLength(10);
    const alerts = (await Promise.all(held.map((r, i) => pick(ledgers, i + 2).settle(r, 100_000)))).flat();
    expect(alerts.map((a) => a.percent).sort((a, b) => a - b)).toEqual([50, 90, 100]);
    expect(await pick(ledgers, 3).usage({ tenant, budgets: [budget] })).toMatchObject([
      { spentMicros: 1_000_000, reservedMicros: 0 },
    ]);
  });

  it("tags every key of a decision with the tenant, and lets keys expire", async () => {
    const tenant = `org-${randomUUID()}`;
    const limiter = pick(limiters, 0);
    const rpm = spec(10, { window: "minute", scope: { kind: "project", id: "proj_s" } });
    const keyRpd = spec(100, { scope: { kind: "key", id: "key_s" } });
    const o = await limiter.reserve({
      tenant,
      limits: [rpm, keyRpd],
      tokens: 0,
      concurrency: [{ id: "key_s", max: 2 }],
    });
    expect(o.ok).toBe(true);
    const keys = await keysOf(tenant);
    expect(keys.sort()).toEqual(
      [
        `${prefix}{${tenant}}:cc:key_s`,
        `${prefix}{${tenant}}:rl:${keyRpd.id}`,
        `${prefix}{${tenant}}:rl:${rpm.id}`,
      ].sort(),
    );
    const rpmTtl = await admin.pttl(`${prefix}{${tenant}}:rl:${rpm.id}`);
    expect(rpmTtl).toBeGreaterThan(5000);
    expect(rpmTtl).toBeLessThanOrEqual(7000);
    if (o.ok) await limiter.release(o.reservation);
    // Full buckets and empty slot sets are not stored at all.
    expect(await keysOf(tenant)).toEqual([]);

    const ends = Date.UTC(2027, 4, 1);
    const ledger = new RedisSpendLedger(admin, { prefix, retentionMs: 1000 });
    const budget: BudgetSpec = {
      id: "b1",
      scope: { kind: "key", id: "key_s" },
      limitMicros: 10,
      periodKey: "2027-04",
      periodEndsAtMs: ends,
    };
    const r = await ledger.reserve({ tenant, budgets: [budget], maxCostMicros: 5 });
    if (r.ok) await ledger.settle(r.reservation, 5);
    expect(await admin.pexpiretime(`${prefix}{${tenant}}:sb:b1:2027-04`)).toBe(ends + 1000);
  });

  it("runs a script Redis has never seen by falling back from EVALSHA to EVAL once", async () => {
    const script = new LuaScript(`return {'${randomUUID()}', KEYS[1], ARGV[1]}`);
    expect(await admin.script("EXISTS", script.sha)).toEqual([0]);
    expect((await script.run(admin, [`${prefix}k`], ["v"])).slice(1)).toEqual([`${prefix}k`, "v"]);
    expect(await admin.script("EXISTS", script.sha)).toEqual([1]);
    expect((await script.run(admin, [`${prefix}k`], ["w"])).slice(1)).toEqual([`${prefix}k`, "w"]);
  });
});
