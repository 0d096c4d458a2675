/**
 * Token-bucket rules, pure. A bucket of capacity C over a window W refills continuously at C/W per
 * millisecond and never above C; a request costing n may pass when n ≤ available. The memory limiter
 * runs these functions and the Redis Lua script mirrors them operation for operation, so both give
 * the same numbers for the same inputs (IEEE doubles on both sides, same evaluation order).
 */
export type LimitDimension = "requests" | "tokens";
export type LimitWindow = "minute" | "day";
export type LimitScopeKind = "organization" | "project" | "key";

export interface LimitScope {
  kind: LimitScopeKind;
  id: string;
}

export interface LimitSpec {
  /** Unique bucket id, stable across requests, e.g. `proj_x:gpt-4o:rpm` or `key_y:tpd`. */
  id: string;
  dimension: LimitDimension;
  window: LimitWindow;
  /** Maximum per window; also the bucket size (the burst). 0 blocks the dimension. */
  capacity: number;
  scope: LimitScope;
  /** The model the limit applies to, when it is per model (used in messages). */
  model?: string;
}

/** The state of one bucket as headers and `GET /v1/me` show it. */
export interface BucketSnapshot {
  id: string;
  dimension: LimitDimension;
  window: LimitWindow;
  limit: number;
  /** Whole units available now (never negative). */
  remaining: number;
  /** Milliseconds until the bucket is full again. */
  resetMs: number;
}

export const WINDOW_MS: Readonly<Record<LimitWindow, number>> = { minute: 60_000, day: 86_400_000 };

/**
 * Available units at `nowMs`, from the stored level at `updatedMs`. Clocks running back add nothing.
 * A zero-capacity bucket is always empty and never stored.
 */
export const refill = (
  available: number,
  updatedMs: number,
  capacity: number,
  windowMs: number,
  nowMs: number,
): number => {
  if (capacity <= 0) return 0;
  const elapsed = nowMs > updatedMs ? nowMs - updatedMs : 0;
  const level = available + (elapsed * capacity) / windowMs;
  return Math.min(level, capacity);
};

/** Whole milliseconds until `cost` fits, 0 when it fits now. Infinity when it can never fit. */
export const retryAfterMs = (available: number, cost: number, capacity: number, windowMs: number): number => {
  if (cost > capacity) return Number.POSITIVE_INFINITY;
  if (cost <= available) return 0;
  return Math.ceil(((cost - available) * windowMs) / capacity);
};

/** Whole milliseconds until the bucket is full. */
export const resetMs = (available: number, capacity: number, windowMs: number): number =>
  capacity <= 0 || available >= capacity ? 0 : Math.ceil(((capacity - available) * windowMs) / capacity);

export const remainingOf = (available: number): number => (available > 0 ? Math.floor(available) : 0);

/** What OpenAI's message calls "Used": the capacity minus what is available, rounded. */
export const usedOf = (available: number, capacity: number): number => {
  const used = Math.floor(capacity - available + 0.5);
  return Math.max(used, 0);
};

export const snapshotOf = (spec: LimitSpec, available: number): BucketSnapshot => ({
  id: spec.id,
  dimension: spec.dimension,
  window: spec.window,
  limit: spec.capacity,
  remaining: remainingOf(available),
  resetMs: resetMs(available, spec.capacity, WINDOW_MS[spec.window]),
});

/** Token counts from estimates and upstream usage: anything not a positive number counts as 0. */
// biome-ignore lint/complexity/useMathMinMax: Math.max(NaN, 0) is NaN; a NaN count must become 0.
export const nonNegative = (n: number): number => (n > 0 ? n : 0);

export const costOf = (spec: LimitSpec, requests: number, tokens: number): number =>
  spec.dimension === "requests" ? requests : tokens;

/** A limit that stopped a request. `tooLarge`: the cost exceeds the capacity, so retrying cannot help. */
export interface RateDenial {
  kind: "rate";
  limit: LimitSpec;
  used: number;
  requested: number;
  /** 0 when `tooLarge`. */
  retryAfterMs: number;
  tooLarge: boolean;
}

/** The concurrency cap (max in-flight requests) that stopped a request. */
export interface ConcurrencyDenial {
  kind: "concurrency";
  slot: ConcurrencySpec;
  inFlight: number;
  /** A hint only: a slot frees when some in-flight request ends, which nobody can predict. */
  retryAfterMs: number;
}

export type Denial = RateDenial | ConcurrencyDenial;

export interface ConcurrencySpec {
  /** Unique slot-set id, e.g. the key id. */
  id: string;
  max: number;
  /** Who the cap belongs to (used in messages); defaults to a key with `id`. */
  scope?: LimitScope;
}

export const CONCURRENCY_RETRY_MS = 1000;

/**
 * Which of several denials to report: one that can never pass first, else the one that clears last
 * (its wait is the wait after which every limit passes).
 */
export const worseDenial = (a: RateDenial | null, b: RateDenial): RateDenial => {
  if (a === null) return b;
  if (a.tooLarge !== b.tooLarge) return a.tooLarge ? a : b;
  return b.retryAfterMs > a.retryAfterMs ? b : a;
};

export const rateDenial = (spec: LimitSpec, available: number, cost: number): RateDenial => {
  const wait = retryAfterMs(available, cost, spec.capacity, WINDOW_MS[spec.window]);
  const tooLarge = wait === Number.POSITIVE_INFINITY;
  return {
    kind: "rate",
    limit: spec,
    used: usedOf(available, spec.capacity),
    requested: cost,
    retryAfterMs: tooLarge ? 0 : wait,
    tooLarge,
  };
};
