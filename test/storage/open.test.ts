import { describe, expect, it } from "vitest";
import { parseStoreUrl } from "../../src/storage/open.js";

describe("parseStoreUrl", () => {
  it("defaults to <dataDir>/keyplane.db", () => {
    expect(parseStoreUrl(undefined, "/data")).toEqual({ kind: "sqlite", path: "/data/keyplane.db" });
    expect(parseStoreUrl("", "/data")).toEqual({ kind: "sqlite", path: "/data/keyplane.db" });
  });

  it("accepts plain paths, sqlite: and file: forms", () => {
    expect(parseStoreUrl("./x.db", "/d")).toEqual({ kind: "sqlite", path: "./x.db" });
    expect(parseStoreUrl("sqlite:/abs/x.db", "/d")).toEqual({ kind: "sqlite", path: "/abs/x.db" });
    expect(parseStoreUrl("sqlite:///abs/x.db", "/d")).toEqual({ kind: "sqlite", path: "/abs/x.db" });
    expect(parseStoreUrl("sqlite://rel/x.db", "/d")).toEqual({ kind: "sqlite", path: "rel/x.db" });
    expect(parseStoreUrl("sqlite::memory:", "/d")).toEqual({ kind: "sqlite", path: ":memory:" });
    expect(parseStoreUrl("file:///abs/my%20x.db", "/d")).toEqual({ kind: "sqlite", path: "/abs/my x.db" });
    expect(parseStoreUrl("file:rel.db", "/d")).toEqual({ kind: "sqlite", path: "rel.db" });
  });

  it("takes the schema out of a postgres URL and keeps the rest", () => {
    expect(parseStoreUrl("postgres://u:p@h:5433/db?schema=s1&sslmode=disable", "/d")).toEqual({
      kind: "postgres",
      connectionString: "postgres://u:p@h:5433/db?sslmode=disable",
      schema: "s1",
    });
    expect(parseStoreUrl("postgresql://h/db", "/d")).toEqual({
      kind: "postgres",
      connectionString: "postgresql://h/db",
      schema: undefined,
    });
  });

  it("rejects other schemes", () => {
    expect(() => parseStoreUrl("mysql://h/db", "/d")).toThrow(/Unsupported/);
  });
});
