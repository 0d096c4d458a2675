import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { AppError } from "../../domain/errors.js";
import type { ServiceCtx } from "../../services/context.js";
import { createProjectKey } from "../../services/keys/create-project-key.js";
import { getProjectKey } from "../../services/keys/get-project-key.js";
import { listProjectKeys } from "../../services/keys/list-project-keys.js";
import { revokeProjectKey } from "../../services/keys/revoke-project-key.js";
import { rotateProjectKey } from "../../services/keys/rotate-project-key.js";
import { updateProjectKey } from "../../services/keys/update-project-key.js";
import {
  createOrganization,
  getOrganization,
  listOrganizations,
} from "../../services/organizations/manage-organizations.js";
import { addRoute } from "../route.js";
import { type AdminDeps, authenticateAdmin } from "./auth.js";
import { createKeyBody, rotateKeyBody, toCreateInput, toUpdateInput, updateKeyBody } from "./key-bodies.js";
import { organizationObject, projectKeyObject } from "./objects.js";
import { deleted, envelope, listQuery, orgProjectParams } from "./schemas.js";

const orgParams = z.object({ organization_id: z.string().min(1).max(128) });
const keyParams = orgProjectParams.extend({ key_id: z.string().min(1).max(128) });

/**
 * The guide's multi-organization form. An org admin key sees only its own organization; any other
 * id answers 404 exactly like a missing one. An instance admin key may address every organization.
 */
const resolveOrg = async (ctx: ServiceCtx, orgId: string): Promise<string> => {
  if (ctx.principal.orgId === orgId) return orgId;
  if (ctx.principal.instanceAdmin && (await ctx.store.organizations.get(orgId))) return orgId;
  throw new AppError("not_found", { message: `No such organization: ${orgId}`, param: "organization_id" });
};

export const registerOrganizationRoutes = (app: FastifyInstance, deps: AdminDeps): void => {
  const authenticate = authenticateAdmin(deps);
  const base = {
    tag: "Organizations (multi-organization form)",
    security: "admin" as const,
    authenticate,
    extension: true,
  };
  const keysUrl = "/v1/organizations/:organization_id/projects/:project_id/apikeys";

  addRoute(app, {
    ...base,
    method: "GET",
    url: "/v1/organizations",
    operationId: "list-organizations",
    summary: "List organizations (instance admin key)",
    query: listQuery,
    handler: async ({ auth, query }) => {
      const page = await listOrganizations({ ctx: auth, input: { page: query } });
      return envelope(page.data.map(organizationObject), page.hasMore);
    },
  });

  addRoute(app, {
    ...base,
    method: "POST",
    url: "/v1/organizations",
    operationId: "create-organization",
    summary:
      "Create an organization with its owner, Default project and (optionally) an admin key shown once",
    body: z
      .object({
        name: z.string().trim().min(1).max(256),
        owner_email: z.string().email().max(320).default("owner@keyplane.local"),
        owner_name: z.string().trim().min(1).max(256).default("Owner"),
        create_admin_key: z.boolean().default(true),
      })
      .strict(),
    handler: async ({ auth, body }) => {
      const r = await createOrganization({
        ctx: auth,
        input: {
          name: body.name,
          ownerEmail: body.owner_email,
          ownerName: body.owner_name,
          withAdminKey: body.create_admin_key,
        },
      });
      return {
        ...organizationObject(r.org),
        default_project_id: r.defaultProject.id,
        owner_user_id: r.owner.id,
        admin_key: r.adminKey ? { id: r.adminKey.id, value: r.adminKey.value } : null,
      };
    },
  });

  addRoute(app, {
    ...base,
    method: "GET",
    url: "/v1/organizations/:organization_id",
    operationId: "retrieve-organization",
    summary: "Retrieve an organization",
    params: orgParams,
    handler: async ({ auth, params }) =>
      organizationObject(await getOrganization({ ctx: auth, input: { orgId: params.organization_id } })),
  });

  addRoute(app, {
    ...base,
    method: "GET",
    url: keysUrl,
    operationId: "list-org-project-api-keys",
    summary: "List a project's API keys, each with its usage in the current budget period (`usage`)",
    params: orgProjectParams,
    query: listQuery,
    handler: async ({ auth, params, query }) => {
      const orgId = await resolveOrg(auth, params.organization_id);
      const page = await listProjectKeys({
        ctx: auth,
        input: { orgId, projectId: params.project_id, page: query, withUsage: true },
      });
      return envelope(page.data.map(projectKeyObject), page.hasMore);
    },
  });

  addRoute(app, {
    ...base,
    method: "POST",
    url: keysUrl,
    operationId: "create-org-project-api-key",
    summary: "Create a project API key; the secret is in `value`, shown once",
    params: orgProjectParams,
    body: createKeyBody,
    handler: async ({ auth, params, body }) => {
      const orgId = await resolveOrg(auth, params.organization_id);
      return projectKeyObject(
        await createProjectKey({ ctx: auth, input: toCreateInput(orgId, params.project_id, body) }),
      );
    },
  });

  addRoute(app, {
    ...base,
    method: "GET",
    url: `${keysUrl}/:key_id`,
    operationId: "retrieve-org-project-api-key",
    summary: "Retrieve a project API key",
    params: keyParams,
    handler: async ({ auth, params }) => {
      const orgId = await resolveOrg(auth, params.organization_id);
      return projectKeyObject(
        await getProjectKey({
          ctx: auth,
          input: { orgId, projectId: params.project_id, keyId: params.key_id, withUsage: true },
        }),
      );
    },
  });

  addRoute(app, {
    ...base,
    method: "POST",
    url: `${keysUrl}/:key_id`,
    operationId: "update-org-project-api-key",
    summary: "Update a project API key (name, scopes, models, limits, budget, expiry)",
    params: keyParams,
    body: updateKeyBody,
    handler: async ({ auth, params, body }) => {
      const orgId = await resolveOrg(auth, params.organization_id);
      return projectKeyObject(
        await updateProjectKey({
          ctx: auth,
          input: toUpdateInput(orgId, params.project_id, params.key_id, body),
        }),
      );
    },
  });

  addRoute(app, {
    ...base,
    method: "DELETE",
    url: `${keysUrl}/:key_id`,
    operationId: "revoke-org-project-api-key",
    summary: "Revoke a project API key (service-account keys included)",
    params: keyParams,
    handler: async ({ auth, params }) => {
      const orgId = await resolveOrg(auth, params.organization_id);
      const r = await revokeProjectKey({
        ctx: auth,
        input: { orgId, projectId: params.project_id, keyId: params.key_id, refuseServiceAccountKeys: false },
      });
      return deleted("organization.project.api_key.deleted", r.id);
    },
  });

  addRoute(app, {
    ...base,
    method: "POST",
    url: `${keysUrl}/:key_id/rotate`,
    operationId: "rotate-org-project-api-key",
    summary: "Rotate a key: new secret shown once; the old one works for grace_period_seconds (max 7 days)",
    params: keyParams,
    body: rotateKeyBody,
    handler: async ({ auth, params, body }) => {
      const orgId = await resolveOrg(auth, params.organization_id);
      return projectKeyObject(
        await rotateProjectKey({
          ctx: auth,
          input: {
            orgId,
            projectId: params.project_id,
            keyId: params.key_id,
            graceSeconds: body.grace_period_seconds,
          },
        }),
      );
    },
  });
};
