import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startServer, type TestServer } from "../helpers/server.js";

describe("the official openai client against the admin API", () => {
  let s: TestServer;
  let client: OpenAI;
  beforeAll(async () => {
    s = await startServer();
    client = new OpenAI({ baseURL: `${s.url}/v1`, adminAPIKey: s.adminKey, apiKey: "unused", maxRetries: 0 });
  });
  afterAll(async () => {
    await s.close();
  });

  it("lists, retrieves and deletes project API keys, auto-paginating across ≥ 3 pages", async () => {
    const created: string[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await call(s.url, "POST", `/v1/organization/projects/${s.projectId}/api_keys`, {
        key: s.adminKey,
        body: { name: `k${i}` },
      });
      created.push(r.body.id);
    }
    const seen: string[] = [];
    let pages = 0;
    const first = await client.admin.organization.projects.apiKeys.list(s.projectId, { limit: 3 });
    for await (const page of first.iterPages()) {
      pages++;
      for (const k of page.data) seen.push(k.id);
    }
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(seen).toEqual(created);
    const one = await client.admin.organization.projects.apiKeys.retrieve(created[0] as string, {
      project_id: s.projectId,
    });
    expect(one.name).toBe("k0");
    expect(one.object).toBe("organization.project.api_key");
    const del = await client.admin.organization.projects.apiKeys.delete(created[0] as string, {
      project_id: s.projectId,
    });
    expect(del.deleted).toBe(true);
    await expect(
      client.admin.organization.projects.apiKeys.retrieve(created[0] as string, { project_id: s.projectId }),
    ).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it("updates a key's scopes and expiry through the client's newest route", async () => {
    const r = await call(s.url, "POST", `/v1/organization/projects/${s.projectId}/api_keys`, {
      key: s.adminKey,
      body: { name: "upd" },
    });
    const updated = await client.admin.organization.projects.apiKeys.update(r.body.id, {
      project_id: s.projectId,
      scopes: ["api.model.request"],
      expires_in_seconds: 600,
    });
    expect(updated.expires_at).toBeGreaterThan(Date.now() / 1000);
    expect((updated as unknown as { scopes: string[] }).scopes).toEqual(["api.model.request"]);
  });

  it("creates, lists (auto-paginated), retrieves, modifies and archives projects", async () => {
    for (let i = 0; i < 5; i++) await client.admin.organization.projects.create({ name: `P${i}` });
    const names: string[] = [];
    for await (const p of client.admin.organization.projects.list({ limit: 2 })) names.push(p.name ?? "");
    expect(names).toEqual(["Default project", "P0", "P1", "P2", "P3", "P4"]);
    const p = await client.admin.organization.projects.create({ name: "Temp" });
    const mod = await client.admin.organization.projects.update(p.id, { name: "Renamed" });
    expect(mod.name).toBe("Renamed");
    expect((await client.admin.organization.projects.retrieve(p.id)).name).toBe("Renamed");
    const arch = await client.admin.organization.projects.archive(p.id);
    expect(arch.status).toBe("archived");
  });

  it("creates a service account key through the client and manages admin keys", async () => {
    const sa = await client.admin.organization.projects.serviceAccounts.create(s.projectId, { name: "bot" });
    expect(sa.api_key?.value).toMatch(/^sk-svcacct-/);
    const k = await client.admin.organization.projects.serviceAccounts.apiKeys.create(sa.id, {
      project_id: s.projectId,
      name: "bot-2",
    });
    expect(k.value).toMatch(/^sk-svcacct-/);
    const ak = await client.admin.organization.adminAPIKeys.create({ name: "automation" });
    expect(ak.value).toMatch(/^sk-admin-/);
    const ids: string[] = [];
    for await (const x of client.admin.organization.adminAPIKeys.list({ limit: 1 })) ids.push(x.id);
    expect(ids).toContain(ak.id);
    await client.admin.organization.adminAPIKeys.delete(ak.id);
  });

  it("surfaces OpenAI's auth errors as the client's error classes", async () => {
    const bad = new OpenAI({
      baseURL: `${s.url}/v1`,
      adminAPIKey: "sk-admin-nope",
      apiKey: "unused",
      maxRetries: 0,
    });
    await expect(bad.admin.organization.projects.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });
});
