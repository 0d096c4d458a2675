import type { IncomingMessage, ServerResponse } from "node:http";
import type { Readable } from "node:stream";
import type { Logger } from "pino";
import { AppError } from "../../domain/errors.js";
import { newId } from "../../domain/ids.js";
import type { Metrics } from "../../metrics/registry.js";
import {
  type GatewayDeps,
  handleModelRequest,
  type ModelOutcome,
} from "../../services/gateway/model-request.js";
import { newTrace } from "../../services/gateway/request-trace.js";
import { ClientCancel } from "../../upstream/cancel.js";
import { isClientRelay } from "../../upstream/index.js";
import { internalError, payloadTooLarge, statusOf, toWire } from "../errors.js";
import type { FrontHandler } from "../front.js";
import { recordGatewayRequest } from "./gateway-metrics.js";
import type { GatewayRoute } from "./gateway-routes.js";
import { readBody } from "./read-body.js";

export interface GatewayHttpOptions {
  deps: GatewayDeps;
  routes: readonly GatewayRoute[];
  bodyLimitBytes: number;
  logger: Logger;
  /** One log line per request, as the Fastify side writes it. */
  accessLog: boolean;
  metrics?: Metrics | undefined;
}

const OPENAI_VERSION = "2020-10-01";
const JSON_TYPE = "application/json; charset=utf-8";

const closing = (): AppError =>
  new AppError("service_unavailable", { message: "The server is shutting down. Please retry." });

/**
 * The model routes served straight from node:http, ahead of Fastify: the hot path pays for no
 * router, hook chain, request logger or reply object. It keeps what those gave the rest of the
 * API — x-request-id, openai-version, openai-processing-ms, OpenAI error bodies, the body limit,
 * the access log, per-route metrics and 503 while closing — so clients cannot tell the two apart.
 */
export const createGatewayHttp = (opts: GatewayHttpOptions): FrontHandler => {
  const byPath = new Map<string, GatewayRoute>();
  for (const r of opts.routes) byPath.set(r.url, r);
  const { deps, metrics, logger, bodyLimitBytes } = opts;
  const accessLog = opts.accessLog && logger.isLevelEnabled("info");
  const state = { closing: false };
  /** Requests between arrival and their response's close. */
  let inFlight = 0;
  const alone = (): boolean => inFlight === 1;

  const serve = (route: GatewayRoute, req: IncomingMessage, res: ServerResponse): void => {
    const startedAt = performance.now();
    const requestId = newId.requestId();
    const cancel = new ClientCancel();
    let status = 0;
    inFlight++;
    // `on`, not `once`: a response closes once, and once() wraps every listener per request.
    res.on("close", () => {
      inFlight--;
      if (!res.writableFinished) cancel.abort();
      const ms = performance.now() - startedAt;
      metrics?.http(route.url, req.method ?? "", status, ms / 1000);
      if (accessLog)
        logger.info(
          { reqId: requestId, method: req.method, url: req.url, status, ms, headers: req.headers },
          "request",
        );
    });

    const fail = (e: AppError, extra?: Record<string, string>): void => {
      status = statusOf(e);
      const body = JSON.stringify(toWire(e));
      const headers: Record<string, string> = {
        ...extra,
        ...e.headers,
        "x-request-id": requestId,
        "openai-version": OPENAI_VERSION,
        "access-control-expose-headers": "X-Request-ID",
        "openai-processing-ms": String(Math.round(performance.now() - startedAt)),
        "content-type": JSON_TYPE,
        "content-length": String(Buffer.byteLength(body)),
      };
      res.writeHead(status, headers).end(body);
    };

    const respond = (out: ModelOutcome): void => {
      if (!out.ok) {
        fail(out.error, out.headers);
        return;
      }
      status = out.status;
      const buffered = Buffer.isBuffer(out.body);
      // One flat header list: no intermediate objects to merge per response.
      const headers: (string | string[])[] = [];
      const up = out.headers;
      for (const k in up) {
        const v = up[k];
        if (v !== undefined && !(buffered && k === "content-length")) headers.push(k, v);
      }
      const limits = out.limitHeaders;
      for (const k in limits) headers.push(k, limits[k] as string);
      headers.push(
        "openai-organization",
        out.orgId,
        "x-request-id",
        requestId,
        "openai-version",
        OPENAI_VERSION,
        "access-control-expose-headers",
        "X-Request-ID",
        "openai-processing-ms",
        String(Math.round(performance.now() - startedAt)),
      );
      if (out.projectId) headers.push("openai-project", out.projectId);
      if (Buffer.isBuffer(out.body)) {
        headers.push("content-length", String(out.body.length));
        res.writeHead(status, headers as string[]).end(out.body);
        return;
      }
      res.writeHead(status, headers as string[]);
      pipeStream(out.body, res);
    };

    const run = (body: Buffer | null): void => {
      const trace = metrics ? newTrace() : undefined;
      handleModelRequest(deps, {
        signal: cancel,
        requestId,
        endpoint: route.endpoint,
        path: (req.url ?? "").slice(3),
        method: req.method ?? "POST",
        headers: req.headers,
        body,
        scope: route.scope,
        requireModel: route.requireModel,
        alone,
        trace,
      }).then(
        (out) => {
          try {
            if (cancel.aborted && res.destroyed) {
              if (out.ok && !Buffer.isBuffer(out.body)) out.body.destroy();
            } else respond(out);
          } finally {
            // Bookkeeping the client does not wait for comes after its response is written.
            if (out.ok) out.afterResponse?.();
          }
          if (metrics && trace)
            recordGatewayRequest(metrics, route.url, out, trace, performance.now() - startedAt);
        },
        (err: unknown) => {
          logger.error({ err, reqId: requestId }, "unhandled error");
          if (res.headersSent) res.destroy();
          else fail(internalError(requestId));
        },
      );
    };

    if (state.closing) {
      res.setHeader("connection", "close");
      fail(closing());
      req.resume();
      return;
    }
    const declared = Number(req.headers["content-length"]);
    if (declared > bodyLimitBytes) {
      res.setHeader("connection", "close");
      fail(payloadTooLarge());
      return;
    }
    readBody(req, bodyLimitBytes, (body) => {
      if (body === undefined) {
        res.setHeader("connection", "close");
        fail(payloadTooLarge());
      } else run(body);
    });
  };

  return {
    handle(req, res) {
      const url = req.url ?? "/";
      const q = url.indexOf("?");
      let path = q === -1 ? url : url.slice(0, q);
      if (path.length > 1 && path.charCodeAt(path.length - 1) === 47) path = path.slice(0, -1);
      const route = byPath.get(path);
      if (route === undefined || !route.methods.includes(req.method ?? "")) return false;
      serve(route, req, res);
      return true;
    },
    startClosing() {
      state.closing = true;
    },
  };
};

/** Streams an SSE body with backpressure; either side failing ends the other. */
const pipeStream = (body: Readable, res: ServerResponse): void => {
  if (isClientRelay(body) && body.relayTo(res)) return;
  body.on("error", () => res.destroy());
  res.on("close", () => {
    if (!body.destroyed) body.destroy();
  });
  body.pipe(res);
};
