import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consoleClient, PASSWORD, signInOwner } from "../helpers/console.js";
import { call, startServer, type TestServer } from "../helpers/server.js";

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(async () => {
  await s.close();
});

/** Creates an organization whose owner has `email`, and sets that owner's password via a link. */
const orgWithOwner = async (name: string, email: string, password: string) => {
  const org = await call(s.url, "POST", "/v1/organizations", {
    key: s.adminKey,
    body: { name, owner_email: email },
  });
  const link = await call(s.url, "POST", `/v1/organization/users/${org.body.owner_user_id}/password_link`, {
    key: org.body.admin_key.value,
  });
  const token = String(link.body.url).split("/#/set-password/")[1];
  const r = await consoleClient(s.url).req("POST", "/auth/set-password", { token, password });
  expect(r.status).toBe(200);
  return org.body;
};

describe("organization switcher", () => {
  it("offers exactly the organizations the same password opens, and switching changes what the routes see", async () => {
    await signInOwner(s);
    const second = await orgWithOwner("Second org", "owner@keyplane.local", PASSWORD);
    const other = await orgWithOwner(
      "Hijacked?",
      "OWNER@keyplane.local".toLowerCase(),
      "a different password",
    );

    const c = consoleClient(s.url);
    const r = await c.req("POST", "/auth/sign-in", { email: "owner@keyplane.local", password: PASSWORD });
    expect(r.body.organization.id).toBe(s.orgId);
    expect(r.body.organizations.map((o: any) => o.id).sort()).toEqual([s.orgId, second.id].sort());
    expect(r.body.organizations.map((o: any) => o.id)).not.toContain(other.id);

    const refused = await c.req("POST", "/auth/switch-organization", { organization_id: other.id });
    expect(refused.status).toBe(404);
    const switched = await c.req("POST", "/auth/switch-organization", { organization_id: second.id });
    expect(switched.status).toBe(200);
    expect(switched.body.organization).toEqual({ id: second.id, name: "Second org" });
    const projects = await c.req("GET", "/v1/organization/projects");
    expect(projects.body.data.map((p: any) => p.id)).toEqual([second.default_project_id]);
    const home = await c.req("GET", `/v1/organization/projects/${s.projectId}`);
    expect(home.status).toBe(404);
  });
});
