import { type Kysely, type RawBuilder, sql } from "kysely";
import type { UsageAggregateQuery, UsageAggregateRow, UsageDimension, UsageTotals } from "../../store.js";
import type { Database } from "../schema.js";
import { ROLLUP_TABLES } from "./usage-rollups.js";

const DIMENSIONS: readonly UsageDimension[] = ["projectId", "keyId", "userId", "model", "endpoint"];

const COLUMN: Record<UsageDimension, RawBuilder<unknown>> = {
  projectId: sql`r.project_id`,
  keyId: sql`r.key_id`,
  userId: sql`k.owner_user_id`,
  model: sql`r.model`,
  endpoint: sql`r.endpoint`,
};

const ALIAS: Record<UsageDimension, string> = {
  projectId: "project_id",
  keyId: "key_id",
  userId: "user_id",
  model: "model",
  endpoint: "endpoint",
};

const inList = (col: RawBuilder<unknown>, values: readonly string[]): RawBuilder<unknown> =>
  values.length === 0 ? sql`1 = 0` : sql`${col} in (${sql.join(values)})`;

/** PostgreSQL's sum(bigint) is numeric (a string in pg); cast back to int8, which pg parses to a number. */
const sums = sql.join([
  sql`cast(sum(r.requests) as bigint) as requests`,
  sql`cast(sum(r.failed) as bigint) as failed`,
  sql`cast(sum(r.input_tokens) as bigint) as input_tokens`,
  sql`cast(sum(r.cached_tokens) as bigint) as cached_tokens`,
  sql`cast(sum(r.output_tokens) as bigint) as output_tokens`,
  sql`cast(sum(r.cost_micros) as bigint) as cost_micros`,
]);

interface SumRow {
  requests: number;
  failed: number;
  input_tokens: number;
  cached_tokens: number;
  output_tokens: number;
  cost_micros: number;
}

const totals = (r: SumRow): UsageTotals => ({
  requests: Number(r.requests),
  failed: Number(r.failed),
  inputTokens: Number(r.input_tokens),
  cachedTokens: Number(r.cached_tokens),
  outputTokens: Number(r.output_tokens),
  costMicros: Number(r.cost_micros),
});

const cmp = (a: string | null, b: string | null): number =>
  a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1;

export async function aggregateUsage(
  db: Kysely<Database>,
  q: UsageAggregateQuery,
): Promise<UsageAggregateRow[]> {
  const grouped = DIMENSIONS.filter((d) => q.groupBy.includes(d));
  const joinKeys = grouped.includes("userId") || q.userIds !== undefined;
  const where = [
    sql`r.org_id = ${q.orgId}`,
    sql`r.bucket_start >= ${q.fromSec}`,
    sql`r.bucket_start < ${q.toSec}`,
  ];
  if (q.projectIds) where.push(inList(COLUMN.projectId, q.projectIds));
  if (q.keyIds) where.push(inList(COLUMN.keyId, q.keyIds));
  if (q.userIds) where.push(inList(COLUMN.userId, q.userIds));
  if (q.models) where.push(inList(COLUMN.model, q.models));
  if (q.endpoints) where.push(inList(COLUMN.endpoint, q.endpoints));
  const groupCols = [sql`r.bucket_start`, ...grouped.map((d) => COLUMN[d])];
  const select = [
    sql`r.bucket_start as bucket_start`,
    ...grouped.map((d) => sql`${COLUMN[d]} as ${sql.id(ALIAS[d])}`),
    sums,
  ];
  const { rows } = await sql<SumRow & Record<string, string | number | null>>`
    select ${sql.join(select)}
    from ${sql.table(ROLLUP_TABLES[q.granularity])} r
    ${joinKeys ? sql`left join api_keys k on k.id = r.key_id` : sql``}
    where ${sql.join(where, sql` and `)}
    group by ${sql.join(groupCols)}`.execute(db);
  const dim = (r: Record<string, unknown>, d: UsageDimension): string | null => {
    const v = grouped.includes(d) ? r[ALIAS[d]] : null;
    return typeof v === "string" ? v : null;
  };
  const out = rows.map(
    (r): UsageAggregateRow => ({
      bucketStart: Number(r.bucket_start),
      projectId: dim(r, "projectId"),
      keyId: dim(r, "keyId"),
      userId: dim(r, "userId"),
      model: dim(r, "model"),
      endpoint: dim(r, "endpoint"),
      ...totals(r),
    }),
  );
  // Sorted here, not in SQL: the dialects order nulls differently.
  return out.sort((a, b) => {
    if (a.bucketStart !== b.bucketStart) return a.bucketStart - b.bucketStart;
    for (const d of grouped) {
      const c = cmp(a[d], b[d]);
      if (c !== 0) return c;
    }
    return 0;
  });
}

export async function totalsByKey(
  db: Kysely<Database>,
  orgId: string,
  keyIds: readonly string[],
  fromSec: number,
  toSec: number,
): Promise<Map<string, UsageTotals>> {
  const out = new Map<string, UsageTotals>();
  if (keyIds.length === 0) return out;
  const { rows } = await sql<SumRow & { key_id: string }>`
    select r.key_id as key_id, ${sums}
    from usage_rollup_day r
    where r.org_id = ${orgId} and ${inList(COLUMN.keyId, keyIds)}
      and r.bucket_start >= ${fromSec} and r.bucket_start < ${toSec}
    group by r.key_id`.execute(db);
  for (const r of rows) out.set(r.key_id, totals(r));
  return out;
}
