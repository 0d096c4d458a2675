import { describe, expect, it } from "vitest";
import type { AuditEventRecord } from "../records.js";
import { auditEvent, collect, type GetStore, org, rateLimit, T0, uid, usageEvent } from "./fixtures.js";

export function eventsContract(store: GetStore): void {
  describe("audit", () => {
    const actorKey = (id: string, userId?: string): AuditEventRecord["actor"] => ({
      type: "api_key",
      apiKey: { id, type: "user", ...(userId ? { user: { id: userId, email: "a@example.com" } } : {}) },
      ipAddress: null,
      userAgent: "ua",
    });

    async function seed() {
      const orgId = org().id;
      const evs: AuditEventRecord[] = [
        auditEvent(orgId, {
          effectiveAt: T0 + 1,
          type: "project.created",
          projectId: "p1",
          resourceId: "p1",
        }),
        auditEvent(orgId, {
          effectiveAt: T0 + 2,
          type: "api_key.created",
          actor: actorKey("key_a", "user_a"),
        }),
        auditEvent(orgId, {
          effectiveAt: T0 + 3,
          type: "api_key.deleted",
          actor: actorKey("key_b"),
          projectId: "p2",
        }),
        auditEvent(orgId, {
          effectiveAt: T0 + 4,
          type: "project.updated",
          projectId: "p1",
          projectName: "P1",
        }),
        auditEvent(orgId, {
          effectiveAt: T0 + 5,
          type: "user.added",
          resourceId: "user_z",
          details: { a: { b: 1 } },
        }),
      ];
      for (const e of evs) await store().audit.insert(e);
      await store().audit.insert(auditEvent(org().id, { effectiveAt: T0 + 3 }));
      const ids = (...i: number[]) => i.map((n) => evs[n]?.id);
      return { orgId, evs, ids };
    }

    it("round-trips events and isolates orgs", async () => {
      const { orgId, evs } = await seed();
      const page = await store().audit.list(orgId, {}, { limit: 10 });
      expect(page).toEqual({ data: evs, hasMore: false });
      expect(await store().audit.list("org_other", {}, { limit: 10 })).toEqual({ data: [], hasMore: false });
    });

    it("filters by effective_at bounds", async () => {
      const { orgId, ids } = await seed();
      const list = async (
        effectiveAt: NonNullable<Parameters<ReturnType<GetStore>["audit"]["list"]>[1]["effectiveAt"]>,
      ) => (await store().audit.list(orgId, { effectiveAt }, { limit: 10 })).data.map((e) => e.id);
      expect(await list({ gt: T0 + 3 })).toEqual(ids(3, 4));
      expect(await list({ gte: T0 + 3 })).toEqual(ids(2, 3, 4));
      expect(await list({ lt: T0 + 3 })).toEqual(ids(0, 1));
      expect(await list({ lte: T0 + 3 })).toEqual(ids(0, 1, 2));
      expect(await list({ gt: T0 + 1, lte: T0 + 4 })).toEqual(ids(1, 2, 3));
    });

    it("filters by event types, projects, actors and resources", async () => {
      const { orgId, ids } = await seed();
      const list = async (f: Parameters<ReturnType<GetStore>["audit"]["list"]>[1]) =>
        (await store().audit.list(orgId, f, { limit: 10 })).data.map((e) => e.id);
      expect(await list({ eventTypes: ["api_key.created", "api_key.deleted"] })).toEqual(ids(1, 2));
      expect(await list({ projectIds: ["p1"] })).toEqual(ids(0, 3));
      expect(await list({ actorIds: ["key_b"] })).toEqual(ids(2));
      expect(await list({ actorIds: ["user_a"] })).toEqual(ids(1));
      expect(await list({ actorIds: ["user_x"] })).toEqual(ids(0, 3, 4));
      expect(await list({ resourceIds: ["user_z", "p1"] })).toEqual(ids(0, 4));
      expect(await list({ projectIds: ["p1"], eventTypes: ["project.updated"] })).toEqual(ids(3));
      expect(await list({ projectIds: [] })).toEqual([]);
    });

    it("pages with after and before, in both orders", async () => {
      const { orgId, ids } = await seed();
      const asc = await collect((after) => store().audit.list(orgId, {}, { limit: 2, after }));
      expect(asc).toEqual({ ids: ids(0, 1, 2, 3, 4), pages: 3 });
      const desc = await collect((after) =>
        store().audit.list(orgId, {}, { limit: 2, after, order: "desc" }),
      );
      expect(desc).toEqual({ ids: ids(4, 3, 2, 1, 0), pages: 3 });
      const filtered = await collect((after) =>
        store().audit.list(orgId, { effectiveAt: { gte: T0 + 2 } }, { limit: 1, after, order: "desc" }),
      );
      expect(filtered).toEqual({ ids: ids(4, 3, 2, 1), pages: 4 });

      // `before` returns the page just ahead of the cursor in list order.
      const [e1, e3] = ids(1, 3);
      const beforeDesc = await store().audit.list(orgId, {}, { limit: 2, before: e1, order: "desc" });
      expect(beforeDesc.data.map((e) => e.id)).toEqual(ids(3, 2));
      expect(beforeDesc.hasMore).toBe(true);
      const beforeAsc = await store().audit.list(orgId, {}, { limit: 5, before: e3 });
      expect(beforeAsc).toMatchObject({ hasMore: false });
      expect(beforeAsc.data.map((e) => e.id)).toEqual(ids(0, 1, 2));
    });
  });

  describe("usage", () => {
    it("inserts idempotently and lists a time range oldest first", async () => {
      const orgId = org().id;
      const evs = [2, 0, 1, 3].map((i) =>
        usageEvent(orgId, { createdAtMs: T0 * 1000 + i, estimated: i === 1, costMicros: 2 ** 40 + i }),
      );
      expect(await store().usage.insertMany(evs)).toBe(4);
      expect(await store().usage.insertMany(evs)).toBe(0);
      const extra = usageEvent(orgId, { createdAtMs: T0 * 1000 + 4 });
      expect(await store().usage.insertMany([evs[0] ?? extra, extra, extra])).toBe(1);
      expect(await store().usage.insertMany([])).toBe(0);
      const range = await store().usage.listRange(orgId, T0 * 1000 + 1, T0 * 1000 + 4);
      expect(range).toEqual([evs[2], evs[0], evs[3]]);
      expect(await store().usage.listRange(orgId, 0, Number.MAX_SAFE_INTEGER)).toHaveLength(5);
      expect(await store().usage.listRange("org_other", 0, Number.MAX_SAFE_INTEGER)).toEqual([]);
    });

    it("inserts batches larger than one statement chunk", async () => {
      const orgId = org().id;
      const evs = Array.from({ length: 1203 }, (_, i) => usageEvent(orgId, { createdAtMs: i }));
      expect(await store().usage.insertMany(evs.slice(0, 700))).toBe(700);
      expect(await store().usage.insertMany(evs)).toBe(503);
      expect(await store().usage.listRange(orgId, 0, 2000)).toHaveLength(1203);
    });
  });

  describe("rateLimits", () => {
    it("ensure creates missing records only; get, update, list", async () => {
      const p = uid("proj");
      const models = ["m1", "m2", "m3", "m4", "m5"];
      const first = models.slice(0, 3).map((m) => rateLimit(p, m));
      await store().rateLimits.ensure(first);
      const changed = await store().rateLimits.update(p, first[0]?.id ?? "", {
        maxRequestsPer1Minute: 7,
        maxRequestsPer1Day: 70,
      });
      expect(changed).toEqual({ ...first[0], maxRequestsPer1Minute: 7, maxRequestsPer1Day: 70 });
      const again = models.map((m) => rateLimit(p, m));
      await store().rateLimits.ensure(again);
      expect(await store().rateLimits.get(p, first[0]?.id ?? "")).toEqual(changed);
      expect(await store().rateLimits.get(p, again[0]?.id ?? "")).toBeNull();
      expect(await store().rateLimits.get("proj_other", first[0]?.id ?? "")).toBeNull();
      expect(
        await store().rateLimits.update("proj_other", first[0]?.id ?? "", { maxTokensPer1Minute: 1 }),
      ).toBeNull();
      const all = await collect((after) => store().rateLimits.list(p, { limit: 2, after }));
      expect(all).toEqual({ ids: [...first, ...again.slice(3)].map((r) => r.id), pages: 3 });
      await store().rateLimits.ensure([]);
    });
  });

  describe("meta", () => {
    it("gets and overwrites values", async () => {
      const k = uid("meta");
      expect(await store().meta.get(k)).toBeNull();
      await store().meta.set(k, "a");
      await store().meta.set(k, "b");
      expect(await store().meta.get(k)).toBe("b");
    });
  });
}
