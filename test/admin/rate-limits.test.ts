import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startServer, type TestServer } from "../helpers/server.js";
import { validateAgainst, validateOperation } from "../helpers/spec.js";

const SPEC = "openai-admin-openapi.json";
const MODELS = ["gpt-4o", "gpt-4o-mini", "o3-mini", "text-embedding-3-small", "text-embedding-3-large"];

describe("project rate limits (OpenAI's API) and the narrowing rules", () => {
  let s: TestServer;
  let client: OpenAI;
  const admin = (method: string, path: string, body?: unknown) =>
    call(s.url, method, path, { key: s.adminKey, ...(body !== undefined ? { body } : {}) });

  beforeAll(async () => {
    s = await startServer({
      config: {
        models: MODELS,
        limits: {
          redisFailurePolicy: "closed",
          defaultRpm: 5000,
          defaultTpm: 800_000,
          models: { "gpt-4o": { rpm: 500, tpm: 200_000, rpd: 10_000 } },
          defaultMaxOutputTokens: 4096,
          keyBudgetAlertPercents: [50, 90, 100],
          policyTtlMs: 5000,
          redisPrefix: "keyplane:",
        },
      },
    });
    client = new OpenAI({ baseURL: `${s.url}/v1`, adminAPIKey: s.adminKey, apiKey: "unused", maxRetries: 0 });
  });
  afterAll(async () => {
    await s.close();
  });

  it("lists one record per configured model with the org's limits, paginating with the official client", async () => {
    const rl = client.admin.organization.projects.rateLimits;
    const seen: string[] = [];
    let pages = 0;
    for await (const page of (await rl.listRateLimits(s.projectId, { limit: 2 })).iterPages()) {
      pages++;
      seen.push(...page.data.map((r) => r.id));
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(MODELS.map((m) => `rl-${m}`));
    const raw = await admin("GET", `/v1/organization/projects/${s.projectId}/rate_limits`);
    expect(
      validateOperation(SPEC, "get", "/organization/projects/{project_id}/rate_limits", raw.body).errors,
    ).toEqual([]);
    expect(raw.body.data[0]).toEqual({
      object: "project.rate_limit",
      id: "rl-gpt-4o",
      model: "gpt-4o",
      max_requests_per_1_minute: 500,
      max_tokens_per_1_minute: 200_000,
      max_requests_per_1_day: 10_000,
    });
    expect(raw.body.data[1]).toEqual({
      object: "project.rate_limit",
      id: "rl-gpt-4o-mini",
      model: "gpt-4o-mini",
      max_requests_per_1_minute: 5000,
      max_tokens_per_1_minute: 800_000,
    });
    const before = await admin(
      "GET",
      `/v1/organization/projects/${s.projectId}/rate_limits?before=rl-o3-mini&limit=1`,
    );
    expect(before.body.data.map((r: { id: string }) => r.id)).toEqual(["rl-gpt-4o-mini"]);
    expect(before.body.has_more).toBe(true);
  });

  it("updates the six max_* fields through the official client, audited as rate_limit.updated", async () => {
    const p = (await admin("POST", "/v1/organization/projects", { name: "limited" })).body;
    const updated = await client.admin.organization.projects.rateLimits.updateRateLimit("rl-gpt-4o", {
      project_id: p.id,
      max_requests_per_1_minute: 100,
      max_tokens_per_1_minute: 30_000,
      max_requests_per_1_day: 2000,
      max_images_per_1_minute: 5,
      max_audio_megabytes_per_1_minute: 3,
      batch_1_day_max_input_tokens: 1_000_000,
    });
    expect(updated).toEqual({
      object: "project.rate_limit",
      id: "rl-gpt-4o",
      model: "gpt-4o",
      max_requests_per_1_minute: 100,
      max_tokens_per_1_minute: 30_000,
      max_images_per_1_minute: 5,
      max_audio_megabytes_per_1_minute: 3,
      max_requests_per_1_day: 2000,
      batch_1_day_max_input_tokens: 1_000_000,
    });
    expect(validateAgainst(SPEC, "ProjectRateLimit", updated).errors).toEqual([]);
    // Another project keeps its own record under the same id.
    const other = await admin("GET", `/v1/organization/projects/${s.projectId}/rate_limits?limit=1`);
    expect(other.body.data[0].max_requests_per_1_minute).toBe(500);

    const logs = await admin(
      "GET",
      `/v1/organization/audit_logs?event_types[]=rate_limit.updated&project_ids[]=${p.id}`,
    );
    expect(logs.body.data).toHaveLength(1);
    const e = logs.body.data[0];
    expect(validateAgainst(SPEC, "AuditLog", e).errors).toEqual([]);
    expect(e["rate_limit.updated"]).toEqual({
      id: "rl-gpt-4o",
      changes_requested: {
        max_requests_per_1_minute: 100,
        max_tokens_per_1_minute: 30_000,
        max_requests_per_1_day: 2000,
        max_images_per_1_minute: 5,
        max_audio_megabytes_per_1_minute: 3,
        batch_1_day_max_input_tokens: 1_000_000,
      },
    });
    expect(e.project).toEqual({ id: p.id, name: "limited" });
  });

  it("a project limit above the organization's → 400 naming the param, nothing changed", async () => {
    const url = `/v1/organization/projects/${s.projectId}/rate_limits/rl-gpt-4o`;
    for (const [param, value] of [
      ["max_requests_per_1_minute", 501],
      ["max_tokens_per_1_minute", 200_001],
      ["max_requests_per_1_day", 10_001],
    ] as const) {
      const r = await admin("POST", url, { [param]: value });
      expect(r.status, param).toBe(400);
      expect(r.body.error.param).toBe(param);
      expect(r.body.error.type).toBe("invalid_request_error");
      expect(r.body.error.message).toContain("may only narrow");
    }
    const after = await admin("GET", `/v1/organization/projects/${s.projectId}/rate_limits?limit=1`);
    expect(after.body.data[0].max_requests_per_1_minute).toBe(500);
    expect((await admin("POST", url, { max_requests_per_1_minute: 500 })).status).toBe(200);
    // Models without an org daily limit take any daily limit.
    const mini = await admin("POST", `/v1/organization/projects/${s.projectId}/rate_limits/rl-gpt-4o-mini`, {
      max_requests_per_1_day: 123_456_789,
    });
    expect(mini.body.max_requests_per_1_day).toBe(123_456_789);
  });

  it("bad ids and bodies: 404 for an unknown rate limit or project, 400 for wrong types", async () => {
    const missing = await admin("POST", `/v1/organization/projects/${s.projectId}/rate_limits/rl-nope`, {
      max_requests_per_1_minute: 1,
    });
    expect(missing.status).toBe(404);
    expect(missing.body.error.param).toBe("rate_limit_id");
    expect((await admin("GET", "/v1/organization/projects/proj_nope/rate_limits")).status).toBe(404);
    const bad = await admin("POST", `/v1/organization/projects/${s.projectId}/rate_limits/rl-gpt-4o`, {
      max_requests_per_1_minute: "many",
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe("max_requests_per_1_minute");
    const neg = await admin("POST", `/v1/organization/projects/${s.projectId}/rate_limits/rl-gpt-4o`, {
      max_tokens_per_1_minute: -1,
    });
    expect(neg.body.error.param).toBe("max_tokens_per_1_minute");
  });

  it("key limits may only narrow the most generous model of the project; key budgets the hard limit", async () => {
    const p = (await admin("POST", "/v1/organization/projects", { name: "keys" })).body;
    const keys = `/v1/organization/projects/${p.id}/api_keys`;
    // The most generous model allows 5000 RPM and 800k TPM; days are unlimited for most models.
    const ok = await admin("POST", keys, {
      name: "ok",
      limits: { rpm: 5000, tpm: 800_000, rpd: 1e9, tpd: 1e12 },
    });
    expect(ok.status).toBe(200);
    const rpm = await admin("POST", keys, { name: "x", limits: { rpm: 5001 } });
    expect([rpm.status, rpm.body.error.param]).toEqual([400, "limits.rpm"]);
    const tpm = await admin("POST", `${keys}/${ok.body.id}`, { limits: { tpm: 800_001 } });
    expect([tpm.status, tpm.body.error.param]).toEqual([400, "limits.tpm"]);

    // Narrow every model's project record; the key bound follows.
    for (const m of MODELS) {
      await admin("POST", `/v1/organization/projects/${p.id}/rate_limits/rl-${m}`, {
        max_requests_per_1_minute: 50,
        max_requests_per_1_day: m === "gpt-4o" ? 700 : 600,
      });
    }
    const narrowed = await admin("POST", `${keys}/${ok.body.id}`, { limits: { rpm: 51 } });
    expect([narrowed.status, narrowed.body.error.param]).toEqual([400, "limits.rpm"]);
    const rpd = await admin("POST", `${keys}/${ok.body.id}`, { limits: { rpm: 50, rpd: 701 } });
    expect([rpd.status, rpd.body.error.param]).toEqual([400, "limits.rpd"]);
    expect((await admin("POST", `${keys}/${ok.body.id}`, { limits: { rpm: 50, rpd: 700 } })).status).toBe(
      200,
    );

    await admin("POST", `/v1/organization/projects/${p.id}/spend_limit`, {
      threshold_amount: 2000,
      currency: "USD",
      interval: "month",
    });
    const budget = await admin("POST", keys, { name: "b", budget_usd: 20.01 });
    expect([budget.status, budget.body.error.param]).toEqual([400, "budget_usd"]);
    expect((await admin("POST", keys, { name: "b", budget_usd: 20 })).status).toBe(200);
    // Through the multi-organization path too.
    const multi = await admin("POST", `/v1/organizations/${s.orgId}/projects/${p.id}/apikeys`, {
      name: "m",
      budget_usd: 25,
    });
    expect([multi.status, multi.body.error.param]).toEqual([400, "budget_usd"]);
  });
});
