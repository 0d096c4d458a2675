import { sql } from "kysely";
import type { Migration, MigrationDb } from "./types.js";

/**
 * Drops the raw usage table's (org_id, created_at_ms) index. Every usage and cost query reads the
 * rollups since 003, so the raw table is written once per request and read only by retention (by
 * time, which usage_events_time serves) and range listings, which filter one org out of a time
 * range. Each index is an extra B-tree insert per event: this one was ≈ 1 µs of the usage
 * writer's ≈ 5 µs per event on SQLite.
 */
async function up(db: MigrationDb): Promise<void> {
  await sql`drop index if exists usage_events_org_time`.execute(db);
}

export const usageWriteIndex: Migration = { version: 5, name: "usage-write-index", up };
