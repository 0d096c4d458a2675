import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Metrics } from "../../src/metrics/registry.js";
import { parseMetrics } from "../helpers/prometheus.js";
import { call, startServer, type TestServer } from "../helpers/server.js";

const TOKEN = "metrics-token-for-tests-0123456789";

describe("GET /metrics", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ config: { metricsToken: TOKEN } });
  });
  afterAll(async () => {
    await s.close();
  });

  const scrape = async () => {
    const r = await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseMetrics(await r.text());
  };

  it("refuses scrapes without the configured token", async () => {
    expect((await fetch(`${s.url}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${s.url}/metrics`, { headers: { authorization: "Bearer nope" } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toMatch(/^Bearer/);
  });

  it("counts every HTTP request by route pattern, method and status", async () => {
    const before = await scrape();
    const route = "/v1/organization/usage/completions";
    const labels = (status: string) => ({ route, method: "GET", status });
    for (let i = 0; i < 3; i++)
      await call(s.url, "GET", `/v1/organization/usage/completions?start_time=${1_730_419_200 + i}`, {
        key: s.adminKey,
      });
    for (let i = 0; i < 2; i++)
      await call(s.url, "GET", "/v1/organization/usage/completions", { key: s.adminKey });
    await call(s.url, "GET", "/v1/organization/usage/completions?start_time=1");
    await call(s.url, "GET", "/nowhere/at/all");
    const after = await scrape();
    const delta = (name: string, l: Record<string, string>) => after.value(name, l) - before.value(name, l);
    expect(delta("keyplane_http_requests_total", labels("200"))).toBe(3);
    expect(delta("keyplane_http_requests_total", labels("400"))).toBe(2);
    expect(delta("keyplane_http_requests_total", labels("401"))).toBe(1);
    expect(delta("keyplane_http_requests_total", { route: "unmatched", status: "404" })).toBe(1);
    // Raw URLs never become label values.
    const routes = after.series("keyplane_http_requests_total").map((x) => x.labels.route);
    expect(routes.some((r) => r?.includes("?") || r?.includes("nowhere"))).toBe(false);
    expect(delta("keyplane_http_request_duration_seconds_count", { route, method: "GET" })).toBe(6);
    // Admin keys verified after the first request come from the cache.
    const ratio = after.value("keyplane_key_cache_hit_ratio");
    expect(ratio).toBeGreaterThan(0);
    expect(ratio).toBeLessThanOrEqual(1);
    // Five requests presented a key: five lookups, the first of them possibly a miss.
    expect(delta("keyplane_key_cache_lookups_total", {})).toBe(5);
    expect(delta("keyplane_key_cache_lookups_total", { result: "hit" })).toBeGreaterThanOrEqual(4);
  });

  it("reports what the gateway records: requests, latencies, refusals, upstream errors, retries, backlog", async () => {
    const m = s.kp.metrics;
    let backlog = 0;
    m.journalBacklog(() => backlog);
    m.request("/v1/chat/completions", 200, "gpt-4o-mini", "proj_a", 2, 300);
    m.request("/v1/chat/completions", 200, "gpt-4o-mini", "proj_a", 4, 700);
    m.request("/v1/chat/completions", 429, "gpt-4o-mini", "proj_a", 1, null);
    m.request("/v1/embeddings", 200, "text-embedding-3-small", "proj_b", 3, 40);
    m.refusal("rate_limit");
    m.refusal("budget");
    m.refusal("rate_limit");
    m.upstreamError("openai", "timeout");
    m.retry("openai");
    m.retry("openai");
    backlog = 17;
    const x = await scrape();
    const chat = { route: "/v1/chat/completions" };
    expect(
      x.value("keyplane_gateway_requests_total", {
        ...chat,
        status: "200",
        model: "gpt-4o-mini",
        project: "proj_a",
      }),
    ).toBe(2);
    expect(x.value("keyplane_gateway_requests_total", { ...chat, status: "429" })).toBe(1);
    expect(x.value("keyplane_gateway_requests_total", { project: "proj_b" })).toBe(1);
    expect(x.value("keyplane_gateway_duration_seconds_count", chat)).toBe(3);
    expect(x.value("keyplane_gateway_duration_seconds_sum", chat)).toBeCloseTo(0.007, 6);
    // The refused request never reached the upstream.
    expect(x.value("keyplane_upstream_duration_seconds_count", chat)).toBe(2);
    expect(x.value("keyplane_upstream_duration_seconds_bucket", { ...chat, le: "0.5" })).toBe(1);
    expect(x.value("keyplane_upstream_duration_seconds_bucket", { ...chat, le: "+Inf" })).toBe(2);
    expect(x.value("keyplane_refusals_total", { kind: "rate_limit" })).toBe(2);
    expect(x.value("keyplane_refusals_total", { kind: "budget" })).toBe(1);
    expect(x.value("keyplane_upstream_errors_total", { provider: "openai", kind: "timeout" })).toBe(1);
    expect(x.value("keyplane_upstream_retries_total", { provider: "openai" })).toBe(2);
    expect(x.value("keyplane_journal_backlog")).toBe(17);
    const types = Object.fromEntries(x.families.map((f) => [f.name, f.type]));
    expect(types).toMatchObject({
      keyplane_gateway_requests_total: "COUNTER",
      keyplane_gateway_duration_seconds: "HISTOGRAM",
      keyplane_journal_backlog: "GAUGE",
    });
  });
});

describe("Metrics registry", () => {
  it("caps gateway series: past the limit new model/project pairs count as other", async () => {
    const m = new Metrics({ defaultMetrics: false, maxSeries: 2 });
    m.request("/r", 200, "a", "p1", 1, 1);
    m.request("/r", 200, "b", "p1", 1, 1);
    m.request("/r", 200, "c", "p2", 1, 1);
    m.request("/r", 200, "d", "p3", 1, 1);
    m.request("/r", 200, "a", "p1", 1, 1);
    const x = parseMetrics(await m.render());
    expect(x.series("keyplane_gateway_requests_total")).toHaveLength(3);
    expect(x.value("keyplane_gateway_requests_total", { model: "other", project: "other" })).toBe(2);
    expect(x.value("keyplane_gateway_requests_total", { model: "a" })).toBe(2);
    // Scraping twice reports the same totals (the collect step does not double count).
    expect(parseMetrics(await m.render()).value("keyplane_gateway_requests_total")).toBe(5);
  });
});
