import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { AppError } from "../../domain/errors.js";
import { type RequiredScope, SCOPES } from "../../domain/scopes.js";
import type { Metrics } from "../../metrics/registry.js";
import { type GatewayDeps, handleModelRequest } from "../../services/gateway/model-request.js";
import { newTrace } from "../../services/gateway/request-trace.js";
import type { Endpoint } from "../../upstream/index.js";
import { sendError } from "../errors.js";
import { recordRoute } from "../route.js";
import { recordGatewayRequest } from "./gateway-metrics.js";
import { registerModelsRoutes } from "./models-routes.js";

interface ModelRoute {
  url: string;
  endpoint: Endpoint;
  scope: RequiredScope;
  summary: string;
}

const MODEL_ROUTES: readonly ModelRoute[] = [
  {
    url: "/v1/chat/completions",
    endpoint: "chat",
    scope: SCOPES.modelRequest,
    summary: "Create a chat completion (streaming supported)",
  },
  {
    url: "/v1/responses",
    endpoint: "responses",
    scope: SCOPES.responsesWrite,
    summary: "Create a model response (Responses API)",
  },
  {
    url: "/v1/completions",
    endpoint: "completions",
    scope: SCOPES.modelRequest,
    summary: "Create a legacy completion",
  },
  { url: "/v1/embeddings", endpoint: "embeddings", scope: SCOPES.modelRequest, summary: "Create embeddings" },
];

const modelBody = z.object({ model: z.string(), stream: z.boolean().optional() }).loose();

export interface GatewayRouteOptions {
  deps: GatewayDeps;
  /** Models `/v1/models` lists (filtered per key). */
  models: readonly string[];
  /** Extra `/v1/*` paths forwarded through the same pipeline. */
  passthroughPaths: readonly string[];
  /** Per-request counters and latencies (GET /metrics). */
  metrics?: Metrics;
}

/**
 * The data plane. Bodies stay raw Buffers so an unchanged request is forwarded byte for byte with
 * its content-length; the pipeline parses JSON once to read the model.
 */
export const registerGatewayRoutes = async (
  app: FastifyInstance,
  opts: GatewayRouteOptions,
): Promise<void> => {
  await app.register(async (gw) => {
    gw.removeAllContentTypeParsers();
    gw.addContentTypeParser("*", { parseAs: "buffer" }, (_req, body, done) => done(null, body));

    const metrics = opts.metrics;
    const forward =
      (route: string, endpoint: Endpoint, scope: RequiredScope, requireModel: boolean) =>
      async (req: FastifyRequest, reply: FastifyReply) => {
        const startedAt = metrics ? performance.now() : 0;
        const trace = metrics ? newTrace() : undefined;
        // A client that leaves before the answer starts stops retries and the upstream call.
        const abort = new AbortController();
        const onClose = () => {
          if (!reply.raw.writableFinished) abort.abort();
        };
        reply.raw.once("close", onClose);
        const out = await handleModelRequest(opts.deps, {
          signal: abort.signal,
          requestId: String(req.id),
          endpoint,
          path: req.url.slice(3),
          method: req.method,
          headers: req.headers,
          body: Buffer.isBuffer(req.body) ? req.body : null,
          scope,
          requireModel,
          ...(trace ? { trace } : {}),
        });
        if (metrics && trace) recordGatewayRequest(metrics, route, out, trace, performance.now() - startedAt);
        if (!out.ok) {
          reply.headers(out.headers);
          return sendError(reply, out.error);
        }
        reply.code(out.status).headers(out.headers);
        return reply.send(out.body);
      };

    for (const r of MODEL_ROUTES) {
      gw.post(r.url, forward(r.url, r.endpoint, r.scope, true));
      recordRoute({
        method: "POST",
        url: r.url,
        operationId: `gateway-${r.endpoint}`,
        summary: r.summary,
        tag: "Model API (gateway)",
        extension: false,
        security: "project",
        body: modelBody,
      });
    }
    for (const path of opts.passthroughPaths) {
      if (!path.startsWith("/v1/") || MODEL_ROUTES.some((r) => r.url === path)) {
        throw new AppError("invalid_request", {
          message: `passthrough path ${path} must start with /v1/ and not shadow a model route`,
        });
      }
      gw.route({
        method: ["GET", "POST", "DELETE"],
        url: path,
        handler: forward(path, "other", SCOPES.modelRequest, false),
      });
    }
    registerModelsRoutes(gw, opts.deps.verifier, opts.models);
  });
};
