import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import { createInvite } from "../../services/invites/create-invite.js";
import { inviteStatus } from "../../services/invites/invite-status.js";
import { deleteInvite, getInvite, listInvites } from "../../services/invites/read-invites.js";
import { createPasswordLink } from "../../services/sessions/password-links.js";
import type { InviteRecord } from "../../storage/records.js";
import { addRoute } from "../route.js";
import { type AdminDeps, authenticateAdmin } from "./auth.js";
import { deleted, envelope, listQuery } from "./schemas.js";

export interface InviteRouteDeps {
  inviteTtlSeconds: number;
  passwordLinkTtlSeconds: number;
  /** The dashboard's base URL as this request reached it (links are built from it). */
  consoleUrl: (req: FastifyRequest) => string;
}

const inviteParams = z.object({ invite_id: z.string().min(1).max(128) });
const MAX_INVITE_TTL = 30 * 24 * 3600;

export const inviteObject = (i: InviteRecord, now: number) => ({
  object: "organization.invite" as const,
  id: i.id,
  email: i.email,
  role: i.role,
  status: inviteStatus(i, now),
  created_at: i.createdAt,
  // The older spec's name for created_at; emitted too so both generations of clients parse it.
  invited_at: i.createdAt,
  expires_at: i.expiresAt,
  accepted_at: i.acceptedAt,
  projects: i.projects,
});

/** OpenAI's /v1/organization/invites, plus a set-password link for existing users (extension). */
export const registerInviteRoutes = (app: FastifyInstance, deps: AdminDeps, opts: InviteRouteDeps): void => {
  const base = { tag: "Invites", security: "admin" as const, authenticate: authenticateAdmin(deps) };
  const url = "/v1/organization/invites";

  addRoute(app, {
    ...base,
    method: "GET",
    url,
    operationId: "list-invites",
    summary: "List invites",
    query: listQuery,
    handler: async ({ auth, query }) => {
      const page = await listInvites({ ctx: auth, input: { orgId: auth.principal.orgId, page: query } });
      const now = auth.now();
      return envelope(
        page.data.map((i) => inviteObject(i, now)),
        page.hasMore,
      );
    },
  });

  addRoute(app, {
    ...base,
    method: "POST",
    url,
    operationId: "invite-user",
    summary:
      "Invite a user; `accept_url` (extension, shown once) is the single-use link to pass on — Keyplane sends no email",
    body: z
      .object({
        email: z.string().min(3).max(320),
        role: z.enum(["owner", "reader"]),
        projects: z
          .array(z.object({ id: z.string().min(1).max(128), role: z.enum(["member", "owner"]) }).strict())
          .max(100)
          .optional(),
        expires_in_seconds: z.number().int().min(1).max(MAX_INVITE_TTL).optional(),
      })
      .strict(),
    handler: async ({ auth, body, req }) => {
      const { invite, token } = await createInvite({
        ctx: auth,
        input: {
          orgId: auth.principal.orgId,
          email: body.email,
          role: body.role,
          ...(body.projects ? { projects: body.projects } : {}),
          expiresInSeconds: body.expires_in_seconds ?? opts.inviteTtlSeconds,
        },
      });
      return {
        ...inviteObject(invite, auth.now()),
        accept_url: `${opts.consoleUrl(req)}/#/invite/${token}`,
      };
    },
  });

  addRoute(app, {
    ...base,
    method: "GET",
    url: `${url}/:invite_id`,
    operationId: "retrieve-invite",
    summary: "Retrieve an invite",
    params: inviteParams,
    handler: async ({ auth, params }) =>
      inviteObject(
        await getInvite({ ctx: auth, input: { orgId: auth.principal.orgId, inviteId: params.invite_id } }),
        auth.now(),
      ),
  });

  addRoute(app, {
    ...base,
    method: "DELETE",
    url: `${url}/:invite_id`,
    operationId: "delete-invite",
    summary: "Delete a pending invite (its link stops working); accepted invites cannot be deleted",
    params: inviteParams,
    handler: async ({ auth, params }) => {
      const r = await deleteInvite({
        ctx: auth,
        input: { orgId: auth.principal.orgId, inviteId: params.invite_id },
      });
      return deleted("organization.invite.deleted", r.id);
    },
  });

  addRoute(app, {
    ...base,
    method: "POST",
    url: "/v1/organization/users/:user_id/password_link",
    extension: true,
    operationId: "create-user-password-link",
    summary: "Issue a one-time dashboard set-password link for a user (shown once)",
    params: z.object({ user_id: z.string().min(1).max(128) }),
    handler: async ({ auth, params, req }) => {
      const link = await createPasswordLink({
        ctx: auth,
        input: {
          orgId: auth.principal.orgId,
          userId: params.user_id,
          ttlSeconds: opts.passwordLinkTtlSeconds,
        },
      });
      return {
        object: "organization.user.password_link",
        user_id: params.user_id,
        url: `${opts.consoleUrl(req)}/#/set-password/${link.token}`,
        expires_at: link.expiresAt,
      };
    },
  });
};
