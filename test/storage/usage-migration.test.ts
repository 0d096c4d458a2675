import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { usageEvent } from "../../src/storage/contract/fixtures.js";
import { openStore } from "../../src/storage/open.js";
import { dialectInfo } from "../../src/storage/sql/dialect.js";
import { usageRollups } from "../../src/storage/sql/migrations/003-usage-rollups.js";
import { MIGRATIONS } from "../../src/storage/sql/migrations/index.js";
import { SqlStore } from "../../src/storage/sql/sql-store.js";
import type { Store } from "../../src/storage/store.js";
import { freshPgSchema, freshSqlite } from "../helpers/db.js";

const pg = await freshPgSchema("usage_mig");
const lite = freshSqlite();
afterAll(async () => {
  await pg.drop();
  lite.cleanup();
});

const targets = [
  ["sqlite", lite.url],
  ["postgres", pg.url],
] as const;

/** Applies every migration before the usage rollups, as a store of the previous release had them. */
async function beforeRollups(store: Store): Promise<SqlStore> {
  if (!(store instanceof SqlStore)) throw new Error("expected SqlStore");
  const earlier = MIGRATIONS.filter((m) => m.version < usageRollups.version);
  await store.db.transaction().execute(async (trx) => {
    await trx.schema
      .createTable("kp_migrations")
      .addColumn("version", "integer", (c) => c.primaryKey())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("applied_at", "bigint", (c) => c.notNull())
      .execute();
    for (const m of earlier) {
      await m.up(trx, dialectInfo(store.dialect));
      await trx
        .insertInto("kp_migrations")
        .values({ version: m.version, name: m.name, applied_at: 0 })
        .execute();
    }
  });
  return store;
}

describe.each(targets)("usage rollup migration on %s", (dialect, url) => {
  it("keeps the raw events of the previous release and backfills every rollup from them", async () => {
    const store = await beforeRollups(await openStore({ url, dataDir: "unused", migrate: false }));
    try {
      expect(await store.pendingMigrations()).toEqual([usageRollups.version]);
      const now = Date.now();
      const evs = [0, 1, 2].map((i) =>
        usageEvent("org_mig", {
          createdAtMs: now - i * 3_600_000,
          inputTokens: 10 * (i + 1),
          endpoint: "chat",
        }),
      );
      const b = dialectInfo(dialect).bool;
      await store.db
        .insertInto("usage_events")
        .values(
          evs.map((e) => ({
            id: e.id,
            org_id: e.orgId,
            project_id: e.projectId,
            key_id: e.keyId,
            model: e.model,
            endpoint: e.endpoint,
            input_tokens: e.inputTokens,
            cached_tokens: e.cachedTokens,
            output_tokens: e.outputTokens,
            status: e.status,
            latency_ms: e.latencyMs,
            bytes: e.bytes,
            estimated: b(e.estimated),
            cost_micros: e.costMicros,
            created_at_ms: e.createdAtMs,
          })),
        )
        .execute();

      await store.migrate();
      expect(await store.pendingMigrations()).toEqual([]);
      expect(await store.usage.listRange("org_mig", 0, now + 1)).toEqual([...evs].reverse());
      const range = { orgId: "org_mig", groupBy: [], fromSec: 0, toSec: Math.ceil(now / 1000) + 1 };
      for (const granularity of ["minute", "hour", "day"] as const) {
        const rows = await store.usage.aggregate({ ...range, granularity });
        expect(
          rows.reduce((n, r) => n + r.inputTokens, 0),
          granularity,
        ).toBe(60);
        expect(
          rows.reduce((n, r) => n + r.requests, 0),
          granularity,
        ).toBe(3);
      }
      // A replay of a backfilled event is recognised.
      expect(await store.usage.insertMany(evs)).toBe(0);

      if (dialect === "postgres") {
        const part = await sql<{ n: number }>`
          select count(*)::int as n from pg_partitioned_table p
          join pg_class c on c.oid = p.partrelid where c.oid = to_regclass('usage_events')`.execute(store.db);
        expect(part.rows[0]?.n).toBe(1);
        // This month's events sit in this month's partition, created ahead by the migration.
        const d = new Date(now);
        const month = `usage_events_p${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
        const where = await sql<{ t: string }>`
          select tableoid::regclass::text as t from usage_events where id = ${evs[0]?.id ?? ""}`.execute(
          store.db,
        );
        expect(where.rows[0]?.t).toBe(month);
      }
    } finally {
      await store.close();
    }
  });
});
