import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startServer, type TestServer } from "../helpers/server.js";

/** The control plane's limits as the gateway enforces them: set through the admin API, felt at once. */
describe("limits set through the admin API apply to gateway requests", () => {
  let s: TestServer;
  const admin = (method: string, path: string, body?: unknown) =>
    call(s.url, method, path, { key: s.adminKey, ...(body !== undefined ? { body } : {}) });
  const newKey = async (projectId: string, body: Record<string, unknown> = {}) =>
    (await admin("POST", `/v1/organization/projects/${projectId}/api_keys`, { name: "k", ...body })).body;
  const chat = (key: string, model = "gpt-4o-mini", extra: Record<string, unknown> = {}) =>
    call(s.url, "POST", "/v1/chat/completions", {
      key,
      body: { model, messages: [{ role: "user", content: "hello" }], max_tokens: 16, ...extra },
    });
  const project = async (name: string) =>
    (await admin("POST", "/v1/organization/projects", { name })).body.id;

  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(async () => {
    await s.close();
  });

  it("a key's RPM: OpenAI's 429 naming the key, with retry-after; x-ratelimit headers count down", async () => {
    const k = await newKey(s.projectId, { limits: { rpm: 2 } });
    const first = await chat(k.value);
    expect(first.status).toBe(200);
    expect(first.headers.get("x-ratelimit-limit-requests")).toBe("2");
    expect(first.headers.get("x-ratelimit-remaining-requests")).toBe("1");
    expect((await chat(k.value)).headers.get("x-ratelimit-remaining-requests")).toBe("0");
    const third = await chat(k.value);
    expect(third.status).toBe(429);
    expect(third.body.error).toMatchObject({ type: "requests", code: "rate_limit_exceeded" });
    expect(third.body.error.message).toMatch(
      new RegExp(
        `^Rate limit reached for key ${k.id} on requests per min \\(RPM\\): Limit 2, Used 2, Requested 1\\. Please try again in \\d+(\\.\\d+)?s\\.$`,
      ),
    );
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const me = await call(s.url, "GET", "/v1/me?model=gpt-4o-mini", { key: k.value });
    expect(me.body.models[0].requests_per_minute).toMatchObject({ limit: 2, remaining: 0, scope: "key" });
  });

  it("a project rate limit narrowed through OpenAI's API takes effect on the next request", async () => {
    const p = await project("narrow");
    const k = await newKey(p);
    expect((await chat(k.value)).status).toBe(200);
    const r = await admin("POST", `/v1/organization/projects/${p}/rate_limits/rl-gpt-4o-mini`, {
      max_requests_per_1_minute: 1,
    });
    expect(r.status).toBe(200);
    expect((await chat(k.value)).status).toBe(200);
    const denied = await chat(k.value);
    expect(denied.status).toBe(429);
    expect(denied.body.error.message).toContain(
      `Rate limit reached for gpt-4o-mini in project ${p} on requests per min (RPM): Limit 1`,
    );
    // A dated snapshot counts against its family's limit; another model is unaffected.
    expect((await chat(k.value, "gpt-4o-mini-2024-07-18")).status).toBe(429);
    expect((await chat(k.value, "gpt-4o")).status).toBe(200);
  });

  it("a request larger than the key's TPM: the official client gets RateLimitError, told not to retry", async () => {
    const k = await newKey(s.projectId, { limits: { tpm: 100 } });
    const client = new OpenAI({ baseURL: `${s.url}/v1`, apiKey: k.value, maxRetries: 0 });
    const err = await client.chat.completions
      .create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }], max_tokens: 500 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    const e = err as InstanceType<typeof OpenAI.RateLimitError>;
    expect(e.error).toMatchObject({ code: "rate_limit_exceeded", type: "tokens" });
    expect(e.headers.get("x-should-retry")).toBe("false");
  });

  it("a project's hard spend limit: 429 insufficient_quota once a request's maximum cost does not fit", async () => {
    const p = await project("budget");
    const k = await newKey(p);
    await admin("POST", `/v1/organization/projects/${p}/spend_limit`, {
      threshold_amount: 1,
      currency: "USD",
      interval: "month",
    });
    // gpt-4o at $10 per 1M output tokens: 16 tokens fit in a cent, 4096 do not.
    expect((await chat(k.value, "gpt-4o")).status).toBe(200);
    const over = await chat(k.value, "gpt-4o", { max_tokens: 4096 });
    expect(over.status).toBe(429);
    expect(over.body.error).toMatchObject({ type: "insufficient_quota", code: "insufficient_quota" });
    await admin("DELETE", `/v1/organization/projects/${p}/spend_limit`);
    expect((await chat(k.value, "gpt-4o", { max_tokens: 4096 })).status).toBe(200);
  });

  it("a spend alert fires through the gateway's settle, audited once", async () => {
    const p = await project("alerting");
    const k = await newKey(p);
    await admin("POST", `/v1/organization/projects/${p}/spend_alerts`, {
      threshold_amount: 0,
      currency: "USD",
      interval: "month",
      notification_channel: { type: "email", recipients: [] },
    });
    for (let i = 0; i < 3; i++) expect((await chat(k.value)).status).toBe(200);
    // Settling runs after each response is sent; wait for the first firing to land, then for the rest.
    const triggered = () =>
      admin("GET", `/v1/organization/audit_logs?event_types[]=spend_alert.triggered&project_ids[]=${p}`);
    for (let t = 0; t < 100 && (await triggered()).body.data.length === 0; t++)
      await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    await s.kp.limits.alerts.drain();
    const logs = await triggered();
    expect(logs.body.data).toHaveLength(1);
    expect(logs.body.data[0]["spend_alert.triggered"].data).toMatchObject({
      scope: "project",
      threshold_usd: 0,
    });
  });
});
