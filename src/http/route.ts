import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import { normalizeQuery, parseOrThrow } from "./validate.js";

type AnyObject = z.ZodType<Record<string, unknown>>;

/** One route = one schema set. It validates the request and feeds /openapi.json. */
export interface RouteDef<
  Auth,
  P extends AnyObject = AnyObject,
  Q extends AnyObject = AnyObject,
  B extends AnyObject = AnyObject,
> {
  method: "GET" | "POST" | "DELETE";
  /** Fastify-style path, e.g. /v1/organization/projects/:project_id */
  url: string;
  operationId: string;
  summary: string;
  tag: string;
  /** Keyplane extension (no OpenAI equivalent); flagged in the OpenAPI document. */
  extension?: boolean;
  security: "admin" | "project" | "none";
  params?: P;
  query?: Q;
  body?: B;
  response?: z.ZodType;
  authenticate: (req: FastifyRequest) => Promise<Auth>;
  handler: (args: {
    params: z.infer<P>;
    query: z.infer<Q>;
    body: z.infer<B>;
    auth: Auth;
    req: FastifyRequest;
    reply: FastifyReply;
  }) => Promise<unknown>;
}

export interface RouteMeta {
  method: string;
  url: string;
  operationId: string;
  summary: string;
  tag: string;
  extension: boolean;
  security: "admin" | "project" | "none";
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  response?: z.ZodType;
}

/** Every route registered through `addRoute`, for the OpenAPI document. */
export const routeRegistry: RouteMeta[] = [];

/** Records a route for the OpenAPI document (once, however many apps a process builds). */
export const recordRoute = (meta: RouteMeta): void => {
  if (!routeRegistry.some((r) => r.method === meta.method && r.url === meta.url)) routeRegistry.push(meta);
};

export const addRoute = <Auth, P extends AnyObject, Q extends AnyObject, B extends AnyObject>(
  app: FastifyInstance,
  def: RouteDef<Auth, P, Q, B>,
): void => {
  recordRoute({
    method: def.method,
    url: def.url,
    operationId: def.operationId,
    summary: def.summary,
    tag: def.tag,
    extension: def.extension ?? false,
    security: def.security,
    params: def.params,
    query: def.query,
    body: def.body,
    response: def.response,
  });
  app.route({
    method: def.method,
    url: def.url,
    handler: async (req, reply) => {
      // Authenticate before validating: a caller without a key learns nothing about the schema.
      const auth = await def.authenticate(req);
      // Routes without a schema get an empty object; the cast states that contract once, here.
      const params = (def.params ? parseOrThrow(def.params, req.params, "path") : {}) as z.infer<P>;
      const query = (
        def.query ? parseOrThrow(def.query, normalizeQuery(req.query), "query") : {}
      ) as z.infer<Q>;
      const body = (def.body ? parseOrThrow(def.body, req.body ?? {}, "body") : {}) as z.infer<B>;
      const result = await def.handler({ params, query, body, auth, req, reply });
      if (reply.sent) return reply;
      return reply.send(result);
    },
  });
};
