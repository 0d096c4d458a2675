import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it, vi } from "vitest";
import { connectTestRedis, deleteRedisPrefix, testRedisPrefix } from "../../test/helpers/redis.js";
import type { LimitSpec } from "../domain/rate-limits.js";
import { runRateLimiterContract } from "./rate-limiter.contract.js";
import { RedisRateLimiter } from "./redis-rate-limiter.js";

const redis = connectTestRedis();
const prefix = testRedisPrefix("rate-limiter");

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
      });
      if (!o.ok) throw new Error("expected a reservation");
      held.push(o.reservation);
    }
    const calls = vi.spyOn(redis, "evalsha");
    try {
      await Promise.all(held.map((r, i) => l.settle(r, i * 10)));
      expect(calls).toHaveBeenCalledTimes(2);
    } finally {
      calls.mockRestore();
    }
    // Org 0 settled 0, 20, 40 of 300 reserved; org 1 settled 10, 30, 50.
    const left = await Promise.all(
      orgs.map((tenant, i) => l.peek({ tenant, limits: [limits[i] as LimitSpec] })),
    );
    expect(left.map(([s]) => s?.remaining)).toEqual([940, 910]);
  });
});
