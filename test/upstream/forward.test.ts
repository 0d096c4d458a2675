import { createServer } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { configSchema } from "../../src/config/schema.js";
import { statusOf } from "../../src/http/errors.js";
import { clientResponseHeaders, upstreamRequestHeaders } from "../../src/upstream/headers.js";
import {
  createUpstreams,
  type SendOutcome,
  type SendRequest,
  type Upstreams,
} from "../../src/upstream/index.js";
import { retryAfterMs } from "../../src/upstream/retry.js";
import { type FakeUpstream, IDENTIFYING_HEADERS, startFakeUpstream } from "../helpers/fake-upstream.js";

const UPSTREAM_KEY = "sk-upstream-secret-0123456789";
const CLIENT_KEY = "sk-proj-client-key-abcdef";

let fake: FakeUpstream;
let fake2: FakeUpstream;
let closedPort: number;
const opened: Upstreams[] = [];

beforeAll(async () => {
  fake = await startFakeUpstream();
  fake2 = await startFakeUpstream();
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  closedPort = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
});
afterAll(async () => {
  await Promise.all([fake.close(), fake2.close()]);
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((u) => u.close()));
  fake.requests.length = 0;
  fake2.requests.length = 0;
});

interface Setup {
  maxRetries?: number;
  timeoutMs?: number;
  routes?: unknown[];
}

const setup = (s: Setup = {}): Upstreams => {
  const common = {
    apiKeyEnv: "UP_KEY",
    maxRetries: s.maxRetries ?? 2,
    retryBaseMs: 5,
    retryMaxMs: 20,
    timeoutMs: s.timeoutMs ?? 5000,
  };
  const config = configSchema.parse({
    upstreams: [
      { name: "main", baseUrl: fake.url, ...common },
      { name: "second", baseUrl: fake2.url, ...common },
      { name: "dead", baseUrl: `http://127.0.0.1:${closedPort}/v1`, ...common, connectTimeoutMs: 500 },
    ],
    routes: s.routes ?? [{ match: "*", upstream: "main" }],
  });
  const u = createUpstreams(config, { UP_KEY: UPSTREAM_KEY }, { random: () => 0 });
  opened.push(u);
  return u;
};

const chatRequest = (u: Upstreams, raw: string, extra: Partial<SendRequest> = {}): SendRequest => {
  const json = JSON.parse(raw) as Record<string, unknown>;
  const r = u.resolve(String(json.model));
  if (!r.ok) throw r.error;
  return {
    path: "/chat/completions",
    method: "POST",
    headers: {
      authorization: `Bearer ${CLIENT_KEY}`,
      "content-type": "application/json",
      cookie: "session=client",
      "openai-organization": "org-client",
      "x-stainless-lang": "js",
    },
    body: Buffer.from(raw),
    json,
    candidates: r.candidates,
    ...extra,
  };
};

const CHAT =
  '{ "model" : "gpt-4o",\n  "messages": [{"role":"user","content":"héllo wörld"}] , "x_extra": [1, 2.50] }';

const ok = (o: SendOutcome) => {
  if (!o.ok) throw new Error(`expected a response, got ${o.error.code}: ${o.error.message}`);
  return o.response;
};
const bodyText = (o: SendOutcome): string => {
  const r = ok(o);
  if (r.kind !== "buffer") throw new Error("expected a buffered body");
  return r.body.toString("utf8");
};

