import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { routeRegistry } from "../../src/http/route.js";
import { call, startServer, type TestServer } from "../helpers/server.js";
import { specPathOf, validateAgainst, validateOperation } from "../helpers/spec.js";

const SPEC = "openai-admin-openapi.json";

/** Every response on an OpenAI path validates against OpenAI's own admin spec. */
describe("admin responses validate against OpenAI's spec", () => {
  let s: TestServer;
  const exercised = new Set<string>();
  const failures: string[] = [];

  const api = async (method: string, path: string, body?: unknown) => {
    const r = await call(s.url, method, path, { key: s.adminKey, ...(body !== undefined ? { body } : {}) });
    expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBe(200);
    const template = specPathOf(SPEC, method.toLowerCase(), path.split("?")[0] ?? path);
    if (template) {
      exercised.add(`${method} ${template}`);
      const v = validateOperation(SPEC, method.toLowerCase(), template, r.body);
      if (!v.valid) failures.push(`${method} ${template}: ${v.errors.join("; ")}`);
    }
    return r.body;
  };

  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(async () => {
    await s.close();
  });

  it("walks every OpenAI admin route we serve", async () => {
    const p = await api("POST", "/v1/organization/projects", { name: "Spec" });
    await api("GET", "/v1/organization/projects?limit=5");
    await api("GET", `/v1/organization/projects/${p.id}`);
    await api("POST", `/v1/organization/projects/${p.id}`, { name: "Spec 2" });

    const sa = await api("POST", `/v1/organization/projects/${p.id}/service_accounts`, { name: "svc" });
    await api("GET", `/v1/organization/projects/${p.id}/service_accounts`);
    await api("GET", `/v1/organization/projects/${p.id}/service_accounts/${sa.id}`);
    await api("POST", `/v1/organization/projects/${p.id}/service_accounts/${sa.id}`, { name: "svc2" });
    await api("POST", `/v1/organization/projects/${p.id}/service_accounts/${sa.id}/api_keys`, { name: "k2" });

    const k = await api("POST", `/v1/organization/projects/${p.id}/api_keys`, {
      name: "user key",
      scopes: ["model.request"],
    });
    await api("GET", `/v1/organization/projects/${p.id}/api_keys`);
    await api("GET", `/v1/organization/projects/${p.id}/api_keys/${k.id}`);
    await api("POST", `/v1/organization/projects/${p.id}/api_keys/${k.id}`, {
      scopes: ["api.all.read"],
      expires_in_seconds: 3600,
    });
    await api("DELETE", `/v1/organization/projects/${p.id}/api_keys/${k.id}`);

    const users = await api("GET", "/v1/organization/users");
    const owner = users.data[0];
    await api("GET", `/v1/organization/users/${owner.id}`);
    await api("POST", `/v1/organization/users/${owner.id}`, { role: "owner" });
    await api("GET", `/v1/organization/projects/${p.id}/users`);
    await api("GET", `/v1/organization/projects/${p.id}/users/${owner.id}`);
    await api("POST", `/v1/organization/projects/${p.id}/users/${owner.id}`, { role: "owner" });
    const p2 = await api("POST", "/v1/organization/projects", { name: "Spec members" });
    await api("DELETE", `/v1/organization/projects/${p2.id}/users/${owner.id}`);
    await api("POST", `/v1/organization/projects/${p2.id}/users`, { user_id: owner.id, role: "member" });

    const ak = await api("POST", "/v1/organization/admin_api_keys", {
      name: "automation",
      expires_in_seconds: 86400,
    });
    await api("GET", "/v1/organization/admin_api_keys");
    await api("GET", `/v1/organization/admin_api_keys/${ak.id}`);
    await api("DELETE", `/v1/organization/admin_api_keys/${ak.id}`);

    await api("DELETE", `/v1/organization/projects/${p.id}/service_accounts/${sa.id}`);
    await api("POST", `/v1/organization/projects/${p.id}/archive`);
    const day = 86_400;
    const start = Math.floor(Date.now() / 1000 / day) * day - 2 * day;
    for (const page of [
      "completions",
      "embeddings",
      "moderations",
      "images",
      "audio_speeches",
      "audio_transcriptions",
      "vector_stores",
      "code_interpreter_sessions",
      "file_search_calls",
      "web_search_calls",
    ]) {
      await api("GET", `/v1/organization/usage/${page}?start_time=${start}&group_by[]=project_id`);
    }
    await api("GET", `/v1/organization/costs?start_time=${start}&group_by[]=line_item`);
    const logs = await api("GET", "/v1/organization/audit_logs?limit=100");
    expect(logs.data.length).toBeGreaterThan(10);

    // Rate limits and spend controls run after the audit listing: their spend_limit.* and
    // spend_alert.* audit events are our extension types, outside OpenAI's closed enum.
    const rl = await api("GET", `/v1/organization/projects/${p2.id}/rate_limits?limit=2`);
    await api("GET", `/v1/organization/projects/${p2.id}/rate_limits?after=${rl.last_id}`);
    await api("POST", `/v1/organization/projects/${p2.id}/rate_limits/${rl.data[0].id}`, {
      max_requests_per_1_minute: 100,
      max_requests_per_1_day: 1000,
    });
    const limitBody = { threshold_amount: 10_000, currency: "USD", interval: "month" };
    const alertBody = {
      threshold_amount: 5_000,
      currency: "USD",
      interval: "month",
      notification_channel: { type: "email", recipients: ["ops@example.com"], subject_prefix: "Spend" },
    };
    for (const base of ["/v1/organization", `/v1/organization/projects/${p2.id}`]) {
      await api("POST", `${base}/spend_limit`, limitBody);
      await api("GET", `${base}/spend_limit`);
      const alert = await api("POST", `${base}/spend_alerts`, alertBody);
      await api("GET", `${base}/spend_alerts?limit=5&order=desc`);
      await api("GET", `${base}/spend_alerts/${alert.id}`);
      await api("POST", `${base}/spend_alerts/${alert.id}`, { ...alertBody, threshold_amount: 6_000 });
      await api("DELETE", `${base}/spend_alerts/${alert.id}`);
    }
    await api("DELETE", `/v1/organization/projects/${p2.id}/spend_limit`);
    await api("DELETE", "/v1/organization/spend_limit");

    expect(failures).toEqual([]);
  });

  it("covered every registered route that has an OpenAI counterpart (except user delete, kept for last)", () => {
    const openaiRoutes = routeRegistry
      .map((r) => ({
        method: r.method,
        template: specPathOf(SPEC, r.method.toLowerCase(), r.url.replace(/:[a-z_]+/g, "x")),
      }))
      .filter((r) => r.template !== null)
      .map((r) => `${r.method} ${r.template}`);
    const missing = openaiRoutes.filter(
      (r) => !exercised.has(r) && r !== "DELETE /organization/users/{user_id}",
    );
    expect(missing).toEqual([]);
  });

  it("audit events carry OpenAI's shape with actor, ip and user agent, secrets stripped", async () => {
    const logs = await call(
      s.url,
      "GET",
      "/v1/organization/audit_logs?event_types[]=api_key.created&limit=100",
      { key: s.adminKey },
    );
    expect(logs.body.data.length).toBeGreaterThanOrEqual(3);
    for (const e of logs.body.data) {
      expect(validateAgainst(SPEC, "AuditLog", e).errors).toEqual([]);
      expect(e.type).toBe("api_key.created");
      expect(e.actor.type).toBe("api_key");
      expect(e.ip_address).toBe("127.0.0.1");
      expect(typeof e.user_agent).toBe("string");
      expect(JSON.stringify(e)).not.toMatch(/sk-(proj|svcacct|admin)-[A-Za-z0-9]{20}/);
    }
    for (const t of [
      "api_key.updated",
      "api_key.deleted",
      "project.created",
      "project.archived",
      "service_account.created",
      "service_account.deleted",
    ]) {
      const r = await call(s.url, "GET", `/v1/organization/audit_logs?event_types[]=${t}`, {
        key: s.adminKey,
      });
      expect(r.body.data.length, t).toBeGreaterThan(0);
    }
  });
});
