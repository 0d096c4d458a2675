import type { ProjectUserRecord } from "../../records.js";
import type { ProjectUserView, StoreRepos } from "../../store.js";
import { finishPage, planPage } from "../page.js";
import type { RepoCtx } from "./types.js";

interface JoinedRow {
  pu_role: string;
  pu_added_at: number;
  pu_project_id: string;
  id: string;
  org_id: string;
  email: string;
  name: string;
  role: string;
  added_at: number;
  password_hash: string | null;
}

const toView = (r: JoinedRow): ProjectUserView => ({
  projectId: r.pu_project_id,
  userId: r.id,
  role: r.pu_role as ProjectUserRecord["role"],
  addedAt: r.pu_added_at,
  user: {
    id: r.id,
    orgId: r.org_id,
    email: r.email,
    name: r.name,
    role: r.role as ProjectUserView["user"]["role"],
    addedAt: r.added_at,
    passwordHash: r.password_hash,
  },
});

export function projectUsersRepo({ db }: RepoCtx): StoreRepos["projectUsers"] {
  const joined = (projectId: string) =>
    db
      .selectFrom("project_users as pu")
      .innerJoin("users as u", "u.id", "pu.user_id")
      .select([
        "pu.role as pu_role",
        "pu.added_at as pu_added_at",
        "pu.project_id as pu_project_id",
        "u.id",
        "u.org_id",
        "u.email",
        "u.name",
        "u.role",
        "u.added_at",
        "u.password_hash",
      ])
      .where("pu.project_id", "=", projectId);
  return {
    async upsert(m) {
      await db
        .insertInto("project_users")
        .values({ project_id: m.projectId, user_id: m.userId, role: m.role, added_at: m.addedAt })
        // An existing member keeps its original added_at; only the role changes.
        .onConflict((oc) => oc.columns(["project_id", "user_id"]).doUpdateSet({ role: m.role }))
        .execute();
    },
    async get(projectId, userId) {
      const r = await joined(projectId).where("pu.user_id", "=", userId).executeTakeFirst();
      return r ? toView(r) : null;
    },
    async list(projectId, q) {
      const p = planPage(q);
      let qb = joined(projectId);
      if (q.after !== undefined) {
        const cursor = db
          .selectFrom("project_users")
          .select("seq")
          .where("project_id", "=", projectId)
          .where("user_id", "=", q.after);
        qb = qb.where("pu.seq", p.afterOp, cursor);
      }
      const rows = await qb.orderBy("pu.seq", p.dir).limit(p.fetch).execute();
      return finishPage(rows, p, toView);
    },
    async updateRole(projectId, userId, role) {
      const r = await db
        .updateTable("project_users")
        .set({ role })
        .where("project_id", "=", projectId)
        .where("user_id", "=", userId)
        .executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },
    async delete(projectId, userId) {
      const r = await db
        .deleteFrom("project_users")
        .where("project_id", "=", projectId)
        .where("user_id", "=", userId)
        .executeTakeFirst();
      return r.numDeletedRows > 0n;
    },
  };
}
