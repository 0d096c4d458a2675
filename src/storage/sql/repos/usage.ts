import { CompiledQuery, type Insertable, type Selectable } from "kysely";
import type { UsageEventRecord } from "../../records.js";
import type { StoreRepos } from "../../store.js";
import { statementChunks } from "../chunks.js";
import type { UsageEventsTable } from "../schema.js";
import { atomic, type RepoCtx } from "./types.js";
import { ensurePartitions, pruneUsage } from "./usage-maintenance.js";
import { aggregateUsage, totalsByKey } from "./usage-queries.js";
import { addToRollups } from "./usage-rollups.js";

/** 15 columns × 500 rows = 7,500 bind parameters, under SQLite's 32,766 and PostgreSQL's 65,535. */
const CHUNK = 500;

const toEvent = (r: Selectable<UsageEventsTable>): UsageEventRecord => ({
  id: r.id,
  orgId: r.org_id,
  projectId: r.project_id,
  keyId: r.key_id,
  model: r.model,
  endpoint: r.endpoint,
  inputTokens: r.input_tokens,
  cachedTokens: r.cached_tokens,
  outputTokens: r.output_tokens,
  status: r.status,
  latencyMs: r.latency_ms,
  bytes: r.bytes,
  estimated: Boolean(r.estimated),
  costMicros: r.cost_micros,
  createdAtMs: r.created_at_ms,
});

export function usageRepo({ db, d }: RepoCtx): StoreRepos["usage"] {
  const toRow = (e: UsageEventRecord): Insertable<UsageEventsTable> => ({
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
    estimated: d.bool(e.estimated),
    cost_micros: e.costMicros,
    created_at_ms: e.createdAtMs,
  });
  // No conflict target: SQLite's key is id, PostgreSQL's partitioned key is (id, created_at_ms).
  const insertQuery = (rows: Insertable<UsageEventsTable>[]) =>
    db
      .insertInto("usage_events")
      .values(rows)
      .onConflict((oc) => oc.doNothing())
      .returning("id");
  /**
   * A row's bind parameters in the column order of toRow (and so of the compiled statement), as
   * one array literal: building toRow's object and walking it cost the usage writer ~0.3 µs a row.
   * The statements check the order against Kysely's own parameters before they are used.
   */
  const rowParams = (e: UsageEventRecord): unknown[] => [
    e.id,
    e.orgId,
    e.projectId,
    e.keyId,
    e.model,
    e.endpoint,
    e.inputTokens,
    e.cachedTokens,
    e.outputTokens,
    e.status,
    e.latencyMs,
    e.bytes,
    d.bool(e.estimated),
    e.costMicros,
    e.createdAtMs,
  ];
  const params = (out: unknown[], e: UsageEventRecord): void => {
    for (const v of rowParams(e)) out.push(v);
  };
  /**
   * Chunks come in a few power-of-two sizes, so each size's statement is compiled once: building
   * and compiling Kysely's tree for 15 × 256 values was most of the usage writer's JavaScript time.
   * A compiled statement is used only if its parameters are exactly the rows in toRow's order.
   */
  const compiled = new Map<number, string | null>();
  const statementFor = (chunk: readonly UsageEventRecord[]): string | null => {
    let sqlText = compiled.get(chunk.length);
    if (sqlText === undefined) {
      const q = insertQuery(chunk.map(toRow)).compile();
      const mine: unknown[] = [];
      for (const e of chunk) params(mine, e);
      const same = q.parameters.length === mine.length && q.parameters.every((v, i) => v === mine[i]);
      sqlText = same ? q.sql : null;
      compiled.set(chunk.length, sqlText);
    }
    return sqlText;
  };
  /** One row's insert, compiled once, for SQLite's row runner; null if its parameters differ from toRow's. */
  let oneRow: string | null | undefined;
  const oneRowStatement = (e: UsageEventRecord): string | null => {
    if (oneRow === undefined) {
      const q = db
        .insertInto("usage_events")
        .values(toRow(e))
        .onConflict((oc) => oc.doNothing())
        .compile();
      const mine: unknown[] = [];
      params(mine, e);
      const same = q.parameters.length === mine.length && q.parameters.every((v, i) => v === mine[i]);
      oneRow = same ? q.sql : null;
    }
    return oneRow;
  };
  const eachRow = d.eachRow;
  return {
    async insertMany(events) {
      if (events.length === 0) return 0;
      const first = events[0] as UsageEventRecord;
      const single = eachRow ? oneRowStatement(first) : null;
      if (eachRow && single !== null)
        return atomic(db, async (trx) => {
          const rows = events.map(rowParams);
          // A conflict (a replayed event, or a duplicate later in the batch) changes nothing.
          const inserted = eachRow(single, rows);
          const fresh = events.filter((_, i) => inserted[i]);
          await addToRollups(trx, fresh, eachRow);
          return fresh.length;
        });
      return atomic(db, async (trx) => {
        const fresh: UsageEventRecord[] = [];
        for (const chunk of statementChunks(events, CHUNK)) {
          const sqlText = statementFor(chunk);
          let rows: { id: string }[];
          if (sqlText === null)
            rows = await trx.executeQuery(insertQuery(chunk.map(toRow)).compile()).then((r) => r.rows);
          else {
            const values: unknown[] = [];
            for (const e of chunk) params(values, e);
            rows = (await trx.executeQuery<{ id: string }>(CompiledQuery.raw(sqlText, values))).rows;
          }
          // RETURNING names each inserted row once; a duplicate later in the batch was skipped.
          const inserted = new Set(rows.map((r) => r.id));
          for (const e of chunk) if (inserted.delete(e.id)) fresh.push(e);
        }
        await addToRollups(trx, fresh);
        return fresh.length;
      });
    },
    async listRange(orgId, fromMs, toMs) {
      const rows = await db
        .selectFrom("usage_events")
        .selectAll()
        .where("org_id", "=", orgId)
        .where("created_at_ms", ">=", fromMs)
        .where("created_at_ms", "<", toMs)
        .orderBy("created_at_ms", "asc")
        .orderBy("id", "asc")
        .execute();
      return rows.map(toEvent);
    },
    aggregate: (q) => aggregateUsage(db, q),
    totalsByKey: (orgId, keyIds, fromSec, toSec) => totalsByKey(db, orgId, keyIds, fromSec, toSec),
    prune: (input) => pruneUsage(db, d, input),
    ensurePartitions: (fromMs, toMs) => ensurePartitions(db, d, fromMs, toMs),
  };
}
