import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it, vi } from "vitest";
import { connectTestRedis, deleteRedisPrefix, testRedisPrefix } from "../../test/helpers/redis.js";
import type { LimitSpec } from "../domain/rate-limits.js";
import { runRateLimiterContract } from "./rate-limiter.contract.js";
import { RedisRateLimiter } from "./redis-rate-limiter.js";

const redis = connectTestRedis();
const prefix = testRedisPrefix("rate-limiter");
/** A fixed clock, so nothing refills between the steps of a test. */
const nowMs = 1_800_000_000_000;

afterAll(async () => {
  await deleteRedisPrefix(redis, prefix);
  redis.disconnect();
});

runRateLimiterContract("redis", (opts) => new RedisRateLimiter(redis, { prefix, ...opts }));

describe("RedisRateLimiter batching", () => {
  it("applies the settles and releases of one turn in one script call per organization", async () => {
    const l = new RedisRateLimiter(redis, { prefix });
    const tpm = (): LimitSpec => ({
      id: `proj_${randomUUID()}:tokens:minute`,
      dimension: "tokens",
      window: "minute",
      capacity: 1000,
      scope: { kind: "project", id: "proj_batch" },
      model: "gpt-4o",
    });
    const orgs = [`org-${randomUUID()}`, `org-${randomUUID()}`];
    const limits = orgs.map(() => tpm());
    const held = [];
    for (let i = 0; i < 6; i++) {
      const o = await l.reserve({
        tenant: orgs[i % 2] as string,
        limits: [limits[i % 2] as LimitSpec],
        tokens: 100,
        nowMs,
      });
      if (!o.ok) throw new Error("expected a reservation");
      held.push(o.reservation);
    }
    const calls = vi.spyOn(redis, "evalsha");
    try {
      await Promise.all(held.map((r, i) => l.settle(r, i * 10, nowMs)));
      expect(calls).toHaveBeenCalledTimes(2);
    } finally {
      calls.mockRestore();
    }
    // Org 0 settled 0, 20, 40 of 300 reserved; org 1 settled 10, 30, 50.
    const left = await Promise.all(
      orgs.map((tenant, i) => l.peek({ tenant, limits: [limits[i] as LimitSpec], nowMs })),
    );
    expect(left.map(([s]) => s?.remaining)).toEqual([940, 910]);
  });

  it("decides concurrent reservations in shared calls, each all or nothing, none over the limit", async () => {
    const l = new RedisRateLimiter(redis, { prefix });
    const tenant = `org-${randomUUID()}`;
    const rpm: LimitSpec = {
      id: `key_${randomUUID()}:requests:minute`,
      dimension: "requests",
      window: "minute",
      capacity: 25,
      scope: { kind: "key", id: "key_batch" },
    };
    const tpm: LimitSpec = {
      ...rpm,
      id: `key_${randomUUID()}:tokens:minute`,
      dimension: "tokens",
      capacity: 1000,
    };
    const calls = vi.spyOn(redis, "evalsha");
    let outcomes: Awaited<ReturnType<RedisRateLimiter["reserve"]>>[];
    try {
      // 40 tokens each: the token bucket admits 25, the request bucket 25 — whichever is first.
      outcomes = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          l.reserve({ tenant, limits: [rpm, tpm], tokens: i < 30 ? 40 : 30, nowMs }),
        ),
      );
      expect(calls.mock.calls.length).toBeLessThan(10);
    } finally {
      calls.mockRestore();
    }
    const admitted = outcomes.filter((o) => o.ok).length;
    expect(admitted).toBe(25);
    const left = await l.peek({ tenant, limits: [rpm, tpm], nowMs });
    expect(left.map((s) => s.remaining)).toEqual([0, 1000 - 25 * 40]);
  });
});
