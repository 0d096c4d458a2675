import { type Kysely, sql } from "kysely";
import type { MigrateOptions, Store, StoreRepos } from "../store.js";
import type { DialectInfo } from "./dialect.js";
import { migrate } from "./migrate.js";
import { MIGRATIONS } from "./migrations/index.js";
import { makeRepos } from "./repos/index.js";
import type { Database } from "./schema.js";

/**
 * The one Store implementation for both dialects. Do not call `store.transaction` (or the
 * store's own repos) from inside a transaction callback: on SQLite the single connection is
 * held by the transaction, so that would wait forever. Use the `tx` repos instead.
 */
export class SqlStore implements Store {
  readonly dialect: DialectInfo["name"];
  readonly organizations: StoreRepos["organizations"];
  readonly projects: StoreRepos["projects"];
  readonly users: StoreRepos["users"];
  readonly projectUsers: StoreRepos["projectUsers"];
  readonly serviceAccounts: StoreRepos["serviceAccounts"];
  readonly apiKeys: StoreRepos["apiKeys"];
  readonly audit: StoreRepos["audit"];
  readonly usage: StoreRepos["usage"];
  readonly rateLimits: StoreRepos["rateLimits"];
  readonly spendLimits: StoreRepos["spendLimits"];
  readonly spendAlerts: StoreRepos["spendAlerts"];
  readonly meta: StoreRepos["meta"];
  readonly sessions: StoreRepos["sessions"];
  readonly invites: StoreRepos["invites"];
  readonly passwordTokens: StoreRepos["passwordTokens"];
  readonly #db: Kysely<Database>;
  readonly #d: DialectInfo;
  #closed = false;

  constructor(db: Kysely<Database>, d: DialectInfo) {
    this.#db = db;
    this.#d = d;
    this.dialect = d.name;
    const r = makeRepos({ db, d });
    this.organizations = r.organizations;
    this.projects = r.projects;
    this.users = r.users;
    this.projectUsers = r.projectUsers;
    this.serviceAccounts = r.serviceAccounts;
    this.apiKeys = r.apiKeys;
    this.audit = r.audit;
    this.usage = r.usage;
    this.rateLimits = r.rateLimits;
    this.spendLimits = r.spendLimits;
    this.spendAlerts = r.spendAlerts;
    this.meta = r.meta;
    this.sessions = r.sessions;
    this.invites = r.invites;
    this.passwordTokens = r.passwordTokens;
  }

  /** The Kysely instance, for tooling (bench seeding, diagnostics); services use the repos. */
  get db(): Kysely<Database> {
    return this.#db;
  }

  transaction<T>(fn: (tx: StoreRepos) => Promise<T>): Promise<T> {
    return this.#db.transaction().execute((trx) => fn(makeRepos({ db: trx, d: this.#d })));
  }

  async migrate(opts: MigrateOptions = {}): Promise<void> {
    await migrate(this.#db, this.#d, () => Math.floor(Date.now() / 1000), opts.onProgress);
  }

  async pendingMigrations(): Promise<number[]> {
    let done: Set<number>;
    try {
      const rows = await this.#db.selectFrom("kp_migrations").select("version").execute();
      done = new Set(rows.map((r) => Number(r.version)));
    } catch {
      // No bookkeeping table yet: nothing was ever applied.
      done = new Set();
    }
    return MIGRATIONS.map((m) => m.version).filter((v) => !done.has(v));
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.#db);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#db.destroy();
  }
}
