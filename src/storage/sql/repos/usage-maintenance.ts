import { type Kysely, sql } from "kysely";
import type { UsagePruneInput } from "../../store.js";
import type { DialectInfo } from "../dialect.js";
import type { Database } from "../schema.js";
import { dropUsagePartitionsBefore, ensureUsagePartitions } from "../usage-partitions.js";
import { atomic } from "./types.js";

/** SQLite deletes old rows in slices so other writers (the usage journal) get the lock in between. */
const SLICE = 5000;

export async function pruneUsage(
  db: Kysely<Database>,
  d: DialectInfo,
  input: UsagePruneInput,
): Promise<{ rawDeleted: number; partitionsDropped: string[]; minuteDeleted: number }> {
  let rawDeleted = 0;
  let partitionsDropped: string[] = [];
  if (d.name === "postgres") {
    partitionsDropped = await atomic(db, (trx) => dropUsagePartitionsBefore(trx, input.rawBeforeMs));
    // What is left past the cutoff lives in the default partition or the month the cutoff falls in.
    const r = await db
      .deleteFrom("usage_events")
      .where("created_at_ms", "<", input.rawBeforeMs)
      .executeTakeFirst();
    rawDeleted = Number(r.numDeletedRows);
  } else {
    for (;;) {
      const r = await sql`delete from usage_events where rowid in (
          select rowid from usage_events where created_at_ms < ${input.rawBeforeMs} limit ${SLICE})`.execute(
        db,
      );
      const n = Number(r.numAffectedRows ?? 0n);
      rawDeleted += n;
      if (n < SLICE) break;
    }
  }
  const m = await db
    .deleteFrom("usage_rollup_minute")
    .where("bucket_start", "<", input.minuteBeforeSec)
    .executeTakeFirst();
  return { rawDeleted, partitionsDropped, minuteDeleted: Number(m.numDeletedRows) };
}

export async function ensurePartitions(
  db: Kysely<Database>,
  d: DialectInfo,
  fromMs: number,
  toMs: number,
): Promise<string[]> {
  if (d.name !== "postgres") return [];
  return atomic(db, (trx) => ensureUsagePartitions(trx, fromMs, toMs));
}
