import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { createProject } from "../../services/projects/create-project.js";
import { getProject, listProjects } from "../../services/projects/read-projects.js";
import { archiveProject, updateProject } from "../../services/projects/update-project.js";
import { addRoute } from "../route.js";
import { type AdminDeps, authenticateAdmin } from "./auth.js";
import { projectObject } from "./objects.js";
import { boolQuery, envelope, listQuery, projectParams } from "./schemas.js";

const RESIDENCY = z.enum([
  "GLOBAL",
  "US_STORAGE_PROCESSING",
  "EU_STORAGE_PROCESSING",
  "JP_STORAGE",
  "KR_STORAGE",
  "CA_STORAGE",
  "SG_STORAGE",
  "IN_STORAGE",
  "AU_STORAGE",
  "GB_STORAGE",
  "AE_STORAGE",
  "AE_STORAGE_PROCESSING",
]);

export const registerProjectRoutes = (app: FastifyInstance, deps: AdminDeps): void => {
  const authenticate = authenticateAdmin(deps);
  const base = { tag: "Projects", security: "admin" as const, authenticate };

  addRoute(app, {
    ...base,
    method: "GET",
    url: "/v1/organization/projects",
    operationId: "list-projects",
    summary: "List projects (archived ones with include_archived=true)",
    query: listQuery.extend({ include_archived: boolQuery.default(false) }),
    handler: async ({ auth, query }) => {
      const page = await listProjects({
        ctx: auth,
        input: { orgId: auth.principal.orgId, page: query, includeArchived: query.include_archived },
      });
      return envelope(page.data.map(projectObject), page.hasMore);
    },
  });

  addRoute(app, {
    ...base,
    method: "POST",
    url: "/v1/organization/projects",
    operationId: "create-project",
    summary: "Create a project",
    body: z
      .object({
        name: z.string().trim().min(1).max(256),
        residency: RESIDENCY.nullable().optional(),
        external_key_id: z.string().max(256).nullable().optional(),
      })
      .strict(),
    handler: async ({ auth, body }) =>
      projectObject(
        await createProject({
          ctx: auth,
          input: {
            orgId: auth.principal.orgId,
            name: body.name,
            residency: body.residency ?? null,
            externalKeyId: body.external_key_id ?? null,
          },
        }),
      ),
  });

  addRoute(app, {
    ...base,
    method: "GET",
    url: "/v1/organization/projects/:project_id",
    operationId: "retrieve-project",
    summary: "Retrieve a project",
    params: projectParams,
    handler: async ({ auth, params }) =>
      projectObject(
        await getProject({ ctx: auth, input: { orgId: auth.principal.orgId, projectId: params.project_id } }),
      ),
  });

  addRoute(app, {
    ...base,
    method: "POST",
    url: "/v1/organization/projects/:project_id",
    operationId: "modify-project",
    summary: "Modify a project",
    params: projectParams,
    body: z
      .object({
        name: z.string().trim().min(1).max(256).nullable().optional(),
        external_key_id: z.string().max(256).nullable().optional(),
      })
      .strict(),
    handler: async ({ auth, params, body }) =>
      projectObject(
        await updateProject({
          ctx: auth,
          input: {
            orgId: auth.principal.orgId,
            projectId: params.project_id,
            ...(body.name !== undefined ? { name: body.name } : {}),
            ...(body.external_key_id !== undefined ? { externalKeyId: body.external_key_id } : {}),
          },
        }),
      ),
  });

  addRoute(app, {
    ...base,
    method: "POST",
    url: "/v1/organization/projects/:project_id/archive",
    operationId: "archive-project",
    summary: "Archive a project (cannot be undone; its keys stop working at once)",
    params: projectParams,
    handler: async ({ auth, params }) =>
      projectObject(
        await archiveProject({
          ctx: auth,
          input: { orgId: auth.principal.orgId, projectId: params.project_id },
        }),
      ),
  });
};
