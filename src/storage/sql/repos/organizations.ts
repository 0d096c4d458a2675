import type { Selectable } from "kysely";
import type { OrganizationRecord } from "../../records.js";
import type { StoreRepos } from "../../store.js";
import { finishPage, planPage } from "../page.js";
import type { OrganizationsTable } from "../schema.js";
import type { RepoCtx } from "./types.js";

const toOrg = (r: Selectable<OrganizationsTable>): OrganizationRecord => ({
  id: r.id,
  name: r.name,
  createdAt: r.created_at,
});

export function organizationsRepo({ db }: RepoCtx): StoreRepos["organizations"] {
  return {
    async insert(org) {
      await db
        .insertInto("organizations")
        .values({ id: org.id, name: org.name, created_at: org.createdAt })
        .execute();
    },
    async get(id) {
      const r = await db.selectFrom("organizations").selectAll().where("id", "=", id).executeTakeFirst();
      return r ? toOrg(r) : null;
    },
    async list(q) {
      const p = planPage(q);
      let qb = db.selectFrom("organizations").selectAll();
      if (q.after !== undefined) {
        qb = qb.where(
          "seq",
          p.afterOp,
          db.selectFrom("organizations").select("seq").where("id", "=", q.after),
        );
      }
      const rows = await qb.orderBy("seq", p.dir).limit(p.fetch).execute();
      return finishPage(rows, p, toOrg);
    },
  };
}
