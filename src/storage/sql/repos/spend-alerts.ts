import type { Selectable, Updateable } from "kysely";
import type { SpendAlertChannel, SpendAlertRecord } from "../../records.js";
import type { SpendAlertPatch, StoreRepos } from "../../store.js";
import { fromJson, patchColumns, toJson } from "../codec.js";
import { finishPage, planPage } from "../page.js";
import type { SpendAlertsTable } from "../schema.js";
import { intervalColumns, intervalOf } from "./spend-limits.js";
import type { RepoCtx } from "./types.js";

const toAlert = (r: Selectable<SpendAlertsTable>): SpendAlertRecord => ({
  id: r.id,
  orgId: r.org_id,
  projectId: r.project_id,
  thresholdMicros: r.threshold_micros,
  interval: intervalOf(r.interval, r.interval_days),
  channel: fromJson<SpendAlertChannel>(r.channel),
  webhookUrl: r.webhook_url,
  createdAt: r.created_at,
});

export function spendAlertsRepo({ db }: RepoCtx): StoreRepos["spendAlerts"] {
  const scoped = (orgId: string, projectId: string | null) =>
    db
      .selectFrom("spend_alerts")
      .selectAll()
      .where("org_id", "=", orgId)
      .where("scope_id", "=", projectId ?? orgId);
  const get = async (orgId: string, projectId: string | null, id: string) => {
    const r = await scoped(orgId, projectId).where("id", "=", id).executeTakeFirst();
    return r ? toAlert(r) : null;
  };
  return {
    async insert(a) {
      await db
        .insertInto("spend_alerts")
        .values({
          id: a.id,
          org_id: a.orgId,
          scope_id: a.projectId ?? a.orgId,
          project_id: a.projectId,
          threshold_micros: a.thresholdMicros,
          ...intervalColumns(a.interval),
          channel: toJson(a.channel),
          webhook_url: a.webhookUrl,
          created_at: a.createdAt,
        })
        .execute();
    },
    get,
    async list(orgId, projectId, q) {
      const p = planPage(q);
      const cursor = (id: string) => db.selectFrom("spend_alerts").select("seq").where("id", "=", id);
      let qb = scoped(orgId, projectId);
      if (q.after !== undefined) qb = qb.where("seq", p.afterOp, cursor(q.after));
      if (q.before !== undefined) qb = qb.where("seq", p.beforeOp, cursor(q.before));
      const rows = await qb.orderBy("seq", p.dir).limit(p.fetch).execute();
      return finishPage(rows, p, toAlert);
    },
    async listAll(orgId, projectId) {
      const rows = await scoped(orgId, projectId).orderBy("seq", "asc").execute();
      return rows.map(toAlert);
    },
    async count(orgId, projectId) {
      const r = await db
        .selectFrom("spend_alerts")
        .select((eb) => eb.fn.countAll<number | string>().as("n"))
        .where("org_id", "=", orgId)
        .where("scope_id", "=", projectId ?? orgId)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async update(orgId, projectId, id, patch) {
      const set = patchColumns<SpendAlertPatch, Updateable<SpendAlertsTable>>(patch, {
        thresholdMicros: (v) => ({ threshold_micros: v }),
        interval: (v) => intervalColumns(v),
        channel: (v) => ({ channel: toJson(v) }),
        webhookUrl: (v) => ({ webhook_url: v }),
      });
      if (Object.keys(set).length === 0) return get(orgId, projectId, id);
      const r = await db
        .updateTable("spend_alerts")
        .set(set)
        .where("org_id", "=", orgId)
        .where("scope_id", "=", projectId ?? orgId)
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirst();
      return r ? toAlert(r) : null;
    },
    async delete(orgId, projectId, id) {
      const r = await db
        .deleteFrom("spend_alerts")
        .where("org_id", "=", orgId)
        .where("scope_id", "=", projectId ?? orgId)
        .where("id", "=", id)
        .executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async claimFiring(key, at) {
      const r = await db
        .insertInto("spend_alert_firings")
        .values({ key, fired_at: at })
        .onConflict((oc) => oc.column("key").doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
    },
  };
}
