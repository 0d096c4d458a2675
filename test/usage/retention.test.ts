import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids.js";
import { runUsageMaintenance, startUsageMaintenance } from "../../src/metering/usage-retention.js";
import { openStore } from "../../src/storage/open.js";
import type { UsageEventRecord } from "../../src/storage/records.js";
import { SqlStore } from "../../src/storage/sql/sql-store.js";
import { freshPgSchema, freshSqlite } from "../helpers/db.js";

const pg = await freshPgSchema("usage_ret");
const lite = freshSqlite();
afterAll(async () => {
  await pg.drop();
  lite.cleanup();
});

const DAY_MS = 86_400_000;
/** A fixed "now": 2030-06-15 12:00 UTC. */
const NOW = Date.UTC(2030, 5, 15, 12);

const event = (orgId: string, createdAtMs: number): UsageEventRecord => ({
  id: newId.usageEvent(),
  orgId,
  projectId: "proj_r",
  keyId: "key_r",
  model: "gpt-4o-mini",
  endpoint: "chat",
  inputTokens: 10,
  cachedTokens: 0,
  outputTokens: 1,
  status: 200,
  latencyMs: 1,
  bytes: 1,
  estimated: false,
  costMicros: 5,
  createdAtMs,
});

describe.each([
  ["sqlite", lite.url],
  ["postgres", pg.url],
] as const)("usage retention job on %s", (dialect, url) => {
  it("keeps raw events for retentionDays and minute rollups for their own window; day totals stay", async () => {
    const store = await openStore({ url, dataDir: "unused" });
    try {
      const orgId = `org_${dialect}_${Date.now()}`;
      const ages = [95, 45, 31, 29, 10, 0];
      await store.usage.insertMany(ages.map((d) => event(orgId, NOW - d * DAY_MS)));
      const r = await runUsageMaintenance(store, { retentionDays: 30, minuteRollupRetentionDays: 14 }, NOW);
      const left = await store.usage.listRange(orgId, 0, NOW + 1);
      expect(left.map((e) => Math.round((NOW - e.createdAtMs) / DAY_MS))).toEqual([29, 10, 0]);
      const range = { orgId, groupBy: [], fromSec: 0, toSec: NOW / 1000 + 1 };
      expect(await store.usage.aggregate({ ...range, granularity: "minute" })).toHaveLength(2);
      const days = await store.usage.aggregate({ ...range, granularity: "day" });
      expect(days.reduce((n, d) => n + d.requests, 0)).toBe(6);
      expect(r.minuteDeleted).toBeGreaterThanOrEqual(4);
      if (dialect === "postgres") {
        // Partitions cover the retention window and two months ahead; older whole months are gone.
        expect(r.partitionsCreated).toEqual(
          expect.arrayContaining(["usage_events_p203006", "usage_events_p203008"]),
        );
        if (!(store instanceof SqlStore)) throw new Error("expected SqlStore");
        const { rows } = await sql<{ name: string }>`
          select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
          where i.inhparent = to_regclass('usage_events') order by 1`.execute(store.db);
        const names = rows.map((x) => x.name);
        expect(names).toContain("usage_events_default");
        expect(names).toContain("usage_events_p203008");
        expect(names.filter((n) => /^usage_events_p\d{6}$/.test(n) && n < "usage_events_p203005")).toEqual(
          [],
        );
      } else {
        expect(r.rawDeleted).toBeGreaterThanOrEqual(3);
      }
      // A second pass has nothing left to do for these rows.
      const again = await runUsageMaintenance(
        store,
        { retentionDays: 30, minuteRollupRetentionDays: 14 },
        NOW,
      );
      expect(again.partitionsCreated).toEqual([]);
      expect(await store.usage.listRange(orgId, 0, NOW + 1)).toHaveLength(3);
    } finally {
      await store.close();
    }
  });

  it("the background job runs at start, never overlaps, and stops cleanly", async () => {
    const store = await openStore({ url, dataDir: "unused" });
    try {
      const orgId = `org_bg_${dialect}_${Date.now()}`;
      await store.usage.insertMany([event(orgId, NOW - 40 * DAY_MS), event(orgId, NOW - DAY_MS)]);
      const logged: string[] = [];
      const job = startUsageMaintenance(
        store,
        { retentionDays: 30, minuteRollupRetentionDays: 30, intervalMs: 10 },
        { info: (_o, msg) => logged.push(msg), error: (_o, msg) => logged.push(`error: ${msg}`) },
        () => NOW,
      );
      await new Promise((r) => setTimeout(r, 100));
      await job.stop();
      expect(logged.filter((m) => m.startsWith("error"))).toEqual([]);
      expect(logged).toContain("usage maintenance");
      expect(await store.usage.listRange(orgId, 0, NOW)).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});
