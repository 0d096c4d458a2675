import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { openStore } from "../../src/storage/open.js";
import { MIGRATIONS } from "../../src/storage/sql/migrations/index.js";
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
      const { rows } = await store.db.executeQuery<{ journal_mode: string }>({
        sql: "pragma journal_mode",
        parameters: [],
        query: { kind: "RawNode", sqlFragments: ["pragma journal_mode"], parameters: [] },
        queryId: { queryId: "wal" },
      });
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
