import type { Kysely } from "kysely";
import type { DialectInfo } from "../dialect.js";
import type { Database } from "../schema.js";

/** What every repo factory receives: the pool-level db or a transaction, and the dialect. */
export interface RepoCtx {
  db: Kysely<Database>;
  d: DialectInfo;
}
