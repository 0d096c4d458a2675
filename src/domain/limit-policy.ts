/**
 * Which rate limits apply at which level, pure. Three levels: the organization (per model, from
 * config), the project (per model, OpenAI's `project.rate_limit` records) and the key (our
 * extension, no model dimension). A lower level may only narrow what the level above allows.
 */
import { AppError } from "./errors.js";

/** An organization's limits for one model. `rpd` null = no daily limit. */
export interface OrgModelLimits {
  rpm: number;
  tpm: number;
  rpd: number | null;
}

export interface OrgLimitsConfig {
  defaultRpm: number;
  defaultTpm: number;
  defaultRpd?: number | undefined;
  models: Readonly<
    Record<string, { rpm?: number | undefined; tpm?: number | undefined; rpd?: number | undefined }>
  >;
}

/**
 * The configured model a requested model counts against: the exact name, else the longest
 * configured name it extends with `-` (a dated snapshot `gpt-4o-2024-08-06` counts against
 * `gpt-4o`, as at OpenAI), else null (only organization defaults apply).
 */
export const limitFamilyOf = (configured: readonly string[], model: string): string | null => {
  let best: string | null = null;
  for (const m of configured) {
    if (m === model) return m;
    if (model.startsWith(`${m}-`) && (best === null || m.length > best.length)) best = m;
  }
  return best;
};

export const orgLimitsFor = (cfg: OrgLimitsConfig, model: string): OrgModelLimits => {
  const own = cfg.models[model];
  return {
    rpm: own?.rpm ?? cfg.defaultRpm,
    tpm: own?.tpm ?? cfg.defaultTpm,
    rpd: own?.rpd ?? cfg.defaultRpd ?? null,
  };
};

/** The wire fields of a project rate limit that an organization limit bounds. */
export interface ProjectLimitValues {
  maxRequestsPer1Minute: number;
  maxTokensPer1Minute: number;
  maxRequestsPer1Day: number | null;
}

const tooHigh = (param: string, value: number, cap: number, what: string): AppError =>
  new AppError("invalid_request", {
    message: `${param} (${value}) exceeds ${what} (${cap}). A lower level may only narrow the limits of the level above it.`,
    param,
  });

/** A project limit above its organization's limit for the model → 400 naming the field. */
export const checkProjectNarrowing = (
  model: string,
  v: ProjectLimitValues,
  org: OrgModelLimits,
): AppError | null => {
  const what = `the organization's limit for ${model}`;
  if (v.maxRequestsPer1Minute > org.rpm)
    return tooHigh("max_requests_per_1_minute", v.maxRequestsPer1Minute, org.rpm, what);
  if (v.maxTokensPer1Minute > org.tpm)
    return tooHigh("max_tokens_per_1_minute", v.maxTokensPer1Minute, org.tpm, what);
  if (org.rpd !== null && v.maxRequestsPer1Day !== null && v.maxRequestsPer1Day > org.rpd)
    return tooHigh("max_requests_per_1_day", v.maxRequestsPer1Day, org.rpd, what);
  return null;
};

/** What a project allows for one model once its organization's limit is applied. */
export const effectiveProjectLimits = (
  record: ProjectLimitValues | null,
  org: OrgModelLimits,
): OrgModelLimits => {
  if (record === null) return org;
  const rpd = record.maxRequestsPer1Day;
  return {
    rpm: Math.min(record.maxRequestsPer1Minute, org.rpm),
    tpm: Math.min(record.maxTokensPer1Minute, org.tpm),
    rpd: rpd === null ? org.rpd : org.rpd === null ? rpd : Math.min(rpd, org.rpd),
  };
};

export interface KeyLimitValues {
  rpm: number | null;
  rpd: number | null;
  tpm: number | null;
  tpd: number | null;
}

/**
 * Keys have no model dimension, so a key limit is bounded by the most generous model of its
 * project: `rpm` ≤ the largest effective project RPM over the project's models, `tpm` likewise,
 * `rpd` ≤ the largest daily limit when every model has one (with any model unlimited per day, a
 * key rpd always narrows). A larger value could never take effect. `tpd` and `max_concurrent` have
 * no counterpart above the key and are not bounded. `perModel` is empty when nothing is configured.
 */
export const checkKeyNarrowing = (
  key: KeyLimitValues,
  perModel: readonly OrgModelLimits[],
): AppError | null => {
  if (perModel.length === 0) return null;
  const what = "the largest limit any model of its project allows";
  const maxRpm = Math.max(...perModel.map((m) => m.rpm));
  const maxTpm = Math.max(...perModel.map((m) => m.tpm));
  if (key.rpm !== null && key.rpm > maxRpm) return tooHigh("limits.rpm", key.rpm, maxRpm, what);
  if (key.tpm !== null && key.tpm > maxTpm) return tooHigh("limits.tpm", key.tpm, maxTpm, what);
  if (key.rpd !== null && perModel.every((m) => m.rpd !== null)) {
    const maxRpd = Math.max(...perModel.map((m) => m.rpd ?? 0));
    if (key.rpd > maxRpd) return tooHigh("limits.rpd", key.rpd, maxRpd, what);
  }
  return null;
};

/** Bucket ids: stable per level, model and dimension (the limiter keys its state by them). */
export const bucketIds = {
  org: (orgId: string, model: string, dim: "rpm" | "tpm" | "rpd") => `o:${orgId}:${model}:${dim}`,
  project: (projectId: string, model: string, dim: "rpm" | "tpm" | "rpd") => `p:${projectId}:${model}:${dim}`,
  key: (keyId: string, dim: "rpm" | "rpd" | "tpm" | "tpd") => `k:${keyId}:${dim}`,
  concurrency: (keyId: string) => `k:${keyId}`,
};
