import type { Kysely } from "kysely";
import type { DialectInfo } from "../dialect.js";
import type { Database } from "../schema.js";

/** What every repo factory receives: the pool-level db or a transaction, and the dialect. */
export interface RepoCtx {
  db: Kysely<Database>;
  d: DialectInfo;
}

/** Runs a multi-statement write atomically: joins the caller's transaction or opens one. */
export function atomic<T>(db: Kysely<Database>, fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}
