import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/schema.js";
import { connectTestRedis, deleteRedisPrefix, TEST_REDIS_URL, testRedisPrefix } from "../helpers/redis.js";
import { call, startServer, type TestServer } from "../helpers/server.js";

const DOLLAR = 1_000_000;

describe.each(["memory", "redis"] as const)("GET /v1/me (%s backend)", (backend) => {
  let s: TestServer;
  let keyValue: string;
  let keyId: string;
  const prefix = testRedisPrefix("me");
  const admin = (method: string, path: string, body?: unknown) =>
    call(s.url, method, path, { key: s.adminKey, ...(body !== undefined ? { body } : {}) });
  const me = (query = "") => call(s.url, "GET", `/v1/me${query}`, { key: keyValue });

  beforeAll(async () => {
    s = await startServer({
      config: {
        models: ["gpt-4o", "gpt-4o-mini", "text-embedding-3-small"],
        ...(backend === "redis" ? { redisUrl: TEST_REDIS_URL } : {}),
        limits: configSchema.shape.limits.parse({ redisPrefix: prefix }),
      },
    });
    const k = await admin("POST", `/v1/organization/projects/${s.projectId}/api_keys`, {
      name: "agent",
      models: ["gpt-4o*"],
      limits: { rpm: 20, tpm: 4000, max_concurrent: 2 },
      budget_usd: 5,
    });
    keyValue = k.body.value;
    keyId = k.body.id;
    await admin("POST", `/v1/organization/projects/${s.projectId}/spend_limit`, {
      threshold_amount: 5000,
      currency: "USD",
      interval: "month",
    });
  });
  afterAll(async () => {
    await s.close();
    if (backend === "redis") {
      const redis = connectTestRedis();
      await deleteRedisPrefix(redis, prefix);
      redis.disconnect();
    }
  });

  it("reports the key's binding limits per allowed model, its concurrency cap and budgets, untouched", async () => {
    expect(s.kp.limits.runtime.backend).toBe(backend);
    const r = await me();
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      object: "keyplane.me",
      api_key_id: keyId,
      organization_id: s.orgId,
      project_id: s.projectId,
      max_concurrent: 2,
    });
    expect(r.body.models.map((m: { model: string }) => m.model)).toEqual(["gpt-4o", "gpt-4o-mini"]);
    expect(r.body.models[0]).toEqual({
      model: "gpt-4o",
      requests_per_minute: { limit: 20, remaining: 20, reset_ms: 0, scope: "key" },
      tokens_per_minute: { limit: 4000, remaining: 4000, reset_ms: 0, scope: "key" },
      requests_per_day: null,
      tokens_per_day: null,
    });
    expect(r.body.budgets.map((b: { scope: string; limit_usd: number }) => [b.scope, b.limit_usd])).toEqual([
      ["key", 5],
      ["project", 50],
    ]);
    expect(r.body.budgets[0]).toMatchObject({ spent_usd: 0, reserved_usd: 0, remaining_usd: 5 });
    const now = Math.floor(Date.now() / 1000);
    expect(r.body.budgets[0].period.starts_at).toBeLessThanOrEqual(now);
    expect(r.body.budgets[0].period.ends_at).toBeGreaterThan(now);
  });

  it("counts down after reservations and settled spend, as the gateway makes them", async () => {
    const { limiter, ledger } = s.kp.limits.runtime;
    const v = await s.kp.verifier.verify(`Bearer ${keyValue}`);
    if (!v.ok) throw v.error;
    const limits = await s.kp.limits.resolver.resolveRequestLimits({
      orgId: s.orgId,
      projectId: s.projectId,
      key: v.value.key,
      model: "gpt-4o",
      nowMs: Date.now(),
    });
    for (let i = 0; i < 3; i++) {
      const r = await limiter.reserve({ tenant: s.orgId, limits: limits.limits, tokens: 1000 });
      expect(r.ok).toBe(true);
    }
    const spend = await ledger.reserve({ tenant: s.orgId, budgets: limits.budgets, maxCostMicros: DOLLAR });
    if (!spend.ok) throw new Error("budget refused");
    await ledger.settle(spend.reservation, DOLLAR / 4);
    const held = await ledger.reserve({
      tenant: s.orgId,
      budgets: limits.budgets,
      maxCostMicros: DOLLAR / 2,
    });
    expect(held.ok).toBe(true);

    const r = await me("?model=gpt-4o");
    expect(r.body.models).toHaveLength(1);
    const m = r.body.models[0];
    expect(m.requests_per_minute).toMatchObject({ limit: 20, remaining: 17, scope: "key" });
    expect(m.requests_per_minute.reset_ms).toBeGreaterThan(8000);
    // Tokens refill at 4000/min while the test runs: 1000 left, plus at most a few seconds' refill.
    expect(m.tokens_per_minute.remaining).toBeGreaterThanOrEqual(1000);
    expect(m.tokens_per_minute.remaining).toBeLessThan(1300);
    expect(r.body.budgets[0]).toMatchObject({
      scope: "key",
      spent_usd: 0.25,
      reserved_usd: 0.5,
      remaining_usd: 4.25,
    });
    expect(r.body.budgets[1]).toMatchObject({ scope: "project", spent_usd: 0.25, remaining_usd: 49.25 });
    // Another model shares the key buckets but not gpt-4o's organization buckets.
    const mini = await me("?model=gpt-4o-mini");
    expect(mini.body.models[0].requests_per_minute.remaining).toBe(17);
  });

  it("admin keys → 401 Missing scopes; no key → 401; other keys see only their own numbers", async () => {
    const a = await call(s.url, "GET", "/v1/me", { key: s.adminKey });
    expect(a.status).toBe(401);
    expect(a.body.error.message).toContain("Missing scopes");
    expect((await call(s.url, "GET", "/v1/me")).status).toBe(401);
    const other = await admin("POST", `/v1/organization/projects/${s.projectId}/api_keys`, { name: "plain" });
    const r = await call(s.url, "GET", "/v1/me?model=gpt-4o", { key: other.body.value });
    expect(r.status).toBe(200);
    expect(r.body.max_concurrent).toBeNull();
    expect(r.body.models[0].requests_per_minute).toMatchObject({ limit: 10_000, scope: "organization" });
    expect(r.body.budgets.map((b: { scope: string }) => b.scope)).toEqual(["project"]);
  });
});
