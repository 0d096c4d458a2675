import { call, type TestServer } from "./server.js";

export const PASSWORD = "correct horse battery staple";

/** A browser-like client for the console routes: keeps the session cookie, sends Origin and CSRF. */
export interface ConsoleClient {
  cookie: string | null;
  csrf: string | null;
  req(
    method: string,
    path: string,
    body?: unknown,
    opts?: { csrf?: string | null; origin?: string | null },
  ): Promise<{ status: number; headers: Headers; body: any }>;
}

export const consoleClient = (url: string): ConsoleClient => {
  const c: ConsoleClient = {
    cookie: null,
    csrf: null,
    async req(method, path, body, opts = {}) {
      const headers: Record<string, string> = {};
      const origin = opts.origin === undefined ? url : opts.origin;
      if (origin !== null) headers.origin = origin;
      if (c.cookie) headers.cookie = c.cookie;
      const csrf = opts.csrf === undefined ? c.csrf : opts.csrf;
      if (csrf && method !== "GET") headers["x-csrf-token"] = csrf;
      const r = await call(url, method, path, { headers, ...(body !== undefined ? { body } : {}) });
      const set = r.headers.get("set-cookie");
      if (set) {
        const value = set.split(";")[0] ?? "";
        c.cookie = value.endsWith("=") ? null : value;
      }
      if (r.body && typeof r.body === "object" && typeof r.body.csrf_token === "string")
        c.csrf = r.body.csrf_token;
      return r;
    },
  };
  return c;
};

/** Sets the bootstrap owner's password through the one-time link and returns a signed-in client. */
export const signInOwner = async (s: TestServer): Promise<ConsoleClient> => {
  const token = s.kp.bootstrap.ownerSetupToken;
  if (!token) throw new Error("bootstrap did not issue an owner link");
  const c = consoleClient(s.url);
  const r = await c.req("POST", "/auth/set-password", { token, password: PASSWORD });
  if (r.status !== 200) throw new Error(`set-password failed: ${JSON.stringify(r.body)}`);
  return c;
};

/** Invites `email` with `role` (admin key), accepts the invite, returns the invitee's client. */
export const joinByInvite = async (
  s: TestServer,
  email: string,
  role: "owner" | "reader",
): Promise<ConsoleClient> => {
  const inv = await call(s.url, "POST", "/v1/organization/invites", {
    key: s.adminKey,
    body: { email, role },
  });
  if (inv.status !== 200) throw new Error(`invite failed: ${JSON.stringify(inv.body)}`);
  const token = String(inv.body.accept_url).split("/#/invite/")[1];
  const c = consoleClient(s.url);
  const r = await c.req("POST", "/auth/invites/accept", { token, name: email, password: PASSWORD });
  if (r.status !== 200) throw new Error(`accept failed: ${JSON.stringify(r.body)}`);
  return c;
};
