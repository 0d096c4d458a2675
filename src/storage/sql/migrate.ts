import { type Kysely, sql } from "kysely";
import type { DialectInfo } from "./dialect.js";
import { MIGRATIONS } from "./migrations/index.js";
import type { Database } from "./schema.js";

/**
 * Applies missing migrations in one transaction. Concurrent starts serialise: PostgreSQL on a
 * per-schema advisory lock, SQLite on the write lock `begin immediate` takes. The second process
 * then sees the versions the first recorded and has nothing to do.
 */
export interface MigrationProgress {
  version: number;
  name: string;
  /** 1-based position among the migrations this run applies. */
  index: number;
  total: number;
  phase: "start" | "done";
}

export async function migrate(
  db: Kysely<Database>,
  d: DialectInfo,
  now: () => number,
  onProgress?: (p: MigrationProgress) => void,
): Promise<number[]> {
  return db.transaction().execute(async (trx) => {
    if (d.name === "postgres") {
      await sql`select pg_advisory_xact_lock(hashtext('keyplane.migrate.' || current_schema()))`.execute(trx);
    }
    await trx.schema
      .createTable("kp_migrations")
      .ifNotExists()
      .addColumn("version", "integer", (c) => c.primaryKey())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("applied_at", "bigint", (c) => c.notNull())
      .execute();
    const rows = await trx.selectFrom("kp_migrations").select("version").execute();
    const done = new Set(rows.map((r) => Number(r.version)));
    const applied: number[] = [];
    const pending = MIGRATIONS.filter((m) => !done.has(m.version));
    for (const [i, m] of pending.entries()) {
      const step = { version: m.version, name: m.name, index: i + 1, total: pending.length };
      onProgress?.({ ...step, phase: "start" });
      await m.up(trx, d);
      await trx
        .insertInto("kp_migrations")
        .values({ version: m.version, name: m.name, applied_at: now() })
        .execute();
      applied.push(m.version);
      onProgress?.({ ...step, phase: "done" });
    }
    return applied;
  });
}
