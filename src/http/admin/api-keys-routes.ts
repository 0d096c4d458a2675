import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { createProjectKey } from "../../services/keys/create-project-key.js";
import { getProjectKey } from "../../services/keys/get-project-key.js";
import { listProjectKeys } from "../../services/keys/list-project-keys.js";
import { revokeProjectKey } from "../../services/keys/revoke-project-key.js";
import { rotateProjectKey } from "../../services/keys/rotate-project-key.js";
import { updateProjectKey } from "../../services/keys/update-project-key.js";
import { addRoute } from "../route.js";
import { type AdminDeps, authenticateAdmin } from "./auth.js";
import { createKeyBody, rotateKeyBody, toCreateInput, toUpdateInput, updateKeyBody } from "./key-bodies.js";
import { projectKeyObject } from "./objects.js";
import { deleted, envelope, listQuery, projectParams } from "./schemas.js";

const keyParams = projectParams.extend({ api_key_id: z.string().min(1).max(128) });
const listKeysQuery = listQuery.extend({
  owner_project_access: z.enum(["active", "inactive", "any"]).optional(),
});

/** OpenAI's project API key routes (organization implied by the admin key) plus our create/rotate. */
export const registerApiKeyRoutes = (app: FastifyInstance, deps: AdminDeps): void => {
  const authenticate = authenticateAdmin(deps);
  const base = { tag: "Project API keys", security: "admin" as const, authenticate };
  const url = "/v1/organization/projects/:project_id/api_keys";

  addRoute(app, {
    ...base,
    method: "GET",
    url,
    operationId: "list-project-api-keys",
    summary: "List a project's API keys",
    params: projectParams,
    query: listKeysQuery,
    handler: async ({ auth, params, query }) => {
      const page = await listProjectKeys({
        ctx: auth,
        input: { orgId: auth.principal.orgId, projectId: params.project_id, page: query },
      });
      const data = page.data
        .map(projectKeyObject)
        .filter(
          (k) =>
            !query.owner_project_access ||
            query.owner_project_access === "any" ||
            k.owner_project_access === query.owner_project_access,
        );
      return envelope(data, page.hasMore);
    },
  });

  addRoute(app, {
    ...base,
    method: "POST",
    url,
    extension: true,
    operationId: "create-project-api-key",
    summary: "Create a user-owned project API key (Keyplane extension); the secret is in `value`, shown once",
    params: projectParams,
    body: createKeyBody,
    handler: async ({ auth, params, body }) =>
      projectKeyObject(
        await createProjectKey({
          ctx: auth,
          input: toCreateInput(auth.principal.orgId, params.project_id, body),
        }),
      ),
  });

  addRoute(app, {
    ...base,
    method: "GET",
    url: `${url}/:api_key_id`,
    operationId: "retrieve-project-api-key",
    summary: "Retrieve a project API key",
    params: keyParams,
    handler: async ({ auth, params }) =>
      projectKeyObject(
        await getProjectKey({
          ctx: auth,
          input: { orgId: auth.principal.orgId, projectId: params.project_id, keyId: params.api_key_id },
        }),
      ),
  });

  addRoute(app, {
    ...base,
    method: "POST",
    url: `${url}/:api_key_id`,
    operationId: "update-project-api-key",
    summary:
      "Update a project API key: scopes and expires_in_seconds (OpenAI), name, models, limits, budget_usd (extensions)",
    params: keyParams,
    body: updateKeyBody,
    handler: async ({ auth, params, body }) =>
      projectKeyObject(
        await updateProjectKey({
          ctx: auth,
          input: toUpdateInput(auth.principal.orgId, params.project_id, params.api_key_id, body),
        }),
      ),
  });

  addRoute(app, {
    ...base,
    method: "DELETE",
    url: `${url}/:api_key_id`,
    operationId: "delete-project-api-key",
    summary: "Delete (revoke) a project API key; a service account's key answers 400",
    params: keyParams,
    handler: async ({ auth, params }) => {
      const r = await revokeProjectKey({
        ctx: auth,
        input: {
          orgId: auth.principal.orgId,
          projectId: params.project_id,
          keyId: params.api_key_id,
          refuseServiceAccountKeys: true,
        },
      });
      return deleted("organization.project.api_key.deleted", r.id);
    },
  });

  addRoute(app, {
    ...base,
    method: "POST",
    url: `${url}/:api_key_id/rotate`,
    extension: true,
    operationId: "rotate-project-api-key",
    summary:
      "Rotate a key: new secret (shown once) for the same id; the old one works for grace_period_seconds",
    params: keyParams,
    body: rotateKeyBody,
    handler: async ({ auth, params, body }) =>
      projectKeyObject(
        await rotateProjectKey({
          ctx: auth,
          input: {
            orgId: auth.principal.orgId,
            projectId: params.project_id,
            keyId: params.api_key_id,
            graceSeconds: body.grace_period_seconds,
          },
        }),
      ),
  });
};
