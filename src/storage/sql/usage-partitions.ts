import { type QueryExecutorProvider, sql } from "kysely";

/**
 * PostgreSQL only: monthly range partitions of usage_events (created_at_ms, UTC months), named
 * usage_events_pYYYYMM. Run inside a transaction (the migration's or the maintenance job's).
 */

const NAME = /^usage_events_p(\d{4})(\d{2})$/;

const monthStart = (year: number, month: number): number => Date.UTC(year, month, 1);

const partitionName = (year: number, month: number): string =>
  `usage_events_p${year}${String(month + 1).padStart(2, "0")}`;

/** Serialises partition changes of one schema across instances (they may all run maintenance). */
const lock = (db: QueryExecutorProvider) =>
  sql`select pg_advisory_xact_lock(hashtext('keyplane.usage_partitions.' || current_schema()))`.execute(db);

/**
 * Creates the monthly partitions covering [fromMs, toMs] that do not exist yet. Rows of that
 * month already sitting in the default partition move into the new one first, because attaching
 * a partition fails while the default partition holds rows of its range. Returns the names created.
 */
export async function ensureUsagePartitions(
  db: QueryExecutorProvider,
  fromMs: number,
  toMs: number,
): Promise<string[]> {
  await lock(db);
  const created: string[] = [];
  const first = new Date(fromMs);
  let year = first.getUTCFullYear();
  let month = first.getUTCMonth();
  while (monthStart(year, month) <= toMs) {
    const name = partitionName(year, month);
    const lo = monthStart(year, month);
    const hi = monthStart(year, month + 1);
    const exists = await sql<{ r: string | null }>`select to_regclass(${name})::text as r`.execute(db);
    if (!exists.rows[0]?.r) {
      const t = sql.table(name);
      await sql`create table ${t} (like usage_events including defaults including constraints)`.execute(db);
      await sql`with moved as (
          delete from usage_events_default where created_at_ms >= ${lo} and created_at_ms < ${hi}
          returning *)
        insert into ${t} select * from moved`.execute(db);
      await sql`alter table usage_events attach partition ${t}
        for values from (${sql.lit(lo)}) to (${sql.lit(hi)})`.execute(db);
      created.push(name);
    }
    month += 1;
    if (month === 12) {
      month = 0;
      year += 1;
    }
  }
  return created;
}

/** Drops the monthly partitions that end at or before `cutoffMs` (whole months past retention). */
export async function dropUsagePartitionsBefore(
  db: QueryExecutorProvider,
  cutoffMs: number,
): Promise<string[]> {
  await lock(db);
  const parts = await sql<{ name: string }>`
    select c.relname as name from pg_inherits i
    join pg_class c on c.oid = i.inhrelid
    where i.inhparent = to_regclass('usage_events')`.execute(db);
  const dropped: string[] = [];
  for (const { name } of parts.rows) {
    const m = NAME.exec(name);
    if (!m) continue;
    // The name's month is 1-based, so as a 0-based month index it is the month after: the end bound.
    const end = monthStart(Number(m[1]), Number(m[2]));
    if (end <= cutoffMs) {
      await sql`drop table ${sql.table(name)}`.execute(db);
      dropped.push(name);
    }
  }
  return dropped;
}
