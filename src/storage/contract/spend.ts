import { describe, expect, it } from "vitest";
import type { SpendAlertRecord } from "../records.js";
import { collect, type GetStore, rateLimit, T0, uid } from "./fixtures.js";

const alert = (
  orgId: string,
  projectId: string | null,
  over: Partial<SpendAlertRecord> = {},
): SpendAlertRecord => ({
  id: uid("alert"),
  orgId,
  projectId,
  thresholdMicros: 5_000_000,
  interval: { kind: "month" },
  channel: { type: "email", recipients: ["a@example.com"], subjectPrefix: null },
  webhookUrl: null,
  createdAt: T0,
  ...over,
});

export function spendContract(store: GetStore): void {
  describe("rateLimits ids per project", () => {
    it("the same id lives in two projects; cursors page within one project, both ways", async () => {
      const [p1, p2] = [uid("proj"), uid("proj")];
      const models = ["a", "b", "c", "d"];
      await store().rateLimits.ensure(models.map((m) => rateLimit(p1, m, { id: `rl-${m}` })));
      await store().rateLimits.ensure(models.map((m) => rateLimit(p2, m, { id: `rl-${m}` })));
      await store().rateLimits.update(p2, "rl-a", { maxRequestsPer1Minute: 1 });
      expect((await store().rateLimits.get(p1, "rl-a"))?.maxRequestsPer1Minute).toBe(100);
      expect((await store().rateLimits.get(p2, "rl-a"))?.maxRequestsPer1Minute).toBe(1);
      const all = await collect((after) => store().rateLimits.list(p2, { limit: 3, after }));
      expect(all).toEqual({ ids: ["rl-a", "rl-b", "rl-c", "rl-d"], pages: 2 });
      const before = await store().rateLimits.list(p1, { limit: 2, before: "rl-d" });
      expect(before.data.map((r) => r.id)).toEqual(["rl-b", "rl-c"]);
      expect(before.hasMore).toBe(true);
    });
  });

  describe("spendLimits", () => {
    it("one limit per scope: upsert creates, replaces (keeping createdAt), delete removes", async () => {
      const orgId = uid("org");
      const projectId = uid("proj");
      expect(await store().spendLimits.get(orgId, null)).toBeNull();
      const orgLimit = await store().spendLimits.upsert({
        orgId,
        projectId: null,
        thresholdMicros: 100_000_000,
        interval: { kind: "month" },
        createdAt: T0,
        updatedAt: T0,
      });
      expect(orgLimit.projectId).toBeNull();
      await store().spendLimits.upsert({
        orgId,
        projectId,
        thresholdMicros: 10_000_000,
        interval: { kind: "days", days: 7 },
        createdAt: T0 + 1,
        updatedAt: T0 + 1,
      });
      const replaced = await store().spendLimits.upsert({
        orgId,
        projectId,
        thresholdMicros: 20_000_000,
        interval: { kind: "days", days: 30 },
        createdAt: T0 + 5,
        updatedAt: T0 + 5,
      });
      expect(replaced).toEqual({
        orgId,
        projectId,
        thresholdMicros: 20_000_000,
        interval: { kind: "days", days: 30 },
        createdAt: T0 + 1,
        updatedAt: T0 + 5,
      });
      expect(await store().spendLimits.get(orgId, projectId)).toEqual(replaced);
      expect(await store().spendLimits.get(orgId, null)).toEqual(orgLimit);
      expect(await store().spendLimits.get(uid("org"), projectId)).toBeNull();
      expect(await store().spendLimits.delete(orgId, projectId)).toBe(true);
      expect(await store().spendLimits.delete(orgId, projectId)).toBe(false);
      expect(await store().spendLimits.get(orgId, null)).toEqual(orgLimit);
    });
  });

  describe("spendAlerts", () => {
    it("scopes organization and project alerts apart; pages both ways; updates and deletes", async () => {
      const orgId = uid("org");
      const projectId = uid("proj");
      const orgAlerts = [1, 2, 3, 4, 5].map((i) => alert(orgId, null, { thresholdMicros: i * 1_000_000 }));
      for (const a of orgAlerts) await store().spendAlerts.insert(a);
      const projAlert = alert(orgId, projectId, {
        interval: { kind: "days", days: 14 },
        webhookUrl: "https://hooks.example.com/x",
      });
      await store().spendAlerts.insert(projAlert);

      expect(await store().spendAlerts.get(orgId, projectId, projAlert.id)).toEqual(projAlert);
      expect(await store().spendAlerts.get(orgId, null, projAlert.id)).toBeNull();
      expect(await store().spendAlerts.get(uid("org"), projectId, projAlert.id)).toBeNull();
      expect(await store().spendAlerts.count(orgId, null)).toBe(5);
      expect((await store().spendAlerts.listAll(orgId, projectId)).map((a) => a.id)).toEqual([projAlert.id]);

      const ids = orgAlerts.map((a) => a.id);
      expect(await collect((after) => store().spendAlerts.list(orgId, null, { limit: 2, after }))).toEqual({
        ids,
        pages: 3,
      });
      const desc = await store().spendAlerts.list(orgId, null, { limit: 10, order: "desc" });
      expect(desc.data.map((a) => a.id)).toEqual([...ids].reverse());
      const before = await store().spendAlerts.list(orgId, null, { limit: 2, before: ids[3] });
      expect(before.data.map((a) => a.id)).toEqual([ids[1], ids[2]]);

      const changed = await store().spendAlerts.update(orgId, null, ids[0] ?? "", {
        thresholdMicros: 9,
        interval: { kind: "days", days: 3 },
        channel: { type: "email", recipients: [], subjectPrefix: "X" },
        webhookUrl: "https://hooks.example.com/y",
      });
      expect(changed).toEqual({
        ...orgAlerts[0],
        thresholdMicros: 9,
        interval: { kind: "days", days: 3 },
        channel: { type: "email", recipients: [], subjectPrefix: "X" },
        webhookUrl: "https://hooks.example.com/y",
      });
      expect(
        await store().spendAlerts.update(orgId, projectId, ids[0] ?? "", { thresholdMicros: 1 }),
      ).toBeNull();
      expect(await store().spendAlerts.delete(orgId, projectId, ids[0] ?? "")).toBe(false);
      expect(await store().spendAlerts.delete(orgId, null, ids[0] ?? "")).toBe(true);
      expect(await store().spendAlerts.get(orgId, null, ids[0] ?? "")).toBeNull();
    });

    it("claimFiring admits exactly one of many concurrent claims", async () => {
      const key = uid("firing");
      const results = await Promise.all(
        Array.from({ length: 8 }, () => store().spendAlerts.claimFiring(key, T0)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store().spendAlerts.claimFiring(key, T0 + 1)).toBe(false);
      expect(await store().spendAlerts.claimFiring(uid("firing"), T0)).toBe(true);
    });
  });
}
