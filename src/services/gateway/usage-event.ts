import { costMicros, type PriceTable } from "../../domain/pricing.js";
import type { UsageEventRecord } from "../../storage/records.js";
import type { Usage } from "../../upstream/index.js";
import type { VerifiedKey } from "../auth/key-verifier.js";

export interface UsageEventInput {
  id: string;
  key: VerifiedKey;
  model: string;
  endpoint: string;
  usage: Usage | null;
  status: number;
  startedAtMs: number;
  bytes: number;
  prices: PriceTable;
}

/** One usage event per request; an error answer is recorded with zero tokens and zero cost. */
export const buildUsageEvent = (i: UsageEventInput): UsageEventRecord => {
  const u = i.usage;
  const inputTokens = u?.inputTokens ?? 0;
  const cachedTokens = u?.cachedInputTokens ?? 0;
  const outputTokens = u?.outputTokens ?? 0;
  const now = Date.now();
  return {
    id: i.id,
    orgId: i.key.key.orgId,
    projectId: i.key.key.projectId ?? "",
    keyId: i.key.key.id,
    model: i.model,
    endpoint: i.endpoint,
    inputTokens,
    cachedTokens,
    outputTokens,
    status: i.status,
    latencyMs: now - i.startedAtMs,
    bytes: i.bytes,
    estimated: u?.estimated ?? false,
    costMicros: u ? costMicros({ model: i.model, inputTokens, cachedTokens, outputTokens }, i.prices) : 0,
    createdAtMs: now,
  };
};
