import { Readable } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { configSchema } from "../../src/config/schema.js";
import { collect } from "../../src/upstream/body-read.js";
import {
  createUpstreams,
  estimatePromptTokens,
  type SendRequest,
  type StreamedResponse,
  type Upstreams,
} from "../../src/upstream/index.js";
import { type FakeUpstream, startFakeUpstream } from "../helpers/fake-upstream.js";

let fake: FakeUpstream;
let up: Upstreams;

beforeAll(async () => {
  fake = await startFakeUpstream();
  const config = configSchema.parse({
    upstreams: [{ name: "main", baseUrl: fake.url, retryBaseMs: 1, retryMaxMs: 5 }],
    routes: [{ match: "*", upstream: "main" }],
  });
  up = createUpstreams(config, {});
});
afterAll(async () => {
  await up.close();
  await fake.close();
});
afterEach(() => {
  fake.requests.length = 0;
});

const request = (path: string, json: Record<string, unknown>): SendRequest => {
  const r = up.resolve(String(json.model));
  if (!r.ok) throw r.error;
  return {
    path,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: Buffer.from(JSON.stringify(json)),
    json,
    candidates: r.candidates,
  };
};

const streamed = async (req: SendRequest): Promise<StreamedResponse> => {
  const o = await up.send(req);
  if (!o.ok) throw o.error;
  if (o.response.kind !== "stream") throw new Error("expected a stream");
  return o.response;
};

const readAll = async (r: Readable): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
};

const dataLines = (sse: string): string[] =>
  sse
    .split("\n\n")
    .filter((e) => e.startsWith("data: "))
    .map((e) => e.slice(6));

const TEXT = "one two three four five six";
const chat = (extra: Record<string, unknown> = {}) => ({
  model: "gpt-4o",
  stream: true,
  messages: [{ role: "user", content: TEXT }],
  ...extra,
});
const PROMPT = estimatePromptTokens("chat", chat());