describe("forwarding", () => {
  test("the body goes upstream byte for byte with its content-length", async () => {
    const u = setup();
    const res = ok(await u.send(chatRequest(u, CHAT)));
    expect(res.status).toBe(200);
    const seen = fake.requests[0];
    expect(seen?.path).toBe("/v1/chat/completions");
    expect(seen?.body.equals(Buffer.from(CHAT))).toBe(true);
    expect(seen?.headers["content-length"]).toBe(String(Buffer.byteLength(CHAT)));
    expect(seen?.headers["transfer-encoding"]).toBeUndefined();
  });

  test("JSON responses come back unchanged with content-length and parsed usage", async () => {
    const u = setup();
    const res = ok(await u.send(chatRequest(u, CHAT)));
    if (res.kind !== "buffer") throw new Error("buffered expected");
    const parsed = JSON.parse(res.body.toString("utf8")) as {
      usage: { prompt_tokens: number; completion_tokens: number };
    };
    expect(res.headers["content-length"]).toBe(String(res.body.length));
    expect(res.headers["content-type"]).toBe("application/json");
    expect(parsed.usage.completion_tokens).toBe(3);
    expect(res.usage).toEqual({
      inputTokens: parsed.usage.prompt_tokens,
      outputTokens: 3,
      cachedInputTokens: 0,
      estimated: false,
    });
    expect(res).toMatchObject({
      provider: "main",
      model: "gpt-4o",
      attempts: 1,
      upstreamRequestId: "req_upstream",
    });
  });

  test("a 2xx answer without usage is still metered, as an estimate", async () => {
    const u = setup();
    const body = {
      id: "chatcmpl-x",
      object: "chat.completion",
      created: 1,
      model: "gpt-4o",
      choices: [{ index: 0, message: { role: "assistant", content: "twelve chars" }, finish_reason: "stop" }],
    };
    fake.enqueue({ status: 200, body });
    const res = ok(await u.send(chatRequest(u, CHAT)));
    expect(res.kind === "buffer" && res.usage).toEqual({
      inputTokens: 3 + 3 + Math.ceil("héllo wörld".length / 4),
      outputTokens: 3,
      cachedInputTokens: 0,
      estimated: true,
    });
  });

  test("upstream sees the provider key, never the client's; the client never sees the upstream key", async () => {
    const u = setup();
    const res = ok(await u.send(chatRequest(u, CHAT)));
    const seen = fake.requests[0]?.headers ?? {};
    expect(seen.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
    expect(JSON.stringify(seen)).not.toContain(CLIENT_KEY);
    expect(seen.cookie).toBeUndefined();
    expect(seen["openai-organization"]).toBeUndefined();
    expect(seen["x-stainless-lang"]).toBe("js");
    // The fake reflects the key it saw in x-fake-authorization: it must be filtered out.
    expect(JSON.stringify(res.headers)).not.toContain(UPSTREAM_KEY);
    for (const name of Object.keys(IDENTIFYING_HEADERS)) expect(res.headers[name]).toBeUndefined();
    expect(bodyText({ ok: true, response: res })).not.toContain(UPSTREAM_KEY);
  });

  test("an alias re-serialises the body with the upstream model name, keeping every other field", async () => {
    const u = setup({ routes: [{ match: "gpt-4o", upstream: "main", model: "my-deployment" }] });
    ok(await u.send(chatRequest(u, CHAT)));
    const sent = JSON.parse(fake.requests[0]?.body.toString("utf8") ?? "{}") as Record<string, unknown>;
    expect(sent).toEqual({ ...(JSON.parse(CHAT) as object), model: "my-deployment" });
    expect(fake.requests[0]?.headers["content-length"]).toBe(String(fake.requests[0]?.body.length));
  });

  test("a 400 from upstream passes through unchanged and is not retried", async () => {
    const u = setup();
    const err = {
      error: {
        message: "Invalid 'messages': empty.",
        type: "invalid_request_error",
        param: "messages",
        code: null,
      },
    };
    fake.enqueue({ status: 400, body: err });
    const o = await u.send(chatRequest(u, CHAT));
    expect(ok(o).status).toBe(400);
    expect(bodyText(o)).toBe(JSON.stringify(err));
    expect(fake.requests.length).toBe(1);
  });
});

describe("retries, fallbacks, deadlines", () => {
  test("429 is retried after the upstream's retry-after-ms", async () => {
    const u = setup();
    fake.enqueue({ status: 429, headers: { "retry-after-ms": "150" } });
    const started = Date.now();
    const res = ok(await u.send(chatRequest(u, CHAT)));
    expect(res.status).toBe(200);
    expect(res.attempts).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(145);
    expect(fake.requests.length).toBe(2);
    expect(fake.requests[1]?.body.equals(Buffer.from(CHAT))).toBe(true);
  });

  test("500 and a connection reset are retried", async () => {
    const u = setup();
    fake.enqueue({ status: 500 }, { reset: true });
    const res = ok(await u.send(chatRequest(u, CHAT)));
    expect(res.status).toBe(200);
    expect(res.attempts).toBe(3);
  });

  test("retries exhausted on the last candidate: the 503 passes through with its body", async () => {
    const u = setup({ maxRetries: 1 });
    fake.enqueue(
      { status: 503, headers: { "retry-after": "0" } },
      { status: 503, body: { error: { message: "busy" } }, headers: { "retry-after": "7" } },
    );
    const o = await u.send(chatRequest(u, CHAT));
    expect(ok(o).status).toBe(503);
    expect(bodyText(o)).toBe('{"error":{"message":"busy"}}');
    expect(ok(o).headers["retry-after"]).toBe("7");
    expect(fake.requests.length).toBe(2);
  });

  test("connection refused exhausts its retries, then the fallback answers", async () => {
    const u = setup({ maxRetries: 1, routes: [{ match: "*", upstream: "dead", fallbacks: ["second"] }] });
    const res = ok(await u.send(chatRequest(u, CHAT)));
    expect(res).toMatchObject({ status: 200, provider: "second", attempts: 3 });
    expect(fake2.requests.length).toBe(1);
  });

  test("fallbacks are tried in order after retryable failures", async () => {
    const u = setup({
      maxRetries: 0,
      routes: [{ match: "*", upstream: "main", fallbacks: ["dead", "second"] }],
    });
    fake.enqueue({ status: 502 });
    const res = ok(await u.send(chatRequest(u, CHAT)));
    expect(res).toMatchObject({ status: 200, provider: "second", attempts: 3 });
  });

  test("the deadline turns a hanging upstream into 504 upstream_timeout", async () => {
    const u = setup();
    fake.enqueue({ delayMs: 3000 });
    const started = Date.now();
    const o = await u.send(chatRequest(u, CHAT, { deadlineMs: 200 }));
    expect(o.ok).toBe(false);
    if (o.ok) return;
    expect(o.error.code).toBe("upstream_timeout");
    expect(statusOf(o.error)).toBe(504);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  test("no upstream reachable at all is 502 upstream_error", async () => {
    const u = setup({ maxRetries: 0, routes: [{ match: "*", upstream: "dead" }] });
    const o = await u.send(chatRequest(u, CHAT));
    expect(o.ok || statusOf(o.error)).toBe(502);
    expect(o.ok || o.error.code).toBe("upstream_error");
  });

  test("a client that aborts stops the retry loop", async () => {
    const u = setup();
    fake.enqueue({ status: 429, headers: { "retry-after-ms": "5000" } });
    const ac = new AbortController();
    const pending = u.send(chatRequest(u, CHAT, { signal: ac.signal, deadlineMs: 20_000 }));
    while (fake.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 30));
    const started = Date.now();
    ac.abort();
    const o = await pending;
    expect(o.ok).toBe(false);
    expect(Date.now() - started).toBeLessThan(2500);
    expect(fake.requests.length).toBe(1);
  });
});

describe("header and retry-after helpers", () => {
  test("request headers drop credentials and hop-by-hop, then add the provider's", () => {
    const out = upstreamRequestHeaders(
      {
        authorization: "Bearer client",
        host: "gateway",
        connection: "x-hop",
        "x-hop": "1",
        "accept-encoding": "gzip",
        "x-keyplane-debug": "1",
        "openai-beta": "assistants=v2",
      },
      { authorization: "Bearer upstream", extra: { "X-Custom": "yes" } },
      12,
    );
    expect(out).toEqual({
      "openai-beta": "assistants=v2",
      "x-custom": "yes",
      authorization: "Bearer upstream",
      "content-length": "12",
    });
  });

  test("response headers are an allowlist", () => {
    expect(
      clientResponseHeaders({
        ...IDENTIFYING_HEADERS,
        "set-cookie": [IDENTIFYING_HEADERS["set-cookie"]],
        "content-type": "application/json",
        "retry-after": "2",
        "transfer-encoding": "chunked",
      }),
    ).toEqual({ "content-type": "application/json", "retry-after": "2" });
  });

  test("retry-after: milliseconds first, then seconds or an HTTP date", () => {
    expect(retryAfterMs({ "retry-after-ms": "250", "retry-after": "9" })).toBe(250);
    expect(retryAfterMs({ "retry-after": "2" })).toBe(2000);
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(retryAfterMs({ "retry-after": "Wed, 01 Jan 2025 00:00:03 GMT" }, now)).toBe(3000);
    expect(retryAfterMs({ "retry-after": "soon" })).toBeNull();
    expect(retryAfterMs({})).toBeNull();
  });
});
