import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeUpstream, fakeProvider, startFakeUpstream } from "../helpers/fake-upstream.js";
import { call, startServer, type TestServer } from "../helpers/server.js";
import { validateAgainst } from "../helpers/spec.js";

const SPEC = "openai-dataplane-openapi.json";
const ok = (schema: string, v: unknown) => expect(validateAgainst(SPEC, schema, v).errors).toEqual([]);

/** The official client, with a Keyplane project key, through a fake upstream that speaks OpenAI's wire format. */
describe("gateway through the official openai client", () => {
  let up: FakeUpstream;
  let s: TestServer;
  let client: OpenAI;
  let key: string;
  const newKey = async (body: Record<string, unknown>) =>
    (
      await call(s.url, "POST", `/v1/organizations/${s.orgId}/projects/${s.projectId}/apikeys`, {
        key: s.adminKey,
        body: { name: "k", ...body },
      })
    ).body;

  beforeAll(async () => {
    up = await startFakeUpstream();
    process.env.KP_TEST_UPSTREAM_KEY = "sk-upstream-secret-should-never-leak";
    s = await startServer({
      config: {
        upstreams: [fakeProvider(up.url, { apiKeyEnv: "KP_TEST_UPSTREAM_KEY", maxRetries: 1 })],
        routes: [{ match: "*", upstream: "fake", fallbacks: [] }],
      },
    });
    key = (await newKey({})).value;
    client = new OpenAI({ apiKey: key, baseURL: `${s.url}/v1`, maxRetries: 0 });
  });
  afterAll(async () => {
    await s.close();
    await up.close();
  });

  it("chat completion", async () => {
    const r = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "ping pong" }],
    });
    expect(r.choices[0]?.message.content).toBe("ping pong");
    ok("CreateChatCompletionResponse", r);
    const seen = up.requests.at(-1);
    expect(seen?.headers.authorization).toBe("Bearer sk-upstream-secret-should-never-leak");
    expect(JSON.stringify(seen?.headers)).not.toContain(key);
  });

  it("streamed chat completion: usage in the last chunk only when asked", async () => {
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    const stream = await client.chat.completions.create({
      model: "gpt-4o",
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: "user", content: "one two three" }],
    });
    for await (const c of stream) chunks.push(c);
    for (const c of chunks) ok("CreateChatCompletionStreamResponse", c);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe("one two three");
    expect(chunks.at(-1)?.usage?.completion_tokens).toBeGreaterThan(0);

    const plain: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const c of await client.chat.completions.create({
      model: "gpt-4o",
      stream: true,
      messages: [{ role: "user", content: "four five" }],
    }))
      plain.push(c);
    expect(plain.some((c) => c.usage)).toBe(false);
    // Keyplane still asked the upstream for usage, to meter the stream.
    expect(JSON.parse(up.requests.at(-1)?.body.toString() ?? "{}").stream_options).toEqual({
      include_usage: true,
    });
  });

  it("Responses API, embeddings and models.list", async () => {
    const r = await client.responses.create({ model: "gpt-4.1", input: "hello responses" });
    expect(r.output_text).toBe("hello responses");
    ok("Response", r);
    const e = await client.embeddings.create({ model: "text-embedding-3-small", input: ["a", "b"] });
    expect(e.data).toHaveLength(2);
    ok("CreateEmbeddingResponse", e);
    const models: string[] = [];
    for await (const m of client.models.list()) models.push(m.id);
    expect(models).toContain("gpt-4o");
    const raw = await call(s.url, "GET", "/v1/models", { key });
    ok("ListModelsResponse", raw.body);
  });

  it("bad, revoked, expired and out-of-scope keys raise the client's error classes with OpenAI's messages", async () => {
    const bad = new OpenAI({ apiKey: "sk-proj-bogus", baseURL: `${s.url}/v1`, maxRetries: 0 });
    const chat = (c: OpenAI, model = "gpt-4o") =>
      c.chat.completions.create({ model, messages: [{ role: "user", content: "x" }] });
    await expect(chat(bad)).rejects.toMatchObject({ status: 401, code: "invalid_api_key" });
    await expect(chat(bad)).rejects.toBeInstanceOf(OpenAI.AuthenticationError);

    const revoked = await newKey({});
    await call(
      s.url,
      "DELETE",
      `/v1/organizations/${s.orgId}/projects/${s.projectId}/apikeys/${revoked.id}`,
      { key: s.adminKey },
    );
    await expect(
      chat(new OpenAI({ apiKey: revoked.value, baseURL: `${s.url}/v1`, maxRetries: 0 })),
    ).rejects.toBeInstanceOf(OpenAI.AuthenticationError);

    const expired = await newKey({ expires_in_seconds: 100 });
    await s.kp.store.apiKeys.update(s.orgId, expired.id, { expiresAt: Math.floor(Date.now() / 1000) - 1 });
    s.kp.verifier.evictKey(expired.id);
    await expect(
      chat(new OpenAI({ apiKey: expired.value, baseURL: `${s.url}/v1`, maxRetries: 0 })),
    ).rejects.toBeInstanceOf(OpenAI.AuthenticationError);

    const readOnly = await newKey({ scopes: ["api.all.read"] });
    const ro = new OpenAI({ apiKey: readOnly.value, baseURL: `${s.url}/v1`, maxRetries: 0 });
    const err = await chat(ro).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((err as InstanceType<typeof OpenAI.APIError>).message).toContain("Missing scopes: model.request");
    expect((await ro.models.list()).data.length).toBeGreaterThan(0);

    const onlyMini = await newKey({ models: ["gpt-4o-mini"] });
    const mini = new OpenAI({ apiKey: onlyMini.value, baseURL: `${s.url}/v1`, maxRetries: 0 });
    await expect(chat(mini, "gpt-4o")).rejects.toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((await chat(mini, "gpt-4o-mini")).choices).toHaveLength(1);

    const admin = new OpenAI({ apiKey: s.adminKey, baseURL: `${s.url}/v1`, maxRetries: 0 });
    await expect(chat(admin)).rejects.toMatchObject({
      status: 401,
      message: expect.stringContaining("Missing scopes: model.request"),
    });
  });

  it("a revoked key is refused on the very next request", async () => {
    const k = await newKey({});
    const c = new OpenAI({ apiKey: k.value, baseURL: `${s.url}/v1`, maxRetries: 0 });
    await c.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "warm the cache" }],
    });
    await call(s.url, "DELETE", `/v1/organization/projects/${s.projectId}/api_keys/${k.id}`, {
      key: s.adminKey,
    });
    await expect(
      c.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "x" }] }),
    ).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it("answers with OpenAI's headers and errors", async () => {
    const r = await call(s.url, "POST", "/v1/chat/completions", {
      key,
      body: { model: "gpt-4o", messages: [] },
    });
    expect(r.headers.get("x-request-id")).toMatch(/^req_[0-9a-f]{32}$/);
    expect(r.headers.get("openai-version")).toBe("2020-10-01");
    expect(Number(r.headers.get("openai-processing-ms"))).toBeGreaterThanOrEqual(0);
    expect(r.headers.get("openai-organization")).toBe(s.orgId);
    const nomodel = await call(s.url, "POST", "/v1/chat/completions", { key, body: { messages: [] } });
    expect(nomodel.status).toBe(400);
    expect(nomodel.body.error.param).toBe("model");
    const badjson = await call(s.url, "POST", "/v1/chat/completions", { key, rawBody: "{nope" });
    expect(badjson.status).toBe(400);
    const unknown = await call(s.url, "POST", "/v1/nothing/here", { key, body: {} });
    expect(unknown.body.error.message).toBe("Invalid URL (POST /v1/nothing/here)");
  });
});
