import type { Selectable, Updateable } from "kysely";
import type { ServiceAccountRecord } from "../../records.js";
import type { StoreRepos } from "../../store.js";
import { patchColumns } from "../codec.js";
import { finishPage, planPage } from "../page.js";
import type { ServiceAccountsTable } from "../schema.js";
import type { RepoCtx } from "./types.js";

const toSa = (r: Selectable<ServiceAccountsTable>): ServiceAccountRecord => ({
  id: r.id,
  orgId: r.org_id,
  projectId: r.project_id,
  name: r.name,
  role: r.role as ServiceAccountRecord["role"],
  createdAt: r.created_at,
});

export function serviceAccountsRepo({ db }: RepoCtx): StoreRepos["serviceAccounts"] {
  const get = async (projectId: string, id: string): Promise<ServiceAccountRecord | null> => {
    const r = await db
      .selectFrom("service_accounts")
      .selectAll()
      .where("id", "=", id)
      .where("project_id", "=", projectId)
      .executeTakeFirst();
    return r ? toSa(r) : null;
  };
  return {
    async insert(sa) {
      await db
        .insertInto("service_accounts")
        .values({
          id: sa.id,
          org_id: sa.orgId,
          project_id: sa.projectId,
          name: sa.name,
          role: sa.role,
          created_at: sa.createdAt,
        })
        .execute();
    },
    get,
    async list(projectId, q) {
      const p = planPage(q);
      let qb = db.selectFrom("service_accounts").selectAll().where("project_id", "=", projectId);
      if (q.after !== undefined) {
        qb = qb.where(
          "seq",
          p.afterOp,
          db.selectFrom("service_accounts").select("seq").where("id", "=", q.after),
        );
      }
      const rows = await qb.orderBy("seq", p.dir).limit(p.fetch).execute();
      return finishPage(rows, p, toSa);
    },
    async update(projectId, id, patch) {
      const set = patchColumns<typeof patch, Updateable<ServiceAccountsTable>>(patch, {
        name: (v) => ({ name: v }),
        role: (v) => ({ role: v }),
      });
      if (Object.keys(set).length === 0) return get(projectId, id);
      const r = await db
        .updateTable("service_accounts")
        .set(set)
        .where("id", "=", id)
        .where("project_id", "=", projectId)
        .returningAll()
        .executeTakeFirst();
      return r ? toSa(r) : null;
    },
    async delete(projectId, id) {
      const r = await db
        .deleteFrom("service_accounts")
        .where("id", "=", id)
        .where("project_id", "=", projectId)
        .executeTakeFirst();
      return r.numDeletedRows > 0n;
    },
  };
}
