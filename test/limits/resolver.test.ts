import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/schema.js";
import { percentOf, UNLIMITED_MICROS } from "../../src/domain/budget-policy.js";
import type { RequestLimits } from "../../src/services/gateway/request-limits.js";
import { LimitsPolicy } from "../../src/services/limits/limits-policy.js";
import { RequestLimitsResolver } from "../../src/services/limits/resolve-request-limits.js";
import { apiKey, org as orgFixture, project as projectFixture } from "../../src/storage/contract/fixtures.js";
import { openStore } from "../../src/storage/open.js";
import type { ApiKeyRecord } from "../../src/storage/records.js";
import type { Store } from "../../src/storage/store.js";
import { freshSqlite } from "../helpers/db.js";

const NOW = Date.UTC(2026, 10, 15, 12);
const DOLLAR = 1_000_000;

/** The resolver's output for combinations of levels, against a real SQLite store. */
describe("resolveRequestLimits", () => {
  let store: Store;
  let clock = NOW;
  const config = configSchema.parse({
    models: ["gpt-4o", "gpt-4o-mini"],
    limits: {
      defaultRpm: 1000,
      defaultTpm: 100_000,
      models: { "gpt-4o": { rpd: 20_000 } },
      policyTtlMs: 5000,
    },
  });
  const db = freshSqlite();
  beforeAll(async () => {
    store = await openStore({ url: db.url, dataDir: db.dataDir });
  });
  afterAll(async () => {
    await store.close();
    db.cleanup();
  });

  const setup = async (key: Partial<ApiKeyRecord> = {}) => {
    const o = orgFixture();
    const p = projectFixture(o.id);
    await store.organizations.insert(o);
    await store.projects.insert(p);
    const policy = new LimitsPolicy({ store, config, now: () => clock });
    const resolver = new RequestLimitsResolver(policy);
    const k = apiKey(o.id, p.id, key);
    const resolve = (model: string, nowMs = NOW, record: ApiKeyRecord = k) =>
      Promise.resolve(
        resolver.resolveRequestLimits({ orgId: o.id, projectId: p.id, key: record, model, nowMs }),
      );
    return { orgId: o.id, projectId: p.id, key: k, policy, resolver, resolve };
  };

  const ids = (r: RequestLimits) => r.limits.map((l) => `${l.id}=${l.capacity}`);

  it("with nothing configured: the organization's per-model buckets only", async () => {
    const { orgId, resolve } = await setup();
    const r = await resolve("gpt-4o");
    expect(ids(r)).toEqual([
      `o:${orgId}:gpt-4o:rpm=1000`,
      `o:${orgId}:gpt-4o:tpm=100000`,
      `o:${orgId}:gpt-4o:rpd=20000`,
    ]);
    expect(r.limits[0]).toMatchObject({
      dimension: "requests",
      window: "minute",
      scope: { kind: "organization", id: orgId },
      model: "gpt-4o",
    });
    expect(r.concurrency).toEqual([]);
    expect(r.budgets).toEqual([]);
    // A dated snapshot shares its family's buckets; an unknown model gets the defaults under its own name.
    expect(ids(await resolve("gpt-4o-2024-08-06"))).toEqual(ids(r));
    expect(ids(await resolve("mystery"))).toEqual([
      `o:${orgId}:mystery:rpm=1000`,
      `o:${orgId}:mystery:tpm=100000`,
    ]);
  });

  it("a project bucket appears only where the project's record is narrower than the organization's", async () => {
    const { orgId, projectId, policy, resolve } = await setup();
    await policy.ensureRateLimits(store, projectId);
    await store.rateLimits.update(projectId, "rl-gpt-4o", {
      maxTokensPer1Minute: 5000,
      maxRequestsPer1Day: 100,
    });
    policy.invalidateProject(projectId);
    const r = await resolve("gpt-4o");
    expect(ids(r)).toEqual([
      `o:${orgId}:gpt-4o:rpm=1000`,
      `o:${orgId}:gpt-4o:tpm=100000`,
      `o:${orgId}:gpt-4o:rpd=20000`,
      `p:${projectId}:gpt-4o:tpm=5000`,
      `p:${projectId}:gpt-4o:rpd=100`,
    ]);
    expect(r.limits[3]?.scope).toEqual({ kind: "project", id: projectId });
    expect(ids(await resolve("gpt-4o-mini"))).toEqual([
      `o:${orgId}:gpt-4o-mini:rpm=1000`,
      `o:${orgId}:gpt-4o-mini:tpm=100000`,
    ]);
  });

  it("key limits, its concurrency cap and its monthly budget with the configured alert percentages", async () => {
    const { orgId, projectId, key, resolve } = await setup({
      limits: { rpm: 20, rpd: 500, tpm: 4000, tpd: 90_000, maxConcurrent: 2 },
      budgetMicros: 5 * DOLLAR,
    });
    const r = await resolve("gpt-4o-mini");
    expect(ids(r).slice(2)).toEqual([
      `k:${key.id}:rpm=20`,
      `k:${key.id}:rpd=500`,
      `k:${key.id}:tpm=4000`,
      `k:${key.id}:tpd=90000`,
    ]);
    expect(r.limits[2]).toMatchObject({
      scope: { kind: "key", id: key.id },
      window: "minute",
      dimension: "requests",
    });
    expect(r.limits[2]?.model).toBeUndefined();
    expect(r.concurrency).toEqual([{ id: `k:${key.id}`, max: 2, scope: { kind: "key", id: key.id } }]);
    expect(r.budgets).toEqual([
      {
        id: `bk:${orgId}:${projectId}:${key.id}:m`,
        scope: { kind: "key", id: key.id },
        limitMicros: 5 * DOLLAR,
        periodKey: "2026-11",
        periodEndsAtMs: Date.UTC(2026, 11, 1),
        alertPercents: [50, 90, 100],
      },
    ]);
  });

  it("budgets of key, project and organization, most specific first, with alerts as percentages", async () => {
    const { orgId, projectId, key, resolve } = await setup({ budgetMicros: DOLLAR });
    const limit = (projectId: string | null, micros: number, interval = { kind: "month" } as const) =>
      store.spendLimits.upsert({
        orgId,
        projectId,
        thresholdMicros: micros,
        interval,
        createdAt: 1,
        updatedAt: 1,
      });
    const alert = (
      projectId: string | null,
      micros: number,
      interval: { kind: "month" } | { kind: "days"; days: number },
    ) =>
      store.spendAlerts.insert({
        id: `alert_${Math.random().toString(36).slice(2)}`,
        orgId,
        projectId,
        thresholdMicros: micros,
        interval,
        channel: { type: "email", recipients: [], subjectPrefix: null },
        webhookUrl: null,
        createdAt: 1,
      });
    await limit(projectId, 50 * DOLLAR);
    await alert(projectId, 25 * DOLLAR, { kind: "month" });
    await alert(projectId, 45 * DOLLAR, { kind: "month" });
    await alert(null, 100 * DOLLAR, { kind: "days", days: 7 });
    const r = await resolve("gpt-4o");
    expect(r.budgets.map((b) => [b.id, b.limitMicros, b.alertPercents])).toEqual([
      [`bk:${orgId}:${projectId}:${key.id}:m`, DOLLAR, [50, 90, 100]],
      [`bp:${orgId}:${projectId}:m`, 50 * DOLLAR, [50, 90]],
      [`bo:${orgId}:d7`, UNLIMITED_MICROS, [percentOf(100 * DOLLAR, UNLIMITED_MICROS)]],
    ]);
    expect(r.budgets[0]?.scope.kind).toBe("key");
    expect(r.budgets[2]?.periodKey).toMatch(/^7d-\d+$/);
  });

  it("returns the very same object while nothing changed; rebuilds on a new key record, invalidation or rollover", async () => {
    const { orgId, projectId, key, policy, resolver, resolve } = await setup({ budgetMicros: DOLLAR });
    const first = await resolve("gpt-4o");
    // A hit is synchronous: no promise, no new arrays.
    expect(resolver.resolveRequestLimits({ orgId, projectId, key, model: "gpt-4o", nowMs: NOW })).toBe(first);
    expect(await resolve("gpt-4o", NOW + 60_000)).toBe(first);

    const changedKey = { ...key, limits: { rpm: 7, rpd: null, tpm: null, tpd: null, maxConcurrent: null } };
    const second = await resolve("gpt-4o", NOW, changedKey);
    expect(second).not.toBe(first);
    expect(second.limits.at(-1)).toMatchObject({ capacity: 7 });

    await policy.ensureRateLimits(store, projectId);
    await store.rateLimits.update(projectId, "rl-gpt-4o", { maxRequestsPer1Minute: 3 });
    policy.invalidateProject(projectId);
    const third = await resolve("gpt-4o", NOW, changedKey);
    expect(third.limits.map((l) => l.capacity)).toContain(3);

    const nextMonth = await resolve("gpt-4o", Date.UTC(2026, 11, 1), changedKey);
    expect(nextMonth.budgets[0]?.periodKey).toBe("2026-12");
  });

  it("another instance's change is picked up after the TTL, serving the cached policy meanwhile", async () => {
    const { orgId, projectId, key, policy, resolve } = await setup();
    await policy.ensureRateLimits(store, projectId);
    const before = await resolve("gpt-4o");
    // A reloaded key record with the same limits (the verifier's TTL) is still a hit.
    expect(await resolve("gpt-4o", NOW, { ...key })).toBe(before);
    // A reload that finds nothing changed keeps every cached result.
    clock = NOW + 5001;
    try {
      expect(await resolve("gpt-4o", clock)).toBe(before);
      await policy.loadProject(orgId, projectId);
      expect(await resolve("gpt-4o", clock)).toBe(before);

      await store.rateLimits.update(projectId, "rl-gpt-4o", { maxRequestsPer1Minute: 9 });
      clock = NOW + 10_002;
      expect(await resolve("gpt-4o", clock)).toBe(before);
      await policy.loadProject(orgId, projectId);
      const after = await resolve("gpt-4o", clock);
      expect(after).not.toBe(before);
      expect(after.limits.map((l) => l.capacity)).toContain(9);
    } finally {
      clock = NOW;
    }
  });
});
