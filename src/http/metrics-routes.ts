import { timingSafeEqual } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { Metrics } from "../metrics/registry.js";

const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * GET /metrics in Prometheus text format, behind `Authorization: Bearer <metricsToken>` when a
 * token is configured; and one onResponse hook that counts every request by route pattern.
 * Register before the other routes so the hook sees them all.
 */
export const registerMetricsRoutes = (
  app: FastifyInstance,
  deps: { metrics: Metrics; token?: string | undefined },
): void => {
  const { metrics, token } = deps;
  app.addHook("onResponse", (req, reply, done) => {
    metrics.http(req.routeOptions.url ?? "unmatched", req.method, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  app.get("/metrics", async (req, reply) => {
    if (token !== undefined) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
      if (!m?.[1] || !sameSecret(m[1], token)) {
        return reply
          .code(401)
          .header("www-authenticate", 'Bearer realm="metrics"')
          .send({
            error: {
              message: "Invalid metrics token.",
              type: "invalid_request_error",
              param: null,
              code: null,
            },
          });
      }
    }
    return reply.header("content-type", metrics.contentType).send(await metrics.render());
  });
};
