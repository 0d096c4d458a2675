import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startServer, type TestServer } from "../helpers/server.js";
import { validateAgainst } from "../helpers/spec.js";

const SPEC = "openai-admin-openapi.json";
const channel = { type: "email" as const, recipients: ["finance@example.com"], subject_prefix: "Spend" };

describe.each(["sqlite", "postgres"] as const)("hard spend limits and spend alerts (%s)", (db) => {
  let s: TestServer;
  let client: OpenAI;
  const admin = (method: string, path: string, body?: unknown) =>
    call(s.url, method, path, { key: s.adminKey, ...(body !== undefined ? { body } : {}) });

  beforeAll(async () => {
    s = await startServer({ db });
    client = new OpenAI({ baseURL: `${s.url}/v1`, adminAPIKey: s.adminKey, apiKey: "unused", maxRetries: 0 });
  });
  afterAll(async () => {
    await s.close();
  });

  it("organization spend limit: set, read, replace, delete with the official client", async () => {
    const sl = client.admin.organization.spendLimit;
    await expect(sl.retrieve()).rejects.toMatchObject({ status: 404 });
    const set = await sl.update({ threshold_amount: 10_000, currency: "USD", interval: "month" });
    expect(set).toEqual({
      object: "organization.spend_limit",
      threshold_amount: 10_000,
      currency: "USD",
      interval: "month",
      enforcement: { status: "enforcing" },
    });
    expect(validateAgainst(SPEC, "OrganizationSpendLimitResource", set).errors).toEqual([]);
    await sl.update({ threshold_amount: 20_000, currency: "USD", interval: "month" });
    expect((await sl.retrieve()).threshold_amount).toBe(20_000);
    const del = await sl.delete();
    expect(del).toEqual({ object: "organization.spend_limit.deleted", deleted: true });
    expect(validateAgainst(SPEC, "OrganizationSpendLimitDeletedResource", del).errors).toEqual([]);
    await expect(sl.delete()).rejects.toMatchObject({ status: 404 });
  });

  it("project spend limit: N-day extension, narrowing against the organization's, audit trail", async () => {
    const p = (await admin("POST", "/v1/organization/projects", { name: "spend" })).body;
    const psl = client.admin.organization.projects.spendLimit;
    await client.admin.organization.spendLimit.update({
      threshold_amount: 5000,
      currency: "USD",
      interval: "month",
    });
    const over = await admin("POST", `/v1/organization/projects/${p.id}/spend_limit`, {
      threshold_amount: 5001,
      currency: "USD",
      interval: "month",
    });
    expect([over.status, over.body.error.param]).toEqual([400, "threshold_amount"]);
    const set = await psl.update(p.id, { threshold_amount: 5000, currency: "USD", interval: "month" });
    expect(set.object).toBe("project.spend_limit");
    expect(validateAgainst(SPEC, "ProjectSpendLimitResource", set).errors).toEqual([]);
    // Over N-day windows the two limits are not comparable, so both simply apply.
    const days = await admin("POST", `/v1/organization/projects/${p.id}/spend_limit`, {
      threshold_amount: 9000,
      currency: "USD",
      interval: "days",
      interval_days: 7,
    });
    expect(days.body).toMatchObject({ object: "project.spend_limit", interval: "days", interval_days: 7 });
    expect(validateAgainst(SPEC, "ProjectSpendLimitResource", days.body).errors).toEqual([]);
    const noDays = await admin("POST", `/v1/organization/projects/${p.id}/spend_limit`, {
      threshold_amount: 1,
      currency: "USD",
      interval: "days",
    });
    expect([noDays.status, noDays.body.error.param]).toEqual([400, "interval_days"]);
    const eur = await admin("POST", `/v1/organization/projects/${p.id}/spend_limit`, {
      threshold_amount: 1,
      currency: "EUR",
      interval: "month",
    });
    expect([eur.status, eur.body.error.param]).toEqual([400, "currency"]);
    expect((await psl.delete(p.id)).object).toBe("project.spend_limit.deleted");
    await client.admin.organization.spendLimit.delete();

    const logs = await admin("GET", `/v1/organization/audit_logs?resource_ids[]=${p.id}&limit=20`);
    const types = logs.body.data.map((e: { type: string }) => e.type);
    expect(types.filter((t: string) => t.startsWith("spend_limit."))).toEqual([
      "spend_limit.deleted",
      "spend_limit.updated",
      "spend_limit.updated",
    ]);
    const updated = logs.body.data.find((e: { type: string }) => e.type === "spend_limit.updated");
    expect(updated["spend_limit.updated"].changes_requested).toEqual({
      threshold_amount: 9000,
      currency: "USD",
      interval: "days",
      interval_days: 7,
    });
    // Extension event types keep OpenAI's audit envelope; only the type is outside OpenAI's enum.
    expect(validateAgainst(SPEC, "AuditLog", { ...updated, type: "project.updated" }).errors).toEqual([]);
  });

  it("spend alerts for the organization and a project: create, list both ways, update, delete", async () => {
    const p = (await admin("POST", "/v1/organization/projects", { name: "alerts" })).body;
    const org = client.admin.organization.spendAlerts;
    const proj = client.admin.organization.projects.spendAlerts;
    const created = [];
    for (const amount of [1000, 2000, 3000]) {
      created.push(
        await org.create({
          threshold_amount: amount,
          currency: "USD",
          interval: "month",
          notification_channel: channel,
        }),
      );
    }
    expect(created[0]).toMatchObject({
      object: "organization.spend_alert",
      threshold_amount: 1000,
      currency: "USD",
      interval: "month",
      notification_channel: channel,
    });
    expect(validateAgainst(SPEC, "OrganizationSpendAlert", created[0]).errors).toEqual([]);
    const pa = await proj.create(p.id, {
      threshold_amount: 500,
      currency: "USD",
      interval: "month",
      notification_channel: channel,
    });
    expect(pa.object).toBe("project.spend_alert");
    expect(validateAgainst(SPEC, "ProjectSpendAlert", pa).errors).toEqual([]);

    const seen: string[] = [];
    for await (const a of org.list({ limit: 2 })) seen.push(a.id);
    expect(seen).toEqual(created.map((a) => a.id));
    const desc = await admin("GET", "/v1/organization/spend_alerts?order=desc&limit=2");
    expect(validateAgainst(SPEC, "OrganizationSpendAlertListResource", desc.body).errors).toEqual([]);
    expect(desc.body.data.map((a: { id: string }) => a.id)).toEqual([created[2]?.id, created[1]?.id]);
    expect(desc.body.has_more).toBe(true);
    const projList = await admin("GET", `/v1/organization/projects/${p.id}/spend_alerts`);
    expect(projList.body.data.map((a: { id: string }) => a.id)).toEqual([pa.id]);
    expect(validateAgainst(SPEC, "ProjectSpendAlertListResource", projList.body).errors).toEqual([]);

    const id = created[0]?.id ?? "";
    const changed = await org.update(id, {
      threshold_amount: 1500,
      currency: "USD",
      interval: "month",
      notification_channel: { type: "email", recipients: [] },
    });
    expect(changed).toMatchObject({
      id,
      threshold_amount: 1500,
      notification_channel: { recipients: [], subject_prefix: null },
    });
    const partial = await admin("POST", `/v1/organization/spend_alerts/${id}`, {
      interval: "days",
      interval_days: 30,
      webhook_url: "https://hooks.example.com/kp",
    });
    expect(partial.body).toMatchObject({
      threshold_amount: 1500,
      interval: "days",
      interval_days: 30,
      webhook_url: "https://hooks.example.com/kp",
    });
    expect((await org.retrieve(id)).threshold_amount).toBe(1500);
    // An organization alert is not reachable through a project, nor a project's through the org.
    expect((await admin("GET", `/v1/organization/projects/${p.id}/spend_alerts/${id}`)).status).toBe(404);
    expect((await admin("GET", `/v1/organization/spend_alerts/${pa.id}`)).status).toBe(404);
    const del = await org.delete(id);
    expect(del).toEqual({ id, object: "organization.spend_alert.deleted", deleted: true });
    expect(validateAgainst(SPEC, "OrganizationSpendAlertDeletedResource", del).errors).toEqual([]);
    expect(
      validateAgainst(
        SPEC,
        "ProjectSpendAlertDeletedResource",
        await proj.delete(pa.id, { project_id: p.id }),
      ).errors,
    ).toEqual([]);
    await expect(org.retrieve(id)).rejects.toMatchObject({ status: 404 });

    const logs = await admin("GET", `/v1/organization/audit_logs?resource_ids[]=${id}`);
    expect(logs.body.data.map((e: { type: string }) => e.type)).toEqual([
      "spend_alert.deleted",
      "spend_alert.updated",
      "spend_alert.updated",
      "spend_alert.created",
    ]);
    expect(JSON.stringify(logs.body)).not.toContain("finance@example.com");
    expect(JSON.stringify(logs.body)).not.toContain("hooks.example.com");
  });

  it("/openapi.json documents the spend routes and GET /v1/me as a project-key extension", async () => {
    const doc = (await call(s.url, "GET", "/openapi.json")).body;
    for (const path of [
      "/v1/organization/spend_limit",
      "/v1/organization/spend_alerts/{alert_id}",
      "/v1/organization/projects/{project_id}/spend_limit",
      "/v1/organization/projects/{project_id}/spend_alerts",
      "/v1/organization/projects/{project_id}/rate_limits/{rate_limit_id}",
    ])
      expect(Object.keys(doc.paths), path).toContain(path);
    expect(doc.paths["/v1/organization/spend_limit"].get.parameters).toEqual([]);
    const me = doc.paths["/v1/me"].get;
    expect(me["x-keyplane-extension"]).toBe(true);
    expect(me.security).toEqual([{ ApiKeyAuth: [] }]);
    const body =
      doc.paths["/v1/organization/spend_limit"].post.requestBody.content["application/json"].schema;
    expect(body.properties.interval.enum).toEqual(["month", "days"]);
  });

  it("alert bodies are validated: required fields, e-mail recipients, http(s) webhook URLs", async () => {
    const bad = async (body: unknown, param: string) => {
      const r = await admin("POST", "/v1/organization/spend_alerts", body);
      expect([r.status, r.body.error.param], JSON.stringify(body)).toEqual([400, param]);
    };
    const ok = { threshold_amount: 100, currency: "USD", interval: "month", notification_channel: channel };
    await bad({ ...ok, threshold_amount: undefined }, "threshold_amount");
    await bad({ ...ok, threshold_amount: -1 }, "threshold_amount");
    await bad({ ...ok, notification_channel: { type: "sms", recipients: [] } }, "notification_channel.type");
    await bad(
      { ...ok, notification_channel: { type: "email", recipients: ["nope"] } },
      "notification_channel.recipients.0",
    );
    await bad({ ...ok, webhook_url: "javascript:alert(1)" }, "webhook_url");
    await bad({ ...ok, interval_days: 3 }, "interval_days");
    await bad({ ...ok, extra: 1 }, "extra");
  });
});
