import type { Selectable } from "kysely";
import type { AuditActor, AuditEventRecord } from "../../records.js";
import type { StoreRepos } from "../../store.js";
import { fromJson, toJson } from "../codec.js";
import { finishPage, planPage } from "../page.js";
import type { AuditEventsTable } from "../schema.js";
import type { RepoCtx } from "./types.js";

const toEvent = (r: Selectable<AuditEventsTable>): AuditEventRecord => ({
  id: r.id,
  orgId: r.org_id,
  projectId: r.project_id,
  projectName: r.project_name,
  type: r.type,
  effectiveAt: r.effective_at,
  actor: fromJson<AuditActor>(r.actor),
  resourceId: r.resource_id,
  details: fromJson<Record<string, unknown>>(r.details),
});

export function auditRepo({ db }: RepoCtx): StoreRepos["audit"] {
  return {
    async insert(e) {
      await db
        .insertInto("audit_events")
        .values({
          id: e.id,
          org_id: e.orgId,
          project_id: e.projectId,
          project_name: e.projectName,
          type: e.type,
          effective_at: e.effectiveAt,
          actor: toJson(e.actor),
          actor_key_id: e.actor.apiKey?.id ?? null,
          actor_user_id: e.actor.apiKey?.user?.id ?? e.actor.session?.user.id ?? null,
          resource_id: e.resourceId,
          details: toJson(e.details),
        })
        .execute();
    },
    async list(orgId, f, q) {
      const p = planPage(q);
      // An empty id list matches nothing (as `IN ()` would); SQL cannot express it directly.
      const lists = [f.eventTypes, f.projectIds, f.actorIds, f.resourceIds];
      if (lists.some((l) => l !== undefined && l.length === 0)) return { data: [], hasMore: false };
      let qb = db.selectFrom("audit_events").selectAll().where("org_id", "=", orgId);
      const at = f.effectiveAt;
      if (at?.gt !== undefined) qb = qb.where("effective_at", ">", at.gt);
      if (at?.gte !== undefined) qb = qb.where("effective_at", ">=", at.gte);
      if (at?.lt !== undefined) qb = qb.where("effective_at", "<", at.lt);
      if (at?.lte !== undefined) qb = qb.where("effective_at", "<=", at.lte);
      if (f.eventTypes) qb = qb.where("type", "in", f.eventTypes);
      if (f.projectIds) qb = qb.where("project_id", "in", f.projectIds);
      if (f.resourceIds) qb = qb.where("resource_id", "in", f.resourceIds);
      const actorIds = f.actorIds;
      if (actorIds) {
        qb = qb.where((eb) =>
          eb.or([eb("actor_key_id", "in", actorIds), eb("actor_user_id", "in", actorIds)]),
        );
      }
      const cursor = (id: string) => db.selectFrom("audit_events").select("seq").where("id", "=", id);
      if (q.after !== undefined) qb = qb.where("seq", p.afterOp, cursor(q.after));
      if (q.before !== undefined) qb = qb.where("seq", p.beforeOp, cursor(q.before));
      const rows = await qb.orderBy("seq", p.dir).limit(p.fetch).execute();
      return finishPage(rows, p, toEvent);
    },
  };
}
