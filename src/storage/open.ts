import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import Sqlite from "better-sqlite3";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { dialectInfo, ImmediateSqliteDialect } from "./sql/dialect.js";
import type { Database } from "./sql/schema.js";
import { SqlStore } from "./sql/sql-store.js";
import type { Store } from "./store.js";

export interface OpenStoreOptions {
  /** undefined → `<dataDir>/keyplane.db`; a path, `sqlite:` or `file:` → SQLite; `postgres(ql)://` → PostgreSQL. */
  url?: string | undefined;
  dataDir: string;
  /** PostgreSQL schema for every query (created if missing). Overrides the URL's `?schema=`. */
  pgSchema?: string | undefined;
  /** Apply missing migrations before returning (default true). */
  migrate?: boolean | undefined;
  /** PostgreSQL pool size (default 10). */
  pgPoolMax?: number | undefined;
  /**
   * A connection that only appends (the usage writer) needs neither a large page cache nor
   * memory-mapped reads; each would add to the process's resident memory.
   */
  sqliteWriteOnly?: boolean | undefined;
}

export type StoreTarget =
  | { kind: "sqlite"; path: string }
  | { kind: "postgres"; connectionString: string; schema: string | undefined };

export function parseStoreUrl(url: string | undefined, dataDir: string): StoreTarget {
  if (url === undefined || url === "") return { kind: "sqlite", path: join(dataDir, "keyplane.db") };
  if (/^postgres(ql)?:\/\//i.test(url)) {
    const u = new URL(url);
    const schema = u.searchParams.get("schema") ?? undefined;
    u.searchParams.delete("schema");
    return { kind: "postgres", connectionString: u.toString(), schema };
  }
  if (/^file:/i.test(url)) {
    return { kind: "sqlite", path: url.startsWith("file://") ? fileURLToPath(url) : url.slice(5) };
  }
  if (/^sqlite:/i.test(url)) {
    const rest = url.slice(7);
    return { kind: "sqlite", path: rest.startsWith("//") ? rest.slice(2) : rest };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url))
    throw new Error(`Unsupported database URL scheme: ${url.split(":")[0]}`);
  return { kind: "sqlite", path: url };
}

/** Schema names go into search_path and DDL unquoted-safe, so keep them to plain identifiers. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export async function openStore(opts: OpenStoreOptions): Promise<Store> {
  const target = parseStoreUrl(opts.url, opts.dataDir);
  const store =
    target.kind === "sqlite"
      ? await openSqlite(target.path, opts.sqliteWriteOnly === true)
      : await openPostgres(target.connectionString, opts.pgSchema ?? target.schema, opts.pgPoolMax ?? 10);
  if (opts.migrate !== false) {
    try {
      await store.migrate();
    } catch (err) {
      await store.close();
      throw err;
    }
  }
  return store;
}

async function openSqlite(path: string, writeOnly: boolean): Promise<SqlStore> {
  if (path !== ":memory:") mkdirSync(dirname(resolve(path)), { recursive: true });
  const db = new Sqlite(path);
  db.pragma("busy_timeout = 5000");
  await enableWal(db);
  // WAL + NORMAL: durable against process crashes; only an OS crash can lose the last commits.
  db.pragma("synchronous = NORMAL");
  // A larger page cache and memory-mapped reads keep digest lookups off read() syscalls once
  // the key table outgrows SQLite's 2 MB default cache (a million keys is a few hundred MB).
  if (writeOnly) db.pragma("cache_size = -4096");
  else {
    db.pragma("cache_size = -32768");
    db.pragma("mmap_size = 1073741824");
  }
  const dialect = new ImmediateSqliteDialect(db);
  return new SqlStore(new Kysely<Database>({ dialect }), {
    ...dialectInfo("sqlite"),
    eachRow: dialect.eachRow,
  });
}

/**
 * WAL is persistent, so only the first open of a new file switches it. That switch needs an
 * exclusive lock and fails at once (busy_timeout does not apply) while another process writes,
 * e.g. two instances starting on a fresh file, so retry for a while.
 */
async function enableWal(db: Sqlite.Database): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      db.pragma("journal_mode = WAL");
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== "SQLITE_BUSY" || Date.now() > deadline) throw err;
      await delay(25);
    }
  }
}

/** int8 (bigint, bigserial, count) as numbers: every value we store stays below 2^53. */
const types: pg.CustomTypesConfig = {
  getTypeParser: (oid: number, format?: "text" | "binary") =>
    oid === pg.types.builtins.INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format),
};

async function openPostgres(
  connectionString: string,
  schema: string | undefined,
  max: number,
): Promise<SqlStore> {
  if (schema !== undefined && !SCHEMA_NAME.test(schema))
    throw new Error(`Invalid PostgreSQL schema name: ${schema}`);
  const pool = new pg.Pool({
    connectionString,
    max,
    types,
    // Every pooled connection starts with the schema first on its search path.
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  // An idle client that dies is dropped by the pool; the next query reports the failure.
  pool.on("error", () => {});
  if (schema !== undefined) {
    try {
      await pool.query(`create schema if not exists ${schema}`);
    } catch (err) {
      // Two processes creating the same schema at once: the loser sees a duplicate; that is fine.
      const code = (err as { code?: string }).code;
      if (code !== "23505" && code !== "42P06") {
        await pool.end();
        throw err;
      }
    }
  }
  return new SqlStore(
    new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }),
    dialectInfo("postgres"),
  );
}
