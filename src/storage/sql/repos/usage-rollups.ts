import { type Kysely, sql } from "kysely";
import type { UsageEventRecord } from "../../records.js";
import type { UsageGranularity } from "../../store.js";
import { statementChunks } from "../chunks.js";
import type { RowRunner } from "../dialect.js";
import type { Database, UsageRollupTable } from "../schema.js";

export const ROLLUP_TABLES = {
  minute: "usage_rollup_minute",
  hour: "usage_rollup_hour",
  day: "usage_rollup_day",
} as const satisfies Record<UsageGranularity, keyof Database>;

type RollupTable = (typeof ROLLUP_TABLES)[UsageGranularity];

const WIDTHS: readonly (readonly [RollupTable, number])[] = [
  [ROLLUP_TABLES.minute, 60],
  [ROLLUP_TABLES.hour, 3600],
  [ROLLUP_TABLES.day, 86_400],
];

const KEY_COLUMNS = ["org_id", "bucket_start", "project_id", "key_id", "model", "endpoint"] as const;

/** 15 columns × 500 rows = 7,500 bind parameters, under both drivers' limits. */
const CHUNK = 500;

const sameRow = (r: UsageRollupTable, e: UsageEventRecord, bucket: number): boolean =>
  r.bucket_start === bucket &&
  r.key_id === e.keyId &&
  r.model === e.model &&
  r.endpoint === e.endpoint &&
  r.project_id === e.projectId &&
  r.org_id === e.orgId;

/** Sums events per rollup key in memory, so each key is one row of one upsert statement. */
function accumulate(events: readonly UsageEventRecord[], width: number): UsageRollupTable[] {
  const acc = new Map<string, UsageRollupTable>();
  const widthMs = width * 1000;
  let last: UsageRollupTable | undefined;
  for (const e of events) {
    const bucket = Math.floor(e.createdAtMs / widthMs) * width;
    // Consecutive events mostly share their row (one key, one model, one minute): compare fields
    // before building a map key.
    let r = last !== undefined && sameRow(last, e, bucket) ? last : undefined;
    if (r === undefined) {
      const k = `${e.orgId}\u0000${bucket}\u0000${e.projectId}\u0000${e.keyId}\u0000${e.model}\u0000${e.endpoint}`;
      r = acc.get(k);
      if (r === undefined) {
        r = {
          org_id: e.orgId,
          bucket_start: bucket,
          project_id: e.projectId,
          key_id: e.keyId,
          model: e.model,
          endpoint: e.endpoint,
          requests: 0,
          failed: 0,
          input_tokens: 0,
          cached_tokens: 0,
          output_tokens: 0,
          cost_micros: 0,
          bytes: 0,
          latency_ms: 0,
          estimated: 0,
        };
        acc.set(k, r);
      }
    }
    last = r;
    r.requests += 1;
    if (e.status >= 400) r.failed += 1;
    r.input_tokens += e.inputTokens;
    r.cached_tokens += e.cachedTokens;
    r.output_tokens += e.outputTokens;
    r.cost_micros += e.costMicros;
    r.bytes += e.bytes;
    r.latency_ms += e.latencyMs;
    if (e.estimated) r.estimated += 1;
  }
  return [...acc.values()];
}

const upsert = (db: Kysely<Database>, table: RollupTable, rows: UsageRollupTable[]) => {
  const add = (c: keyof UsageRollupTable) =>
    sql<number>`${sql.ref(`${table}.${c}`)} + excluded.${sql.ref(c)}`;
  return db
    .insertInto(table)
    .values(rows)
    .onConflict((oc) =>
      oc.columns(KEY_COLUMNS).doUpdateSet({
        requests: add("requests"),
        failed: add("failed"),
        input_tokens: add("input_tokens"),
        cached_tokens: add("cached_tokens"),
        output_tokens: add("output_tokens"),
        cost_micros: add("cost_micros"),
        bytes: add("bytes"),
        latency_ms: add("latency_ms"),
        estimated: add("estimated"),
      }),
    );
};

/**
 * Each table's one-row upsert for SQLite's row runner, compiled once: building Kysely's tree for
 * three upserts was most of the rollups' cost per batch. Null if its parameters are not a row's
 * values in accumulate's field order (then the multi-row statement is used).
 */
const oneRowSql = new Map<RollupTable, string | null>();
const oneRowStatement = (db: Kysely<Database>, table: RollupTable, row: UsageRollupTable): string | null => {
  let text = oneRowSql.get(table);
  if (text === undefined) {
    const q = upsert(db, table, [row]).compile();
    const mine = Object.values(row);
    const same = q.parameters.length === mine.length && q.parameters.every((v, i) => v === mine[i]);
    text = same ? q.sql : null;
    oneRowSql.set(table, text);
  }
  return text;
};

/**
 * Adds `events` to the minute, hour and day rollups. The caller passes only events that were
 * new to the raw table, inside the transaction that inserted them, so a replay adds nothing.
 * `eachRow` is SQLite's row runner (DialectInfo), used when given.
 */
export async function addToRollups(
  db: Kysely<Database>,
  events: readonly UsageEventRecord[],
  eachRow?: RowRunner,
): Promise<void> {
  if (events.length === 0) return;
  for (const [table, width] of WIDTHS) {
    const rows = accumulate(events, width);
    const single = eachRow && rows[0] ? oneRowStatement(db, table, rows[0]) : null;
    if (eachRow && single !== null) {
      eachRow(
        single,
        rows.map((r) => Object.values(r)),
      );
      continue;
    }
    for (const chunk of statementChunks(rows, CHUNK)) await upsert(db, table, chunk).execute();
  }
}
