import { randomUUID } from "node:crypto";
import { createServer, type Server, type Socket } from "node:net";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectTestRedis, deleteRedisPrefix, testRedisPrefix } from "../../test/helpers/redis.js";
import type { BudgetSpec } from "../domain/budgets.js";
import type { LimitSpec } from "../domain/rate-limits.js";
import {
  createRedisLimits,
  LIMITS_REDIS_OPTIONS,
  type LimitsLogger,
  type RedisFailurePolicy,
} from "./index.js";

const listen = (server: Server): Promise<number> =>
  new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const addr = server.address();
      resolve(typeof addr === "object" && addr !== null ? addr.port : 0);
    });
  });

const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve) => server.close(() => resolve()));

/** A port nothing listens on: bind one, then let it go. */
const closedPort = async (): Promise<number> => {
  const s = createServer();
  const port = await listen(s);
  await closeServer(s);
  return port;
};

interface LogLine {
  level: "error" | "info";
  obj: Record<string, unknown>;
  msg: string;
}

const recorder = (): LimitsLogger & { lines: LogLine[] } => {
  const lines: LogLine[] = [];
  return {
    lines,
    error: (obj, msg) => lines.push({ level: "error", obj, msg }),
    info: (obj, msg) => lines.push({ level: "info", obj, msg }),
  };
};

const rpm = (capacity: number): LimitSpec => ({
  id: `proj_${randomUUID()}:rpm`,
  dimension: "requests",
  window: "minute",
  capacity,
  scope: { kind: "project", id: "proj_f" },
});

const budget = (limitMicros: number): BudgetSpec => ({
  id: `proj_${randomUUID()}`,
  scope: { kind: "project", id: "proj_f" },
  limitMicros,
  periodKey: "2027-01",
});

const clients: Redis[] = [];
const deadClient = (port: number): Redis => {
  const r = new Redis({
    ...LIMITS_REDIS_OPTIONS,
    host: "127.0.0.1",
    port,
    commandTimeout: 200,
    retryStrategy: () => 100,
  });
  r.on("error", () => {});
  clients.push(r);
  return r;
};

const make = (
  redis: Redis,
  policy: RedisFailurePolicy,
  extra: { timeoutMs?: number; retryAfterMs?: number } = {},
) => {
  const logger = recorder();
  return { logger, ...createRedisLimits(redis, { policy, logger, prefix: "test:failover:", ...extra }) };
};

const tenant = "org-failover";

