import type { Selectable } from "kysely";
import type { SpendInterval, SpendLimitRecord } from "../../records.js";
import type { StoreRepos } from "../../store.js";
import type { SpendLimitsTable } from "../schema.js";
import type { RepoCtx } from "./types.js";

export const intervalColumns = (i: SpendInterval): { interval: string; interval_days: number | null } =>
  i.kind === "month"
    ? { interval: "month", interval_days: null }
    : { interval: "days", interval_days: i.days };

export const intervalOf = (interval: string, days: number | null): SpendInterval =>
  interval === "days" && days !== null ? { kind: "days", days } : { kind: "month" };

const toLimit = (r: Selectable<SpendLimitsTable>): SpendLimitRecord => ({
  orgId: r.org_id,
  projectId: r.project_id,
  thresholdMicros: r.threshold_micros,
  interval: intervalOf(r.interval, r.interval_days),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function spendLimitsRepo({ db }: RepoCtx): StoreRepos["spendLimits"] {
  const get = async (orgId: string, projectId: string | null): Promise<SpendLimitRecord | null> => {
    const r = await db
      .selectFrom("spend_limits")
      .selectAll()
      .where("org_id", "=", orgId)
      .where("scope_id", "=", projectId ?? orgId)
      .executeTakeFirst();
    return r ? toLimit(r) : null;
  };
  return {
    get,
    async upsert(l) {
      const cols = intervalColumns(l.interval);
      const r = await db
        .insertInto("spend_limits")
        .values({
          org_id: l.orgId,
          scope_id: l.projectId ?? l.orgId,
          project_id: l.projectId,
          threshold_micros: l.thresholdMicros,
          ...cols,
          created_at: l.createdAt,
          updated_at: l.updatedAt,
        })
        .onConflict((oc) =>
          oc.columns(["org_id", "scope_id"]).doUpdateSet({
            threshold_micros: l.thresholdMicros,
            ...cols,
            updated_at: l.updatedAt,
          }),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return toLimit(r);
    },
    async delete(orgId, projectId) {
      const r = await db
        .deleteFrom("spend_limits")
        .where("org_id", "=", orgId)
        .where("scope_id", "=", projectId ?? orgId)
        .executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}
