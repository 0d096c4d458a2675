import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UpstreamConfig } from "../../src/config/schema.js";
import { buildPriceTable, costMicros } from "../../src/domain/pricing.js";
import { type FakeUpstream, startFakeUpstream } from "../helpers/fake-upstream.js";
import { parseMetrics } from "../helpers/prometheus.js";
import { call, startServer, type TestServer } from "../helpers/server.js";
import { validateOperation } from "../helpers/spec.js";

const SPEC = "openai-admin-openapi.json";
const UPSTREAM_KEY = "sk-upstream-e2e-0123456789abcdefghijklmnop";
process.env.KP_E2E_UPSTREAM_KEY = UPSTREAM_KEY;

interface Usage {
  prompt_tokens: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number };
}
interface Expect {
  requests: number;
  input: number;
  cached: number;
  output: number;
  cost: number;
}

const upstream = (name: string, type: "echo" | "openai", over: Partial<UpstreamConfig>): UpstreamConfig => ({
  name,
  type,
  headers: {},
  timeoutMs: 5000,
  connectTimeoutMs: 1000,
  maxRetries: 0,
  retryBaseMs: 1,
  retryMaxMs: 5,
  connections: 4,
  streamUsage: true,
  ...over,
});

/**
 * A scripted run through the gateway: the Usage and Costs APIs then answer exactly what the
 * responses reported (token counts, and costs at the default prices), and /metrics counts it.
 */
