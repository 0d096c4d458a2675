import { lineItemName, splitCost } from "../../domain/cost-lines.js";
import { invalidRequest } from "../../domain/errors.js";
import { type PriceTable, resolvePrice } from "../../domain/pricing.js";
import {
  BUCKET_SECONDS,
  type BucketPlan,
  COST_BUCKET_LIMITS,
  planBuckets,
} from "../../domain/usage-buckets.js";
import type { UsageAggregateRow, UsageDimension } from "../../storage/store.js";
import { requireRead, type ServiceCtx } from "../context.js";

export type CostGroupKey = "project_id" | "line_item" | "api_key_id" | "user_id" | "api_source";

export interface CostQueryInput {
  orgId: string;
  startTime: number;
  endTime?: number | undefined;
  limit?: number | undefined;
  page?: string | undefined;
  projectIds?: string[] | undefined;
  keyIds?: string[] | undefined;
  /** Exact line item names, e.g. "gpt-4o-mini, input". */
  lineItems?: string[] | undefined;
  groupBy: readonly CostGroupKey[];
  /** List prices (defaults + config `prices`): they decide how a row's cost splits into line items. */
  prices: PriceTable;
}

export interface CostRow {
  projectId: string | null;
  keyId: string | null;
  userId: string | null;
  lineItem: string | null;
  /** Tokens of the line item; null unless grouped by line item. */
  quantity: number | null;
  costMicros: number;
}

export interface CostBucket {
  start: number;
  end: number;
  rows: CostRow[];
}

export interface CostPage {
  buckets: CostBucket[];
  nextPage: string | null;
}

const DIMENSION: Partial<Record<CostGroupKey, UsageDimension>> = {
  project_id: "projectId",
  api_key_id: "keyId",
  user_id: "userId",
};

interface Piece {
  lineItem: string | null;
  tokens: number;
  costMicros: number;
}

const pieces = (r: UsageAggregateRow, byLine: boolean, prices: CostQueryInput["prices"]): Piece[] => {
  if (!byLine || r.model === null) return [{ lineItem: null, tokens: 0, costMicros: r.costMicros }];
  const model = r.model;
  return splitCost(r, r.costMicros, resolvePrice(prices, model) ?? undefined).map((s) => ({
    lineItem: lineItemName(model, s.kind),
    tokens: s.tokens,
    costMicros: s.costMicros,
  }));
};

const order = (a: CostRow, b: CostRow): number => {
  for (const k of ["projectId", "keyId", "userId", "lineItem"] as const) {
    const x = a[k] ?? "";
    const y = b[k] ?? "";
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
};

/** Reads the day rollups for the buckets of `plan` and shapes them into cost rows. */
export const fillCostBuckets = async (
  ctx: ServiceCtx,
  input: CostQueryInput,
  plan: BucketPlan,
): Promise<CostBucket[]> => {
  const w = BUCKET_SECONDS[plan.width];
  const byLine = input.groupBy.includes("line_item");
  const split = byLine || input.lineItems !== undefined;
  const wanted = input.lineItems ? new Set(input.lineItems) : null;
  const out = new Map<number, Map<string, CostRow>>(plan.starts.map((s) => [s, new Map()]));
  const first = plan.starts[0];
  if (first !== undefined) {
    const groupBy = input.groupBy.flatMap((g) => DIMENSION[g] ?? []);
    const rows = await ctx.store.usage.aggregate({
      orgId: input.orgId,
      granularity: "day",
      fromSec: first,
      toSec: plan.end,
      groupBy: split ? [...groupBy, "model"] : groupBy,
      ...(input.projectIds ? { projectIds: input.projectIds } : {}),
      ...(input.keyIds ? { keyIds: input.keyIds } : {}),
    });
    for (const r of rows) {
      const bucket = out.get(r.bucketStart);
      if (!bucket) continue;
      for (const p of pieces(r, split, input.prices)) {
        if (wanted && (p.lineItem === null || !wanted.has(p.lineItem))) continue;
        const lineItem = byLine ? p.lineItem : null;
        const key = `${r.projectId}\u0000${r.keyId}\u0000${r.userId}\u0000${lineItem}`;
        const acc = bucket.get(key);
        if (acc) {
          acc.costMicros += p.costMicros;
          if (acc.quantity !== null) acc.quantity += p.tokens;
        } else {
          bucket.set(key, {
            projectId: r.projectId,
            keyId: r.keyId,
            userId: r.userId,
            lineItem,
            quantity: byLine ? p.tokens : null,
            costMicros: p.costMicros,
          });
        }
      }
    }
  }
  return plan.starts.map((s) => ({
    start: s,
    end: s + w,
    rows: [...(out.get(s)?.values() ?? [])].sort(order),
  }));
};

export const costLimit = (limit: number | undefined): number => {
  const n = limit ?? COST_BUCKET_LIMITS.default;
  if (n < 1 || n > COST_BUCKET_LIMITS.max) {
    throw invalidRequest(
      `Invalid 'limit': must be between 1 and ${COST_BUCKET_LIMITS.max}, got ${n}.`,
      "limit",
    );
  }
  return n;
};

/** One page of OpenAI's Costs API (1d buckets) for the caller's organization. */
export const queryCosts = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: CostQueryInput;
}): Promise<CostPage> => {
  requireRead(ctx);
  const plan = planBuckets({
    startTime: input.startTime,
    endTime: input.endTime ?? ctx.now(),
    width: "1d",
    limit: costLimit(input.limit),
    page: input.page,
  });
  return { buckets: await fillCostBuckets(ctx, input, plan), nextPage: plan.nextPage };
};
