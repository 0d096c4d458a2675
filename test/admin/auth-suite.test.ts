import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKey } from "../../src/domain/keys.js";
import { routeRegistry } from "../../src/http/route.js";
import { call, startServer, type TestServer } from "../helpers/server.js";

/** The shared auth suite: every admin route, every way a caller can be wrong. */
describe("admin auth suite", () => {
  let s: TestServer;
  let keys: {
    revoked: string;
    expired: string;
    readOnly: string;
    project: string;
    otherOrg: string;
    otherOrgId: string;
  };
  let saId: string;
  let projectKeyId: string;

  beforeAll(async () => {
    s = await startServer();
    const admin = (method: string, path: string, body?: unknown) =>
      call(s.url, method, path, { key: s.adminKey, body });
    const revoked = (await admin("POST", "/v1/organization/admin_api_keys", { name: "r" })).body;
    await admin("DELETE", `/v1/organization/admin_api_keys/${revoked.id}`);
    const expired = (
      await admin("POST", "/v1/organization/admin_api_keys", { name: "e", expires_in_seconds: 100 })
    ).body;
    await s.kp.store.apiKeys.update(s.orgId, expired.id, { expiresAt: Math.floor(Date.now() / 1000) - 1 });
    s.kp.verifier.evictKey(expired.id);
    const readOnly = (await admin("POST", "/v1/organization/admin_api_keys", { name: "ro", read_only: true }))
      .body;
    const pk = (await admin("POST", `/v1/organization/projects/${s.projectId}/api_keys`, { name: "p" })).body;
    projectKeyId = pk.id;
    const other = (await admin("POST", "/v1/organizations", { name: "Other org" })).body;
    saId = (
      await admin("POST", `/v1/organization/projects/${s.projectId}/service_accounts`, {
        name: "sa",
        create_service_account_only: true,
      })
    ).body.id;
    keys = {
      revoked: revoked.value,
      expired: expired.value,
      readOnly: readOnly.value,
      project: pk.value,
      otherOrg: other.admin_key.value,
      otherOrgId: other.id,
    };
  });
  afterAll(async () => {
    await s.close();
  });

  const adminRoutes = () =>
    routeRegistry.filter((r) => r.security === "admin" && !r.url.startsWith("/v1/organizations"));
  const fill = (url: string): string =>
    url
      .replace(":organization_id", s.orgId)
      .replace(":project_id", s.projectId)
      .replace(":api_key_id", projectKeyId)
      .replace(":key_id", projectKeyId)
      .replace(":service_account_id", saId)
      .replace(":user_id", "user-doesnotexist")
      .replace(":rate_limit_id", "rl-gpt-4o");

  it("covers every admin route", () => {
    expect(adminRoutes().length).toBeGreaterThanOrEqual(25);
  });

  it("no key → 401 with OpenAI's missing-key message", async () => {
    for (const r of routeRegistry.filter((x) => x.security === "admin")) {
      const res = await call(s.url, r.method, fill(r.url), r.method === "POST" ? { body: {} } : {});
      expect(res.status, `${r.method} ${r.url}`).toBe(401);
      expect(res.body.error.message).toMatch(/^You didn't provide an API key/);
      expect(res.body.error.type).toBe("invalid_request_error");
    }
  });

  it("malformed key and bad checksum → 401 invalid_api_key, masked", async () => {
    const good = generateKey("admin");
    const badChecksum = `${good.slice(0, -1)}${good.endsWith("A") ? "B" : "A"}`;
    for (const r of routeRegistry.filter((x) => x.security === "admin")) {
      for (const key of ["sk-admin-short", "not-a-key", badChecksum, good /* well-formed but unknown */]) {
        const res = await call(s.url, r.method, fill(r.url), {
          key,
          ...(r.method === "POST" ? { body: {} } : {}),
        });
        expect(res.status, `${r.method} ${r.url} ${key.slice(0, 12)}`).toBe(401);
        expect(res.body.error.code).toBe("invalid_api_key");
        expect(res.body.error.message).not.toContain(key);
      }
    }
  });

  it("revoked and expired admin keys → 401", async () => {
    for (const r of adminRoutes()) {
      for (const key of [keys.revoked, keys.expired]) {
        const res = await call(s.url, r.method, fill(r.url), {
          key,
          ...(r.method === "POST" ? { body: {} } : {}),
        });
        expect(res.status, `${r.method} ${r.url}`).toBe(401);
        expect(res.body.error.code).toBe("invalid_api_key");
      }
    }
  });

  it("a project key on an admin route → 401 Missing scopes", async () => {
    for (const r of routeRegistry.filter((x) => x.security === "admin")) {
      const res = await call(s.url, r.method, fill(r.url), {
        key: keys.project,
        ...(r.method === "POST" ? { body: {} } : {}),
      });
      expect(res.status, `${r.method} ${r.url}`).toBe(401);
      expect(res.body.error.message).toMatch(/Missing scopes: api\.management\.(read|write)/);
    }
  });

  it("a read-only admin key reads but every write → 401 Missing scopes: api.management.write", async () => {
    for (const r of adminRoutes()) {
      const res = await call(s.url, r.method, fill(r.url), {
        key: keys.readOnly,
        ...(r.method === "POST" ? { body: {} } : {}),
      });
      if (r.method === "GET") {
        expect(res.status, `${r.method} ${r.url}`).not.toBe(401);
      } else {
        expect(res.status, `${r.method} ${r.url}`).toBe(401);
        expect(res.body.error.message).toContain("Missing scopes: api.management.write");
      }
    }
  });

  it("another organization's admin key sees our resources as missing (404)", async () => {
    const scoped = adminRoutes().filter((r) => r.url.includes(":project_id") || r.url.includes(":key_id"));
    expect(scoped.length).toBeGreaterThan(10);
    for (const r of scoped) {
      const res = await call(s.url, r.method, fill(r.url), {
        key: keys.otherOrg,
        ...(r.method === "POST" ? { body: { name: "x" } } : {}),
      });
      expect([404, 400], `${r.method} ${r.url} → ${res.status} ${JSON.stringify(res.body)}`).toContain(
        res.status,
      );
      if (res.status === 400) expect(res.body.error.param).not.toBe("project_id");
    }
    const multi = await call(s.url, "GET", `/v1/organizations/${s.orgId}/projects/${s.projectId}/apikeys`, {
      key: keys.otherOrg,
    });
    const missing = await call(
      s.url,
      "GET",
      `/v1/organizations/org-doesnotexist/projects/${s.projectId}/apikeys`,
      { key: keys.otherOrg },
    );
    expect(multi.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(multi.body.error.message.replace(s.orgId, "X")).toBe(
      missing.body.error.message.replace("org-doesnotexist", "X"),
    );
    const own = await call(s.url, "GET", "/v1/organization/projects", { key: keys.otherOrg });
    expect(own.body.data.map((p: { id: string }) => p.id)).not.toContain(s.projectId);
    const orgs = await call(s.url, "GET", "/v1/organizations", { key: keys.otherOrg });
    expect(orgs.status).toBe(401);
  });
});
