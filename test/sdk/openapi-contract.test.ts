import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminRouteKeys, generateSdkOperations } from "../../src/codegen/sdk-operations.js";
import { KeyplaneClient, KeyplaneError, NotFoundError, type RouteKey } from "../../src/sdk/index.js";
import { PENDING_ROUTES } from "../../src/sdk/pending-operations.js";
import { startServer, type TestServer } from "../helpers/server.js";

/**
 * The SDK's contract with the server's own /openapi.json:
 * 1. its request types are exactly what the live document generates (no drift);
 * 2. routes it speaks ahead of the server ("pending") are not served yet;
 * 3. every admin route — served or pending — is reached by some SDK method, and every served route
 *    the SDK reaches answers (no "Invalid URL").
 */
describe("SDK ↔ /openapi.json", () => {
  let s: TestServer;
  let doc: Record<string, unknown>;
  beforeAll(async () => {
    s = await startServer();
    doc = (await (await fetch(`${s.url}/openapi.json`)).json()) as Record<string, unknown>;
  });
  afterAll(async () => {
    await s.close();
  });

  it("the committed request types equal those generated from the live document", () => {
    const committed = readFileSync(new URL("../../src/sdk/generated/operations.ts", import.meta.url), "utf8");
    // On failure: run `npm run sdk:generate`, then fix the SDK where tsc complains.
    expect(generateSdkOperations(doc)).toBe(committed);
  });

  it("no pending route is served yet (once one is, delete it from src/sdk/pending-operations.ts)", () => {
    const served = new Set(adminRouteKeys(doc));
    expect(PENDING_ROUTES.filter((r) => served.has(r))).toEqual([]);
  });

  it("every admin route has an SDK method and every served route the SDK calls exists", async () => {
    const hits = new Set<string>();
    let lastRoute: RouteKey | undefined;
    const kp = new KeyplaneClient({
      baseURL: s.url,
      adminKey: s.adminKey,
      maxRetries: 0,
      onRequest: (e) => {
        hits.add(e.route);
        lastRoute = e.route;
      },
    });
    const served = new Set<string>(adminRouteKeys(doc));
    const wrongPath: string[] = [];
    /** Runs a call; API errors are fine (the route answered), an unknown URL on a served route is not. */
    const ok = async <T>(call: Promise<T>): Promise<T | undefined> => {
      try {
        return await call;
      } catch (err) {
        if (!(err instanceof KeyplaneError)) throw err;
        const unknownUrl = err instanceof NotFoundError && err.message.startsWith("Invalid URL");
        if (unknownUrl && lastRoute && served.has(lastRoute)) wrongPath.push(lastRoute);
        return undefined;
      }
    };

    const project = await kp.projects.create({ name: "sweep" });
    const p = project.id;
    await ok(kp.projects.list().firstPage());
    await ok(kp.projects.retrieve(p));
    await ok(kp.projects.update(p, { name: "sweep-2" }));

    const key = await kp.keys.create(p, { name: "k", budget_usd: 5 });
    await ok(kp.keys.list(p).firstPage());
    await ok(kp.keys.retrieve(p, key.id));
    await ok(kp.keys.update(p, key.id, { name: "k2" }));
    await ok(kp.keys.rotate(p, key.id, { grace_period_seconds: 60 }));
    await ok(kp.keys.revoke(p, key.id));

    const sa = await kp.serviceAccounts.create(p, { name: "bot" });
    await ok(kp.serviceAccounts.list(p).firstPage());
    await ok(kp.serviceAccounts.retrieve(p, sa.id));
    await ok(kp.serviceAccounts.update(p, sa.id, { name: "bot-2" }));
    await ok(kp.serviceAccounts.createKey(p, sa.id, { name: "second" }));
    await ok(kp.serviceAccounts.delete(p, sa.id));

    const owner = (await kp.users.list().firstPage()).data[0];
    expect(owner).toBeDefined();
    const uid = owner?.id ?? "";
    await ok(kp.projectUsers.list(p).firstPage());
    await ok(kp.projectUsers.add(p, { user_id: uid, role: "member" }));
    await ok(kp.projectUsers.retrieve(p, uid));
    await ok(kp.projectUsers.update(p, uid, { role: "owner" }));
    await ok(kp.projectUsers.remove(p, uid));
    await ok(kp.users.retrieve(uid));
    await ok(kp.users.update(uid, { role: "owner" }));
    await ok(kp.users.passwordLink(uid));
    await ok(kp.users.delete("user-doesnotexist"));

    await ok(kp.invites.list().firstPage());
    await ok(kp.invites.create({ email: "a@example.com", role: "reader" }));
    await ok(kp.invites.retrieve("invite-x"));
    await ok(kp.invites.delete("invite-x"));

    const admin = await kp.adminKeys.create({ name: "sweep", read_only: true });
    await ok(kp.adminKeys.list().firstPage());
    await ok(kp.adminKeys.retrieve(admin.id));
    await ok(kp.adminKeys.delete(admin.id));
    await ok(kp.auditLogs.list({ limit: 1 }).firstPage());

    const org = await kp.organizations.create({ name: "Sweep org" });
    const o = org.id;
    const op = org.default_project_id;
    await ok(kp.organizations.list().firstPage());
    await ok(kp.organizations.retrieve(o));
    const ok2 = await kp.organizations.keys.create(o, op, {
      name: "multi",
      owner_user_id: org.owner_user_id,
    });
    await ok(kp.organizations.keys.list(o, op).firstPage());
    await ok(kp.organizations.keys.retrieve(o, op, ok2.id));
    await ok(kp.organizations.keys.update(o, op, ok2.id, { name: "multi-2" }));
    await ok(kp.organizations.keys.rotate(o, op, ok2.id));
    await ok(kp.organizations.keys.revoke(o, op, ok2.id));

    await ok(kp.rateLimits.list(p).firstPage());
    await ok(kp.rateLimits.update(p, "rl-gpt-4o", { max_requests_per_1_minute: 10 }));
    const limit = { threshold_amount: 5000, currency: "USD" as const, interval: "month" as const };
    await ok(kp.spendLimits.organization.retrieve());
    await ok(kp.spendLimits.organization.update(limit));
    await ok(kp.spendLimits.organization.delete());
    await ok(kp.spendLimits.project.retrieve(p));
    await ok(kp.spendLimits.project.update(p, limit));
    await ok(kp.spendLimits.project.delete(p));
    const alert = {
      ...limit,
      notification_channel: { type: "email" as const, recipients: ["f@example.com"] },
    };
    await ok(kp.spendAlerts.organization.list().firstPage());
    await ok(kp.spendAlerts.organization.create(alert));
    await ok(kp.spendAlerts.organization.retrieve("alert_x"));
    await ok(kp.spendAlerts.organization.update("alert_x", alert));
    await ok(kp.spendAlerts.organization.delete("alert_x"));
    await ok(kp.spendAlerts.project.list(p).firstPage());
    await ok(kp.spendAlerts.project.create(p, alert));
    await ok(kp.spendAlerts.project.retrieve(p, "alert_x"));
    await ok(kp.spendAlerts.project.update(p, "alert_x", alert));
    await ok(kp.spendAlerts.project.delete(p, "alert_x"));
    const since = Math.floor(Date.now() / 1000) - 86_400;
    await ok(kp.usage.completions({ start_time: since }).firstPage());
    await ok(kp.usage.embeddings({ start_time: since }).firstPage());
    const q = { start_time: since };
    const otherPages: (() => Promise<unknown>)[] = [
      () => kp.usage.moderations(q).firstPage(),
      () => kp.usage.images(q).firstPage(),
      () => kp.usage.audioSpeeches(q).firstPage(),
      () => kp.usage.audioTranscriptions(q).firstPage(),
      () => kp.usage.vectorStores(q).firstPage(),
      () => kp.usage.codeInterpreterSessions(q).firstPage(),
      () => kp.usage.fileSearchCalls(q).firstPage(),
      () => kp.usage.webSearchCalls(q).firstPage(),
    ];
    for (const page of otherPages) await ok(page());
    await ok(kp.costs.list({ start_time: since }).firstPage());
    await ok(kp.projects.archive(p));

    const expected = new Set<string>([...served, ...PENDING_ROUTES]);
    expect([...expected].filter((r) => !hits.has(r)).sort()).toEqual([]);
    expect([...hits].filter((r) => !expected.has(r)).sort()).toEqual([]);
    expect(wrongPath).toEqual([]);
  });
});
