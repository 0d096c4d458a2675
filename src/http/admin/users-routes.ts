import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { deleteUser, getUser, listUsers, updateUserRole } from "../../services/users/org-users.js";
import {
  addProjectUser,
  getProjectUser,
  listProjectUsers,
  removeProjectUser,
  updateProjectUser,
} from "../../services/users/project-users.js";
import { addRoute } from "../route.js";
import { type AdminDeps, authenticateAdmin } from "./auth.js";
import { projectUserObject, userObject } from "./objects.js";
import { deleted, envelope, listQuery, projectParams } from "./schemas.js";

const userParams = z.object({ user_id: z.string().min(1).max(128) });
const projectUserParams = projectParams.extend({ user_id: z.string().min(1).max(128) });
const projectRole = z.enum(["owner", "member"]);

export const registerUserRoutes = (app: FastifyInstance, deps: AdminDeps): void => {
  const authenticate = authenticateAdmin(deps);
  const base = { tag: "Users", security: "admin" as const, authenticate };

  addRoute(app, {
    ...base,
    method: "GET",
    url: "/v1/organization/users",
    operationId: "list-users",
    summary: "List organization users",
    query: listQuery.extend({
      emails: z
        .array(z.string())
        .or(z.string().transform((s) => [s]))
        .optional(),
    }),
    handler: async ({ auth, query }) => {
      const page = await listUsers({
        ctx: auth,
        input: {
          orgId: auth.principal.orgId,
          page: query,
          ...(query.emails ? { emails: query.emails } : {}),
        },
      });
      return envelope(page.data.map(userObject), page.hasMore);
    },
  });
  addRoute(app, {
    ...base,
    method: "GET",
    url: "/v1/organization/users/:user_id",
    operationId: "retrieve-user",
    summary: "Retrieve an organization user",
    params: userParams,
    handler: async ({ auth, params }) =>
      userObject(
        await getUser({ ctx: auth, input: { orgId: auth.principal.orgId, userId: params.user_id } }),
      ),
  });
  addRoute(app, {
    ...base,
    method: "POST",
    url: "/v1/organization/users/:user_id",
    operationId: "modify-user",
    summary: "Change an organization user's role",
    params: userParams,
    body: z
      .object({
        role: z.enum(["owner", "reader"]),
        role_id: z.string().nullable().optional(),
        technical_level: z.string().nullable().optional(),
        developer_persona: z.string().nullable().optional(),
      })
      .strict(),
    handler: async ({ auth, params, body }) =>
      userObject(
        await updateUserRole({
          ctx: auth,
          input: { orgId: auth.principal.orgId, userId: params.user_id, role: body.role },
        }),
      ),
  });
  addRoute(app, {
    ...base,
    method: "DELETE",
    url: "/v1/organization/users/:user_id",
    operationId: "delete-user",
    summary: "Remove a user from the organization",
    params: userParams,
    handler: async ({ auth, params }) =>
      deleted(
        "organization.user.deleted",
        (await deleteUser({ ctx: auth, input: { orgId: auth.principal.orgId, userId: params.user_id } })).id,
      ),
  });

  const pu = "/v1/organization/projects/:project_id/users";
  addRoute(app, {
    ...base,
    method: "GET",
    url: pu,
    operationId: "list-project-users",
    summary: "List a project's users",
    params: projectParams,
    query: listQuery,
    handler: async ({ auth, params, query }) => {
      const page = await listProjectUsers({
        ctx: auth,
        input: { orgId: auth.principal.orgId, projectId: params.project_id, page: query },
      });
      return envelope(page.data.map(projectUserObject), page.hasMore);
    },
  });
  addRoute(app, {
    ...base,
    method: "POST",
    url: pu,
    operationId: "create-project-user",
    summary: "Add an organization member to a project",
    params: projectParams,
    body: z
      .object({
        role: projectRole,
        user_id: z.string().nullable().optional(),
        email: z.string().nullable().optional(),
      })
      .strict(),
    handler: async ({ auth, params, body }) =>
      projectUserObject(
        await addProjectUser({
          ctx: auth,
          input: {
            orgId: auth.principal.orgId,
            projectId: params.project_id,
            userId: body.user_id ?? null,
            email: body.email ?? null,
            role: body.role,
          },
        }),
      ),
  });
  addRoute(app, {
    ...base,
    method: "GET",
    url: `${pu}/:user_id`,
    operationId: "retrieve-project-user",
    summary: "Retrieve a project user",
    params: projectUserParams,
    handler: async ({ auth, params }) =>
      projectUserObject(
        await getProjectUser({
          ctx: auth,
          input: { orgId: auth.principal.orgId, projectId: params.project_id, userId: params.user_id },
        }),
      ),
  });
  addRoute(app, {
    ...base,
    method: "POST",
    url: `${pu}/:user_id`,
    operationId: "modify-project-user",
    summary: "Change a project user's role",
    params: projectUserParams,
    body: z.object({ role: projectRole }).strict(),
    handler: async ({ auth, params, body }) =>
      projectUserObject(
        await updateProjectUser({
          ctx: auth,
          input: {
            orgId: auth.principal.orgId,
            projectId: params.project_id,
            userId: params.user_id,
            role: body.role,
          },
        }),
      ),
  });
  addRoute(app, {
    ...base,
    method: "DELETE",
    url: `${pu}/:user_id`,
    operationId: "delete-project-user",
    summary: "Remove a user from a project",
    params: projectUserParams,
    handler: async ({ auth, params }) => {
      const r = await removeProjectUser({
        ctx: auth,
        input: { orgId: auth.principal.orgId, projectId: params.project_id, userId: params.user_id },
      });
      return deleted("organization.project.user.deleted", r.id);
    },
  });
};
