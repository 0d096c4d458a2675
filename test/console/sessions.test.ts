import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consoleClient, PASSWORD, signInOwner } from "../helpers/console.js";
import { call, startServer, type TestServer } from "../helpers/server.js";
import { validateAgainst } from "../helpers/spec.js";

let s: TestServer;
beforeAll(async () => {
  s = await startServer({ config: { console: consoleConfig() } });
});
afterAll(async () => {
  await s.close();
});

function consoleConfig() {
  return {
    sessionIdleSeconds: 3600,
    sessionMaxSeconds: 7200,
    inviteTtlSeconds: 600,
    passwordLinkTtlSeconds: 600,
    signInWindowSeconds: 900,
    signInMaxFailuresPerEmail: 3,
    signInMaxFailuresPerIp: 1000,
  };
}

describe("first owner and sessions", () => {
  it("the bootstrap link sets the owner's password once and signs in with a hardened cookie", async () => {
    const token = s.kp.bootstrap.ownerSetupToken;
    expect(token).toMatch(/^[A-Za-z0-9]{43}$/);
    const owner = await signInOwner(s);
    expect(owner.cookie).toMatch(/^kp_session=[A-Za-z0-9]{43}$/);
    const again = await consoleClient(s.url).req("POST", "/auth/set-password", { token, password: PASSWORD });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe("invalid_token");

    const me = await owner.req("GET", "/auth/session");
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ email: "owner@keyplane.local", role: "owner" });
    expect(me.body.organization.id).toBe(s.orgId);
    expect(me.body.organizations).toEqual([{ id: s.orgId, name: "Default organization", role: "owner" }]);
    expect(me.body.permissions).toEqual({ read: true, write: true });
    expect(me.headers.get("cache-control")).toBe("no-store");
  });

  it("signs in with email and password; the cookie is HttpOnly, SameSite=Strict, not Secure on http", async () => {
    const c = consoleClient(s.url);
    const bad = await c.req("POST", "/auth/sign-in", {
      email: "owner@keyplane.local",
      password: "nope-nope-nope",
    });
    expect(bad.status).toBe(401);
    expect(bad.body.error.code).toBe("invalid_credentials");
    const r = await c.req("POST", "/auth/sign-in", { email: "Owner@Keyplane.local", password: PASSWORD });
    expect(r.status).toBe(200);
    const set = r.headers.get("set-cookie") ?? "";
    expect(set).toContain("HttpOnly");
    expect(set).toContain("SameSite=Strict");
    expect(set).toContain("Path=/");
    expect(set).not.toContain("Secure");
    expect(r.body.csrf_token).toMatch(/^[0-9a-f]{43}$/);
  });

  it("the admin routes accept the session: owner reads and writes", async () => {
    const owner = await signIn();
    const list = await owner.req("GET", "/v1/organization/projects");
    expect(list.status).toBe(200);
    const created = await owner.req("POST", "/v1/organization/projects", { name: "From console" });
    expect(created.status).toBe(200);
    const audit = await call(s.url, "GET", "/v1/organization/audit_logs?event_types=project.created", {
      key: s.adminKey,
    });
    const ev = audit.body.data.find((e: any) => e.project?.id === created.body.id);
    expect(ev.actor).toMatchObject({ type: "session", session: { user: { email: "owner@keyplane.local" } } });
  });

  it("refuses state changes without the CSRF token or from another origin", async () => {
    const owner = await signIn();
    const noToken = await owner.req("POST", "/v1/organization/projects", { name: "x" }, { csrf: null });
    expect(noToken.status).toBe(403);
    expect(noToken.body.error.code).toBe("csrf_failed");
    const wrong = await owner.req(
      "POST",
      "/v1/organization/projects",
      { name: "x" },
      { csrf: "a".repeat(43) },
    );
    expect(wrong.status).toBe(403);
    const evil = await owner.req(
      "POST",
      "/v1/organization/projects",
      { name: "x" },
      { origin: "https://evil.example" },
    );
    expect(evil.status).toBe(403);
    const evilSignIn = await consoleClient(s.url).req(
      "POST",
      "/auth/sign-in",
      { email: "owner@keyplane.local", password: PASSWORD },
      { origin: "https://evil.example" },
    );
    expect(evilSignIn.status).toBe(403);
    const del = await owner.req("POST", "/auth/sign-out", undefined, { csrf: null });
    expect(del.status).toBe(403);
  });

  it("sign-out ends the session; sign-out-everywhere ends every session of the person", async () => {
    const a = await signIn();
    const b = await signIn();
    const out = await a.req("POST", "/auth/sign-out");
    expect(out.status).toBe(200);
    expect(out.headers.get("set-cookie")).toContain("Max-Age=0");
    const stale = consoleClient(s.url);
    stale.cookie = (await signIn()).cookie;
    expect((await b.req("GET", "/auth/session")).status).toBe(200);
    const all = await b.req("POST", "/auth/sign-out-everywhere");
    expect(all.body.sessions_ended).toBeGreaterThanOrEqual(2);
    expect((await stale.req("GET", "/auth/session")).status).toBe(401);
    const gone = await stale.req("GET", "/v1/organization/projects");
    expect(gone.status).toBe(401);
    expect(gone.body.error.code).toBe("session_expired");
  });

  it("throttles repeated failures per email with Retry-After, even for the right password", async () => {
    const c = consoleClient(s.url);
    const body = { email: "throttle@example.com", password: "wrong-password-1" };
    for (let i = 0; i < 3; i++) expect((await c.req("POST", "/auth/sign-in", body)).status).toBe(401);
    const blocked = await c.req("POST", "/auth/sign-in", body);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(blocked.body.error.code).toBe("sign_in_throttled");
  });

  it("records login.succeeded, login.failed and logout.succeeded; never logs passwords or tokens", async () => {
    const audit = await call(
      s.url,
      "GET",
      "/v1/organization/audit_logs?event_types=login.succeeded&event_types=login.failed&event_types=logout.succeeded",
      { key: s.adminKey },
    );
    const types = new Set(audit.body.data.map((e: any) => e.type));
    expect(types).toEqual(new Set(["login.succeeded", "login.failed", "logout.succeeded"]));
    for (const e of audit.body.data) {
      expect(validateAgainst("openai-admin-openapi.json", "AuditLog", e).errors).toEqual([]);
      expect(e.actor.type).toBe("session");
    }
    expect(s.logs()).not.toContain(PASSWORD);
    expect(s.logs()).not.toMatch(/kp_session=[A-Za-z0-9]{43}/);
  });
});

