import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids.js";
import { call, startServer, type TestServer } from "../helpers/server.js";
import { validateOperation } from "../helpers/spec.js";
import { D0, DAY, KEEP_ALL, PRICES, type Scenario, seedScenario } from "./scenario.js";

describe("usage through the openai client, CSV exports and key listings", () => {
  let s: TestServer;
  let sc: Scenario;
  let client: OpenAI;
  beforeAll(async () => {
    s = await startServer({ config: { prices: PRICES, usage: KEEP_ALL } });
    sc = await seedScenario(s);
    client = new OpenAI({ baseURL: `${s.url}/v1`, adminAPIKey: s.adminKey, apiKey: "unused", maxRetries: 0 });
  });
  afterAll(async () => {
    await s.close();
  });

  it("the official client reads completions, embeddings and costs, and follows next_page", async () => {
    const usage = client.admin.organization.usage;
    const page1 = await usage.completions({
      start_time: D0,
      end_time: D0 + 3 * DAY,
      limit: 2,
      group_by: ["model", "project_id"],
      models: ["gpt-4o-mini", "gpt-4o"],
    });
    expect(page1.object).toBe("page");
    expect(page1.data.map((b) => b.results.length)).toEqual([2, 0]);
    expect(page1.has_more).toBe(true);
    const mini = page1.data[0]?.results.find((r) => "model" in r && r.model === "gpt-4o-mini");
    expect(mini).toMatchObject({
      input_tokens: 1100,
      output_tokens: 550,
      num_model_requests: 2,
      project_id: sc.p1,
    });
    const page2 = await usage.completions({
      start_time: D0,
      end_time: D0 + 3 * DAY,
      limit: 2,
      group_by: ["model", "project_id"],
      models: ["gpt-4o-mini", "gpt-4o"],
      page: page1.next_page ?? "",
    });
    expect(page2.data.map((b) => b.start_time)).toEqual([D0 + 2 * DAY]);
    expect(page2.next_page).toBeNull();

    const emb = await usage.embeddings({ start_time: D0, end_time: D0 + DAY, api_key_ids: [sc.k2] });
    expect(emb.data[0]?.results).toMatchObject([{ input_tokens: 500, num_model_requests: 1 }]);

    const costs = await usage.costs({ start_time: D0, end_time: D0 + DAY, group_by: ["line_item"] });
    const items = costs.data[0]?.results.map((r) => ("line_item" in r ? r.line_item : undefined));
    expect(items).toContain("gpt-4o-mini, output");
    const total = costs.data[0]?.results.reduce(
      (n, r) => n + ("amount" in r ? (r.amount?.value ?? 0) : 0),
      0,
    );
    expect(total).toBeCloseTo(0.02549, 9);
  });

  it("exports usage as CSV with a header row, by format=csv or Accept: text/csv", async () => {
    const qs = `start_time=${D0}&end_time=${D0 + 3 * DAY}&group_by[]=model`;
    const r = await fetch(`${s.url}/v1/organization/usage/completions?${qs}&format=csv`, {
      headers: { authorization: `Bearer ${s.adminKey}` },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(r.headers.get("content-disposition")).toMatch(/attachment; filename="usage-completions-/);
    const lines = (await r.text()).trimEnd().split("\r\n");
    const header = lines[0]?.split(",") ?? [];
    expect(header.slice(0, 6)).toEqual([
      "start_time",
      "end_time",
      "start_time_iso",
      "input_tokens",
      "output_tokens",
      "num_model_requests",
    ]);
    const rows = lines.slice(1).map((l) => Object.fromEntries(l.split(",").map((v, i) => [header[i], v])));
    // Empty buckets write no lines; a limit does not apply to exports.
    expect(rows.map((x) => [x.start_time, x.model, x.input_tokens, x.num_model_requests])).toEqual([
      [String(D0), "gpt-4o", "2000", "1"],
      [String(D0), "gpt-4o-mini", "1100", "2"],
      [String(D0 + 2 * DAY), "gpt-4o-mini", "10", "1"],
    ]);
    expect(rows[0]?.start_time_iso).toBe("2024-11-01T00:00:00.000Z");

    const costs = await fetch(
      `${s.url}/v1/organization/costs?start_time=${D0}&end_time=${D0 + DAY}&group_by[]=line_item`,
      {
        headers: { authorization: `Bearer ${s.adminKey}`, accept: "text/csv" },
      },
    );
    const text = await costs.text();
    expect(text.split("\r\n")[0]).toBe(
      "start_time,end_time,start_time_iso,amount_value,amount_currency,line_item,project_id,api_key_id,quantity,quantity_unit",
    );
    expect(text).toContain(
      `${D0},${D0 + DAY},2024-11-01T00:00:00.000Z,0.008333,usd,"gpt-4o, input",,,2000,tokens\r\n`,
    );
    // JSON stays the default.
    const json = await call(s.url, "GET", `/v1/organization/costs?start_time=${D0}&end_time=${D0 + DAY}`, {
      key: s.adminKey,
    });
    expect(json.body.object).toBe("page");
  });

  it("streams long per-minute exports page by page, and refuses ranges past the export cap", async () => {
    // 20 days of minutes = 28,800 buckets, 20 pages of 1,440: one event on the last minute.
    const last = D0 + 20 * DAY - 60;
    await s.kp.store.usage.insertMany([
      {
        id: newId.usageEvent(),
        orgId: s.orgId,
        projectId: sc.p1,
        keyId: sc.k1,
        model: "o3-mini",
        endpoint: "chat",
        inputTokens: 3,
        cachedTokens: 0,
        outputTokens: 4,
        status: 200,
        latencyMs: 1,
        bytes: 1,
        estimated: true,
        costMicros: 1,
        createdAtMs: (last + 5) * 1000,
      },
    ]);
    const r = await call(
      s.url,
      "GET",
      `/v1/organization/usage/completions?start_time=${D0}&end_time=${D0 + 20 * DAY}&bucket_width=1m&models[]=o3-mini&format=csv`,
      { key: s.adminKey },
    );
    expect(r.status).toBe(200);
    const lines = String(r.body).trimEnd().split("\r\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]?.startsWith(`${last},${last + 60},`)).toBe(true);
    const tooLong = await call(
      s.url,
      "GET",
      `/v1/organization/usage/completions?start_time=${D0}&end_time=${D0 + 80 * DAY}&bucket_width=1m&format=csv`,
      { key: s.adminKey },
    );
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.param).toBe("end_time");
  });

  it("key listings on the multi-organization path carry this month's usage", async () => {
    const now = Date.now();
    const ev = (
      keyId: string,
      inputTokens: number,
      outputTokens: number,
      costMicros: number,
      status = 200,
    ) => ({
      id: newId.usageEvent(),
      orgId: s.orgId,
      projectId: sc.p1,
      keyId,
      model: "gpt-4o-mini",
      endpoint: "chat",
      inputTokens,
      cachedTokens: 0,
      outputTokens,
      status,
      latencyMs: 1,
      bytes: 1,
      estimated: false,
      costMicros,
      createdAtMs: now,
    });
    await s.kp.store.usage.insertMany([
      ev(sc.k1, 100, 10, 1_500_000),
      ev(sc.k1, 20, 2, 250_000),
      ev(sc.k1, 0, 0, 0, 500),
    ]);
    const path = `/v1/organizations/${s.orgId}/projects/${sc.p1}/apikeys`;
    const list = await call(s.url, "GET", path, { key: s.adminKey });
    expect(list.status).toBe(200);
    const d = new Date(now);
    const period = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
    const k1 = list.body.data.find((k: { id: string }) => k.id === sc.k1);
    // The scenario's 2024 events are outside this period; the failed request still counts as a request.
    expect(k1.usage).toEqual({ period, requests: 3, input_tokens: 120, output_tokens: 12, cost_usd: 1.75 });
    for (const k of list.body.data) expect(k.usage.period).toBe(period);
    const one = await call(s.url, "GET", `${path}/${sc.k1}`, { key: s.adminKey });
    expect(one.body.usage).toEqual(k1.usage);
    // OpenAI's own path keeps OpenAI's object (no extension field) and validates against the spec.
    const openaiPath = await call(s.url, "GET", `/v1/organization/projects/${sc.p1}/api_keys`, {
      key: s.adminKey,
    });
    expect(openaiPath.body.data[0].usage).toBeUndefined();
    const v = validateOperation(
      "openai-admin-openapi.json",
      "get",
      "/organization/projects/{project_id}/api_keys",
      openaiPath.body,
    );
    expect(v.errors).toEqual([]);
  });
});
