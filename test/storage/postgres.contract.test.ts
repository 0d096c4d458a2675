import { afterAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/storage/open.js";
import { MIGRATIONS } from "../../src/storage/sql/migrations/index.js";
import { SqlStore } from "../../src/storage/sql/sql-store.js";
import { runStoreContract } from "../../src/storage/store.contract.js";
import { freshPgSchema } from "../helpers/db.js";

const pg = await freshPgSchema("store");
afterAll(async () => {
  await pg.drop();
});

runStoreContract("postgres", () => openStore({ url: pg.url, dataDir: "unused" }));

describe("postgres specifics", () => {
  it("two stores migrating one new schema at once apply each migration once", async () => {
    const fresh = await freshPgSchema("mig");
    const [a, b] = await Promise.all([
      openStore({ url: fresh.url, dataDir: "unused", migrate: false, pgPoolMax: 2 }),
      openStore({ url: fresh.url, dataDir: "unused", migrate: false, pgPoolMax: 2 }),
    ]);
    try {
      await Promise.all([a.migrate(), b.migrate(), a.migrate()]);
      if (!(a instanceof SqlStore)) throw new Error("expected SqlStore");
      const rows = await a.db.selectFrom("kp_migrations").select("version").orderBy("version").execute();
      expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
      await b.meta.set("k", "v");
      expect(await a.meta.get("k")).toBe("v");
    } finally {
      await a.close();
      await b.close();
      await fresh.drop();
    }
  });

  it("keeps schemas apart: pgSchema overrides the URL and tables live only there", async () => {
    const one = await freshPgSchema("iso");
    const two = await freshPgSchema("iso");
    const a = await openStore({ url: one.url, dataDir: "unused", pgPoolMax: 2 });
    const b = await openStore({ url: one.url, pgSchema: two.schema, dataDir: "unused", pgPoolMax: 2 });
    try {
      await a.meta.set("where", "one");
      expect(await b.meta.get("where")).toBeNull();
      await b.meta.set("where", "two");
      expect(await a.meta.get("where")).toBe("one");
    } finally {
      await a.close();
      await b.close();
      await one.drop();
      await two.drop();
    }
  });

  it("rejects schema names that are not plain identifiers", async () => {
    await expect(openStore({ url: pg.url, pgSchema: "x; drop", dataDir: "unused" })).rejects.toThrow(
      /schema name/,
    );
  });
});
