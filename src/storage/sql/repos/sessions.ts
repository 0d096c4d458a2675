import type { Selectable, Updateable } from "kysely";
import type { SessionRecord } from "../../records.js";
import type { SessionPatch, StoreRepos } from "../../store.js";
import { fromJson, patchColumns, toJson } from "../codec.js";
import type { SessionsTable } from "../schema.js";
import type { RepoCtx } from "./types.js";

const toSession = (r: Selectable<SessionsTable>): SessionRecord => ({
  digest: r.digest,
  orgId: r.org_id,
  userId: r.user_id,
  userIds: fromJson<string[]>(r.user_ids),
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
  expiresAt: r.expires_at,
  ipAddress: r.ip_address,
  userAgent: r.user_agent,
});

export function sessionsRepo({ db }: RepoCtx): StoreRepos["sessions"] {
  return {
    async insert(s) {
      await db
        .insertInto("sessions")
        .values({
          digest: s.digest,
          org_id: s.orgId,
          user_id: s.userId,
          user_ids: toJson(s.userIds),
          created_at: s.createdAt,
          last_seen_at: s.lastSeenAt,
          expires_at: s.expiresAt,
          ip_address: s.ipAddress,
          user_agent: s.userAgent,
        })
        .execute();
    },
    async get(digest) {
      const r = await db.selectFrom("sessions").selectAll().where("digest", "=", digest).executeTakeFirst();
      return r ? toSession(r) : null;
    },
    async update(digest, patch) {
      const set = patchColumns<SessionPatch, Updateable<SessionsTable>>(patch, {
        orgId: (v) => ({ org_id: v }),
        userId: (v) => ({ user_id: v }),
        lastSeenAt: (v) => ({ last_seen_at: v }),
      });
      if (Object.keys(set).length === 0) return false;
      const r = await db.updateTable("sessions").set(set).where("digest", "=", digest).executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },
    async delete(digest) {
      const r = await db.deleteFrom("sessions").where("digest", "=", digest).executeTakeFirst();
      return r.numDeletedRows > 0n;
    },
    async deleteByUsers(userIds) {
      if (userIds.length === 0) return 0;
      const r = await db.deleteFrom("sessions").where("user_id", "in", userIds).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
