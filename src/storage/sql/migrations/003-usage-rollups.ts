import { sql } from "kysely";
import type { DialectInfo } from "../dialect.js";
import { ensureUsagePartitions } from "../usage-partitions.js";
import type { Migration, MigrationDb } from "./types.js";

/** Bucket widths in seconds, by rollup table. */
const ROLLUPS = [
  ["usage_rollup_minute", 60],
  ["usage_rollup_hour", 3600],
  ["usage_rollup_day", 86_400],
] as const;

const SUMS = [
  "requests",
  "failed",
  "input_tokens",
  "cached_tokens",
  "output_tokens",
  "cost_micros",
  "bytes",
  "latency_ms",
  "estimated",
] as const;

/**
 * One row per (org, bucket, project, key, model, endpoint). The primary key leads with org and
 * bucket start, so a time-range query of one organization reads one contiguous index range;
 * on SQLite WITHOUT ROWID stores the rows in that order.
 */
async function createRollup(db: MigrationDb, d: DialectInfo, table: string): Promise<void> {
  let t = db.schema
    .createTable(table)
    .addColumn("org_id", "text", (c) => c.notNull())
    .addColumn("bucket_start", "bigint", (c) => c.notNull())
    .addColumn("project_id", "text", (c) => c.notNull())
    .addColumn("key_id", "text", (c) => c.notNull())
    .addColumn("model", "text", (c) => c.notNull())
    .addColumn("endpoint", "text", (c) => c.notNull());
  for (const col of SUMS) t = t.addColumn(col, "bigint", (c) => c.notNull());
  t = t.addPrimaryKeyConstraint(`${table}_pk`, [
    "org_id",
    "bucket_start",
    "project_id",
    "key_id",
    "model",
    "endpoint",
  ]);
  await (d.name === "sqlite" ? t.modifyEnd(sql`without rowid`) : t).execute();
}

/** Fills a rollup from the raw events already stored (rows written before this migration). */
async function backfill(db: MigrationDb, d: DialectInfo, table: string, width: number): Promise<void> {
  const est = d.name === "sqlite" ? sql`estimated` : sql`case when estimated then 1 else 0 end`;
  await sql`
    insert into ${sql.table(table)}
      (org_id, bucket_start, project_id, key_id, model, endpoint, requests, failed, input_tokens,
       cached_tokens, output_tokens, cost_micros, bytes, latency_ms, estimated)
    select org_id, (created_at_ms / ${sql.lit(width * 1000)}) * ${sql.lit(width)}, project_id, key_id,
      model, endpoint, count(*), sum(case when status >= 400 then 1 else 0 end), sum(input_tokens),
      sum(cached_tokens), sum(output_tokens), sum(cost_micros), sum(bytes), sum(latency_ms), sum(${est})
    from usage_events
    group by org_id, (created_at_ms / ${sql.lit(width * 1000)}) * ${sql.lit(width)}, project_id, key_id,
      model, endpoint`.execute(db);
}

/**
 * PostgreSQL: the raw table becomes range-partitioned by created_at_ms (one partition per UTC
 * month, plus a default partition for anything outside them). A partitioned table's unique key
 * must contain the partition key, so replays are recognised by (id, created_at_ms): a replayed
 * event carries its original timestamp.
 */
async function partitionRaw(db: MigrationDb): Promise<void> {
  const run = (q: string) => sql.raw(q).execute(db);
  await run("alter table usage_events rename to usage_events_v1");
  await run("alter table usage_events_v1 rename constraint usage_events_pkey to usage_events_v1_pkey");
  await run("alter index usage_events_org_time rename to usage_events_v1_org_time");
  await run(`create table usage_events (
    id text not null, org_id text not null, project_id text not null, key_id text not null,
    model text not null, endpoint text not null, input_tokens bigint not null,
    cached_tokens bigint not null, output_tokens bigint not null, status integer not null,
    latency_ms integer not null, bytes bigint not null, estimated boolean not null,
    cost_micros bigint not null, created_at_ms bigint not null,
    constraint usage_events_pk primary key (id, created_at_ms)
  ) partition by range (created_at_ms)`);
  await run("create table usage_events_default partition of usage_events default");
  await run("create index usage_events_org_time on usage_events (org_id, created_at_ms)");
  await run("create index usage_events_time on usage_events (created_at_ms)");
  await run("insert into usage_events select * from usage_events_v1");
  await run("drop table usage_events_v1");
  const now = Date.now();
  await ensureUsagePartitions(db, now - 31 * 86_400_000, now + 62 * 86_400_000);
}

async function up(db: MigrationDb, d: DialectInfo): Promise<void> {
  if (d.name === "postgres") await partitionRaw(db);
  else await db.schema.createIndex("usage_events_time").on("usage_events").column("created_at_ms").execute();
  for (const [table, width] of ROLLUPS) {
    await createRollup(db, d, table);
    await backfill(db, d, table, width);
  }
  // The key listing reads a month of one key's day rows; retention deletes minute rows by age.
  await db.schema
    .createIndex("usage_rollup_day_key")
    .on("usage_rollup_day")
    .columns(["key_id", "bucket_start"])
    .execute();
  await db.schema
    .createIndex("usage_rollup_minute_bucket")
    .on("usage_rollup_minute")
    .column("bucket_start")
    .execute();
}

export const usageRollups: Migration = { version: 3, name: "usage-rollups", up };
