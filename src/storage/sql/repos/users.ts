import type { Selectable, Updateable } from "kysely";
import type { UserRecord } from "../../records.js";
import type { StoreRepos, UserPatch } from "../../store.js";
import { patchColumns } from "../codec.js";
import { finishPage, planPage } from "../page.js";
import type { UsersTable } from "../schema.js";
import { atomic, type RepoCtx } from "./types.js";

export const toUser = (r: Selectable<UsersTable>): UserRecord => ({
  id: r.id,
  orgId: r.org_id,
  email: r.email,
  name: r.name,
  role: r.role as UserRecord["role"],
  addedAt: r.added_at,
  passwordHash: r.password_hash,
});

export function usersRepo({ db }: RepoCtx): StoreRepos["users"] {
  const get = async (orgId: string, id: string): Promise<UserRecord | null> => {
    const r = await db
      .selectFrom("users")
      .selectAll()
      .where("id", "=", id)
      .where("org_id", "=", orgId)
      .executeTakeFirst();
    return r ? toUser(r) : null;
  };
  return {
    async insert(u) {
      await db
        .insertInto("users")
        .values({
          id: u.id,
          org_id: u.orgId,
          email: u.email,
          name: u.name,
          role: u.role,
          added_at: u.addedAt,
          password_hash: u.passwordHash,
        })
        .execute();
    },
    get,
    async getByEmail(orgId, email) {
      const r = await db
        .selectFrom("users")
        .selectAll()
        .where("org_id", "=", orgId)
        .where("email", "=", email)
        .executeTakeFirst();
      return r ? toUser(r) : null;
    },
    async list(orgId, q) {
      const p = planPage(q);
      let qb = db.selectFrom("users").selectAll().where("org_id", "=", orgId);
      if (q.emails !== undefined) {
        if (q.emails.length === 0) return { data: [], hasMore: false };
        qb = qb.where("email", "in", q.emails);
      }
      if (q.after !== undefined) {
        qb = qb.where("seq", p.afterOp, db.selectFrom("users").select("seq").where("id", "=", q.after));
      }
      const rows = await qb.orderBy("seq", p.dir).limit(p.fetch).execute();
      return finishPage(rows, p, toUser);
    },
    async update(orgId, id, patch) {
      const set = patchColumns<UserPatch, Updateable<UsersTable>>(patch, {
        name: (v) => ({ name: v }),
        role: (v) => ({ role: v }),
        passwordHash: (v) => ({ password_hash: v }),
      });
      if (Object.keys(set).length === 0) return get(orgId, id);
      const r = await db
        .updateTable("users")
        .set(set)
        .where("id", "=", id)
        .where("org_id", "=", orgId)
        .returningAll()
        .executeTakeFirst();
      return r ? toUser(r) : null;
    },
    delete(orgId, id) {
      return atomic(db, async (db) => {
        const r = await db
          .deleteFrom("users")
          .where("id", "=", id)
          .where("org_id", "=", orgId)
          .executeTakeFirst();
        if (r.numDeletedRows === 0n) return false;
        // No foreign keys: a removed user's project memberships go with it.
        await db.deleteFrom("project_users").where("user_id", "=", id).execute();
        return true;
      });
    },
  };
}
