import { invalidRequest } from "../../domain/errors.js";
import {
  alignDown,
  BUCKET_SECONDS,
  type BucketWidth,
  COST_BUCKET_LIMITS,
  planBuckets,
  USAGE_BUCKET_LIMITS,
} from "../../domain/usage-buckets.js";
import { requireRead, type ServiceCtx } from "../context.js";
import { type CostBucket, type CostQueryInput, fillCostBuckets } from "./query-costs.js";
import { fillUsageBuckets, type UsageBucket, type UsageQueryInput } from "./query-usage.js";

/**
 * Exports cover the whole [start_time, end_time) range (no `limit`/`page`), read page by page so
 * a long range streams with bounded memory. Past this many buckets the export is refused (400)
 * instead of running for minutes: 100,000 minutes is about 69 days.
 */
export const MAX_EXPORT_BUCKETS = 100_000;

interface Range {
  startTime: number;
  endTime: number;
  width: BucketWidth;
  pageBuckets: number;
}

/** Validates the range eagerly (errors become a 400 before any byte is streamed), then pages lazily. */
function pagesOf<B>(
  range: Range,
  fill: (plan: ReturnType<typeof planBuckets>) => Promise<B[]>,
): AsyncIterable<B[]> {
  const plan0 = planBuckets({ ...range, limit: range.pageBuckets });
  const total = Math.ceil(
    (range.endTime - alignDown(range.startTime, range.width)) / BUCKET_SECONDS[range.width],
  );
  if (total > MAX_EXPORT_BUCKETS) {
    throw invalidRequest(
      `The export range spans ${total} buckets of ${range.width}; at most ${MAX_EXPORT_BUCKETS} are allowed. Narrow start_time..end_time or widen bucket_width.`,
      "end_time",
    );
  }
  return {
    async *[Symbol.asyncIterator]() {
      let plan = plan0;
      for (;;) {
        yield await fill(plan);
        if (plan.nextPage === null) return;
        plan = planBuckets({ ...range, limit: range.pageBuckets, page: plan.nextPage });
      }
    },
  };
}

export const exportUsage = ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: UsageQueryInput;
}): AsyncIterable<UsageBucket[]> => {
  requireRead(ctx);
  const range = {
    startTime: input.startTime,
    endTime: input.endTime ?? ctx.now(),
    width: input.width,
    pageBuckets: USAGE_BUCKET_LIMITS[input.width].max,
  };
  return pagesOf(range, (plan) => fillUsageBuckets(ctx, input, plan));
};

export const exportCosts = ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: CostQueryInput;
}): AsyncIterable<CostBucket[]> => {
  requireRead(ctx);
  const range = {
    startTime: input.startTime,
    endTime: input.endTime ?? ctx.now(),
    width: "1d" as const,
    pageBuckets: COST_BUCKET_LIMITS.max,
  };
  return pagesOf(range, (plan) => fillCostBuckets(ctx, input, plan));
};
