import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consoleClient, joinByInvite, PASSWORD, signInOwner } from "../helpers/console.js";
import { call, startServer, type TestServer } from "../helpers/server.js";
import { validateAgainst } from "../helpers/spec.js";

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(async () => {
  await s.close();
});

const invite = (body: Record<string, unknown>) =>
  call(s.url, "POST", "/v1/organization/invites", { key: s.adminKey, body });
const tokenOf = (acceptUrl: string): string => acceptUrl.split("/#/invite/")[1] ?? "";

describe("invites (OpenAI shape)", () => {
  it("creates, lists, retrieves and deletes invites; the link is shown once", async () => {
    const r = await invite({ email: "Ann@Example.com", role: "reader" });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      object: "organization.invite",
      email: "ann@example.com",
      role: "reader",
      status: "pending",
      accepted_at: null,
      projects: [{ id: s.projectId, role: "member" }],
    });
    expect(r.body.expires_at - r.body.created_at).toBe(7 * 24 * 3600);
    expect(r.body.accept_url).toMatch(new RegExp(`^${s.url}/#/invite/[A-Za-z0-9]{43}$`));

    const got = await call(s.url, "GET", `/v1/organization/invites/${r.body.id}`, { key: s.adminKey });
    expect(got.body).not.toHaveProperty("accept_url");
    expect(got.body.status).toBe("pending");
    const list = await call(s.url, "GET", "/v1/organization/invites", { key: s.adminKey });
    expect(list.body.data.map((i: any) => i.id)).toContain(r.body.id);
    expect(JSON.stringify(list.body)).not.toContain(tokenOf(r.body.accept_url));

    expect((await invite({ email: "ann@example.com", role: "owner" })).status).toBe(409);
    const del = await call(s.url, "DELETE", `/v1/organization/invites/${r.body.id}`, { key: s.adminKey });
    expect(del.body).toEqual({ object: "organization.invite.deleted", id: r.body.id, deleted: true });
    const lookup = await consoleClient(s.url).req("POST", "/auth/invites/lookup", {
      token: tokenOf(r.body.accept_url),
    });
    expect(lookup.body.error.code).toBe("invite_invalid");
  });

  it("accepting creates the user with the invite's role and projects; reuse is refused", async () => {
    const r = await invite({ email: "rita@example.com", role: "reader", projects: [] });
    const token = tokenOf(r.body.accept_url);
    const c = consoleClient(s.url);
    const preview = await c.req("POST", "/auth/invites/lookup", { token });
    expect(preview.body).toMatchObject({ email: "rita@example.com", role: "reader" });
    const ok = await c.req("POST", "/auth/invites/accept", { token, name: "Rita", password: PASSWORD });
    expect(ok.status).toBe(200);
    expect(ok.body.user).toMatchObject({ email: "rita@example.com", role: "reader", name: "Rita" });
    const again = await consoleClient(s.url).req("POST", "/auth/invites/accept", {
      token,
      name: "Mallory",
      password: PASSWORD,
    });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe("invite_used");
    const got = await call(s.url, "GET", `/v1/organization/invites/${r.body.id}`, { key: s.adminKey });
    expect(got.body.status).toBe("accepted");
    const del = await call(s.url, "DELETE", `/v1/organization/invites/${r.body.id}`, { key: s.adminKey });
    expect(del.status).toBe(400);
    const members = await call(s.url, "GET", `/v1/organization/projects/${s.projectId}/users`, {
      key: s.adminKey,
    });
    expect(members.body.data.map((u: any) => u.email)).not.toContain("rita@example.com");
  });

  it("an expired invite is refused", async () => {
    const r = await invite({ email: "late@example.com", role: "owner", expires_in_seconds: 1 });
    await new Promise((res) => setTimeout(res, 2100));
    const got = await call(s.url, "GET", `/v1/organization/invites/${r.body.id}`, { key: s.adminKey });
    expect(got.body.status).toBe("expired");
    const accept = await consoleClient(s.url).req("POST", "/auth/invites/accept", {
      token: tokenOf(r.body.accept_url),
      password: PASSWORD,
    });
    expect(accept.status).toBe(400);
    expect(accept.body.error.code).toBe("invite_expired");
  });

  it("a reader session reads but every write is refused by the services", async () => {
    const reader = await joinByInvite(s, "reader@example.com", "reader");
    expect((await reader.req("GET", "/auth/session")).body.permissions).toEqual({ read: true, write: false });
    expect((await reader.req("GET", `/v1/organization/projects/${s.projectId}/api_keys`)).status).toBe(200);
    const create = await reader.req("POST", `/v1/organization/projects/${s.projectId}/api_keys`, {
      name: "x",
    });
    expect(create.status).toBe(401);
    expect(create.body.error.message).toContain("api.management.write");
    expect(
      (await reader.req("POST", "/v1/organization/invites", { email: "z@example.com", role: "owner" }))
        .status,
    ).toBe(401);
    const owner = await signInOwner(s);
    const sent = await owner.req("POST", "/v1/organization/invites", {
      email: "o2@example.com",
      role: "owner",
    });
    expect(sent.status).toBe(200);
  });

  it("audits invite.sent and invite.accepted without the token", async () => {
    const audit = await call(
      s.url,
      "GET",
      "/v1/organization/audit_logs?event_types=invite.sent&event_types=invite.accepted",
      { key: s.adminKey },
    );
    const types = audit.body.data.map((e: any) => e.type);
    expect(types).toContain("invite.sent");
    expect(types).toContain("invite.accepted");
    for (const e of audit.body.data)
      expect(validateAgainst("openai-admin-openapi.json", "AuditLog", e).errors).toEqual([]);
    expect(JSON.stringify(audit.body)).not.toMatch(/[A-Za-z0-9]{43}/);
  });

  it("a set-password link issued by an owner lets an existing member sign in", async () => {
    const users = await call(s.url, "GET", "/v1/organization/users?emails=rita@example.com", {
      key: s.adminKey,
    });
    const id = users.body.data[0].id;
    const link = await call(s.url, "POST", `/v1/organization/users/${id}/password_link`, { key: s.adminKey });
    expect(link.body.url).toMatch(/\/#\/set-password\/[A-Za-z0-9]{43}$/);
    const c = consoleClient(s.url);
    const token = String(link.body.url).split("/#/set-password/")[1];
    const r = await c.req("POST", "/auth/set-password", { token, password: "another password 42" });
    expect(r.status).toBe(200);
    const old = await consoleClient(s.url).req("POST", "/auth/sign-in", {
      email: "rita@example.com",
      password: PASSWORD,
    });
    expect(old.status).toBe(401);
  });
});
