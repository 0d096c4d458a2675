import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  AbortError,
  AuthenticationError,
  ConnectionError,
  InternalServerError,
  KeyplaneClient,
  NotFoundError,
  RateLimitError,
  TimeoutError,
} from "../../src/sdk/index.js";
import { backoffDelay, DEFAULT_BACKOFF, serverRetryDelay } from "../../src/sdk/retry.js";

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

let server: Server | undefined;
afterEach(async () => {
  const s = server;
  server = undefined;
  if (s) await new Promise((r) => s.close(r));
});

/** A tiny server whose answer depends on the request's ordinal; records each arrival time. */
const serve = async (handler: Handler): Promise<{ url: string; arrivals: number[]; urls: string[] }> => {
  const arrivals: number[] = [];
  const urls: string[] = [];
  server = createServer((req, res) => {
    arrivals.push(performance.now());
    urls.push(req.url ?? "");
    handler(req, res, arrivals.length);
  });
  await new Promise<void>((r) => server?.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, arrivals, urls };
};

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
};

const rateLimited = {
  error: { message: "Rate limit reached", type: "requests", param: null, code: "rate_limit_exceeded" },
};
const page = { object: "list", data: [], first_id: null, last_id: null, has_more: false };
const client = (url: string, extra: Partial<ConstructorParameters<typeof KeyplaneClient>[0]> = {}) =>
  new KeyplaneClient({ baseURL: url, adminKey: "sk-admin-test", ...extra });

describe("SDK retries", () => {
  it("retries 429 twice then succeeds, waiting at least what retry-after-ms and retry-after ask, growing", async () => {
    const s = await serve((_req, res, n) => {
      if (n === 1) return json(res, 429, rateLimited, { "retry-after-ms": "150", "x-request-id": "req_1" });
      if (n === 2) return json(res, 429, rateLimited, { "retry-after": "1", "x-request-id": "req_2" });
      return json(res, 200, page);
    });
    const retries: number[] = [];
    const kp = client(s.url, { onRetry: (e) => retries.push(e.delayMs) });
    const result = await kp.projects.list().firstPage();
    expect(result.object).toBe("list");
    expect(s.arrivals).toHaveLength(3);
    const [a = 0, b = 0, c = 0] = s.arrivals;
    const first = b - a;
    const second = c - b;
    // Each wait obeys the header (small tolerance for timer granularity) and the second is longer.
    expect(first).toBeGreaterThanOrEqual(145);
    expect(second).toBeGreaterThanOrEqual(995);
    expect(second).toBeGreaterThan(first);
    expect(retries).toEqual([150, 1000]);
  });

  it("reads retry-after as an HTTP date", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    const h = new Headers({ "retry-after": "Thu, 01 Jan 2026 00:00:03 GMT" });
    expect(serverRetryDelay(h, now)).toBe(3000);
    expect(serverRetryDelay(new Headers({ "retry-after-ms": "12.5", "retry-after": "9" }), now)).toBe(12.5);
    expect(serverRetryDelay(new Headers({ "retry-after": "soon" }), now)).toBeNull();
  });

  it("backs off with full jitter inside an exponentially growing ceiling", () => {
    const opts = { ...DEFAULT_BACKOFF, initialDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(0, opts, () => 0.999)).toBeLessThan(100);
    expect(backoffDelay(3, opts, () => 0.999)).toBeCloseTo(799.2);
    expect(backoffDelay(10, opts, () => 0.999)).toBeLessThan(1000);
    expect(backoffDelay(2, opts, () => 0)).toBe(0);
  });

  it("ignores a retry-after above the cap and uses the backoff instead", async () => {
    const s = await serve((_req, res, n) =>
      n === 1 ? json(res, 503, rateLimited, { "retry-after": "3600" }) : json(res, 200, page),
    );
    const delays: number[] = [];
    const kp = client(s.url, {
      onRetry: (e) => delays.push(e.delayMs),
      backoff: { initialDelayMs: 40, maxDelayMs: 40 },
    });
    await kp.projects.list().firstPage();
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeLessThan(40);
  });

  it("gives up after maxRetries with a typed error carrying OpenAI's body and the request id", async () => {
    const s = await serve((_req, res) =>
      json(res, 429, rateLimited, { "retry-after-ms": "1", "x-request-id": "req_z" }),
    );
    const err = await client(s.url, { maxRetries: 3 })
      .projects.retrieve("proj_x")
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    const e = err as RateLimitError;
    expect(e.status).toBe(429);
    expect(e.requestId).toBe("req_z");
    expect(e.error).toEqual(rateLimited.error);
    expect(e.code).toBe("rate_limit_exceeded");
    expect(s.arrivals).toHaveLength(4);
  });

  it("does not retry 400/401/404, and x-should-retry overrides the status", async () => {
    const s = await serve((req, res, n) => {
      if (req.url?.includes("auth"))
        return json(res, 401, {
          error: { message: "bad key", type: "invalid_request_error", param: null, code: "invalid_api_key" },
        });
      if (req.url?.includes("missing"))
        return json(res, 404, { error: { message: "No such project", type: "x", param: null, code: null } });
      if (req.url?.includes("noretry"))
        return json(
          res,
          500,
          { error: { message: "boom", type: "server_error", param: null, code: null } },
          { "x-should-retry": "false" },
        );
      return json(
        res,
        n === 4 ? 200 : 400,
        n === 4 ? page : { error: { message: "?", type: "x", param: null, code: null } },
        n === 3 ? { "x-should-retry": "true", "retry-after-ms": "1" } : {},
      );
    });
    const kp = client(s.url);
    await expect(kp.projects.retrieve("auth")).rejects.toBeInstanceOf(AuthenticationError);
    await expect(kp.projects.retrieve("missing")).rejects.toBeInstanceOf(NotFoundError);
    expect(s.arrivals).toHaveLength(2);
    await expect(kp.projects.retrieve("noretry")).rejects.toBeInstanceOf(InternalServerError);
    expect(s.arrivals).toHaveLength(3);
    // Request 3 is a 400 that asks to be retried; request 4 succeeds.
    await expect(kp.projects.list().firstPage()).resolves.toMatchObject({ object: "list" });
    expect(s.arrivals).toHaveLength(4);
  });

  it("retries connection errors, then reports them as ConnectionError", async () => {
    const s = await serve((_req, res) => json(res, 200, page));
    const url = s.url;
    await new Promise((r) => server?.close(r));
    server = undefined;
    const attempts: number[] = [];
    const err = await client(url, {
      maxRetries: 2,
      backoff: { initialDelayMs: 5 },
      onRequest: (e) => attempts.push(e.attempt),
    })
      .projects.list()
      .firstPage()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).status).toBeNull();
    expect((err as Error).message).toContain("ECONNREFUSED");
    expect(attempts).toEqual([0, 1, 2]);
  });

  it("times out each attempt with AbortController and reports TimeoutError", async () => {
    const s = await serve(() => {
      // Never answers.
    });
    const started = performance.now();
    const err = await client(s.url, { timeoutMs: 100, maxRetries: 1, backoff: { initialDelayMs: 1 } })
      .projects.list()
      .firstPage()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(s.arrivals).toHaveLength(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(195);
    server?.closeAllConnections();
  });
});

