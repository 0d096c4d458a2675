import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { centsToMicros } from "../../domain/budget-policy.js";
import {
  createSpendAlert,
  deleteSpendAlert,
  getSpendAlert,
  listSpendAlerts,
  updateSpendAlert,
} from "../../services/limits/spend-alerts.js";
import { deleteSpendLimit, getSpendLimit, setSpendLimit } from "../../services/limits/spend-limits.js";
import { addRoute } from "../route.js";
import { type AdminDeps, authenticateAdmin } from "./auth.js";
import { spendAlertObject, spendLimitObject } from "./limit-objects.js";
import { envelope, projectParams } from "./schemas.js";
import {
  createAlertBody,
  spendLimitBody,
  toAlertFields,
  toAlertPatch,
  toInterval,
  updateAlertBody,
} from "./spend-bodies.js";

const alertQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  order: z.enum(["asc", "desc"]).default("asc"),
  after: z.string().min(1).max(128).optional(),
  before: z.string().min(1).max(128).optional(),
});

const alertId = { alert_id: z.string().min(1).max(128) };

const SCOPES = [
  {
    prefix: "/v1/organization",
    op: "organization",
    noun: "the organization",
    params: z.object({}),
    alertParams: z.object(alertId),
  },
  {
    prefix: "/v1/organization/projects/:project_id",
    op: "project",
    noun: "a project",
    params: projectParams,
    alertParams: projectParams.extend(alertId),
  },
] as const;

const scope = (auth: { principal: { orgId: string } }, p: Record<string, unknown>) => ({
  orgId: auth.principal.orgId,
  projectId: typeof p.project_id === "string" ? p.project_id : null,
});

/** OpenAI's hard spend limits and spend alerts, for the organization and for each project. */
export const registerSpendRoutes = (app: FastifyInstance, deps: AdminDeps): void => {
  const authenticate = authenticateAdmin(deps);
  for (const s of SCOPES) {
    const limitBase = { tag: "Spend limits", security: "admin" as const, authenticate, params: s.params };
    const alertBase = { tag: "Spend alerts", security: "admin" as const, authenticate };

    addRoute(app, {
      ...limitBase,
      method: "GET",
      url: `${s.prefix}/spend_limit`,
      operationId: `retrieve-${s.op}-spend-limit`,
      summary: `Get the hard spend limit of ${s.noun}`,
      handler: async ({ auth, params }) =>
        spendLimitObject(await getSpendLimit({ ctx: auth, input: scope(auth, params) })),
    });
    addRoute(app, {
      ...limitBase,
      method: "POST",
      url: `${s.prefix}/spend_limit`,
      operationId: `update-${s.op}-spend-limit`,
      summary: `Create or replace the hard spend limit of ${s.noun} (requests over it get 429 insufficient_quota)`,
      body: spendLimitBody,
      handler: async ({ auth, params, body }) =>
        spendLimitObject(
          await setSpendLimit({
            ctx: auth,
            input: {
              ...scope(auth, params),
              thresholdMicros: centsToMicros(body.threshold_amount),
              interval: toInterval(body),
            },
          }),
        ),
    });
    addRoute(app, {
      ...limitBase,
      method: "DELETE",
      url: `${s.prefix}/spend_limit`,
      operationId: `delete-${s.op}-spend-limit`,
      summary: `Delete the hard spend limit of ${s.noun}`,
      handler: async ({ auth, params }) => {
        await deleteSpendLimit({ ctx: auth, input: scope(auth, params) });
        return { object: `${s.op}.spend_limit.deleted`, deleted: true };
      },
    });

    addRoute(app, {
      ...alertBase,
      method: "GET",
      url: `${s.prefix}/spend_alerts`,
      operationId: `list-${s.op}-spend-alerts`,
      summary: `List the spend alerts of ${s.noun}`,
      params: s.params,
      query: alertQuery,
      handler: async ({ auth, params, query }) => {
        const page = await listSpendAlerts({
          ctx: auth,
          input: {
            ...scope(auth, params),
            page: {
              limit: query.limit,
              order: query.order,
              after: query.after,
              ...(query.before ? { before: query.before } : {}),
            },
          },
        });
        return envelope(page.data.map(spendAlertObject), page.hasMore);
      },
    });
    addRoute(app, {
      ...alertBase,
      method: "POST",
      url: `${s.prefix}/spend_alerts`,
      operationId: `create-${s.op}-spend-alert`,
      summary: `Create a spend alert for ${s.noun}: fires once per period as a signed webhook and an audit event`,
      params: s.params,
      body: createAlertBody,
      handler: async ({ auth, params, body }) =>
        spendAlertObject(
          await createSpendAlert({ ctx: auth, input: { ...scope(auth, params), ...toAlertFields(body) } }),
        ),
    });
    addRoute(app, {
      ...alertBase,
      method: "GET",
      url: `${s.prefix}/spend_alerts/:alert_id`,
      operationId: `retrieve-${s.op}-spend-alert`,
      summary: `Retrieve a spend alert of ${s.noun}`,
      params: s.alertParams,
      handler: async ({ auth, params }) =>
        spendAlertObject(
          await getSpendAlert({ ctx: auth, input: { ...scope(auth, params), alertId: params.alert_id } }),
        ),
    });
    addRoute(app, {
      ...alertBase,
      method: "POST",
      url: `${s.prefix}/spend_alerts/:alert_id`,
      operationId: `update-${s.op}-spend-alert`,
      summary: `Update a spend alert of ${s.noun}`,
      params: s.alertParams,
      body: updateAlertBody,
      handler: async ({ auth, params, body }) =>
        spendAlertObject(
          await updateSpendAlert({
            ctx: auth,
            input: { ...scope(auth, params), alertId: params.alert_id, patch: toAlertPatch(body) },
          }),
        ),
    });
    addRoute(app, {
      ...alertBase,
      method: "DELETE",
      url: `${s.prefix}/spend_alerts/:alert_id`,
      operationId: `delete-${s.op}-spend-alert`,
      summary: `Delete a spend alert of ${s.noun}`,
      params: s.alertParams,
      handler: async ({ auth, params }) => {
        await deleteSpendAlert({ ctx: auth, input: { ...scope(auth, params), alertId: params.alert_id } });
        return { id: params.alert_id, object: `${s.op}.spend_alert.deleted`, deleted: true };
      },
    });
  }
};
