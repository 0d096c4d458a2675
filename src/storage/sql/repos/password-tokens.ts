import type { StoreRepos } from "../../store.js";
import type { RepoCtx } from "./types.js";

export function passwordTokensRepo({ db }: RepoCtx): StoreRepos["passwordTokens"] {
  return {
    async insert(t) {
      await db
        .insertInto("password_tokens")
        .values({
          digest: t.digest,
          org_id: t.orgId,
          user_id: t.userId,
          created_at: t.createdAt,
          expires_at: t.expiresAt,
          used_at: t.usedAt,
        })
        .execute();
    },
    async consume(digest, now) {
      // One guarded update decides the race: only the first redemption sees a row come back.
      const r = await db
        .updateTable("password_tokens")
        .set({ used_at: now })
        .where("digest", "=", digest)
        .where("used_at", "is", null)
        .where("expires_at", ">", now)
        .returningAll()
        .executeTakeFirst();
      return r
        ? {
            digest: r.digest,
            orgId: r.org_id,
            userId: r.user_id,
            createdAt: r.created_at,
            expiresAt: r.expires_at,
            usedAt: r.used_at,
          }
        : null;
    },
  };
}
