import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeUpstream, fakeProvider, startFakeUpstream } from "../helpers/fake-upstream.js";
import { call, startServer, type TestServer } from "../helpers/server.js";

const usageOf = async (s: TestServer) => {
  await s.kp.meter.flush();
  return s.kp.store.usage.listRange(s.orgId, 0, Date.now() + 1000);
};

describe.each(["sqlite", "postgres"] as const)("metering through the gateway (%s)", (db) => {
  let up: FakeUpstream;
  let s: TestServer;
  let key: string;
  let keyId: string;

  beforeAll(async () => {
    up = await startFakeUpstream();
    s = await startServer({
      db,
      config: {
        upstreams: [
          // The echo provider answers offline: the schema's defaults fill what it never uses.
          { name: "echo", type: "echo" },
          fakeProvider(up.url),
        ],
        routes: [
          { match: "slow-*", upstream: "fake", fallbacks: [] },
          { match: "*", upstream: "echo", fallbacks: [] },
        ],
      },
    });
    const k = (
      await call(s.url, "POST", `/v1/organizations/${s.orgId}/projects/${s.projectId}/apikeys`, {
        key: s.adminKey,
        body: { name: "m" },
      })
    ).body;
    key = k.value;
    keyId = k.id;
  });
  afterAll(async () => {
    await s.close();
    await up.close();
  });

  it("records exactly one event per request with the reported token counts and cost", async () => {
    const ids: string[] = [];
    const usages: { prompt_tokens: number; completion_tokens: number }[] = [];
    await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const r = await call(s.url, "POST", "/v1/chat/completions", {
          key,
          body: {
            model: "gpt-4o-mini",
            messages: [{ role: "user", content: `message number ${i} ${"x".repeat(i * 3)}` }],
          },
        });
        expect(r.status).toBe(200);
        ids.push(r.headers.get("x-request-id") ?? "");
        usages.push(r.body.usage);
      }),
    );
    const events = await usageOf(s);
    const byId = new Map(events.map((e) => [e.id, e]));
    expect(events.filter((e) => ids.includes(e.id))).toHaveLength(40);
    ids.forEach((id, i) => {
      const e = byId.get(id);
      expect(e?.inputTokens).toBe(usages[i]?.prompt_tokens);
      expect(e?.outputTokens).toBe(usages[i]?.completion_tokens);
      expect(e?.keyId).toBe(keyId);
      expect(e?.projectId).toBe(s.projectId);
      expect(e?.estimated).toBe(false);
      expect(e?.costMicros).toBeGreaterThanOrEqual(0);
    });
    const total = events.filter((e) => ids.includes(e.id)).reduce((a, e) => a + e.costMicros, 0);
    // gpt-4o-mini: $0.15 / 1M input, $0.60 / 1M output.
    const expected = usages.reduce((a, u) => a + u.prompt_tokens * 0.15 + u.completion_tokens * 0.6, 0);
    expect(Math.abs(total - expected)).toBeLessThanOrEqual(40);
  });

  it("moves the key's last_used_at, written off the request path", async () => {
    const before = Math.floor(Date.now() / 1000);
    const r = await call(s.url, "POST", "/v1/chat/completions", {
      key,
      body: { model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] },
    });
    expect(r.status).toBe(200);
    const path = `/v1/organization/projects/${s.projectId}/api_keys/${keyId}`;
    let lastUsed: number | null = null;
    for (let i = 0; i < 50 && (lastUsed === null || lastUsed < before); i++) {
      await new Promise((res) => setTimeout(res, 100));
      lastUsed = (await call(s.url, "GET", path, { key: s.adminKey })).body.last_used_at;
    }
    expect(lastUsed).toBeGreaterThanOrEqual(before);
    expect(lastUsed).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
  });

  it("a client that disconnects mid-stream is metered for what it received, marked estimated", async () => {
    const ctrl = new AbortController();
    const res = await fetch(`${s.url}/v1/chat/completions`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${key}`,
        "content-type": "application/json",
        "x-fake-fault": JSON.stringify({ eventDelayMs: 150 }),
      },
      body: JSON.stringify({
        model: "slow-model",
        stream: true,
        messages: [{ role: "user", content: "alpha beta gamma delta epsilon zeta eta theta iota kappa" }],
      }),
      signal: ctrl.signal,
    });
    const requestId = res.headers.get("x-request-id") ?? "";
    const reader = res.body?.getReader();
    let text = "";
    while (reader && (text.match(/"content":"[a-z]/g) ?? []).length < 3) {
      const { value } = await reader.read();
      text += new TextDecoder().decode(value);
    }
    ctrl.abort();
    let event: Awaited<ReturnType<typeof usageOf>>[number] | undefined;
    for (let i = 0; i < 50 && !event; i++) {
      await new Promise((r) => setTimeout(r, 100));
      event = (await usageOf(s)).find((e) => e.id === requestId);
    }
    expect(event).toBeDefined();
    expect(event?.estimated).toBe(true);
    expect(event?.outputTokens).toBeGreaterThan(0);
    // Ten words were asked for; the client left after three: it is not billed the whole answer.
    expect(event?.outputTokens).toBeLessThan(10);
    expect(event?.inputTokens).toBeGreaterThan(0);
  });
});
