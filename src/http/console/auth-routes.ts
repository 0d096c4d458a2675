import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { AppError } from "../../domain/errors.js";
import { acceptInvite, lookupInvite } from "../../services/invites/accept-invite.js";
import { switchOrganization } from "../../services/sessions/organizations.js";
import { changePassword, setPasswordWithToken } from "../../services/sessions/password-links.js";
import type { ActiveSession } from "../../services/sessions/principal.js";
import { signIn } from "../../services/sessions/sign-in.js";
import { signOut } from "../../services/sessions/sign-out.js";
import { addRoute } from "../route.js";
import { clearedSessionCookie, isSecureRequest, sessionCookie } from "./cookies.js";
import { assertSameOrigin } from "./origin.js";
import { clientOf, readSession, type SessionAuthDeps } from "./session-auth.js";
import { sessionPayload } from "./session-payload.js";

const password = z.string().min(1).max(1024);
const token = z.string().min(1).max(128);

/** Dashboard sign-in and session routes (Keyplane extension; the console is their only intended client). */
export const registerAuthRoutes = (app: FastifyInstance, deps: SessionAuthDeps): void => {
  const c = deps.console;
  const anonymous = async (req: FastifyRequest): Promise<null> => {
    assertSameOrigin(req, deps.publicUrl);
    return null;
  };
  const signedIn = async (req: FastifyRequest): Promise<ActiveSession> => {
    const active = await readSession(deps, req);
    if (!active)
      throw new AppError("missing_api_key", { message: "Not signed in.", wireCode: "not_signed_in" });
    return active;
  };
  const base = { tag: "Console sessions", security: "none" as const, extension: true };
  const startCookie = (req: FastifyRequest, reply: FastifyReply, active: ActiveSession) => {
    const ttl = Math.max(0, active.session.expiresAt - c.now());
    reply.header("set-cookie", sessionCookie(active.token, ttl, isSecureRequest(req, deps.publicUrl)));
    reply.header("cache-control", "no-store");
    return sessionPayload(c, active);
  };

  addRoute(app, {
    ...base,
    method: "POST",
    url: "/auth/sign-in",
    operationId: "console-sign-in",
    summary: "Sign in with email and password; sets the httpOnly session cookie",
    authenticate: anonymous,
    body: z.object({ email: z.string().min(3).max(320), password }).strict(),
    handler: async ({ body, req, reply }) => {
      const r = await signIn({ deps: c, input: { ...body, client: clientOf(req) } });
      if (r.ok) return startCookie(req, reply, r.active);
      if (r.reason === "throttled")
        throw new AppError("rate_limit_exceeded", {
          message: `Too many failed sign-ins. Try again in ${r.retryAfterSeconds} seconds.`,
          wireCode: "sign_in_throttled",
          headers: { "retry-after": String(r.retryAfterSeconds) },
        });
      throw new AppError("invalid_api_key", {
        message: "Incorrect email or password.",
        wireCode: "invalid_credentials",
      });
    },
  });

  addRoute(app, {
    ...base,
    method: "GET",
    url: "/auth/session",
    operationId: "console-session",
    summary: "The signed-in user, organization, organizations to switch to and the CSRF token",
    authenticate: signedIn,
    handler: async ({ auth, reply }) => {
      reply.header("cache-control", "no-store");
      return sessionPayload(c, auth);
    },
  });

  for (const everywhere of [false, true]) {
    addRoute(app, {
      ...base,
      method: "POST",
      url: everywhere ? "/auth/sign-out-everywhere" : "/auth/sign-out",
      operationId: everywhere ? "console-sign-out-everywhere" : "console-sign-out",
      summary: everywhere ? "End every session of the signed-in person" : "End this session",
      authenticate: signedIn,
      handler: async ({ auth, req, reply }) => {
        const r = await signOut({ deps: c, input: { active: auth, everywhere, client: clientOf(req) } });
        reply.header("set-cookie", clearedSessionCookie(isSecureRequest(req, deps.publicUrl)));
        return { object: "console.sign_out", sessions_ended: r.ended };
      },
    });
  }

  addRoute(app, {
    ...base,
    method: "POST",
    url: "/auth/switch-organization",
    operationId: "console-switch-organization",
    summary: "Move this session to another organization the signed-in person belongs to",
    authenticate: signedIn,
    body: z.object({ organization_id: z.string().min(1).max(128) }).strict(),
    handler: async ({ auth, body }) =>
      sessionPayload(
        c,
        await switchOrganization({ deps: c, input: { active: auth, orgId: body.organization_id } }),
      ),
  });

  addRoute(app, {
    ...base,
    method: "POST",
    url: "/auth/password",
    operationId: "console-change-password",
    summary: "Change the signed-in person's password (other sessions end)",
    authenticate: signedIn,
    body: z.object({ current_password: password, new_password: password }).strict(),
    handler: async ({ auth, body, req }) => {
      await changePassword({
        deps: c,
        input: {
          active: auth,
          currentPassword: body.current_password,
          newPassword: body.new_password,
          client: clientOf(req),
        },
      });
      return { object: "console.password_changed" };
    },
  });

  addRoute(app, {
    ...base,
    method: "POST",
    url: "/auth/set-password",
    operationId: "console-set-password",
    summary: "Redeem a one-time set-password link and sign in",
    authenticate: anonymous,
    body: z.object({ token, password }).strict(),
    handler: async ({ body, req, reply }) =>
      startCookie(
        req,
        reply,
        await setPasswordWithToken({ deps: c, input: { ...body, client: clientOf(req) } }),
      ),
  });

  addRoute(app, {
    ...base,
    method: "POST",
    url: "/auth/invites/lookup",
    operationId: "console-lookup-invite",
    summary: "Show what an invite link offers (email, role, organization) before accepting it",
    authenticate: anonymous,
    body: z.object({ token }).strict(),
    handler: async ({ body }) => {
      const { invite, organization } = await lookupInvite({ deps: c, input: body });
      return {
        object: "organization.invite.preview",
        email: invite.email,
        role: invite.role,
        organization: { id: invite.orgId, name: organization?.name ?? invite.orgId },
        expires_at: invite.expiresAt,
      };
    },
  });

  addRoute(app, {
    ...base,
    method: "POST",
    url: "/auth/invites/accept",
    operationId: "console-accept-invite",
    summary: "Accept an invite: creates the user with the invite's role and projects, signs in",
    authenticate: anonymous,
    body: z.object({ token, name: z.string().max(256).default(""), password }).strict(),
    handler: async ({ body, req, reply }) =>
      startCookie(req, reply, await acceptInvite({ deps: c, input: { ...body, client: clientOf(req) } })),
  });
};