describe("streaming through the upstream layer", () => {
  test("usage is requested upstream but hidden from a client that did not ask", async () => {
    const res = await streamed(request("/chat/completions", chat()));
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/event-stream/);
    expect(res.headers["content-length"]).toBeUndefined();
    const sent = JSON.parse(fake.requests[0]?.body.toString() ?? "{}") as Record<string, unknown>;
    expect(sent.stream_options).toEqual({ include_usage: true });
    const received = await readAll(res.body);
    const lines = dataLines(received);
    expect(lines.at(-1)).toBe("[DONE]");
    expect(lines.some((l) => l.includes('"choices":[]'))).toBe(false);
    const text = lines
      .slice(0, -1)
      .map(
        (l) =>
          (JSON.parse(l) as { choices: Array<{ delta: { content?: string } }> }).choices[0]?.delta.content ??
          "",
      )
      .join("");
    expect(text).toBe(TEXT);
    expect(await res.outcome).toEqual({
      completed: true,
      outputChars: null,
      deliveredBytes: Buffer.byteLength(received),
      usage: {
        inputTokens: PROMPT,
        outputTokens: Math.ceil(TEXT.length / 4),
        cachedInputTokens: 0,
        estimated: false,
      },
    });
  });

  test("a client that asked for usage gets the usage chunk, its body sent as it was", async () => {
    const json = chat({ stream_options: { include_usage: true } });
    const req = request("/chat/completions", json);
    const res = await streamed(req);
    expect(fake.requests[0]?.body.equals(req.body ?? Buffer.alloc(0))).toBe(true);
    const lines = dataLines(await readAll(res.body));
    const usageChunk = JSON.parse(lines.at(-2) ?? "{}") as {
      choices: unknown[];
      usage: { completion_tokens: number };
    };
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage.completion_tokens).toBe(Math.ceil(TEXT.length / 4));
    expect((await res.outcome).usage.estimated).toBe(false);
  });

  test("upstream breaks mid-stream: no retry, the client keeps what it got, usage is estimated", async () => {
    fake.enqueue({ breakAfterEvents: 4 });
    const res = await streamed(request("/chat/completions", chat()));
    const got = await readAll(res.body).catch(() => "");
    const outcome = await res.outcome;
    expect(fake.requests.length).toBe(1);
    expect(outcome.completed).toBe(false);
    // role chunk + "one " + "two " + "three "
    expect(outcome.outputChars).toBe("one two three ".length);
    expect(outcome.usage).toEqual({
      inputTokens: PROMPT,
      outputTokens: 4,
      cachedInputTokens: 0,
      estimated: true,
    });
    expect(got === "" || !got.includes("[DONE]")).toBe(true);
  });

  test("client disconnect mid-stream settles an estimate and frees the connection", async () => {
    fake.enqueue({ eventDelayMs: 40 });
    const res = await streamed(request("/chat/completions", chat()));
    const first = await new Promise<Buffer>((resolve) => res.body.once("data", resolve));
    res.body.destroy();
    const outcome = await res.outcome;
    expect(first.toString()).toContain('"role":"assistant"');
    expect(outcome.completed).toBe(false);
    expect(outcome.usage.estimated).toBe(true);
    expect(outcome.outputChars).toBeLessThan(TEXT.length);
    const next = await up.send(request("/chat/completions", { ...chat(), stream: false }));
    expect(next.ok && next.response.status).toBe(200);
  });

  test("an upstream configured without streamUsage gets the body as sent; usage is estimated", async () => {
    const config = configSchema.parse({
      upstreams: [{ name: "plain", baseUrl: fake.url, streamUsage: false }],
      routes: [{ match: "*", upstream: "plain" }],
    });
    const plain = createUpstreams(config, {});
    try {
      const json = chat();
      const r = plain.resolve("gpt-4o");
      if (!r.ok) throw r.error;
      const body = Buffer.from(JSON.stringify(json));
      const o = await plain.send({
        path: "/chat/completions",
        method: "POST",
        headers: {},
        body,
        json,
        candidates: r.candidates,
      });
      if (!o.ok || o.response.kind !== "stream") throw new Error("expected a stream");
      expect(fake.requests[0]?.body.equals(body)).toBe(true);
      await readAll(o.response.body);
      expect(await o.response.outcome).toMatchObject({
        completed: true,
        usage: { inputTokens: PROMPT, outputTokens: Math.ceil(TEXT.length / 4), estimated: true },
      });
    } finally {
      await plain.close();
    }
  });

  test("Responses API streams report usage from response.completed", async () => {
    const json = { model: "gpt-4.1", stream: true, input: TEXT };
    const res = await streamed(request("/responses", json));
    const body = await readAll(res.body);
    expect(body).toContain("event: response.completed");
    expect(await res.outcome).toMatchObject({
      completed: true,
      usage: { inputTokens: estimatePromptTokens("responses", json), outputTokens: 7, estimated: false },
    });
  });
});

describe("large non-stream bodies", () => {
  test("a multi-megabyte embeddings answer streams through; usage comes from its tail", async () => {
    const input = Array.from({ length: 300 }, (_, i) => `text number ${i}`);
    const json = { model: "text-embedding-3-small", input };
    const res = await streamed(request("/embeddings", json));
    const declared = Number(res.headers["content-length"]);
    expect(declared).toBeGreaterThan(1024 * 1024);
    const text = await readAll(res.body);
    expect(Buffer.byteLength(text)).toBe(declared);
    const parsed = JSON.parse(text) as { data: unknown[]; usage: { prompt_tokens: number } };
    expect(parsed.data.length).toBe(300);
    expect(await res.outcome).toMatchObject({
      completed: true,
      usage: { inputTokens: parsed.usage.prompt_tokens, outputTokens: 0, estimated: false },
    });
  });

  test("collect buffers small bodies and hands back a replaying stream past the limit", async () => {
    const small = await collect(Readable.from([Buffer.from("ab"), Buffer.from("cd")]), 10);
    expect("buffer" in small && small.buffer.toString()).toBe("abcd");
    const parts = Array.from({ length: 5 }, (_, i) => Buffer.from(`part${i};`));
    const big = await collect(Readable.from(parts), 12);
    if (!("stream" in big)) throw new Error("expected a stream");
    expect(await readAll(big.stream)).toBe(Buffer.concat(parts).toString());
  });
});
