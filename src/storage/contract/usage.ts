import { describe, expect, it } from "vitest";
import type { UsageEventRecord } from "../records.js";
import type { UsageAggregateQuery, UsageAggregateRow } from "../store.js";
import { apiKey, type GetStore, org, secret, uid, usageEvent } from "./fixtures.js";

/** 2023-11-14 00:00:00 UTC: a day boundary, so minute, hour and day buckets line up. */
const D0 = 1_699_920_000;
const DAY = 86_400;
const ms = (sec: number) => sec * 1000;

const zero = { requests: 0, failed: 0, inputTokens: 0, cachedTokens: 0, outputTokens: 0, costMicros: 0 };
const nullDims = { projectId: null, keyId: null, userId: null, model: null, endpoint: null };
const row = (bucketStart: number, over: Partial<UsageAggregateRow>): UsageAggregateRow => ({
  bucketStart,
  ...nullDims,
  ...zero,
  ...over,
});

export function usageContract(store: GetStore): void {
  /** Five events over two minutes, an hour and a day; three projects' worth of dimensions. */
  const scenario = (orgId: string, k1: string, k2: string) => {
    const ev = (sec: number, over: Partial<UsageEventRecord>) =>
      usageEvent(orgId, { createdAtMs: ms(sec), endpoint: "chat", model: "m1", ...over });
    return [
      ev(D0 + 10, {
        projectId: "pA",
        keyId: k1,
        inputTokens: 100,
        cachedTokens: 20,
        outputTokens: 50,
        costMicros: 1000,
      }),
      ev(D0 + 50, {
        projectId: "pA",
        keyId: k1,
        inputTokens: 10,
        cachedTokens: 0,
        outputTokens: 5,
        costMicros: 100,
        status: 500,
      }),
      ev(D0 + 70, {
        projectId: "pA",
        keyId: k1,
        inputTokens: 1,
        cachedTokens: 0,
        outputTokens: 1,
        costMicros: 1,
      }),
      ev(D0 + 3605, {
        projectId: "pB",
        keyId: k2,
        model: "m2",
        endpoint: "embeddings",
        inputTokens: 7,
        cachedTokens: 0,
        outputTokens: 0,
        costMicros: 7,
      }),
      ev(D0 + DAY + 5, {
        projectId: "pA",
        keyId: k1,
        inputTokens: 3,
        cachedTokens: 1,
        outputTokens: 3,
        costMicros: 3,
      }),
    ] as const;
  };

  const q = (orgId: string, over: Partial<UsageAggregateQuery> = {}): UsageAggregateQuery => ({
    orgId,
    granularity: "day",
    fromSec: D0,
    toSec: D0 + 2 * DAY,
    groupBy: [],
    ...over,
  });

  describe("usage rollups", () => {
    it("roll up exactly the new events into minute, hour and day buckets", async () => {
      const orgId = org().id;
      const evs = scenario(orgId, "k1", "k2");
      expect(await store().usage.insertMany(evs.slice(0, 3))).toBe(3);
      // Replays of the first three and a duplicate inside the batch add nothing.
      expect(await store().usage.insertMany([...evs, evs[3]])).toBe(2);
      expect(await store().usage.insertMany([...evs])).toBe(0);

      const e1 = {
        requests: 2,
        failed: 1,
        inputTokens: 110,
        cachedTokens: 20,
        outputTokens: 55,
        costMicros: 1100,
      };
      const e3 = { requests: 1, inputTokens: 1, outputTokens: 1, costMicros: 1 };
      const e4 = { requests: 1, inputTokens: 7, costMicros: 7 };
      const e5 = { requests: 1, inputTokens: 3, cachedTokens: 1, outputTokens: 3, costMicros: 3 };
      expect(await store().usage.aggregate(q(orgId, { granularity: "minute" }))).toEqual([
        row(D0, e1),
        row(D0 + 60, e3),
        row(D0 + 3600, e4),
        row(D0 + DAY, e5),
      ]);
      expect(await store().usage.aggregate(q(orgId, { granularity: "hour" }))).toEqual([
        row(D0, { ...e1, requests: 3, inputTokens: 111, outputTokens: 56, costMicros: 1101 }),
        row(D0 + 3600, e4),
        row(D0 + DAY, e5),
      ]);
      expect(await store().usage.aggregate(q(orgId))).toEqual([
        row(D0, { ...e1, requests: 4, inputTokens: 118, outputTokens: 56, costMicros: 1108 }),
        row(D0 + DAY, e5),
      ]);
      // Bucket starts in [from, to): the bucket at `to` is out.
      expect(
        await store().usage.aggregate(
          q(orgId, { granularity: "minute", fromSec: D0 + 60, toSec: D0 + 3600 }),
        ),
      ).toEqual([row(D0 + 60, e3)]);
      expect(await store().usage.aggregate(q("org_other"))).toEqual([]);
    });

    it("group by any dimensions, users through key owners, and filter by each", async () => {
      const o = org();
      await store().organizations.insert(o);
      const k1 = apiKey(o.id, "pA", { ownerUserId: uid("user") });
      const k2 = apiKey(o.id, "pB", { kind: "service_account", ownerServiceAccountId: uid("svc") });
      await store().apiKeys.insert(k1, secret(k1.id));
      await store().apiKeys.insert(k2, secret(k2.id));
      await store().usage.insertMany([...scenario(o.id, k1.id, k2.id)]);
      const agg = (over: Partial<UsageAggregateQuery>) => store().usage.aggregate(q(o.id, over));

      const day0A = {
        requests: 3,
        failed: 1,
        inputTokens: 111,
        cachedTokens: 20,
        outputTokens: 56,
        costMicros: 1101,
      };
      const day0B = { requests: 1, inputTokens: 7, costMicros: 7 };
      const day1A = { requests: 1, inputTokens: 3, cachedTokens: 1, outputTokens: 3, costMicros: 3 };
      expect(await agg({ groupBy: ["model", "projectId"] })).toEqual([
        row(D0, { projectId: "pA", model: "m1", ...day0A }),
        row(D0, { projectId: "pB", model: "m2", ...day0B }),
        row(D0 + DAY, { projectId: "pA", model: "m1", ...day1A }),
      ]);
      expect(await agg({ groupBy: ["keyId", "endpoint"], toSec: D0 + DAY })).toEqual([
        row(D0, { keyId: k1.id, endpoint: "chat", ...day0A }),
        row(D0, { keyId: k2.id, endpoint: "embeddings", ...day0B }),
      ]);
      // The service-account key has no user: its row groups under null, which sorts first.
      expect((await agg({ groupBy: ["userId"], toSec: D0 + DAY })).map((r) => r.userId)).toEqual([
        null,
        k1.ownerUserId,
      ]);
      expect(await agg({ userIds: [k1.ownerUserId ?? ""], toSec: D0 + DAY })).toEqual([row(D0, day0A)]);
      expect(await agg({ projectIds: ["pB"] })).toEqual([row(D0, day0B)]);
      expect(await agg({ keyIds: [k1.id], fromSec: D0 + DAY })).toEqual([row(D0 + DAY, day1A)]);
      expect(await agg({ models: ["m2", "nope"], endpoints: ["embeddings"] })).toEqual([row(D0, day0B)]);
      expect(await agg({ endpoints: ["chat"], models: ["m2"] })).toEqual([]);
      expect(await agg({ projectIds: [] })).toEqual([]);
    });

    it("roll back with the raw insert when the transaction fails", async () => {
      const orgId = org().id;
      const evs = scenario(orgId, "k1", "k2");
      await expect(
        store().transaction(async (tx) => {
          expect(await tx.usage.insertMany([...evs])).toBe(5);
          expect(await tx.usage.aggregate(q(orgId))).toHaveLength(2);
          throw new Error("boom");
        }),
      ).rejects.toThrow("boom");
      expect(await store().usage.aggregate(q(orgId, { granularity: "minute" }))).toEqual([]);
      expect(await store().usage.insertMany([...evs])).toBe(5);
      expect(await store().usage.aggregate(q(orgId))).toHaveLength(2);
    });

    it("total whole days per key for a page of keys", async () => {
      const orgId = org().id;
      await store().usage.insertMany([...scenario(orgId, "k1", "k2")]);
      const all = await store().usage.totalsByKey(orgId, ["k1", "k2", "k3"], D0, D0 + 2 * DAY);
      expect(Object.fromEntries(all)).toEqual({
        k1: {
          requests: 4,
          failed: 1,
          inputTokens: 114,
          cachedTokens: 21,
          outputTokens: 59,
          costMicros: 1104,
        },
        k2: { ...zero, requests: 1, inputTokens: 7, costMicros: 7 },
      });
      const second = await store().usage.totalsByKey(orgId, ["k1"], D0 + DAY, D0 + 2 * DAY);
      expect(second.get("k1")).toEqual({
        ...zero,
        requests: 1,
        inputTokens: 3,
        cachedTokens: 1,
        outputTokens: 3,
        costMicros: 3,
      });
      expect((await store().usage.totalsByKey(orgId, [], D0, D0 + DAY)).size).toBe(0);
      expect((await store().usage.totalsByKey("org_other", ["k1"], D0, D0 + DAY)).size).toBe(0);
    });
  });

  describe("usage retention", () => {
    /** Early 1971: far from every other test's events, so pruning there touches only these. */
    const Y71 = Date.UTC(1971, 0, 1);

    it("prunes raw events and minute rollups past the cutoff, keeps hour and day rollups", async () => {
      const orgId = org().id;
      const at = (days: number) =>
        usageEvent(orgId, { createdAtMs: Y71 + days * DAY * 1000, endpoint: "chat" });
      const evs = [at(0), at(20), at(40), at(70), at(75)];
      // PostgreSQL: January and February 1971 exist before the insert; March is created after it,
      // and its rows move out of the default partition.
      const created = await store().usage.ensurePartitions(Y71 + 10 * DAY * 1000, Y71 + 40 * DAY * 1000);
      if (store().dialect === "postgres")
        expect(created).toEqual(["usage_events_p197101", "usage_events_p197102"]);
      else expect(created).toEqual([]);
      expect(await store().usage.insertMany(evs)).toBe(5);
      expect(await store().usage.ensurePartitions(Y71, Y71 + 75 * DAY * 1000)).toEqual(
        store().dialect === "postgres" ? ["usage_events_p197103"] : [],
      );

      const cutoffMs = Y71 + 60 * DAY * 1000;
      const r = await store().usage.prune({ rawBeforeMs: cutoffMs, minuteBeforeSec: cutoffMs / 1000 });
      const left = await store().usage.listRange(orgId, 0, Number.MAX_SAFE_INTEGER);
      expect(left.map((e) => e.id)).toEqual([evs[3]?.id, evs[4]?.id]);
      if (store().dialect === "postgres") {
        // January ends before the cutoff (dropped whole); 1 March 1971 is day 59, so February too.
        expect(r.partitionsDropped).toEqual(["usage_events_p197101", "usage_events_p197102"]);
      } else {
        expect(r.partitionsDropped).toEqual([]);
        expect(r.rawDeleted).toBeGreaterThanOrEqual(3);
      }
      const range = { orgId, groupBy: [], fromSec: Y71 / 1000, toSec: Y71 / 1000 + 100 * DAY };
      expect(await store().usage.aggregate({ ...range, granularity: "minute" })).toHaveLength(2);
      expect(await store().usage.aggregate({ ...range, granularity: "hour" })).toHaveLength(5);
      expect(await store().usage.aggregate({ ...range, granularity: "day" })).toHaveLength(5);
      expect(r.minuteDeleted).toBeGreaterThanOrEqual(3);
      // Pruning again finds nothing more of these.
      const again = await store().usage.prune({ rawBeforeMs: cutoffMs, minuteBeforeSec: cutoffMs / 1000 });
      expect(again.partitionsDropped).toEqual([]);
      expect(await store().usage.listRange(orgId, 0, Number.MAX_SAFE_INTEGER)).toHaveLength(2);
    });
  });
}
