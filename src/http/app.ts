import { createServer } from "node:http";
import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from "fastify";
import { AppError } from "../domain/errors.js";
import { newId } from "../domain/ids.js";
import { fromFrameworkError, internalError, sendError } from "./errors.js";
import type { FrontHandler } from "./front.js";

export type RouteRegistrar = (app: FastifyInstance) => void | Promise<void>;

export interface AppOptions {
  bodyLimitBytes: number;
  logger: FastifyServerOptions["loggerInstance"] | false;
  registrars: RouteRegistrar[];
  /** One log line per request (headers included; secrets are redacted by the logger). */
  accessLog: boolean;
  /** Sent as `openai-organization` when a route did not set a more specific one. */
  organizationHeader?: string;
  /** Routes served on node:http ahead of Fastify (the gateway's hot path). */
  front?: FrontHandler;
}

declare module "fastify" {
  interface FastifyRequest {
    startedAtNs: bigint;
  }
}

/** Builds the one Fastify app that serves both planes. Routes come from registrars. */
export const buildApp = async (opts: AppOptions): Promise<FastifyInstance> => {
  const front = opts.front;
  const app = Fastify({
    ...(opts.logger ? { loggerInstance: opts.logger } : { logger: false }),
    bodyLimit: opts.bodyLimitBytes,
    genReqId: () => newId.requestId(),
    requestIdHeader: false,
    // Our own onResponse line replaces Fastify's two per-request lines.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    ajv: { customOptions: { removeAdditional: false } },
    // Long ids must reach validation (400 naming the param), not the router's 414.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 2048 },
    ...(front ? { serverFactory: frontServer(front) } : {}),
  });
  if (front)
    app.addHook("preClose", (done) => {
      front.startClosing();
      done();
    });

  app.decorateRequest("startedAtNs", 0n);
  // Hooks are callback-style: on the hot path an async hook costs a promise per request each.
  app.addHook("onRequest", (req, reply, done) => {
    req.startedAtNs = process.hrtime.bigint();
    reply.header("x-request-id", req.id);
    reply.header("openai-version", "2020-10-01");
    reply.header("access-control-expose-headers", "X-Request-ID");
    done();
  });
  app.addHook("onSend", (req, reply, payload, done) => {
    if (!reply.hasHeader("openai-processing-ms")) {
      reply.header(
        "openai-processing-ms",
        String(Number((process.hrtime.bigint() - req.startedAtNs) / 1_000_000n)),
      );
    }
    done(null, payload);
  });

  if (opts.accessLog && (!opts.logger || ["info", "debug", "trace"].includes(opts.logger.level))) {
    app.addHook("onResponse", (req, reply, done) => {
      req.log.info(
        {
          method: req.method,
          url: req.url,
          status: reply.statusCode,
          ms: Number(process.hrtime.bigint() - req.startedAtNs) / 1e6,
          headers: req.headers,
        },
        "request",
      );
      done();
    });
  }

  app.setErrorHandler((err, req, reply) => {
    if (err instanceof AppError) return sendError(reply, err);
    const mapped = fromFrameworkError(err as { statusCode?: number; code?: string; message: string });
    if (mapped) return sendError(reply, mapped);
    req.log.error({ err, reqId: req.id }, "unhandled error");
    return sendError(reply, internalError(String(req.id)));
  });

  app.setNotFoundHandler((req, reply) =>
    sendError(
      reply,
      new AppError("unknown_url", { message: `Invalid URL (${req.method} ${req.url.split("?")[0]})` }),
    ),
  );

  for (const register of opts.registrars) await register(app);
  return app;
};

type Handler = Parameters<typeof createServer>[1];

/** The server Fastify would build (its timeouts included), with the front's routes tried first. */
const frontServer =
  (front: FrontHandler) => (handler: NonNullable<Handler>, options: FastifyServerOptions) => {
    const server = createServer((req, res) => {
      if (!front.handle(req, res)) handler(req, res);
    });
    server.keepAliveTimeout = options.keepAliveTimeout ?? 72_000;
    server.requestTimeout = options.requestTimeout ?? 0;
    server.setTimeout(options.connectionTimeout ?? 0);
    return server;
  };
