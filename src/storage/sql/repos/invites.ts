import type { Selectable } from "kysely";
import type { InviteProject, InviteRecord } from "../../records.js";
import type { StoreRepos } from "../../store.js";
import { fromJson, toJson } from "../codec.js";
import { finishPage, planPage } from "../page.js";
import type { InvitesTable } from "../schema.js";
import type { RepoCtx } from "./types.js";

const toInvite = (r: Selectable<InvitesTable>): InviteRecord => ({
  id: r.id,
  orgId: r.org_id,
  email: r.email,
  role: r.role as InviteRecord["role"],
  projects: fromJson<InviteProject[]>(r.projects),
  tokenDigest: r.token_digest,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  acceptedAt: r.accepted_at,
});

export function invitesRepo({ db }: RepoCtx): StoreRepos["invites"] {
  return {
    async insert(i) {
      await db
        .insertInto("invites")
        .values({
          id: i.id,
          org_id: i.orgId,
          email: i.email,
          role: i.role,
          projects: toJson(i.projects),
          token_digest: i.tokenDigest,
          created_at: i.createdAt,
          expires_at: i.expiresAt,
          accepted_at: i.acceptedAt,
        })
        .execute();
    },
    async get(orgId, id) {
      const r = await db
        .selectFrom("invites")
        .selectAll()
        .where("id", "=", id)
        .where("org_id", "=", orgId)
        .executeTakeFirst();
      return r ? toInvite(r) : null;
    },
    async getByTokenDigest(digest) {
      const r = await db
        .selectFrom("invites")
        .selectAll()
        .where("token_digest", "=", digest)
        .executeTakeFirst();
      return r ? toInvite(r) : null;
    },
    async list(orgId, q) {
      const p = planPage(q);
      let qb = db.selectFrom("invites").selectAll().where("org_id", "=", orgId);
      if (q.after !== undefined) {
        qb = qb.where("seq", p.afterOp, db.selectFrom("invites").select("seq").where("id", "=", q.after));
      }
      const rows = await qb.orderBy("seq", p.dir).limit(p.fetch).execute();
      return finishPage(rows, p, toInvite);
    },
    async markAccepted(id, at) {
      // The `accepted_at is null` guard makes redemption single-use even under concurrency.
      const r = await db
        .updateTable("invites")
        .set({ accepted_at: at })
        .where("id", "=", id)
        .where("accepted_at", "is", null)
        .executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },
    async delete(orgId, id) {
      const r = await db
        .deleteFrom("invites")
        .where("id", "=", id)
        .where("org_id", "=", orgId)
        .executeTakeFirst();
      return r.numDeletedRows > 0n;
    },
  };
}
