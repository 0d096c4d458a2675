import type { Selectable, Updateable } from "kysely";
import type { ProjectRecord } from "../../records.js";
import type { ProjectPatch, StoreRepos } from "../../store.js";
import { fromJson, patchColumns, toJson } from "../codec.js";
import { finishPage, planPage } from "../page.js";
import type { ProjectsTable } from "../schema.js";
import type { RepoCtx } from "./types.js";

const toProject = (r: Selectable<ProjectsTable>): ProjectRecord => ({
  id: r.id,
  orgId: r.org_id,
  name: r.name,
  status: r.status as ProjectRecord["status"],
  createdAt: r.created_at,
  archivedAt: r.archived_at,
  externalKeyId: r.external_key_id,
  residency: r.residency,
  modelMode: r.model_mode as ProjectRecord["modelMode"],
  modelIds: fromJson<string[]>(r.model_ids),
});

export function projectsRepo({ db }: RepoCtx): StoreRepos["projects"] {
  const get = async (orgId: string, id: string): Promise<ProjectRecord | null> => {
    const r = await db
      .selectFrom("projects")
      .selectAll()
      .where("id", "=", id)
      .where("org_id", "=", orgId)
      .executeTakeFirst();
    return r ? toProject(r) : null;
  };
  return {
    async insert(p) {
      await db
        .insertInto("projects")
        .values({
          id: p.id,
          org_id: p.orgId,
          name: p.name,
          status: p.status,
          created_at: p.createdAt,
          archived_at: p.archivedAt,
          external_key_id: p.externalKeyId,
          residency: p.residency,
          model_mode: p.modelMode,
          model_ids: toJson(p.modelIds),
        })
        .execute();
    },
    get,
    async list(orgId, q) {
      const p = planPage(q);
      let qb = db.selectFrom("projects").selectAll().where("org_id", "=", orgId);
      if (!q.includeArchived) qb = qb.where("status", "=", "active");
      if (q.after !== undefined) {
        qb = qb.where("seq", p.afterOp, db.selectFrom("projects").select("seq").where("id", "=", q.after));
      }
      const rows = await qb.orderBy("seq", p.dir).limit(p.fetch).execute();
      return finishPage(rows, p, toProject);
    },
    async update(orgId, id, patch) {
      const set = patchColumns<ProjectPatch, Updateable<ProjectsTable>>(patch, {
        name: (v) => ({ name: v }),
        status: (v) => ({ status: v }),
        archivedAt: (v) => ({ archived_at: v }),
        externalKeyId: (v) => ({ external_key_id: v }),
        modelMode: (v) => ({ model_mode: v }),
        modelIds: (v) => ({ model_ids: toJson(v) }),
      });
      if (Object.keys(set).length === 0) return get(orgId, id);
      const r = await db
        .updateTable("projects")
        .set(set)
        .where("id", "=", id)
        .where("org_id", "=", orgId)
        .returningAll()
        .executeTakeFirst();
      return r ? toProject(r) : null;
    },
  };
}
