import type { BucketSnapshot, ConcurrencySpec, Denial, LimitSpec } from "../domain/rate-limits.js";

export type {
  BucketSnapshot,
  ConcurrencyDenial,
  ConcurrencySpec,
  Denial,
  LimitScope,
  LimitSpec,
  RateDenial,
} from "../domain/rate-limits.js";

export interface ReserveInput {
  /**
   * Partition of every key this decision touches: the organization id. Redis keys carry it as the
   * Cluster hash tag, so one decision's keys share a slot and one script can update them atomically;
   * a bucket must always be reserved with the same tenant (a project never changes organization).
   */
  tenant: string;
  /** Every limit that applies; all are checked and consumed together or none is. */
  limits: readonly LimitSpec[];
  /** Cost on `requests` buckets; 1 unless batching. */
  requests?: number;
  /** Estimated cost on `tokens` buckets (see domain/token-estimate.ts). */
  tokens: number;
  /** Max in-flight caps; a slot is held until settle/release or until it expires. */
  concurrency?: readonly ConcurrencySpec[];
  /** Clock override for tests; production passes nothing (memory: Date.now, Redis: Redis TIME). */
  nowMs?: number;
}

/** A handle to settle or release what `reserve` took. Local to the process that reserved. */
export interface Reservation {
  readonly id: string;
  readonly tenant: string;
  readonly limits: readonly LimitSpec[];
  readonly requests: number;
  readonly tokens: number;
  readonly concurrency: readonly ConcurrencySpec[];
  /** False once settled or released; a second settle/release is a no-op. */
  open: boolean;
}

export type ReserveOutcome =
  | { ok: true; reservation: Reservation; snapshot: BucketSnapshot[] }
  /** Nothing was consumed. `snapshot` is the state the request was judged against. */
  | { ok: false; reason: "limited"; denied: Denial; snapshot: BucketSnapshot[] }
  /** The shared store did not answer and the policy is to fail closed (limits/failover.ts). */
  | { ok: false; reason: "unavailable"; message: string };

export interface PeekInput {
  tenant: string;
  limits: readonly LimitSpec[];
  nowMs?: number;
}

export interface RateLimiter {
  /**
   * Atomic check-and-consume across every limit and concurrency cap in `input`. An in-process
   * limiter answers synchronously (the hot path then awaits nothing); a shared one, a promise.
   */
  reserve(input: ReserveInput): ReserveOutcome | Promise<ReserveOutcome>;
  /**
   * The request finished and used `actualTokens`: token buckets get back (or are charged) the
   * difference from the estimate; request buckets keep their charge; concurrency slots are freed.
   */
  settle(reservation: Reservation, actualTokens: number, nowMs?: number): Promise<void>;
  /** The request never reached upstream: everything reserved is given back. */
  release(reservation: Reservation, nowMs?: number): Promise<void>;
  /** Current state without consuming, in the order of `limits`. */
  peek(input: PeekInput): Promise<BucketSnapshot[]>;
}
