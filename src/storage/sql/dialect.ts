import type Sqlite from "better-sqlite3";
import { CompiledQuery, type DatabaseConnection, type Driver, SqliteDialect, SqliteDriver } from "kysely";

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

export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #database: Sqlite.Database;

  constructor(database: Sqlite.Database) {
    super({ database });
    this.#database = database;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.#database });
  }
}