describe("Redis failure policy", () => {
  let port = 0;
  let hanging: Server;
  let hangingPort = 0;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    port = await closedPort();
    // Accepts connections and never answers: a Redis that hangs rather than refuses.
    hanging = createServer((socket) => {
      sockets.push(socket);
      socket.on("data", () => {});
    });
    hangingPort = await listen(hanging);
  });

  afterAll(async () => {
    for (const c of clients) c.disconnect();
    for (const s of sockets) s.destroy();
    await closeServer(hanging);
  });

  it("fails closed by refusing reservations and budget holds as unavailable, logging the outage", async () => {
    const { limiter, ledger, logger, health } = make(deadClient(port), "closed");
    const o = await limiter.reserve({ tenant, limits: [rpm(10)], tokens: 0 });
    expect(o).toMatchObject({ ok: false, reason: "unavailable" });
    expect(o.ok === false && o.reason === "unavailable" && o.message).toMatch(/temporarily unavailable/);
    expect(await ledger.reserve({ tenant, budgets: [budget(1000)], maxCostMicros: 10 })).toMatchObject({
      ok: false,
      reason: "unavailable",
    });
    expect(await limiter.peek({ tenant, limits: [rpm(10)] })).toEqual([]);
    expect(health.healthy).toBe(false);
    const errors = logger.lines.filter((l) => l.level === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]?.msg).toMatch(/failing closed/);
    expect(errors[0]?.obj).toMatchObject({ component: "limits", policy: "closed" });
    expect(String(errors[0]?.obj.err)).toMatch(/max retries|did not answer|ECONNREFUSED/);
  });

  it("fails open to a per-instance memory limiter and ledger that still enforce limits", async () => {
    const { limiter, ledger, logger } = make(deadClient(port), "open");
    const spec = rpm(2);
    const a = await limiter.reserve({ tenant, limits: [spec], tokens: 0 });
    expect(a.ok).toBe(true);
    expect((await limiter.reserve({ tenant, limits: [spec], tokens: 0 })).ok).toBe(true);
    expect(await limiter.reserve({ tenant, limits: [spec], tokens: 0 })).toMatchObject({
      ok: false,
      reason: "limited",
    });
    if (a.ok) await limiter.release(a.reservation);
    expect((await limiter.peek({ tenant, limits: [spec] }))[0]?.remaining).toBe(1);

    const b = budget(100);
    const held = await ledger.reserve({ tenant, budgets: [b], maxCostMicros: 60 });
    expect(held.ok).toBe(true);
    expect(await ledger.reserve({ tenant, budgets: [b], maxCostMicros: 60 })).toMatchObject({
      ok: false,
      reason: "over_budget",
    });
    if (held.ok) expect((await ledger.settle(held.reservation, 60)).map((x) => x.percent)).toEqual([50]);
    expect(await ledger.usage({ tenant, budgets: [b] })).toMatchObject([
      { spentMicros: 60, reservedMicros: 0 },
    ]);
    expect(logger.lines.filter((l) => l.level === "error")[0]?.msg).toMatch(/failing open/);
  });

  it("times out a Redis that accepts connections but never answers", async () => {
    const { limiter } = make(deadClient(hangingPort), "closed", { timeoutMs: 100 });
    const started = Date.now();
    expect(await limiter.reserve({ tenant, limits: [rpm(10)], tokens: 0 })).toMatchObject({
      reason: "unavailable",
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("skips Redis while it is known down, then logs the recovery once it answers", async () => {
    let now = 1_000;
    const redis = connectTestRedis();
    clients.push(redis);
    const prefix = testRedisPrefix("failover");
    const logger = recorder();
    const { limiter, health } = createRedisLimits(redis, {
      policy: "closed",
      logger,
      prefix,
      retryAfterMs: 1000,
      now: () => now,
    });
    const spec = rpm(5);
    redis.disconnect();
    expect(await limiter.reserve({ tenant, limits: [spec], tokens: 0 })).toMatchObject({
      reason: "unavailable",
    });
    await redis.connect();
    // Redis is back, but within retryAfterMs the breaker still answers without asking it.
    expect(await limiter.reserve({ tenant, limits: [spec], tokens: 0 })).toMatchObject({
      reason: "unavailable",
    });
    now += 1000;
    expect((await limiter.reserve({ tenant, limits: [spec], tokens: 0 })).ok).toBe(true);
    expect(health.healthy).toBe(true);
    expect(logger.lines.map((l) => l.level)).toEqual(["error", "info"]);
    await deleteRedisPrefix(redis, prefix);
  });

  it("answers null from the joint reserve while Redis is down, and the parts then follow the policy", async () => {
    const open = make(deadClient(port), "open");
    const rate = { tenant, limits: [rpm(1)], tokens: 0 };
    const spend = { tenant, budgets: [budget(100)], maxCostMicros: 10 };
    expect(await open.joint.reserve(rate, spend)).toBeNull();
    // The breaker is open now: the separate reserves go to memory at once.
    expect((await open.limiter.reserve(rate)).ok).toBe(true);
    expect((await open.ledger.reserve(spend)).ok).toBe(true);
    const closed = make(deadClient(port), "closed");
    expect(await closed.joint.reserve(rate, spend)).toBeNull();
    expect(await closed.limiter.reserve(rate)).toMatchObject({ ok: false, reason: "unavailable" });
  });

  it("lets invalid arguments through as errors instead of treating them as an outage", async () => {
    const { ledger, health } = make(deadClient(port), "closed");
    await expect(ledger.reserve({ tenant, budgets: [budget(10)], maxCostMicros: -5 })).rejects.toThrow(
      RangeError,
    );
    expect(health.healthy).toBe(true);
  });
});
