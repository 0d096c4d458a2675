import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startServer, type TestServer } from "../helpers/server.js";

describe.each(["sqlite", "postgres"] as const)("project key lifecycle (%s)", (db) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ db });
  });
  afterAll(async () => {
    await s.close();
  });

  const keysPath = () => `/v1/organizations/${s.orgId}/projects/${s.projectId}/apikeys`;

  it("creates a key whose secret is shown once, then only redacted", async () => {
    const created = await call(s.url, "POST", keysPath(), {
      key: s.adminKey,
      body: {
        name: "ci-bot",
        scopes: ["model.request"],
        models: ["gpt-4o-mini"],
        limits: { rpm: 60 },
        budget_usd: 20,
        expires_in_seconds: 3600,
      },
    });
    expect(created.status).toBe(200);
    const k = created.body;
    expect(k.object).toBe("organization.project.api_key");
    expect(k.value).toMatch(/^sk-proj-[0-9A-Za-z]{54}$/);
    expect(k.redacted_value).toBe(`sk-proj-...${k.value.slice(-4)}`);
    expect(k.scopes).toEqual(["model.request"]);
    expect(k.models).toEqual(["gpt-4o-mini"]);
    expect(k.limits.rpm).toBe(60);
    expect(k.budget_usd).toBe(20);
    expect(k.expires_at - k.created_at).toBe(3600);
    expect(k.owner.type).toBe("user");

    const got = await call(s.url, "GET", `${keysPath()}/${k.id}`, { key: s.adminKey });
    expect(got.status).toBe(200);
    expect(got.body.value).toBeUndefined();
    expect(JSON.stringify(got.body)).not.toContain(k.value);
    const list = await call(s.url, "GET", keysPath(), { key: s.adminKey });
    expect(list.body.data.map((x: { id: string }) => x.id)).toContain(k.id);
    expect(JSON.stringify(list.body)).not.toContain(k.value);
  });

  it("updates name, scopes, expiry and models; writes audit events", async () => {
    const { body: k } = await call(s.url, "POST", keysPath(), { key: s.adminKey, body: { name: "svc" } });
    const upd = await call(s.url, "POST", `${keysPath()}/${k.id}`, {
      key: s.adminKey,
      body: { name: "svc-renamed", scopes: ["api.all.read"], expires_in_seconds: null, models: ["gpt-4o"] },
    });
    expect(upd.status).toBe(200);
    expect(upd.body.name).toBe("svc-renamed");
    expect(upd.body.scopes).toEqual(["api.all.read"]);
    expect(upd.body.expires_at).toBeNull();
    // OpenAI's own update route (organization implied by the key).
    const upd2 = await call(s.url, "POST", `/v1/organization/projects/${s.projectId}/api_keys/${k.id}`, {
      key: s.adminKey,
      body: { scopes: ["model.request"], expires_in_seconds: 60 },
    });
    expect(upd2.status).toBe(200);
    expect(upd2.body.scopes).toEqual(["model.request"]);
    const logs = await call(s.url, "GET", `/v1/organization/audit_logs?resource_ids[]=${k.id}`, {
      key: s.adminKey,
    });
    const types = logs.body.data.map((e: { type: string }) => e.type);
    expect(types).toEqual(["api_key.updated", "api_key.updated", "api_key.created"]);
  });

  it("rotates with a grace period: old and new secrets both verify until the grace ends", async () => {
    const { body: k } = await call(s.url, "POST", keysPath(), { key: s.adminKey, body: { name: "rot" } });
    const rot = await call(s.url, "POST", `${keysPath()}/${k.id}/rotate`, {
      key: s.adminKey,
      body: { grace_period_seconds: 60 },
    });
    expect(rot.status).toBe(200);
    expect(rot.body.id).toBe(k.id);
    expect(rot.body.value).not.toBe(k.value);
    const v = s.kp.verifier;
    expect((await v.verify(`Bearer ${rot.body.value}`)).ok).toBe(true);
    expect((await v.verify(`Bearer ${k.value}`)).ok).toBe(true);
    // Rotating again with no grace cuts every older secret off at once.
    const rot2 = await call(s.url, "POST", `${keysPath()}/${k.id}/rotate`, { key: s.adminKey, body: {} });
    expect((await v.verify(`Bearer ${rot2.body.value}`)).ok).toBe(true);
    expect((await v.verify(`Bearer ${rot.body.value}`)).ok).toBe(false);
    expect((await v.verify(`Bearer ${k.value}`)).ok).toBe(false);
  });

  it("refuses a grace period over 7 days", async () => {
    const { body: k } = await call(s.url, "POST", keysPath(), { key: s.adminKey, body: { name: "rot2" } });
    const r = await call(s.url, "POST", `${keysPath()}/${k.id}/rotate`, {
      key: s.adminKey,
      body: { grace_period_seconds: 7 * 86400 + 1 },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.param).toBe("grace_period_seconds");
  });

  it("revokes: the key stops verifying at once and disappears from lists", async () => {
    const { body: k } = await call(s.url, "POST", keysPath(), { key: s.adminKey, body: { name: "gone" } });
    expect((await s.kp.verifier.verify(`Bearer ${k.value}`)).ok).toBe(true);
    const del = await call(s.url, "DELETE", `${keysPath()}/${k.id}`, { key: s.adminKey });
    expect(del.body).toEqual({ object: "organization.project.api_key.deleted", id: k.id, deleted: true });
    expect((await s.kp.verifier.verify(`Bearer ${k.value}`)).ok).toBe(false);
    expect((await call(s.url, "GET", `${keysPath()}/${k.id}`, { key: s.adminKey })).status).toBe(404);
  });

  it("service accounts mint sk-svcacct- keys; OpenAI's delete path refuses them with 400", async () => {
    const sa = await call(s.url, "POST", `/v1/organization/projects/${s.projectId}/service_accounts`, {
      key: s.adminKey,
      body: { name: "deployer" },
    });
    expect(sa.status).toBe(200);
    expect(sa.body.api_key.value).toMatch(/^sk-svcacct-/);
    const extra = await call(
      s.url,
      "POST",
      `/v1/organization/projects/${s.projectId}/service_accounts/${sa.body.id}/api_keys`,
      {
        key: s.adminKey,
        body: { name: "second", scopes: ["api.model.request"] },
      },
    );
    expect(extra.body.object).toBe("organization.project.service_account.api_key");
    const refused = await call(
      s.url,
      "DELETE",
      `/v1/organization/projects/${s.projectId}/api_keys/${extra.body.id}`,
      { key: s.adminKey },
    );
    expect(refused.status).toBe(400);
    const del = await call(
      s.url,
      "DELETE",
      `/v1/organization/projects/${s.projectId}/service_accounts/${sa.body.id}`,
      { key: s.adminKey },
    );
    expect(del.status).toBe(200);
    expect((await s.kp.verifier.verify(`Bearer ${sa.body.api_key.value}`)).ok).toBe(false);
    expect((await s.kp.verifier.verify(`Bearer ${extra.body.value}`)).ok).toBe(false);
  });

  it("archiving a project stops its keys and hides it unless include_archived", async () => {
    const p = await call(s.url, "POST", "/v1/organization/projects", {
      key: s.adminKey,
      body: { name: "Temp" },
    });
    const k = await call(s.url, "POST", `/v1/organizations/${s.orgId}/projects/${p.body.id}/apikeys`, {
      key: s.adminKey,
      body: { name: "t" },
    });
    expect((await s.kp.verifier.verify(`Bearer ${k.body.value}`)).ok).toBe(true);
    const a = await call(s.url, "POST", `/v1/organization/projects/${p.body.id}/archive`, {
      key: s.adminKey,
    });
    expect(a.body.status).toBe("archived");
    expect(typeof a.body.archived_at).toBe("number");
    expect((await s.kp.verifier.verify(`Bearer ${k.body.value}`)).ok).toBe(false);
    const active = await call(s.url, "GET", "/v1/organization/projects?limit=100", { key: s.adminKey });
    expect(active.body.data.map((x: { id: string }) => x.id)).not.toContain(p.body.id);
    const all = await call(s.url, "GET", "/v1/organization/projects?limit=100&include_archived=true", {
      key: s.adminKey,
    });
    expect(all.body.data.map((x: { id: string }) => x.id)).toContain(p.body.id);
    const mod = await call(s.url, "POST", `/v1/organization/projects/${p.body.id}`, {
      key: s.adminKey,
      body: { name: "x" },
    });
    expect(mod.status).toBe(400);
  });
});
