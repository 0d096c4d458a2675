import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { listAuditLogs } from "../../services/audit/list-audit-logs.js";
import { addRoute } from "../route.js";
import { type AdminDeps, authenticateAdmin } from "./auth.js";
import { auditLogObject } from "./objects.js";
import { envelope, listQuery } from "./schemas.js";

const strings = z
  .array(z.string().min(1).max(256))
  .max(100)
  .or(z.string().transform((s) => [s]));
const range = z
  .object({
    gt: z.coerce.number().int().optional(),
    gte: z.coerce.number().int().optional(),
    lt: z.coerce.number().int().optional(),
    lte: z.coerce.number().int().optional(),
  })
  .strict();

export const registerAuditRoutes = (app: FastifyInstance, deps: AdminDeps): void => {
  addRoute(app, {
    tag: "Audit logs",
    security: "admin",
    authenticate: authenticateAdmin(deps),
    method: "GET",
    url: "/v1/organization/audit_logs",
    operationId: "list-audit-logs",
    summary:
      "List audit logs with OpenAI's filters (effective_at[gt|gte|lt|lte], event_types[], project_ids[], actor_ids[], resource_ids[])",
    query: listQuery.extend({
      before: z.string().min(1).max(128).optional(),
      effective_at: range.optional(),
      event_types: strings.optional(),
      project_ids: strings.optional(),
      actor_ids: strings.optional(),
      actor_emails: strings.optional(),
      resource_ids: strings.optional(),
    }),
    handler: async ({ auth, query }) => {
      const filter = {
        ...(query.effective_at ? { effectiveAt: query.effective_at } : {}),
        ...(query.event_types ? { eventTypes: query.event_types } : {}),
        ...(query.project_ids ? { projectIds: query.project_ids } : {}),
        ...(query.actor_ids ? { actorIds: query.actor_ids } : {}),
        ...(query.resource_ids ? { resourceIds: query.resource_ids } : {}),
      };
      const page = await listAuditLogs({
        ctx: auth,
        input: {
          orgId: auth.principal.orgId,
          filter,
          page: {
            limit: query.limit,
            after: query.after,
            order: "desc",
            ...(query.before ? { before: query.before } : {}),
          },
        },
      });
      return envelope(page.data.map(auditLogObject), page.hasMore);
    },
  });
};
