import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startServer, type TestServer } from "../helpers/server.js";
import { type CliResult, cliFor, ensureBuilt } from "./run-cli.js";

const json = (r: CliResult) => {
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
};

describe("keyplane projects, orgs, service-accounts, users, admin-keys, audit", () => {
  let s: TestServer;
  let kp: (args: string[], env?: Record<string, string>) => Promise<CliResult>;
  beforeAll(async () => {
    await ensureBuilt();
    s = await startServer({ db: "postgres" });
    kp = cliFor(s.url, s.adminKey);
  });
  afterAll(async () => {
    await s.close();
  });

  it("projects: create --quiet, list, get, update, archive", async () => {
    const created = await kp(["projects", "create", "Alpha", "--quiet"]);
    const id = created.stdout.trim();
    expect(id).toMatch(/^proj_[0-9A-Za-z]+$/);
    const list = await kp(["projects", "list"]);
    expect(list.stdout).toMatch(new RegExp(`${id}\\s+Alpha\\s+active`));
    expect(json(await kp(["projects", "get", id, "--json"])).name).toBe("Alpha");
    expect((await kp(["projects", "get", id])).stdout).toMatch(/status\s+active/);
    expect((await kp(["projects", "update", id, "--name", "Beta"])).stdout).toContain('"Beta"');
    expect((await kp(["projects", "archive", id])).code).toBe(0);
    const after = (await call(s.url, "GET", `/v1/organization/projects/${id}`, { key: s.adminKey })).body;
    expect(after).toMatchObject({ name: "Beta", status: "archived" });
    const active = json(await kp(["projects", "list", "--json"]));
    expect(active.data.map((p: { id: string }) => p.id)).not.toContain(id);
    const all = json(await kp(["projects", "list", "--include-archived", "--json"]));
    expect(all.data.map((p: { id: string }) => p.id)).toContain(id);
    const one = json(await kp(["projects", "list", "--include-archived", "--limit", "1", "--json"]));
    expect(one.data).toHaveLength(1);
    expect(one.has_more).toBe(true);
  });

  it("orgs: create prints a working admin key with --quiet; list and get", async () => {
    const created = await kp(["orgs", "create", "Acme", "--owner-email", "ops@acme.test", "--quiet"]);
    const key = created.stdout.trim();
    expect(key).toMatch(/^sk-admin-/);
    const acme = cliFor(s.url, key);
    const projects = json(await acme(["projects", "list", "--json"]));
    expect(projects.data[0].name).toMatch(/Default/);
    const orgs = json(await kp(["orgs", "list", "--json"]));
    expect(orgs.data.map((o: { name: string }) => o.name)).toContain("Acme");
    const acmeId = orgs.data.find((o: { name: string }) => o.name === "Acme").id;
    expect((await kp(["orgs", "get", acmeId])).stdout).toMatch(/name\s+Acme/);
    // An organization's own admin key cannot list organizations: explained, exit 3.
    const denied = await acme(["orgs", "list"]);
    expect(denied.code).toBe(3);
  });

  it("service-accounts: create (key shown once), list, get, update, add-key, delete", async () => {
    const p = s.projectId;
    const secret = (await kp(["sa", "create", "deploy-bot", "--project", p, "--quiet"])).stdout.trim();
    expect(secret).toMatch(/^sk-svcacct-/);
    expect((await s.kp.verifier.verify(`Bearer ${secret}`)).ok).toBe(true);
    const list = json(await kp(["service-accounts", "list", "--project", p, "--json"]));
    const sa = list.data.find((x: { name: string }) => x.name === "deploy-bot");
    expect((await kp(["service-accounts", "get", sa.id, "--project", p])).stdout).toContain("deploy-bot");
    const upd = json(
      await kp(["service-accounts", "update", sa.id, "--project", p, "--name", "ship-bot", "--json"]),
    );
    expect(upd.name).toBe("ship-bot");
    const extra = (
      await kp(["service-accounts", "add-key", sa.id, "--project", p, "--name", "two", "--quiet"])
    ).stdout.trim();
    expect((await s.kp.verifier.verify(`Bearer ${extra}`)).ok).toBe(true);
    expect((await kp(["service-accounts", "delete", sa.id, "--project", p])).code).toBe(0);
    const r = await call(s.url, "POST", "/v1/chat/completions", {
      key: extra,
      body: { model: "gpt-4o-mini", messages: [{ role: "user", content: "x" }] },
    });
    expect(r.status).toBe(401);
  });

  it("users: organization list/get/update, project add/list/update/remove", async () => {
    const users = json(await kp(["users", "list", "--json"]));
    const owner = users.data[0];
    expect(owner.role).toBe("owner");
    expect((await kp(["users", "get", owner.id])).stdout).toContain(owner.email);
    expect(json(await kp(["users", "update", owner.id, "--role", "owner", "--json"])).role).toBe("owner");
    // The project's creator (the owner) is its first member.
    const p = (await kp(["projects", "create", "Team", "--quiet"])).stdout.trim();
    expect((await kp(["users", "remove", owner.id, "--project", p])).code).toBe(0);
    expect(json(await kp(["users", "list", "--project", p, "--json"])).data).toEqual([]);
    const added = json(await kp(["users", "add", owner.id, "--project", p, "--role", "member", "--json"]));
    expect(added.role).toBe("member");
    expect((await kp(["users", "list", "--project", p])).stdout).toMatch(new RegExp(`${owner.id}.*member`));
    expect(
      json(await kp(["users", "update", owner.id, "--project", p, "--role", "owner", "--json"])).role,
    ).toBe("owner");
    const bad = await kp(["users", "update", owner.id, "--project", p, "--role", "reader"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--role must be one of owner, member");
  });

  it("admin-keys: create --read-only --quiet, list, get, delete", async () => {
    const key = (
      await kp(["admin-keys", "create", "dash", "--read-only", "--expires", "30d", "--quiet"])
    ).stdout.trim();
    expect(key).toMatch(/^sk-admin-/);
    const ro = cliFor(s.url, key);
    expect((await ro(["projects", "list"])).code).toBe(0);
    expect((await ro(["projects", "create", "nope"])).code).toBe(3);
    const list = json(await kp(["admin-keys", "list", "--json"]));
    const k = list.data.find((x: { name: string }) => x.name === "dash");
    expect(k.expires_at - k.created_at).toBe(30 * 86_400);
    expect((await kp(["admin-keys", "get", k.id])).stdout).toContain("read-only");
    expect((await kp(["admin-keys", "delete", k.id])).code).toBe(0);
    expect((await ro(["projects", "list"])).code).toBe(3);
  });

  it("audit: filters by type and resource, newest first", async () => {
    const id = (await kp(["projects", "create", "Audited", "--quiet"])).stdout.trim();
    await kp(["projects", "update", id, "--name", "Audited-2"]);
    const events = json(await kp(["audit", "--resource", id, "--json"]));
    expect(events.data.map((e: { type: string }) => e.type)).toEqual(["project.updated", "project.created"]);
    const typed = json(
      await kp(["audit", "--type", "project.created", "--since", "1h", "--limit", "2", "--json"]),
    );
    expect(typed.data.length).toBeGreaterThan(0);
    expect(typed.data.every((e: { type: string }) => e.type === "project.created")).toBe(true);
    const table = await kp(["audit", "--resource", id]);
    expect(table.stdout).toMatch(/^TIME\s+EVENT\s+RESOURCE\s+PROJECT\s+ACTOR/);
    expect(table.stdout).toContain("project.updated");
  });
});