async function signIn() {
  const c = consoleClient(s.url);
  const r = await c.req("POST", "/auth/sign-in", { email: "owner@keyplane.local", password: PASSWORD });
  if (r.status !== 200) throw new Error(JSON.stringify(r.body));
  return c;
}

describe("behind an HTTPS public URL, with short sessions", () => {
  let h: TestServer;
  beforeAll(async () => {
    h = await startServer({
      config: {
        publicUrl: "https://keys.example.com",
        console: { ...consoleConfig(), sessionMaxSeconds: 1 },
      },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it("marks the cookie Secure, accepts the public origin and ends the session at its maximum age", async () => {
    const addr = h.kp.app.server.address();
    const c = consoleClient(`http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`);
    const token = h.kp.bootstrap.ownerSetupToken;
    const r = await c.req(
      "POST",
      "/auth/set-password",
      { token, password: PASSWORD },
      { origin: "https://keys.example.com" },
    );
    expect(r.status).toBe(200);
    expect(r.headers.get("set-cookie")).toMatch(/; Secure$/);
    const write = await c.req(
      "POST",
      "/v1/organization/projects",
      { name: "p" },
      { origin: "https://keys.example.com" },
    );
    expect(write.status).toBe(200);
    await new Promise((res) => setTimeout(res, 1100));
    const gone = await c.req("GET", "/auth/session");
    expect(gone.status).toBe(401);
    expect(gone.body.error.code).toBe("session_expired");
  });
});
