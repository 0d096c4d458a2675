/**
 * Fresh, isolated databases for tests, so test files run in parallel (and several worktrees can
 * share the same PostgreSQL server).
 *
 *   const url = freshSqliteUrl();                 // sqlite:<new temp dir>/keyplane.db
 *   const store = await openStore({ url, dataDir: "unused" });
 *
 *   const pg = await freshPgSchema();             // { url, schema, drop }
 *   const store = await openStore({ url: pg.url, dataDir: "unused" });   // url carries ?schema=
 *   afterAll(async () => { await store.close(); await pg.drop(); });
 *
 * PostgreSQL is 127.0.0.1:5432, user postgres, database `test` unless KEYPLANE_TEST_PG_URL is set.
 * Temp dirs from freshSqliteUrl() are removed when the test process exits; freshSqlite() gives
 * the same with an explicit cleanup().
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

export const TEST_PG_URL = process.env.KEYPLANE_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

const tempDirs = new Set<string>();
let exitHooked = false;

export interface FreshSqlite {
  url: string;
  dataDir: string;
  cleanup(): void;
}

export function freshSqlite(): FreshSqlite {
  const dataDir = mkdtempSync(join(tmpdir(), "keyplane-test-"));
  tempDirs.add(dataDir);
  if (!exitHooked) {
    exitHooked = true;
    process.on("exit", () => {
      for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
    });
  }
  return {
    url: `sqlite:${join(dataDir, "keyplane.db")}`,
    dataDir,
    cleanup: () => {
      rmSync(dataDir, { recursive: true, force: true });
      tempDirs.delete(dataDir);
    },
  };
}

export function freshSqliteUrl(): string {
  return freshSqlite().url;
}

export interface FreshPgSchema {
  /** TEST_PG_URL with `?schema=<schema>`; openStore creates the schema on first open. */
  url: string;
  schema: string;
  /** Drops the schema and everything in it. */
  drop(): Promise<void>;
}

export async function freshPgSchema(prefix = "t"): Promise<FreshPgSchema> {
  const rand = `${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 10)}`;
  const schema = `${prefix.toLowerCase().replace(/[^a-z0-9_]/g, "_")}_${rand}`;
  const u = new URL(TEST_PG_URL);
  u.searchParams.set("schema", schema);
  return {
    url: u.toString(),
    schema,
    drop: async () => {
      const client = new pg.Client({ connectionString: TEST_PG_URL });
      await client.connect();
      try {
        await client.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await client.end();
      }
    },
  };
}
