import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startServer, type TestServer } from "../helpers/server.js";
import { validateOperation } from "../helpers/spec.js";
import { bucket, completions, D0, DAY, KEEP_ALL, PRICES, type Scenario, seedScenario } from "./scenario.js";

const SPEC = "openai-admin-openapi.json";

describe.each(["sqlite", "postgres"] as const)("Usage API on %s", (db) => {
  let s: TestServer;
  let sc: Scenario;
  beforeAll(async () => {
    s = await startServer({ db, config: { prices: PRICES, usage: KEEP_ALL } });
    sc = await seedScenario(s);
  });
  afterAll(async () => {
    await s.close();
  });

  const get = async (path: string, specPath: string) => {
    const r = await call(s.url, "GET", path, { key: s.adminKey });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const v = validateOperation(SPEC, "get", specPath, r.body);
    expect(v.errors).toEqual([]);
    return r.body;
  };
  const usage = (kind: string, qs: string) =>
    get(`/v1/organization/usage/${kind}?${qs}`, `/organization/usage/${kind}`);
  const sorted = <T extends Record<string, unknown>>(rows: T[], ...by: string[]) =>
    [...rows].sort((a, b) => {
      for (const k of by) {
        const x = String(a[k] ?? "");
        const y = String(b[k] ?? "");
        if (x !== y) return x < y ? -1 : 1;
      }
      return 0;
    });

  it("answers daily completions buckets, the empty one included", async () => {
    const body = await usage("completions", `start_time=${D0}&end_time=${D0 + 3 * DAY}`);
    expect(body).toEqual({
      object: "page",
      data: [
        bucket(D0, DAY, [completions(3100, 200, 1550, 3)]),
        bucket(D0 + DAY, DAY, []),
        bucket(D0 + 2 * DAY, DAY, [completions(10, 0, 10, 1)]),
      ],
      has_more: false,
      next_page: null,
    });
  });

  it("groups by project and model, and by user and key", async () => {
    const byModel = await usage(
      "completions",
      `start_time=${D0}&end_time=${D0 + DAY}&group_by[]=project_id&group_by[]=model`,
    );
    expect(byModel.data[0].results).toEqual(
      sorted(
        [
          completions(1100, 200, 550, 2, { project_id: sc.p1, model: "gpt-4o-mini" }),
          completions(2000, 0, 1000, 1, { project_id: sc.p2, model: "gpt-4o" }),
        ],
        "project_id",
        "model",
      ),
    );
    // Repeated `group_by=` works like `group_by[]=`; the service-account key has no user.
    const byUser = await usage(
      "completions",
      `start_time=${D0}&end_time=${D0 + DAY}&group_by=user_id&group_by=api_key_id`,
    );
    expect(byUser.data[0].results).toEqual(
      sorted(
        [
          completions(2000, 0, 1000, 1, { api_key_id: sc.k2 }),
          completions(1100, 200, 550, 2, { user_id: sc.owner, api_key_id: sc.k1 }),
        ],
        "api_key_id",
      ),
    );
  });

  it("filters by projects, keys, users and models", async () => {
    const q = `start_time=${D0}&end_time=${D0 + DAY}`;
    const one = async (filter: string) => (await usage("completions", `${q}&${filter}`)).data[0].results;
    expect(await one(`project_ids[]=${sc.p2}`)).toEqual([completions(2000, 0, 1000, 1)]);
    expect(await one(`api_key_ids[0]=${sc.k1}`)).toEqual([completions(1100, 200, 550, 2)]);
    expect(await one(`user_ids=${sc.owner}`)).toEqual([completions(1100, 200, 550, 2)]);
    expect(await one("models[]=gpt-4o&models[]=o3-mini")).toEqual([completions(2000, 0, 1000, 1)]);
    expect(await one("models[]=o3-mini")).toEqual([]);
    expect(await one("batch=true")).toEqual([]);
    const grouped = await one("group_by[]=batch&group_by[]=service_tier");
    expect(grouped).toEqual([{ ...completions(3100, 200, 1550, 3), batch: false, service_tier: "default" }]);
  });

  it("answers hourly and per-minute buckets", async () => {
    const hours = await usage("completions", `start_time=${D0}&end_time=${D0 + 7200}&bucket_width=1h`);
    expect(hours.data).toEqual([
      bucket(D0, 3600, [completions(1100, 200, 550, 2)]),
      bucket(D0 + 3600, 3600, [completions(2000, 0, 1000, 1)]),
    ]);
    // start_time inside a minute: the first bucket is that whole minute.
    const minutes = await usage("completions", `start_time=${D0 + 61}&end_time=${D0 + 180}&bucket_width=1m`);
    expect(minutes.data).toEqual([
      bucket(D0 + 60, 60, [completions(1000, 200, 500, 1)]),
      bucket(D0 + 120, 60, [completions(100, 0, 50, 1)]),
    ]);
    // Default limits: 24 hourly and 60 per-minute buckets per page.
    expect(
      (await usage("completions", `start_time=${D0}&bucket_width=1h&end_time=${D0 + 2 * DAY}`)).data,
    ).toHaveLength(24);
    expect(
      (await usage("completions", `start_time=${D0}&bucket_width=1m&end_time=${D0 + DAY}`)).data,
    ).toHaveLength(60);
  });

  it("pages with limit and next_page until has_more is false", async () => {
    const q = `start_time=${D0}&end_time=${D0 + 3 * DAY}&limit=2`;
    const first = await usage("completions", q);
    expect(first.data.map((b: { start_time: number }) => b.start_time)).toEqual([D0, D0 + DAY]);
    expect(first.has_more).toBe(true);
    expect(first.next_page).toMatch(/^page_[A-Za-z0-9+/=]+$/);
    const second = await usage("completions", `${q}&page=${encodeURIComponent(first.next_page)}`);
    expect(second).toEqual({
      object: "page",
      data: [bucket(D0 + 2 * DAY, DAY, [completions(10, 0, 10, 1)])],
      has_more: false,
      next_page: null,
    });
  });

  it("answers embeddings usage, and empty buckets for pages the gateway cannot produce", async () => {
    const emb = await usage("embeddings", `start_time=${D0}&end_time=${D0 + 2 * DAY}&group_by[]=model`);
    expect(emb.data).toEqual([
      bucket(D0, DAY, [
        {
          object: "organization.usage.embeddings.result",
          input_tokens: 500,
          num_model_requests: 1,
          project_id: null,
          user_id: null,
          api_key_id: null,
          model: "text-embedding-3-small",
        },
      ]),
      bucket(D0 + DAY, DAY, []),
    ]);
    const images = await usage("images", `start_time=${D0}&end_time=${D0 + 2 * DAY}`);
    expect(images.data).toEqual([bucket(D0, DAY, []), bucket(D0 + DAY, DAY, [])]);
    expect(images.has_more).toBe(false);
  });

  it("rejects bad ranges, limits, widths and cursors with OpenAI's 400", async () => {
    const bad = async (qs: string, param: string) => {
      const r = await call(s.url, "GET", `/v1/organization/usage/completions?${qs}`, { key: s.adminKey });
      expect(r.status, qs).toBe(400);
      expect(r.body.error.param, qs).toBe(param);
      expect(r.body.error.type).toBe("invalid_request_error");
    };
    await bad("end_time=5", "start_time");
    await bad(`start_time=${D0}&end_time=${D0}`, "end_time");
    await bad(`start_time=${D0}&limit=32`, "limit");
    await bad(`start_time=${D0}&bucket_width=1h&limit=169`, "limit");
    await bad(`start_time=${D0}&bucket_width=2d`, "bucket_width");
    await bad(`start_time=${D0}&end_time=${D0 + 9 * DAY}&page=page_bm9wZQ==`, "page");
    await bad(`start_time=${D0}&group_by[]=size`, "group_by");
    const costs = await call(s.url, "GET", `/v1/organization/costs?start_time=${D0}&bucket_width=1h`, {
      key: s.adminKey,
    });
    expect(costs.status).toBe(400);
  });

  it("answers costs per day, per line item, project and key", async () => {
    const costs = (qs: string) => get(`/v1/organization/costs?${qs}`, "/organization/costs");
    const amount = (micros: number) => ({ value: micros / 1e6, currency: "usd" });
    const result = (micros: number, over: Record<string, unknown> = {}) => ({
      object: "organization.costs.result",
      amount: amount(micros),
      line_item: null,
      project_id: null,
      api_key_id: null,
      quantity: null,
      quantity_unit: null,
      ...over,
    });
    const total = await costs(`start_time=${D0}&end_time=${D0 + 3 * DAY}`);
    expect(total.data).toEqual([
      bucket(D0, DAY, [result(25_490)]),
      bucket(D0 + DAY, DAY, []),
      bucket(D0 + 2 * DAY, DAY, [result(7)]),
    ]);
    // gpt-4o-mini splits at list price (900 × 0.15, 200 × 0.075, 550 × 0.6 = 480 µ$ exactly);
    // the recorded 25,000 µ$ of gpt-4o splits 5,000 : 10,000 like its list price (2.5 and 10 per
    // 1M), the odd micro-dollar to the heavier output.
    const line = (name: string, micros: number, tokens: number) =>
      result(micros, { line_item: name, quantity: tokens, quantity_unit: "tokens" });
    const lines = await costs(`start_time=${D0}&end_time=${D0 + DAY}&group_by[]=line_item`);
    expect(lines.data[0].results).toEqual([
      line("gpt-4o, input", 8333, 2000),
      line("gpt-4o, output", 16_667, 1000),
      line("gpt-4o-mini, cached input", 15, 200),
      line("gpt-4o-mini, input", 135, 900),
      line("gpt-4o-mini, output", 330, 550),
      line("text-embedding-3-small, input", 10, 500),
    ]);
    const byProject = await costs(
      `start_time=${D0}&end_time=${D0 + DAY}&group_by[]=project_id&group_by[]=api_key_id`,
    );
    expect(byProject.data[0].results).toEqual(
      sorted(
        [
          result(480, { project_id: sc.p1, api_key_id: sc.k1 }),
          result(25_010, { project_id: sc.p2, api_key_id: sc.k2 }),
        ],
        "project_id",
      ),
    );
    const filtered = await costs(
      `start_time=${D0}&end_time=${D0 + DAY}&line_items[]=${encodeURIComponent("gpt-4o, output")}&project_ids[]=${sc.p2}`,
    );
    expect(filtered.data[0].results).toEqual([result(16_667)]);
    const paged = await costs(`start_time=${D0}&end_time=${D0 + 3 * DAY}&limit=1`);
    expect(paged.data).toHaveLength(1);
    expect(paged.has_more).toBe(true);
  });

  it("is an admin route: project keys and missing keys are refused", async () => {
    const none = await call(s.url, "GET", `/v1/organization/costs?start_time=${D0}`);
    expect(none.status).toBe(401);
    const other = await call(s.url, "GET", `/v1/organization/usage/completions?start_time=${D0}`, {
      key: "sk-proj-notarealkeyatall000000000000000000000000000000",
    });
    expect(other.status).toBe(401);
  });
});
