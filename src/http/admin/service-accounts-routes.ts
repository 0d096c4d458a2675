import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { createProjectKey } from "../../services/keys/create-project-key.js";
import { expiresInSchema, scopesSchema } from "../../services/keys/key-settings.js";
import { createServiceAccount } from "../../services/service-accounts/create-service-account.js";
import {
  deleteServiceAccount,
  getServiceAccount,
  listServiceAccounts,
  updateServiceAccount,
} from "../../services/service-accounts/manage-service-accounts.js";
import { addRoute } from "../route.js";
import { type AdminDeps, authenticateAdmin } from "./auth.js";
import { serviceAccountObject } from "./objects.js";
import { deleted, envelope, listQuery, projectParams } from "./schemas.js";

const saParams = projectParams.extend({ service_account_id: z.string().min(1).max(128) });

export const registerServiceAccountRoutes = (app: FastifyInstance, deps: AdminDeps): void => {
  const authenticate = authenticateAdmin(deps);
  const base = { tag: "Service accounts", security: "admin" as const, authenticate };
  const url = "/v1/organization/projects/:project_id/service_accounts";

  addRoute(app, {
    ...base,
    method: "GET",
    url,
    operationId: "list-project-service-accounts",
    summary: "List a project's service accounts",
    params: projectParams,
    query: listQuery,
    handler: async ({ auth, params, query }) => {
      const page = await listServiceAccounts({
        ctx: auth,
        input: { orgId: auth.principal.orgId, projectId: params.project_id, page: query },
      });
      return envelope(page.data.map(serviceAccountObject), page.hasMore);
    },
  });

  addRoute(app, {
    ...base,
    method: "POST",
    url,
    operationId: "create-project-service-account",
    summary: "Create a service account; its first API key is returned once in api_key.value",
    params: projectParams,
    body: z
      .object({
        name: z.string().trim().min(1).max(256),
        create_service_account_only: z.boolean().nullable().optional(),
      })
      .strict(),
    handler: async ({ auth, params, body }) => {
      const { sa, key } = await createServiceAccount({
        ctx: auth,
        input: {
          orgId: auth.principal.orgId,
          projectId: params.project_id,
          name: body.name,
          withoutKey: body.create_service_account_only === true,
        },
      });
      return {
        ...serviceAccountObject(sa),
        api_key: key?.value
          ? {
              object: "organization.project.service_account.api_key",
              value: key.value,
              name: key.key.name,
              created_at: key.key.createdAt,
              id: key.key.id,
            }
          : null,
      };
    },
  });

  addRoute(app, {
    ...base,
    method: "GET",
    url: `${url}/:service_account_id`,
    operationId: "retrieve-project-service-account",
    summary: "Retrieve a service account",
    params: saParams,
    handler: async ({ auth, params }) =>
      serviceAccountObject(
        await getServiceAccount({
          ctx: auth,
          input: {
            orgId: auth.principal.orgId,
            projectId: params.project_id,
            serviceAccountId: params.service_account_id,
          },
        }),
      ),
  });

  addRoute(app, {
    ...base,
    method: "POST",
    url: `${url}/:service_account_id`,
    operationId: "modify-project-service-account",
    summary: "Modify a service account (name, role)",
    params: saParams,
    body: z
      .object({
        name: z.string().trim().min(1).max(256).optional(),
        role: z.enum(["owner", "member"]).optional(),
      })
      .strict(),
    handler: async ({ auth, params, body }) =>
      serviceAccountObject(
        await updateServiceAccount({
          ctx: auth,
          input: {
            orgId: auth.principal.orgId,
            projectId: params.project_id,
            serviceAccountId: params.service_account_id,
            ...(body.name !== undefined ? { name: body.name } : {}),
            ...(body.role !== undefined ? { role: body.role } : {}),
          },
        }),
      ),
  });

  addRoute(app, {
    ...base,
    method: "DELETE",
    url: `${url}/:service_account_id`,
    operationId: "delete-project-service-account",
    summary: "Delete a service account and revoke its keys",
    params: saParams,
    handler: async ({ auth, params }) => {
      const r = await deleteServiceAccount({
        ctx: auth,
        input: {
          orgId: auth.principal.orgId,
          projectId: params.project_id,
          serviceAccountId: params.service_account_id,
        },
      });
      return deleted("organization.project.service_account.deleted", r.id);
    },
  });

  addRoute(app, {
    ...base,
    method: "POST",
    url: `${url}/:service_account_id/api_keys`,
    operationId: "create-project-service-account-api-key",
    summary: "Create another API key for a service account; the secret is returned once",
    params: saParams,
    body: z
      .object({
        name: z.string().trim().min(1).max(256).optional(),
        scopes: scopesSchema.optional(),
        expires_in_seconds: expiresInSchema.optional(),
      })
      .strict(),
    handler: async ({ auth, params, body }) => {
      const v = await createProjectKey({
        ctx: auth,
        input: {
          orgId: auth.principal.orgId,
          projectId: params.project_id,
          serviceAccountId: params.service_account_id,
          name: body.name ?? "Secret Key",
          scopes: body.scopes ?? [],
          models: null,
          limits: null,
          budgetMicros: null,
          expiresInSeconds: body.expires_in_seconds ?? null,
        },
      });
      return {
        object: "organization.project.service_account.api_key",
        id: v.key.id,
        name: v.key.name,
        created_at: v.key.createdAt,
        expires_at: v.key.expiresAt,
        value: v.value,
      };
    },
  });
};