describe("SDK cancellation", () => {
  it("a caller's AbortSignal stops a retry wait at once and is not retried", async () => {
    const s = await serve((_req, res) => json(res, 503, rateLimited, { "retry-after": "30" }));
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 100);
    const err = await client(s.url)
      .projects.list(undefined, { signal: controller.signal })
      .firstPage()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AbortError);
    expect(s.arrivals).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe("SDK pagination", () => {
  it("follows after=last_id while has_more, for await over items", async () => {
    const ids = ["a", "b", "c", "d", "e"].map((x) => `proj_${x}`);
    const s = await serve((req, res) => {
      const u = new URL(req.url ?? "/", "http://x");
      const after = u.searchParams.get("after");
      const limit = Number(u.searchParams.get("limit") ?? 20);
      const start = after ? ids.indexOf(after) + 1 : 0;
      const data = ids.slice(start, start + limit).map((id) => ({ object: "organization.project", id }));
      json(res, 200, {
        object: "list",
        data,
        first_id: data[0]?.id ?? null,
        last_id: data[data.length - 1]?.id ?? null,
        has_more: start + limit < ids.length,
      });
    });
    const seen: string[] = [];
    for await (const p of client(s.url).projects.list({ limit: 2 })) seen.push(p.id);
    expect(seen).toEqual(ids);
    expect(s.urls).toEqual([
      "/v1/organization/projects?limit=2",
      "/v1/organization/projects?limit=2&after=proj_b",
      "/v1/organization/projects?limit=2&after=proj_d",
    ]);
  });

  it("follows next_page for usage pages and encodes arrays the way OpenAI's clients do", async () => {
    const s = await serve((req, res) => {
      const u = new URL(req.url ?? "/", "http://x");
      const first = !u.searchParams.has("page");
      json(res, 200, {
        object: "page",
        data: [{ object: "bucket", start_time: first ? 1 : 2, end_time: 2, results: [] }],
        has_more: first,
        next_page: first ? "page_2" : null,
      });
    });
    const buckets = await client(s.url)
      .usage.completions({ start_time: 1, group_by: ["model", "project_id"], project_ids: ["proj_a"] })
      .toArray();
    expect(buckets.map((b) => b.start_time)).toEqual([1, 2]);
    expect(decodeURIComponent(s.urls[0] ?? "")).toBe(
      "/v1/organization/usage/completions?start_time=1&group_by[]=model&group_by[]=project_id&project_ids[]=proj_a",
    );
    expect(s.urls[1]).toContain("page=page_2");
  });
});
