import type { StoreRepos } from "../../store.js";
import type { RepoCtx } from "./types.js";

export function metaRepo({ db }: RepoCtx): StoreRepos["meta"] {
  return {
    async get(key) {
      const r = await db.selectFrom("meta").select("value").where("key", "=", key).executeTakeFirst();
      return r ? r.value : null;
    },
    async set(key, value) {
      await db
        .insertInto("meta")
        .values({ key, value })
        .onConflict((oc) => oc.column("key").doUpdateSet({ value }))
        .execute();
    },
  };
}
