import { spawn } from "node:child_process";
import { once } from "node:events";
import Sqlite from "better-sqlite3";
import { type CompiledQuery, Kysely, sql } from "kysely";
import { describe, expect, it } from "vitest";
import { openStore } from "../../src/storage/open.js";
import { dialectInfo, ImmediateSqliteDialect } from "../../src/storage/sql/dialect.js";
import { MIGRATIONS } from "../../src/storage/sql/migrations/index.js";
import type { Database } from "../../src/storage/sql/schema.js";
import { SqlStore } from "../../src/storage/sql/sql-store.js";
import { runStoreContract } from "../../src/storage/store.contract.js";
import { freshSqlite } from "../helpers/db.js";

const db = freshSqlite();
runStoreContract("sqlite", () => openStore({ url: db.url, dataDir: db.dataDir }));

describe("sqlite specifics", () => {
  it("migrate waits for another process's write lock, then applies each migration once", async () => {
    const fresh = freshSqlite();
    const file = fresh.url.slice("sqlite:".length);
    const holder = spawn(
      process.execPath,
      [
        "-e",
        `const D = require("better-sqlite3"); const db = new D(${JSON.stringify(file)});
         db.exec("begin immediate"); process.stdout.write("locked\\n");
         setTimeout(() => { db.exec("commit"); db.close(); }, 300);`,
      ],
      { cwd: process.cwd(), stdio: ["ignore", "pipe", "inherit"] },
    );
    const exited = once(holder, "exit");
    await once(holder.stdout, "data");
    const a = await openStore({ url: fresh.url, dataDir: fresh.dataDir, migrate: false });
    const b = await openStore({ url: fresh.url, dataDir: fresh.dataDir, migrate: false });
    try {
      await a.migrate();
      await b.migrate();
      if (!(a instanceof SqlStore)) throw new Error("expected SqlStore");
      const rows = await a.db.selectFrom("kp_migrations").select("version").execute();
      expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
      expect(await exited).toEqual([0, null]);
    } finally {
      await a.close();
      await b.close();
      fresh.cleanup();
    }
  });

  it("creates <dataDir>/keyplane.db when no url is given, in WAL mode", async () => {
    const fresh = freshSqlite();
    const dataDir = `${fresh.dataDir}/nested/dir`;
    const store = await openStore({ dataDir });
    try {
      await store.meta.set("k", "v");
      if (!(store instanceof SqlStore)) throw new Error("expected SqlStore");
      const { rows } = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
      expect(rows[0]?.journal_mode).toBe("wal");
    } finally {
      await store.close();
    }
    const again = await openStore({ url: `file://${dataDir}/keyplane.db`, dataDir: "unused" });
    try {
      expect(await again.meta.get("k")).toBe("v");
    } finally {
      await again.close();
      fresh.cleanup();
    }
  });
});

describe("sqlite query plans", () => {
  it("findByDigest (the repo's own query) probes indexes only, no table scans", async () => {
    const fresh = freshSqlite();
    const seen: CompiledQuery[] = [];
    const db = new Kysely<Database>({
      dialect: new ImmediateSqliteDialect(new Sqlite(fresh.url.slice("sqlite:".length))),
      log: (e) => {
        seen.push(e.query);
      },
    });
    const store = new SqlStore(db, dialectInfo("sqlite"));
    try {
      await store.migrate();
      seen.length = 0;
      expect(await store.apiKeys.findByDigest("d")).toBeNull();
      const q = seen[0];
      if (q === undefined || seen.length !== 1) throw new Error("expected exactly one query");
      const plan = await db.executeQuery<{ detail: string }>({ ...q, sql: `explain query plan ${q.sql}` });
      const details = plan.rows.map((r) => r.detail);
      expect(details).toHaveLength(2);
      expect(details.some((d) => /SEARCH s USING PRIMARY KEY \(digest=\?\)/.test(d))).toBe(true);
      expect(details.some((d) => /SEARCH k USING INDEX api_keys_id \(id=\?\)/.test(d))).toBe(true);
    } finally {
      await store.close();
      fresh.cleanup();
    }
  });
});

describe("sqlite usage writes", () => {
  it("insertMany runs each event through the row runner with its values in column order", async () => {
    const fresh = freshSqlite();
    const dialect = new ImmediateSqliteDialect(new Sqlite(fresh.url.slice("sqlite:".length)));
    const calls: { sql: string; rows: (readonly unknown[])[] }[] = [];
    const store = new SqlStore(new Kysely<Database>({ dialect }), {
      ...dialectInfo("sqlite"),
      eachRow: (sqlText, rows) => {
        calls.push({ sql: sqlText, rows: [...rows] });
        return dialect.eachRow(sqlText, rows);
      },
    });
    try {
      await store.migrate();
      const event = {
        id: "req_0001",
        orgId: "org-a",
        projectId: "proj_a",
        keyId: "key_a",
        model: "gpt-4o-mini",
        endpoint: "chat",
        inputTokens: 19,
        cachedTokens: 2,
        outputTokens: 9,
        status: 200,
        latencyMs: 3,
        bytes: 477,
        estimated: true,
        costMicros: 12,
        createdAtMs: 1_764_300_000_000,
      };
      expect(await store.usage.insertMany([event, { ...event, id: "req_0002" }, event])).toBe(2);
      // The fast path was taken (a column-order mismatch falls back to Kysely's statement).
      const raw = calls.find((c) => /insert into "usage_events"/.test(c.sql));
      // Every column of the event, in the table's order (estimated as SQLite's 0/1).
      const values = ["org-a", "proj_a", "key_a", "gpt-4o-mini", "chat", 19, 2, 9, 200, 3, 477, 1, 12];
      const row = (id: string) => [id, ...values, 1_764_300_000_000];
      expect(raw?.rows).toEqual([row("req_0001"), row("req_0002"), row("req_0001")]);
      const stored = await store.usage.listRange("org-a", 0, Number.MAX_SAFE_INTEGER);
      expect(stored.map((e) => e.id)).toEqual(["req_0001", "req_0002"]);
      expect(stored[0]).toEqual(event);
    } finally {
      await store.close();
      fresh.cleanup();
    }
  });
});
