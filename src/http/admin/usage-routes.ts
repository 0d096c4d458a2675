import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { PriceTable } from "../../domain/pricing.js";
import { EMPTY_USAGE_PAGES, type UsageKind } from "../../domain/usage-kinds.js";
import { exportCosts, exportUsage } from "../../services/usage/export-usage.js";
import { type CostGroupKey, queryCosts } from "../../services/usage/query-costs.js";
import { queryUsage, type UsageGroupKey, type UsageQueryInput } from "../../services/usage/query-usage.js";
import { addRoute } from "../route.js";
import { type AdminDeps, authenticateAdmin } from "./auth.js";
import { boolQuery } from "./schemas.js";
import { sendCsv, wantsCsv } from "./usage-csv.js";
import {
  completionsResult,
  costResult,
  inputOnlyResult,
  type Render,
  usagePage,
  ZERO_COST_ROW,
  ZERO_USAGE_ROW,
} from "./usage-objects.js";

export interface UsageRouteDeps extends AdminDeps {
  prices: PriceTable;
}

/** `x[]=a&x[]=b`, repeated `x=` and `x[0]=` arrive as arrays (normalizeQuery); a single `x=a` as a string. */
const list = <T extends z.ZodType<string>>(item: T) =>
  z
    .array(item)
    .max(1000)
    .or(item.transform((s) => [s]));
const ids = list(z.string().min(1).max(256));

const common = {
  start_time: z.coerce.number().int().min(0),
  end_time: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().optional(),
  page: z.string().min(1).max(256).optional(),
  project_ids: ids.optional(),
  format: z.enum(["json", "csv"]).optional(),
};

const usageQuery = (groups: readonly [UsageGroupKey, ...UsageGroupKey[]]) =>
  z.object({
    ...common,
    bucket_width: z.enum(["1m", "1h", "1d"]).default("1d"),
    user_ids: ids.optional(),
    api_key_ids: ids.optional(),
    models: ids.optional(),
    batch: boolQuery.optional(),
    group_by: list(z.enum(groups)).optional(),
  });

const costsQuery = z.object({
  ...common,
  bucket_width: z.enum(["1d"]).default("1d"),
  api_key_ids: ids.optional(),
  line_items: ids.optional(),
  group_by: list(z.enum(["project_id", "line_item", "api_key_id", "user_id", "api_source"])).optional(),
});

/** Usage pages we fill, by spec path segment, with their result renderer. */
const PAGES: readonly {
  name: string;
  kind: UsageKind | null;
  groups: readonly [UsageGroupKey, ...UsageGroupKey[]];
  render: (g: readonly UsageGroupKey[]) => Render<typeof ZERO_USAGE_ROW>;
}[] = [
  {
    name: "completions",
    kind: "completions",
    groups: ["project_id", "user_id", "api_key_id", "model", "batch", "service_tier", "api_source"],
    render: completionsResult,
  },
  {
    name: "embeddings",
    kind: "embeddings",
    groups: ["project_id", "user_id", "api_key_id", "model", "api_source"],
    render: (g) => inputOnlyResult("organization.usage.embeddings.result", g),
  },
  {
    name: "moderations",
    kind: "moderations",
    groups: ["project_id", "user_id", "api_key_id", "model", "api_source"],
    render: (g) => inputOnlyResult("organization.usage.moderations.result", g),
  },
  ...EMPTY_USAGE_PAGES.map((name) => ({
    name,
    kind: null,
    groups: ["project_id", "user_id", "api_key_id", "model", "api_source"] as const,
    render: (g: readonly UsageGroupKey[]) => inputOnlyResult(`organization.usage.${name}.result`, g),
  })),
];

export const registerUsageRoutes = (app: FastifyInstance, deps: UsageRouteDeps): void => {
  const base = { tag: "Usage", security: "admin" as const, authenticate: authenticateAdmin(deps) };

  for (const p of PAGES) {
    addRoute(app, {
      ...base,
      method: "GET",
      url: `/v1/organization/usage/${p.name}`,
      operationId: `usage-${p.name.replace(/_/g, "-")}`,
      summary:
        p.kind === null
          ? `${p.name} usage (the gateway serves none: empty buckets)`
          : `${p.name} usage in time buckets (1m/1h/1d); format=csv or Accept: text/csv streams the whole range as CSV (no limit/page)`,
      query: usageQuery(p.groups),
      handler: async ({ auth, query, req, reply }) => {
        const groupBy = query.group_by ?? [];
        const input: UsageQueryInput = {
          orgId: auth.principal.orgId,
          kind: p.kind,
          startTime: query.start_time,
          endTime: query.end_time,
          width: query.bucket_width,
          limit: query.limit,
          page: query.page,
          groupBy,
          batch: query.batch,
          projectIds: query.project_ids,
          userIds: query.user_ids,
          keyIds: query.api_key_ids,
          models: query.models,
        };
        const render = p.render(groupBy);
        if (wantsCsv(req, query.format)) {
          const file = `usage-${p.name}-${query.start_time}-${query.end_time ?? "now"}.csv`;
          return sendCsv(reply, file, exportUsage({ ctx: auth, input }), render, ZERO_USAGE_ROW);
        }
        const page = await queryUsage({ ctx: auth, input });
        return usagePage(page.buckets, page.nextPage, render);
      },
    });
  }

  addRoute(app, {
    ...base,
    method: "GET",
    url: "/v1/organization/costs",
    operationId: "usage-costs",
    summary:
      "Costs in 1d buckets, grouped by project_id, line_item, api_key_id; format=csv or Accept: text/csv streams the whole range as CSV",
    query: costsQuery,
    handler: async ({ auth, query, req, reply }) => {
      const groupBy: CostGroupKey[] = query.group_by ?? [];
      const input = {
        orgId: auth.principal.orgId,
        startTime: query.start_time,
        endTime: query.end_time,
        limit: query.limit,
        page: query.page,
        projectIds: query.project_ids,
        keyIds: query.api_key_ids,
        lineItems: query.line_items,
        groupBy,
        prices: deps.prices,
      };
      const render = costResult(groupBy);
      if (wantsCsv(req, query.format)) {
        const file = `costs-${query.start_time}-${query.end_time ?? "now"}.csv`;
        return sendCsv(reply, file, exportCosts({ ctx: auth, input }), render, ZERO_COST_ROW);
      }
      const page = await queryCosts({ ctx: auth, input });
      return usagePage(page.buckets, page.nextPage, render);
    },
  });
};
