import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BudgetAlert } from "../../src/domain/budgets.js";
import { verifySignature } from "../../src/domain/webhook-signature.js";
import type { RequestLimits } from "../../src/services/gateway/request-limits.js";
import { call, startServer, type TestServer } from "../helpers/server.js";
import { validateAgainst } from "../helpers/spec.js";

const SECRET = "whsec_test_0123456789abcdef";
const DOLLAR = 1_000_000;

interface Delivery {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real local webhook receiver: records every POST, answers with the next queued status (200 by default). */
const startReceiver = async () => {
  const deliveries: Delivery[] = [];
  const statuses: number[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString("utf8");
    });
    req.on("end", () => {
      deliveries.push({ path: req.url ?? "", headers: req.headers, body });
      res.statusCode = statuses.shift() ?? 200;
      res.end();
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, deliveries, statuses, close: () => server.close() };
};

describe("spend alerts: signed webhooks and audit events, once per period", () => {
  let s: TestServer;
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  let keyValue: string;
  let keyId: string;
  const admin = (method: string, path: string, body?: unknown) =>
    call(s.url, method, path, { key: s.adminKey, ...(body !== undefined ? { body } : {}) });
  const alertBody = (cents: number, extra: Record<string, unknown> = {}) => ({
    threshold_amount: cents,
    currency: "USD",
    interval: "month",
    notification_channel: { type: "email", recipients: ["ops@example.com"] },
    ...extra,
  });

  /** Spends `micros` through the ledger as the gateway does and hands the crossings to the dispatcher. */
  let lastAlerts: BudgetAlert[] = [];
  const spend = async (micros: number): Promise<number> => {
    const v = await s.kp.verifier.verify(`Bearer ${keyValue}`);
    if (!v.ok) throw v.error;
    const limits: RequestLimits = await s.kp.limits.resolver.resolveRequestLimits({
      orgId: s.orgId,
      projectId: s.projectId,
      key: v.value.key,
      model: "gpt-4o",
      nowMs: Date.now(),
    });
    const r = await s.kp.limits.runtime.ledger.reserve({
      tenant: s.orgId,
      budgets: limits.budgets,
      maxCostMicros: micros,
    });
    if (!r.ok) throw new Error(`reserve refused: ${r.reason}`);
    const alerts = await s.kp.limits.runtime.ledger.settle(r.reservation, micros);
    lastAlerts = alerts;
    s.kp.limits.alerts.dispatch(alerts, { keyId: v.value.key.id, kind: "project" });
    await s.kp.limits.alerts.drain();
    return alerts.length;
  };
  const triggered = async () =>
    (await admin("GET", "/v1/organization/audit_logs?event_types[]=spend_alert.triggered&limit=100")).body
      .data;

  beforeAll(async () => {
    rx = await startReceiver();
    process.env.KP_TEST_WEBHOOK_SECRET = SECRET;
    s = await startServer({
      config: {
        webhooks: {
          url: `${rx.url}/default`,
          secretEnv: "KP_TEST_WEBHOOK_SECRET",
          timeoutMs: 2000,
          maxAttempts: 3,
          retryBaseMs: 20,
        },
      },
    });
    const k = await admin("POST", `/v1/organization/projects/${s.projectId}/api_keys`, {
      name: "spender",
      budget_usd: 100,
    });
    keyValue = k.body.value;
    keyId = k.body.id;
    await admin("POST", `/v1/organization/projects/${s.projectId}/spend_limit`, {
      threshold_amount: 1000,
      currency: "USD",
      interval: "month",
    });
    await admin("POST", `/v1/organization/projects/${s.projectId}/spend_alerts`, alertBody(500));
    await admin(
      "POST",
      `/v1/organization/projects/${s.projectId}/spend_alerts`,
      alertBody(900, { webhook_url: `${rx.url}/own` }),
    );
    // The organization has an alert but no hard limit: spend is counted for it all the same.
    await admin("POST", "/v1/organization/spend_alerts", alertBody(100));
  });
  afterAll(async () => {
    await s.close();
    rx.close();
  });

  it("crossing thresholds POSTs signed JSON a receiver can verify, and audits each alert once", async () => {
    rx.deliveries.length = 0;
    await spend(6 * DOLLAR);
    expect(rx.deliveries.map((d) => d.path).sort()).toEqual(["/default", "/default"]);
    for (const d of rx.deliveries) {
      const sig = d.headers["x-keyplane-signature"];
      expect(typeof sig).toBe("string");
      expect(
        verifySignature(SECRET, String(sig), d.body, { nowSeconds: Math.floor(Date.now() / 1000) }),
      ).toMatchObject({ ok: true });
      expect(
        verifySignature("wrong", String(sig), d.body, { nowSeconds: Math.floor(Date.now() / 1000) }).ok,
      ).toBe(false);
      expect(d.headers["content-type"]).toBe("application/json");
      expect(d.headers["x-keyplane-event-id"]).toMatch(/^evt_/);
    }
    const payloads = rx.deliveries
      .map((d) => JSON.parse(d.body))
      .sort((a, b) => a.data.threshold_usd - b.data.threshold_usd);
    expect(payloads[0]).toMatchObject({
      object: "event",
      type: "spend_alert.triggered",
      data: {
        scope: "organization",
        organization_id: s.orgId,
        project_id: null,
        threshold_usd: 1,
        limit_usd: null,
        percent_of_limit: null,
        spent_usd: 6,
      },
    });
    expect(payloads[1]).toMatchObject({
      data: {
        scope: "project",
        project_id: s.projectId,
        threshold_usd: 5,
        limit_usd: 10,
        percent_of_limit: 50,
        spent_usd: 6,
        currency: "USD",
        period: { interval: "month" },
        notification_channel: { type: "email", recipients: ["ops@example.com"] },
      },
    });
    expect(payloads[1].data.alert_id).toMatch(/^alert_/);
    const events = await triggered();
    expect(events).toHaveLength(2);
    for (const e of events) {
      expect(
        validateAgainst("openai-admin-openapi.json", "AuditLog", { ...e, type: "project.updated" }).errors,
      ).toEqual([]);
      expect(e.actor.api_key.id).toBe(keyId);
      expect(JSON.stringify(e)).not.toContain("ops@example.com");
    }
  });

  it("fires once per period: more spend, a repeated report and a changed hard limit send nothing again", async () => {
    rx.deliveries.length = 0;
    const first = lastAlerts;
    expect(first).toHaveLength(2);
    expect(await spend(DOLLAR / 2)).toBe(0);
    // Another instance (or a restarted one, counting in memory from zero) reporting the same crossings.
    s.kp.limits.alerts.dispatch(first);
    s.kp.limits.alerts.dispatch(first);
    await s.kp.limits.alerts.drain();
    // The limit moves, so the $5 alert becomes another percentage the ledger reports afresh.
    await admin("POST", `/v1/organization/projects/${s.projectId}/spend_limit`, {
      threshold_amount: 2000,
      currency: "USD",
      interval: "month",
    });
    expect(await spend(DOLLAR / 2)).toBeGreaterThan(0);
    expect(rx.deliveries).toEqual([]);
    expect(await triggered()).toHaveLength(2);
  });

  it("an alert with its own URL goes there; a 500 is retried with a fresh signature and the same event id", async () => {
    rx.deliveries.length = 0;
    await admin("POST", `/v1/organization/projects/${s.projectId}/spend_limit`, {
      threshold_amount: 1000,
      currency: "USD",
      interval: "month",
    });
    rx.statuses.push(500);
    await spend(2 * DOLLAR);
    expect(rx.deliveries.map((d) => d.path)).toEqual(["/own", "/own"]);
    const [first, second] = rx.deliveries;
    expect(first?.headers["x-keyplane-event-id"]).toBe(second?.headers["x-keyplane-event-id"]);
    expect(first?.body).toBe(second?.body);
    for (const d of rx.deliveries)
      expect(
        verifySignature(SECRET, String(d.headers["x-keyplane-signature"]), d.body, {
          nowSeconds: Math.floor(Date.now() / 1000),
        }).ok,
      ).toBe(true);
    expect(JSON.parse(second?.body ?? "{}").data).toMatchObject({
      threshold_usd: 9,
      percent_of_limit: 90,
      spent_usd: 9,
    });
  });

  it("key budgets alert at the configured percentages of budget_usd", async () => {
    rx.deliveries.length = 0;
    const k = await admin("POST", `/v1/organization/projects/${s.projectId}/api_keys`, {
      name: "small",
      budget_usd: 1,
    });
    keyValue = k.body.value;
    keyId = k.body.id;
    await spend(600_000);
    const keyAlerts = rx.deliveries.map((d) => JSON.parse(d.body).data).filter((d) => d.scope === "key");
    expect(keyAlerts).toHaveLength(1);
    expect(keyAlerts[0]).toMatchObject({
      api_key_id: keyId,
      percent_of_limit: 50,
      limit_usd: 1,
      alert_id: null,
      notification_channel: null,
    });
  });
});
