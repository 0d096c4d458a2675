import { newId } from "../../src/domain/ids.js";
import type { UsageEventRecord } from "../../src/storage/records.js";
import { call, type TestServer } from "../helpers/server.js";

/** 2024-11-01 00:00:00 UTC (OpenAI's own example start_time). */
export const D0 = 1_730_419_200;
export const DAY = 86_400;

/** List prices for the scenario (USD per 1M tokens = micro-dollars per token), as the defaults have them. */
export const PRICES = {
  "gpt-4o-mini": { input: 0.15, cachedInput: 0.075, output: 0.6 },
  "text-embedding-3-small": { input: 0.02, output: 0 },
};

/** The scenario lies in 2024: keep the retention job (it runs at every start) away from it. */
export const KEEP_ALL = {
  retentionDays: 36_500,
  minuteRollupRetentionDays: 36_500,
  maintenanceIntervalMs: 3_600_000,
};

export interface Scenario {
  /** The bootstrap project and a key of it owned by the org owner. */
  p1: string;
  k1: string;
  owner: string;
  /** A second project and its service account's key (no user). */
  p2: string;
  k2: string;
  events: UsageEventRecord[];
}

/**
 * Known events over three days (the middle one empty):
 *  D0 00:01:40  p1/k1 gpt-4o-mini chat        in 1000 (200 cached) out 500   435 µ$
 *  D0 00:02:10  p1/k1 gpt-4o-mini responses   in 100             out 50     45 µ$
 *  D0 01:01:40  p2/k2 gpt-4o chat             in 2000            out 1000   25000 µ$
 *  D0 01:03:20  p2/k2 text-embedding-3-small  in 500                        10 µ$
 *  D0 01:06:40  p1/k1 gpt-4o-mini chat        status 500, no tokens         0 µ$
 *  D0+2d 00:00:10 p1/k1 gpt-4o-mini completions in 10                out 10      7 µ$
 */
export async function seedScenario(s: TestServer): Promise<Scenario> {
  const admin = (method: string, path: string, body?: unknown) =>
    call(s.url, method, path, { key: s.adminKey, body });
  const key1 = await admin("POST", `/v1/organization/projects/${s.projectId}/api_keys`, { name: "k1" });
  const p2 = await admin("POST", "/v1/organization/projects", { name: `second ${Math.random()}` });
  const sa = await admin("POST", `/v1/organization/projects/${p2.body.id}/service_accounts`, { name: "bot" });
  const sc = {
    p1: s.projectId,
    k1: key1.body.id as string,
    owner: key1.body.owner.user.id as string,
    p2: p2.body.id as string,
    k2: sa.body.api_key.id as string,
  };
  const ev = (sec: number, over: Partial<UsageEventRecord>): UsageEventRecord => ({
    id: newId.usageEvent(),
    orgId: s.orgId,
    projectId: sc.p1,
    keyId: sc.k1,
    model: "gpt-4o-mini",
    endpoint: "chat",
    inputTokens: 0,
    cachedTokens: 0,
    outputTokens: 0,
    status: 200,
    latencyMs: 100,
    bytes: 1000,
    estimated: false,
    costMicros: 0,
    createdAtMs: sec * 1000,
    ...over,
  });
  const events = [
    ev(D0 + 100, { inputTokens: 1000, cachedTokens: 200, outputTokens: 500, costMicros: 435 }),
    ev(D0 + 130, { endpoint: "responses", inputTokens: 100, outputTokens: 50, costMicros: 45 }),
    ev(D0 + 3700, {
      projectId: sc.p2,
      keyId: sc.k2,
      model: "gpt-4o",
      inputTokens: 2000,
      outputTokens: 1000,
      costMicros: 25_000,
    }),
    ev(D0 + 3800, {
      projectId: sc.p2,
      keyId: sc.k2,
      model: "text-embedding-3-small",
      endpoint: "embeddings",
      inputTokens: 500,
      costMicros: 10,
    }),
    ev(D0 + 4000, { status: 500 }),
    ev(D0 + 2 * DAY + 10, { endpoint: "completions", inputTokens: 10, outputTokens: 10, costMicros: 7 }),
  ];
  // The gateway's journal writes exactly like this; a replay must change nothing.
  await s.kp.store.usage.insertMany(events);
  await s.kp.store.usage.insertMany(events);
  return { ...sc, events };
}

/** Zero-valued detail fields of a completions result (we see text tokens only). */
export const completions = (
  input: number,
  cached: number,
  output: number,
  requests: number,
  groups: Partial<Record<"project_id" | "user_id" | "api_key_id" | "model", string>> = {},
) => ({
  object: "organization.usage.completions.result",
  input_tokens: input,
  output_tokens: output,
  num_model_requests: requests,
  input_cached_tokens: cached,
  input_cache_write_tokens: 0,
  input_uncached_tokens: input - cached,
  input_text_tokens: input - cached,
  output_text_tokens: output,
  input_cached_text_tokens: cached,
  input_audio_tokens: 0,
  input_cached_audio_tokens: 0,
  output_audio_tokens: 0,
  input_image_tokens: 0,
  input_cached_image_tokens: 0,
  output_image_tokens: 0,
  project_id: groups.project_id ?? null,
  user_id: groups.user_id ?? null,
  api_key_id: groups.api_key_id ?? null,
  model: groups.model ?? null,
  batch: null,
  service_tier: null,
});

export const bucket = (start: number, width: number, results: unknown[]) => ({
  object: "bucket",
  start_time: start,
  end_time: start + width,
  results,
});