describe.each(["sqlite", "postgres"] as const)("usage reported for a run through the gateway (%s)", (db) => {
  let up: FakeUpstream;
  let s: TestServer;
  const keys: { id: string; value: string; project: string }[] = [];
  const prices = buildPriceTable();
  const chat: Expect = { requests: 0, input: 0, cached: 0, output: 0, cost: 0 };
  const emb: Expect = { requests: 0, input: 0, cached: 0, output: 0, cost: 0 };
  const perKey = new Map<string, Expect>();
  const add = (e: Expect, model: string, u: Usage, keyId: string) => {
    const t = {
      model,
      inputTokens: u.prompt_tokens,
      cachedTokens: u.prompt_tokens_details?.cached_tokens ?? 0,
      outputTokens: u.completion_tokens ?? 0,
    };
    const cost = costMicros(t, prices);
    for (const x of [e, perKey.get(keyId)]) {
      if (!x) continue;
      x.requests++;
      x.input += t.inputTokens;
      x.cached += t.cachedTokens;
      x.output += t.outputTokens;
      x.cost += cost;
    }
  };

  beforeAll(async () => {
    up = await startFakeUpstream();
    s = await startServer({
      db,
      config: {
        upstreams: [
          upstream("echo", "echo", { connections: 1 }),
          upstream("fake", "openai", {
            baseUrl: up.url,
            apiKeyEnv: "KP_E2E_UPSTREAM_KEY",
            maxRetries: 1,
          }),
        ],
        routes: [
          { match: "fake-*", upstream: "fake", fallbacks: [] },
          { match: "*", upstream: "echo", fallbacks: [] },
        ],
      },
    });
    const p2 = await call(s.url, "POST", "/v1/organization/projects", {
      key: s.adminKey,
      body: { name: "e2e 2" },
    });
    for (const project of [s.projectId, s.projectId, p2.body.id]) {
      const k = await call(s.url, "POST", `/v1/organizations/${s.orgId}/projects/${project}/apikeys`, {
        key: s.adminKey,
        body: { name: "e2e" },
      });
      keys.push({ id: k.body.id, value: k.body.value, project });
      perKey.set(k.body.id, { requests: 0, input: 0, cached: 0, output: 0, cost: 0 });
    }
    const gw = (key: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
      call(s.url, "POST", path, { key, body, headers });

    for (let i = 0; i < 9; i++) {
      const k = keys[i % 3];
      if (!k) throw new Error("no key");
      const model = i % 2 ? "gpt-4o" : "gpt-4o-mini";
      const r = await gw(k.value, "/v1/chat/completions", {
        model,
        messages: [{ role: "user", content: `request ${i} ${"word ".repeat(i * 7)}` }],
      });
      expect(r.status).toBe(200);
      add(chat, model, r.body.usage, k.id);
    }
    const k0 = keys[0];
    const k2 = keys[2];
    if (!k0 || !k2) throw new Error("no keys");
    // A stream with usage in its last chunk.
    const st = await gw(k0.value, "/v1/chat/completions", {
      model: "gpt-4o-mini",
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: "user", content: "stream me a few words please" }],
    });
    const last = String(st.body)
      .split("\n")
      .filter((l) => l.startsWith("data: {") && l.includes('"usage":{'))
      .at(-1);
    add(chat, "gpt-4o-mini", JSON.parse(last?.slice(6) ?? "{}").usage, k0.id);
    for (const input of ["one two three", ["alpha beta", "gamma delta epsilon"]]) {
      const r = await gw(k2.value, "/v1/embeddings", { model: "text-embedding-3-small", input });
      expect(r.status).toBe(200);
      add(emb, "text-embedding-3-small", r.body.usage, k2.id);
    }
    // Through the HTTP upstream: one answer after a retried 503, one 500 after its retry.
    up.enqueue({ status: 503 });
    const retried = await gw(k0.value, "/v1/chat/completions", {
      model: "fake-gpt",
      messages: [{ role: "user", content: "after a retry" }],
    });
    expect(retried.status).toBe(200);
    add(chat, "fake-gpt", retried.body.usage, k0.id);
    const failed = await gw(
      k0.value,
      "/v1/chat/completions",
      { model: "fake-gpt", messages: [{ role: "user", content: "fail" }] },
      { "x-fake-fault": JSON.stringify({ status: 500 }) },
    );
    expect(failed.status).toBe(500);
    // A failed request is a request of its key, but not model usage.
    const x0 = perKey.get(k0.id);
    if (x0) x0.requests++;
    // Refused before any upstream: a bad key.
    expect((await gw("sk-proj-bogus", "/v1/chat/completions", { model: "gpt-4o-mini" })).status).toBe(401);
    await s.kp.meter.flush();
  });
  afterAll(async () => {
    await s.close();
    await up.close();
  });

  const now = () => Math.floor(Date.now() / 1000);
  const get = async (path: string, specPath: string) => {
    const r = await call(s.url, "GET", path, { key: s.adminKey });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(validateOperation(SPEC, "get", specPath, r.body).errors).toEqual([]);
    return r.body;
  };
  /** Results of every bucket (the run may straddle a UTC midnight). */
  const results = (page: { data: { results: Record<string, unknown>[] }[] }) =>
    page.data.flatMap((b) => b.results);
  const sum = (rows: Record<string, unknown>[], f: string) => rows.reduce((n, r) => n + Number(r[f] ?? 0), 0);

  it("completions and embeddings usage equal what the responses reported", async () => {
    const q = `start_time=${now() - 86_400}&end_time=${now() + 60}`;
    const c = results(
      await get(`/v1/organization/usage/completions?${q}`, "/organization/usage/completions"),
    );
    expect({
      requests: sum(c, "num_model_requests"),
      input: sum(c, "input_tokens"),
      cached: sum(c, "input_cached_tokens"),
      output: sum(c, "output_tokens"),
    }).toEqual({ requests: chat.requests, input: chat.input, cached: chat.cached, output: chat.output });
    expect(chat.requests).toBe(11);
    const e = results(await get(`/v1/organization/usage/embeddings?${q}`, "/organization/usage/embeddings"));
    expect([sum(e, "num_model_requests"), sum(e, "input_tokens")]).toEqual([2, emb.input]);

    const byKey = results(
      await get(
        `/v1/organization/usage/completions?${q}&group_by[]=api_key_id`,
        "/organization/usage/completions",
      ),
    );
    for (const k of keys.slice(0, 2)) {
      const rows = byKey.filter((r) => r.api_key_id === k.id);
      const x = perKey.get(k.id);
      expect(sum(rows, "input_tokens"), k.id).toBe(x?.input);
      expect(sum(rows, "output_tokens"), k.id).toBe(x?.output);
    }
  });

  it("costs equal the gateway's cost of each response, per project", async () => {
    const q = `start_time=${now() - 86_400}&end_time=${now() + 60}`;
    const total = results(await get(`/v1/organization/costs?${q}`, "/organization/costs"));
    const micros = Math.round(total.reduce((n, r) => n + (r.amount as { value: number }).value * 1e6, 0));
    expect(micros).toBe(chat.cost + emb.cost);
    expect(micros).toBeGreaterThan(0);
    const byProject = results(
      await get(`/v1/organization/costs?${q}&group_by[]=project_id`, "/organization/costs"),
    );
    const k2 = keys[2];
    const p2 = Math.round(
      byProject
        .filter((r) => r.project_id === k2?.project)
        .reduce((n, r) => n + (r.amount as { value: number }).value * 1e6, 0),
    );
    expect(p2).toBe(perKey.get(k2?.id ?? "")?.cost);
  });

  it("the key listing shows each key's month so far", async () => {
    const list = await call(s.url, "GET", `/v1/organizations/${s.orgId}/projects/${s.projectId}/apikeys`, {
      key: s.adminKey,
    });
    for (const k of keys.slice(0, 2)) {
      const x = perKey.get(k.id);
      const o = list.body.data.find((y: { id: string }) => y.id === k.id);
      expect(o.usage).toMatchObject({
        requests: x?.requests,
        input_tokens: x?.input,
        output_tokens: x?.output,
      });
      expect(Math.round(o.usage.cost_usd * 1e6)).toBe(x?.cost);
    }
  });

  it("/metrics counts the run: requests by route, status, model and project; refusals; upstream errors and retries", async () => {
    const r = await fetch(`${s.url}/metrics`);
    const m = parseMetrics(await r.text());
    const route = "/v1/chat/completions";
    const k0 = keys[0];
    const p2 = keys[2]?.project ?? "";
    const count = (l: Record<string, string>) => m.value("keyplane_gateway_requests_total", l);
    expect(count({ route, status: "200" })).toBe(11);
    expect(count({ route, status: "200", model: "gpt-4o-mini", project: k0?.project ?? "" })).toBe(4);
    expect(count({ route, status: "500", model: "fake-gpt" })).toBe(1);
    expect(count({ route, status: "401" })).toBe(1);
    expect(count({ route: "/v1/embeddings", status: "200", project: p2 })).toBe(2);
    expect(m.value("keyplane_refusals_total", { kind: "auth" })).toBe(1);
    expect(m.value("keyplane_upstream_errors_total", { provider: "fake", kind: "status_5xx" })).toBe(1);
    expect(m.value("keyplane_upstream_retries_total", { provider: "fake" })).toBe(2);
    expect(m.value("keyplane_upstream_duration_seconds_count", { route })).toBe(12);
    expect(m.value("keyplane_gateway_duration_seconds_count", { route })).toBe(13);
    expect(m.value("keyplane_journal_backlog")).toBe(0);
  });

  it("no log line carries a key or the upstream key", () => {
    const logs = s.logs();
    for (const k of keys) expect(logs.includes(k.value)).toBe(false);
    expect(logs.includes(UPSTREAM_KEY)).toBe(false);
    expect(/sk-(proj|admin|svcacct|upstream)-[A-Za-z0-9]{12,}/.test(logs)).toBe(false);
  });
});
