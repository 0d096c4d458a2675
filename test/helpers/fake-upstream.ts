import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { echoRespond, openAiError, SSE_TYPE } from "../../src/upstream/echo.js";
import {
  chatMeta,
  chatStreamEvents,
  completionMeta,
  completionStreamEvents,
} from "../../src/upstream/echo-chat.js";
import { responseMeta, responseStreamEvents } from "../../src/upstream/echo-responses.js";
import { endpointOf } from "../../src/upstream/endpoint.js";

/**
 * A real OpenAI-shaped HTTP server on 127.0.0.1:0 for tests: answers like the echo provider (same
 * generators), records every request, and injects faults per request — from a queue
 * (`enqueue`) or from an `x-fake-fault: <json>` request header.
 */

export interface Fault {
  /** Wait before sending response headers. */
  delayMs?: number;
  /** Answer with this status and `body` (default: an OpenAI error body for the status). */
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Destroy the connection without any response. */
  reset?: boolean;
  /** Streams: destroy the connection after this many SSE events. */
  breakAfterEvents?: number;
  /** Streams: pause between SSE events. */
  eventDelayMs?: number;
}

export interface RecordedRequest {
  method: string;
  /** Path as received, including `/v1`. */
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface FakeUpstream {
  /** Base URL including `/v1`, ready for an upstream config. */
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  enqueue(...faults: Fault[]): void;
  close(): Promise<void>;
}

/** Headers a real upstream sends that must never reach Keyplane's clients. */
export const IDENTIFYING_HEADERS = {
  "set-cookie": "__cf_bm=upstream-cookie; path=/",
  "openai-organization": "org-upstream-secret",
  "openai-project": "proj_upstream",
  "x-request-id": "req_upstream",
  "x-ratelimit-limit-requests": "10000",
  server: "fake-upstream",
};

const ERROR_TYPE: Record<number, [string, string | null]> = {
  429: ["requests", "rate_limit_exceeded"],
  500: ["server_error", null],
  502: ["server_error", null],
  503: ["server_error", null],
};

const errorBody = (status: number) => {
  const [type, code] = ERROR_TYPE[status] ?? ["invalid_request_error", null];
  return { error: { message: `Fake upstream error ${status}`, type, param: null, code } };
};

const readBody = async (req: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};

const streamEvents = (path: string, json: Record<string, unknown>): string[] | null => {
  const model = typeof json.model === "string" ? json.model : "unknown";
  const so = json.stream_options as { include_usage?: unknown } | undefined;
  const includeUsage = so?.include_usage === true;
  switch (endpointOf(path)) {
    case "chat":
      return chatStreamEvents(json, chatMeta(model), includeUsage);
    case "completions":
      return completionStreamEvents(json, completionMeta(model), includeUsage);
    case "responses":
      return responseStreamEvents(json, responseMeta(model));
    default:
      return null;
  }
};

const writeStream = async (res: ServerResponse, events: string[], fault: Fault): Promise<void> => {
  res.writeHead(200, { ...IDENTIFYING_HEADERS, "content-type": SSE_TYPE, ...fault.headers });
  let flushed: Promise<void> = Promise.resolve();
  for (let i = 0; i < events.length; i++) {
    if (fault.breakAfterEvents !== undefined && i >= fault.breakAfterEvents) {
      // Let what was written reach the client first: destroy() discards unflushed writes.
      await flushed;
      res.socket?.destroy();
      return;
    }
    if (fault.eventDelayMs && i > 0) await sleep(fault.eventDelayMs);
    if (res.destroyed) return;
    flushed = new Promise((resolve) => res.write(events[i], () => resolve()));
  }
  res.end();
};

const handle = async (
  req: IncomingMessage,
  res: ServerResponse,
  fault: Fault,
  raw: Buffer,
): Promise<void> => {
  if (fault.delayMs) await sleep(fault.delayMs);
  if (fault.reset) {
    req.socket.destroy();
    return;
  }
  const sendJson = (status: number, value: unknown): void => {
    const body = Buffer.from(typeof value === "string" ? value : JSON.stringify(value));
    res.writeHead(status, {
      ...IDENTIFYING_HEADERS,
      "content-type": "application/json",
      "content-length": String(body.length),
      "x-fake-authorization": req.headers.authorization ?? "",
      ...fault.headers,
    });
    res.end(body);
  };
  if (fault.status !== undefined) return sendJson(fault.status, fault.body ?? errorBody(fault.status));
  const url = req.url ?? "/";
  if (!url.startsWith("/v1/")) return sendJson(404, openAiError(`Invalid URL (${req.method} ${url})`));
  const path = url.slice(3);
  let json: Record<string, unknown> | null = null;
  if (raw.length > 0) {
    try {
      json = JSON.parse(raw.toString("utf8")) as Record<string, unknown>;
    } catch {
      return sendJson(400, openAiError("We could not parse the JSON body of your request."));
    }
  }
  if (json?.stream === true) {
    const events = streamEvents(path, json);
    if (events) return writeStream(res, events, fault);
  }
  const model = typeof json?.model === "string" ? json.model : "unknown";
  const r = echoRespond({ path, method: req.method ?? "GET", json, model, clientWantsUsage: false });
  sendJson(r.status, r.body.toString("utf8"));
};

export const startFakeUpstream = async (): Promise<FakeUpstream> => {
  const requests: RecordedRequest[] = [];
  const queue: Fault[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: raw });
      const header = req.headers["x-fake-fault"];
      const fault: Fault = queue.shift() ?? (typeof header === "string" ? (JSON.parse(header) as Fault) : {});
      await handle(req, res, fault, raw);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    enqueue: (...faults) => {
      queue.push(...faults);
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};

/** An upstream config entry for a test's fake upstream: quick timeouts and retries, no key. */
export const fakeProvider = (url: string, overrides: Record<string, unknown> = {}) => ({
  name: "fake",
  type: "openai" as const,
  baseUrl: url,
  headers: {},
  timeoutMs: 5000,
  connectTimeoutMs: 1000,
  maxRetries: 0,
  retryBaseMs: 10,
  retryMaxMs: 50,
  connections: 8,
  ...overrides,
});
