import { invalidRequest } from "../../domain/errors.js";
import {
  BUCKET_SECONDS,
  type BucketPlan,
  type BucketWidth,
  GRANULARITY,
  planBuckets,
  USAGE_BUCKET_LIMITS,
} from "../../domain/usage-buckets.js";
import { USAGE_KIND_ENDPOINTS, type UsageKind } from "../../domain/usage-kinds.js";
import type { UsageAggregateRow, UsageDimension } from "../../storage/store.js";
import { requireRead, type ServiceCtx } from "../context.js";

export type UsageGroupKey =
  | "project_id"
  | "user_id"
  | "api_key_id"
  | "model"
  | "batch"
  | "service_tier"
  | "api_source";

export interface UsageFilters {
  projectIds?: string[] | undefined;
  userIds?: string[] | undefined;
  keyIds?: string[] | undefined;
  models?: string[] | undefined;
}

export interface UsageQueryInput extends UsageFilters {
  orgId: string;
  /** null: a Usage page of OpenAI's that our gateway cannot produce; it answers empty buckets. */
  kind: UsageKind | null;
  startTime: number;
  /** Exclusive; defaults to now. */
  endTime?: number | undefined;
  width: BucketWidth;
  limit?: number | undefined;
  page?: string | undefined;
  groupBy: readonly UsageGroupKey[];
  /** true = batch jobs only, which we do not run. */
  batch?: boolean | undefined;
}

export interface UsageBucket {
  start: number;
  end: number;
  rows: UsageAggregateRow[];
}

export interface UsagePage {
  buckets: UsageBucket[];
  nextPage: string | null;
}

const DIMENSION: Partial<Record<UsageGroupKey, UsageDimension>> = {
  project_id: "projectId",
  user_id: "userId",
  api_key_id: "keyId",
  model: "model",
};

/** Failed requests carry no tokens; a row made only of them is not model usage (OpenAI omits it). */
const isUsage = (r: UsageAggregateRow): boolean =>
  r.requests > r.failed || r.inputTokens > 0 || r.outputTokens > 0;

/** Reads the rollups for the buckets of `plan`; every bucket is present, empty ones included. */
export const fillUsageBuckets = async (
  ctx: ServiceCtx,
  input: UsageQueryInput,
  plan: BucketPlan,
): Promise<UsageBucket[]> => {
  const w = BUCKET_SECONDS[plan.width];
  const byStart = new Map<number, UsageAggregateRow[]>(plan.starts.map((s) => [s, []]));
  const first = plan.starts[0];
  if (input.kind !== null && input.batch !== true && first !== undefined) {
    const groupBy = input.groupBy.flatMap((g) => DIMENSION[g] ?? []);
    const rows = await ctx.store.usage.aggregate({
      orgId: input.orgId,
      granularity: GRANULARITY[plan.width],
      fromSec: first,
      toSec: plan.end,
      groupBy,
      endpoints: USAGE_KIND_ENDPOINTS[input.kind],
      ...(input.projectIds ? { projectIds: input.projectIds } : {}),
      ...(input.userIds ? { userIds: input.userIds } : {}),
      ...(input.keyIds ? { keyIds: input.keyIds } : {}),
      ...(input.models ? { models: input.models } : {}),
    });
    for (const r of rows) if (isUsage(r)) byStart.get(r.bucketStart)?.push(r);
  }
  return plan.starts.map((s) => ({ start: s, end: s + w, rows: byStart.get(s) ?? [] }));
};

export const usageLimit = (width: BucketWidth, limit: number | undefined): number => {
  const l = USAGE_BUCKET_LIMITS[width];
  const n = limit ?? l.default;
  if (n < 1 || n > l.max) {
    throw invalidRequest(
      `Invalid 'limit': must be between 1 and ${l.max} for bucket_width=${width}, got ${n}.`,
      "limit",
    );
  }
  return n;
};

/** One page of OpenAI's Usage API for the caller's organization. */
export const queryUsage = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: UsageQueryInput;
}): Promise<UsagePage> => {
  requireRead(ctx);
  const plan = planBuckets({
    startTime: input.startTime,
    endTime: input.endTime ?? ctx.now(),
    width: input.width,
    limit: usageLimit(input.width, input.limit),
    page: input.page,
  });
  return { buckets: await fillUsageBuckets(ctx, input, plan), nextPage: plan.nextPage };
};
