import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startServer, type TestServer } from "../helpers/server.js";
import { validateAgainst } from "../helpers/spec.js";
import { type CliResult, cliFor, ensureBuilt } from "./run-cli.js";

/** The examples, typed literally (ids substituted), against a real server. */
describe("keyplane keys (the issue's examples)", () => {
  let s: TestServer;
  let kp: (args: string[], env?: Record<string, string>) => Promise<CliResult>;
  let project = "";
  beforeAll(async () => {
    await ensureBuilt();
    s = await startServer();
    kp = cliFor(s.url, s.adminKey);
  });
  afterAll(async () => {
    await s.close();
  });

  const chat = (secret: string, model = "gpt-4o-mini") =>
    call(s.url, "POST", "/v1/chat/completions", {
      key: secret,
      body: { model, messages: [{ role: "user", content: "hi" }] },
    });

  it('projects create "Search team" creates the project', async () => {
    const r = await kp(["projects", "create", "Search team"]);
    expect(r.code).toBe(0);
    project = /(proj_[0-9A-Za-z]+)/.exec(r.stdout)?.[1] ?? "";
    expect(r.stdout).toContain('"Search team"');
    const got = await call(s.url, "GET", `/v1/organization/projects/${project}`, { key: s.adminKey });
    expect(got.body.name).toBe("Search team");
  });

  it("keys create with every flag of the example stores exactly those settings", async () => {
    const r = await kp([
      "keys",
      "create",
      "--project",
      project,
      "--name",
      "ci-bot",
      "--permissions",
      "restricted",
      "--allow",
      "model.request",
      "--models",
      "gpt-4o-mini",
      "--rpm",
      "60",
      "--budget",
      "20",
      "--expires",
      "90d",
    ]);
    expect(r.code).toBe(0);
    const secret = /(sk-proj-[0-9A-Za-z]+)/.exec(r.stdout)?.[1] ?? "";
    const id = /(key_[0-9A-Za-z]+)/.exec(r.stdout)?.[1] ?? "";
    expect(r.stdout).toContain("shown only once");
    const k = (
      await call(s.url, "GET", `/v1/organization/projects/${project}/api_keys/${id}`, { key: s.adminKey })
    ).body;
    expect(k.name).toBe("ci-bot");
    expect(k.scopes).toEqual(["model.request"]);
    expect(k.models).toEqual(["gpt-4o-mini"]);
    expect(k.limits.rpm).toBe(60);
    expect(k.budget_usd).toBe(20);
    expect(k.expires_at - k.created_at).toBe(90 * 86_400);
    // The restriction is real: the allowed model answers, another model is refused.
    expect((await chat(secret)).status).toBe(200);
    expect((await chat(secret, "gpt-4o")).status).toBe(403);
  });

  it("keys create --quiet prints only the secret, which works through the gateway", async () => {
    const r = await kp(["keys", "create", "--project", project, "--name", "piped", "--quiet"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^sk-proj-[0-9A-Za-z]+\n$/);
    const secret = r.stdout.trim();
    expect((await s.kp.verifier.verify(`Bearer ${secret}`)).ok).toBe(true);
    const res = await chat(secret);
    expect(res.status).toBe(200);
    expect(res.body.object).toBe("chat.completion");
  });

  it("keys list --project shows a table, and its --json validates against the API's list schema", async () => {
    const table = await kp(["keys", "list", "--project", project]);
    expect(table.code).toBe(0);
    const [header = "", ...rows] = table.stdout.trimEnd().split("\n");
    expect(header).toMatch(/^ID\s+NAME\s+OWNER\s+PERMISSIONS\s+MODELS/);
    expect(rows).toHaveLength(2);
    expect(table.stdout).toContain("restricted: model.request");
    // Columns line up: every row's NAME starts where the header's does.
    const col = header.indexOf("NAME");
    for (const row of rows) expect(row.slice(col, col + 1)).not.toBe(" ");
    expect(table.stdout).not.toContain("\x1b[");

    const json = await kp(["keys", "list", "--project", project, "--json"]);
    const body = JSON.parse(json.stdout);
    expect(validateAgainst("openai-admin-openapi.json", "ProjectApiKeyListResponse", body).errors).toEqual(
      [],
    );
    expect(body.data.map((k: { name: string }) => k.name).sort()).toEqual(["ci-bot", "piped"]);
    expect(body.has_more).toBe(false);
    expect(body.last_id).toBe(body.data[1].id);
  });

  it("keys rotate key_… --grace 24h (no --project) issues a new secret; the old one works during the grace", async () => {
    const created = await kp(["keys", "create", "--project", project, "--name", "rot", "--quiet"]);
    const old = created.stdout.trim();
    const id = (await kp(["keys", "list", "--project", project, "--json"])).stdout;
    const keyId = JSON.parse(id).data.find((k: { name: string }) => k.name === "rot").id;
    const r = await kp(["keys", "rotate", keyId, "--grace", "24h", "--quiet"]);
    expect(r.code).toBe(0);
    const fresh = r.stdout.trim();
    expect(fresh).toMatch(/^sk-proj-/);
    expect(fresh).not.toBe(old);
    expect((await chat(fresh)).status).toBe(200);
    expect((await chat(old)).status).toBe(200);
    const rows = await call(s.url, "GET", `/v1/organization/audit_logs?resource_ids[]=${keyId}`, {
      key: s.adminKey,
    });
    expect(rows.body.data.length).toBeGreaterThanOrEqual(2);
  });

  it("keys revoke key_… (no --project) stops the key at once", async () => {
    const secret = (
      await kp(["keys", "create", "--project", project, "--name", "doomed", "--quiet"])
    ).stdout.trim();
    const list = JSON.parse((await kp(["keys", "list", "--project", project, "--json"])).stdout);
    const keyId = list.data.find((k: { name: string }) => k.name === "doomed").id;
    expect((await chat(secret)).status).toBe(200);
    const r = await kp(["keys", "revoke", keyId]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Revoked ${keyId}`);
    expect((await chat(secret)).status).toBe(401);
    const gone = await kp(["keys", "get", keyId]);
    expect(gone.code).toBe(4);
  });

  it("keys get and update change what they say, merging limits", async () => {
    const list = JSON.parse((await kp(["keys", "list", "--project", project, "--json"])).stdout);
    const keyId = list.data.find((k: { name: string }) => k.name === "ci-bot").id;
    const u = await kp([
      "keys",
      "update",
      keyId,
      "--name",
      "ci-bot-2",
      "--tpm",
      "1000",
      "--no-budget",
      "--all-models",
      "--json",
    ]);
    expect(u.code).toBe(0);
    const k = JSON.parse(u.stdout);
    expect(k.name).toBe("ci-bot-2");
    expect(k.limits).toMatchObject({ rpm: 60, tpm: 1000 });
    expect(k.budget_usd).toBeNull();
    expect(k.models).toBeNull();
    const g = await kp(["keys", "get", keyId]);
    expect(g.stdout).toMatch(/name\s+ci-bot-2/);
    expect(g.stdout).toMatch(/limits\s+rpm 60, tpm 1,000/);
    const ro = await kp(["keys", "update", keyId, "--permissions", "read", "--json"]);
    expect(JSON.parse(ro.stdout).scopes).toEqual(["api.all.read"]);
  });

  it("--org uses the multi-organization path, which also revokes a service account's key", async () => {
    const sa = JSON.parse(
      (await kp(["service-accounts", "create", "deployer", "--project", project, "--json"])).stdout,
    );
    const viaOpenAi = await kp(["keys", "revoke", sa.api_key.id, "--project", project]);
    expect(viaOpenAi.code).toBe(2);
    expect(viaOpenAi.stderr).toContain("--org");
    const viaOrg = await kp(["keys", "revoke", sa.api_key.id, "--project", project, "--org", s.orgId]);
    expect(viaOrg.code).toBe(0);
    expect((await chat(sa.api_key.value)).status).toBe(401);
    const made = await kp([
      "keys",
      "create",
      "--project",
      project,
      "--org",
      s.orgId,
      "--name",
      "multi",
      "--quiet",
    ]);
    expect((await chat(made.stdout.trim())).status).toBe(200);
  });
});
