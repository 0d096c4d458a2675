import Fastify from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { registerHealthRoutes } from "../../src/http/health-routes.js";
import { openStore } from "../../src/storage/open.js";
import { usageRollups } from "../../src/storage/sql/migrations/003-usage-rollups.js";
import { SqlStore } from "../../src/storage/sql/sql-store.js";
import { freshSqlite } from "../helpers/db.js";
import { call, REDIS_URL, startServer, type TestServer } from "../helpers/server.js";

describe("/healthz and /readyz", () => {
  let s: TestServer | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  it("answer ok with the store migrated and no Redis configured", async () => {
    s = await startServer();
    expect((await call(s.url, "GET", "/healthz")).body).toEqual({ status: "ok" });
    const r = await call(s.url, "GET", "/readyz");
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: "ready", checks: { store: "ok", migrations: "ok" } });
  });

  it("check Redis when configured, and report pending migrations", async () => {
    s = await startServer({ db: "postgres", config: { redisUrl: REDIS_URL } });
    const ok = await call(s.url, "GET", "/readyz");
    expect(ok.body).toEqual({ status: "ready", checks: { store: "ok", migrations: "ok", redis: "ok" } });
    const store = s.kp.store;
    if (!(store instanceof SqlStore)) throw new Error("expected SqlStore");
    await store.db.deleteFrom("kp_migrations").where("version", "=", usageRollups.version).execute();
    const pending = await call(s.url, "GET", "/readyz");
    expect(pending.status).toBe(503);
    expect(pending.body).toEqual({
      status: "not_ready",
      checks: { store: "ok", migrations: "pending", redis: "ok" },
    });
    // Liveness does not depend on dependencies.
    expect((await call(s.url, "GET", "/healthz")).status).toBe(200);
  });

  it("report an unreachable store or Redis as not ready", async () => {
    // The server itself refuses to start without its Redis, so the route is exercised on its own.
    const fresh = freshSqlite();
    const store = await openStore({ url: fresh.url, dataDir: fresh.dataDir });
    const app = Fastify();
    registerHealthRoutes(app, { store, pingRedis: () => Promise.reject(new Error("ECONNREFUSED")) });
    try {
      const r = await app.inject({ method: "GET", url: "/readyz" });
      expect(r.statusCode).toBe(503);
      expect(r.json()).toEqual({
        status: "not_ready",
        checks: { store: "ok", migrations: "ok", redis: "unreachable" },
      });
      await store.close();
      const closed = await app.inject({ method: "GET", url: "/readyz" });
      expect(closed.json().checks.store).toBe("unreachable");
      expect((await app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    } finally {
      await app.close();
      fresh.cleanup();
    }
  });
});
