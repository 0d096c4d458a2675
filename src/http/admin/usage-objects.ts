import { microsToUsd } from "../../domain/cost-lines.js";
import type { CostGroupKey, CostRow } from "../../services/usage/query-costs.js";
import type { UsageGroupKey } from "../../services/usage/query-usage.js";
import type { UsageAggregateRow } from "../../storage/store.js";

/** Rollup rows → OpenAI's Usage and Costs wire objects (spec: UsageResponse, *Result). */

export interface Bucketed<R> {
  start: number;
  end: number;
  rows: R[];
}

export type Render<R> = (row: R) => Record<string, unknown>;

export const usagePage = <R>(buckets: Bucketed<R>[], nextPage: string | null, render: Render<R>) => ({
  object: "page" as const,
  data: buckets.map((b) => ({
    object: "bucket" as const,
    start_time: b.start,
    end_time: b.end,
    results: b.rows.map(render),
  })),
  has_more: nextPage !== null,
  next_page: nextPage,
});

/** Group fields are null unless grouped by; constant groups (batch, tier, source) get our one value. */
const groups = (r: UsageAggregateRow, g: readonly UsageGroupKey[]) => ({
  project_id: g.includes("project_id") ? r.projectId : null,
  user_id: g.includes("user_id") ? r.userId : null,
  api_key_id: g.includes("api_key_id") ? r.keyId : null,
  model: g.includes("model") ? r.model : null,
});

const source = (g: readonly string[]) => (g.includes("api_source") ? { api_source: "unlabeled" } : {});

/** We see text tokens only: every uncached input token is a text token, every output token too. */
export const completionsResult =
  (g: readonly UsageGroupKey[]): Render<UsageAggregateRow> =>
  (r) => {
    const uncached = Math.max(0, r.inputTokens - r.cachedTokens);
    return {
      object: "organization.usage.completions.result",
      input_tokens: r.inputTokens,
      output_tokens: r.outputTokens,
      num_model_requests: r.requests - r.failed,
      input_cached_tokens: r.cachedTokens,
      input_cache_write_tokens: 0,
      input_uncached_tokens: uncached,
      input_text_tokens: uncached,
      output_text_tokens: r.outputTokens,
      input_cached_text_tokens: r.cachedTokens,
      input_audio_tokens: 0,
      input_cached_audio_tokens: 0,
      output_audio_tokens: 0,
      input_image_tokens: 0,
      input_cached_image_tokens: 0,
      output_image_tokens: 0,
      ...groups(r, g),
      batch: g.includes("batch") ? false : null,
      service_tier: g.includes("service_tier") ? "default" : null,
      ...source(g),
    };
  };

/** Embeddings and moderations share one shape. */
export const inputOnlyResult =
  (object: string, g: readonly UsageGroupKey[]): Render<UsageAggregateRow> =>
  (r) => ({
    object,
    input_tokens: r.inputTokens,
    num_model_requests: r.requests - r.failed,
    ...groups(r, g),
    ...source(g),
  });

export const costResult =
  (g: readonly CostGroupKey[]): Render<CostRow> =>
  (r) => ({
    object: "organization.costs.result",
    amount: { value: microsToUsd(r.costMicros), currency: "usd" },
    line_item: r.lineItem,
    project_id: r.projectId,
    api_key_id: r.keyId,
    quantity: r.quantity,
    quantity_unit: r.quantity === null ? null : "tokens",
    ...(g.includes("user_id") ? { user_id: r.userId } : {}),
    ...source(g),
  });

/** A zero row, to derive a CSV header from the same renderer as the data. */
export const ZERO_USAGE_ROW: UsageAggregateRow = {
  bucketStart: 0,
  projectId: null,
  keyId: null,
  userId: null,
  model: null,
  endpoint: null,
  requests: 0,
  failed: 0,
  inputTokens: 0,
  cachedTokens: 0,
  outputTokens: 0,
  costMicros: 0,
};

export const ZERO_COST_ROW: CostRow = {
  projectId: null,
  keyId: null,
  userId: null,
  lineItem: null,
  quantity: null,
  costMicros: 0,
};
