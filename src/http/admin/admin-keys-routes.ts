import type { FastifyInstance } from "fastify";
import { z } from "zod";
import {
  createAdminKey,
  deleteAdminKey,
  getAdminKey,
  listAdminKeys,
} from "../../services/admin-keys/admin-keys.js";
import { addRoute } from "../route.js";
import { type AdminDeps, authenticateAdmin } from "./auth.js";
import { adminKeyObject } from "./objects.js";
import { deleted, envelope, listQuery } from "./schemas.js";

const keyParams = z.object({ key_id: z.string().min(1).max(128) });

export const registerAdminKeyRoutes = (app: FastifyInstance, deps: AdminDeps): void => {
  const authenticate = authenticateAdmin(deps);
  const base = { tag: "Admin API keys", security: "admin" as const, authenticate };
  const url = "/v1/organization/admin_api_keys";

  addRoute(app, {
    ...base,
    method: "GET",
    url,
    operationId: "admin-api-keys-list",
    summary: "List admin API keys",
    query: listQuery,
    handler: async ({ auth, query }) => {
      const page = await listAdminKeys({ ctx: auth, input: { orgId: auth.principal.orgId, page: query } });
      return envelope(page.data.map(adminKeyObject), page.hasMore);
    },
  });
  addRoute(app, {
    ...base,
    method: "POST",
    url,
    operationId: "admin-api-keys-create",
    summary: "Create an admin API key (value shown once). `read_only: true` (extension) limits it to reads",
    body: z
      .object({
        name: z.string().trim().min(1).max(256),
        expires_in_seconds: z.number().int().min(1).max(31_536_000).nullable().optional(),
        read_only: z.boolean().optional(),
      })
      .strict(),
    handler: async ({ auth, body }) =>
      adminKeyObject(
        await createAdminKey({
          ctx: auth,
          input: {
            orgId: auth.principal.orgId,
            name: body.name,
            expiresInSeconds: body.expires_in_seconds ?? null,
            scopes: body.read_only ? ["api.management.read"] : [],
          },
        }),
      ),
  });
  addRoute(app, {
    ...base,
    method: "GET",
    url: `${url}/:key_id`,
    operationId: "admin-api-keys-get",
    summary: "Retrieve an admin API key",
    params: keyParams,
    handler: async ({ auth, params }) =>
      adminKeyObject(
        await getAdminKey({ ctx: auth, input: { orgId: auth.principal.orgId, keyId: params.key_id } }),
      ),
  });
  addRoute(app, {
    ...base,
    method: "DELETE",
    url: `${url}/:key_id`,
    operationId: "admin-api-keys-delete",
    summary: "Delete (revoke) an admin API key",
    params: keyParams,
    handler: async ({ auth, params }) =>
      deleted(
        "organization.admin_api_key.deleted",
        (await deleteAdminKey({ ctx: auth, input: { orgId: auth.principal.orgId, keyId: params.key_id } }))
          .id,
      ),
  });
};
