import type Sqlite from "better-sqlite3";
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type SqliteDatabase,
  SqliteDialect,
  SqliteDriver,
} from "kysely";

export type DialectName = "sqlite" | "postgres";

/** The few value encodings that differ between the dialects. */
export interface DialectInfo {
  readonly name: DialectName;
  /** SQLite has no boolean type (stored as 0/1); PostgreSQL columns are boolean. */
  bool(v: boolean): number | boolean;
}

export const dialectInfo = (name: DialectName): DialectInfo => ({
  name,
  bool: (v) => (name === "sqlite" ? (v ? 1 : 0) : v),
});

/**
 * Takes SQLite's write lock when a transaction starts. With plain `begin`, a transaction that
 * reads and then writes fails with SQLITE_BUSY (no busy wait) when another process committed in
 * between; `begin immediate` waits on busy_timeout instead, which makes concurrent migrate() and
 * multi-process writers safe.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

/**
 * Reuses prepared statements: Kysely prepares every query anew, which costs more than the
 * index probe itself on hot lookups. Safe because Kysely runs one query at a time on the single
 * SQLite connection; SQLite re-prepares a cached statement itself after a schema change.
 */
function cachingDatabase(db: Sqlite.Database, max = 256): SqliteDatabase {
  const cache = new Map<string, Sqlite.Statement>();
  return {
    close: () => db.close(),
    prepare(sql) {
      let stmt = cache.get(sql);
      if (stmt) {
        // Map order is insertion order: re-insert to keep recently used statements last.
        cache.delete(sql);
      } else {
        stmt = db.prepare(sql);
        if (cache.size >= max) {
          const oldest = cache.keys().next();
          if (!oldest.done) cache.delete(oldest.value);
        }
      }
      cache.set(sql, stmt);
      return stmt;
    },
  };
}

export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #database: SqliteDatabase;

  constructor(database: Sqlite.Database) {
    const cached = cachingDatabase(database);
    super({ database: cached });
    this.#database = cached;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.#database });
  }
}
