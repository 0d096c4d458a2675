import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { AppError } from "../../domain/errors.js";
import { type RequiredScope, SCOPES } from "../../domain/scopes.js";
import type { KeyVerifier } from "../../services/auth/key-verifier.js";
import type { Endpoint } from "../../upstream/index.js";
import { recordRoute } from "../route.js";
import { registerModelsRoutes } from "./models-routes.js";

interface ModelRoute {
  url: string;
  endpoint: Endpoint;
  scope: RequiredScope;
  summary: string;
}

/** A route the gateway's node:http front serves (gateway-http.ts). */
export interface GatewayRoute {
  url: string;
  endpoint: Endpoint;
  scope: RequiredScope;
  /** Whether the body must name a model (every model route does; passthrough routes may not). */
  requireModel: boolean;
  methods: readonly string[];
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

/** The model routes plus the configured passthrough paths, checked not to shadow each other. */
export const gatewayRoutes = (passthroughPaths: readonly string[]): GatewayRoute[] => {
  const routes: GatewayRoute[] = MODEL_ROUTES.map((r) => ({
    url: r.url,
    endpoint: r.endpoint,
    scope: r.scope,
    requireModel: true,
    methods: ["POST"],
  }));
  for (const path of passthroughPaths) {
    if (!path.startsWith("/v1/") || MODEL_ROUTES.some((r) => r.url === path)) {
      throw new AppError("invalid_request", {
        message: `passthrough path ${path} must start with /v1/ and not shadow a model route`,
      });
    }
    routes.push({
      url: path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path,
      endpoint: "other",
      scope: SCOPES.modelRequest,
      requireModel: false,
      methods: ["GET", "POST", "DELETE"],
    });
  }
  return routes;
};

/**
 * Documents the model routes (served by the node:http front, not by Fastify) and registers
 * `/v1/models`, which is not on the hot path.
 */
export const registerGatewayRoutes = (
  app: FastifyInstance,
  opts: { verifier: KeyVerifier; models: readonly string[] },
): void => {
  for (const r of MODEL_ROUTES) {
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
  registerModelsRoutes(app, opts.verifier, opts.models);
};
