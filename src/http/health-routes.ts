import type { FastifyInstance } from "fastify";
import type { Store } from "../storage/store.js";

/** /healthz: the process answers. /readyz: the store (migrated) and Redis, when configured, answer too. */
export const registerHealthRoutes = (
  app: FastifyInstance,
  deps: { store: Store; pingRedis?: () => Promise<void> },
): void => {
  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/readyz", async (_req, reply) => {
    const checks: Record<string, string> = {};
    try {
      await deps.store.ping();
      checks.store = "ok";
    } catch {
      checks.store = "unreachable";
    }
    try {
      checks.migrations = (await deps.store.pendingMigrations()).length === 0 ? "ok" : "pending";
    } catch {
      checks.migrations = "unknown";
    }
    if (deps.pingRedis) {
      try {
        await deps.pingRedis();
        checks.redis = "ok";
      } catch {
        checks.redis = "unreachable";
      }
    }
    const ready = Object.values(checks).every((v) => v === "ok");
    return reply.code(ready ? 200 : 503).send({ status: ready ? "ready" : "not_ready", checks });
  });
};
