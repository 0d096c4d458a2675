import type { BudgetAlert, BudgetUsage } from "../domain/budgets.js";
import type { BucketSnapshot } from "../domain/rate-limits.js";
import type { JointOutcome, JointReserver } from "./joint-reserver.js";
import type { PeekInput, RateLimiter, Reservation, ReserveInput, ReserveOutcome } from "./rate-limiter.js";
import { type RedisHealth, UNAVAILABLE_MESSAGE } from "./redis-health.js";
import type { RedisJointReserver } from "./redis-joint.js";
import type {
  SpendLedger,
  SpendReservation,
  SpendReserveInput,
  SpendReserveOutcome,
  UsageInput,
} from "./spend-ledger.js";

/**
 * Applies the Redis failure policy to a limiter. "closed": a reservation Redis cannot decide is
 * refused with reason "unavailable" (the gateway answers 503). "open": it is decided by a
 * per-instance memory limiter instead, so N instances admit up to N times a limit while Redis is
 * down. A settle or release Redis cannot apply is dropped: the tokens refill on their own and the
 * concurrency slot expires.
 */
export class FailoverRateLimiter implements RateLimiter {
  private readonly local = new WeakSet<Reservation>();

  constructor(
    private readonly primary: RateLimiter,
    private readonly fallback: RateLimiter,
    private readonly health: RedisHealth,
  ) {}

  async reserve(input: ReserveInput): Promise<ReserveOutcome> {
    const a = await this.health.attempt("rate-limit reserve", async () => this.primary.reserve(input));
    if (a.ok) return a.value;
    if (this.health.policy === "closed")
      return { ok: false, reason: "unavailable", message: UNAVAILABLE_MESSAGE };
    const o = await this.fallback.reserve(input);
    if (o.ok) this.local.add(o.reservation);
    return o;
  }

  async settle(r: Reservation, actualTokens: number, nowMs?: number): Promise<void> {
    if (this.local.has(r)) return this.fallback.settle(r, actualTokens, nowMs);
    await this.health.attempt("rate-limit settle", () => this.primary.settle(r, actualTokens, nowMs));
  }

  async release(r: Reservation, nowMs?: number): Promise<void> {
    if (this.local.has(r)) return this.fallback.release(r, nowMs);
    await this.health.attempt("rate-limit release", () => this.primary.release(r, nowMs));
  }

  /** Without Redis: the fallback's view when failing open, nothing (no headers) when failing closed. */
  async peek(input: PeekInput): Promise<BucketSnapshot[]> {
    const a = await this.health.attempt("rate-limit peek", () => this.primary.peek(input));
    if (a.ok) return a.value;
    return this.health.policy === "open" ? this.fallback.peek(input) : [];
  }
}

/**
 * The same policy for budgets. Failing open trades the hard-limit guarantee for availability: each
 * instance counts spend from zero in memory while Redis is down. A settle Redis cannot record is
 * logged and lost from the Redis counters (the usage journal still has it).
 */
export class FailoverSpendLedger implements SpendLedger {
  private readonly local = new WeakSet<SpendReservation>();

  constructor(
    private readonly primary: SpendLedger,
    private readonly fallback: SpendLedger,
    private readonly health: RedisHealth,
  ) {}

  async reserve(input: SpendReserveInput): Promise<SpendReserveOutcome> {
    const a = await this.health.attempt("budget reserve", async () => this.primary.reserve(input));
    if (a.ok) return a.value;
    if (this.health.policy === "closed")
      return { ok: false, reason: "unavailable", message: UNAVAILABLE_MESSAGE };
    const o = await this.fallback.reserve(input);
    if (o.ok) this.local.add(o.reservation);
    return o;
  }

  async settle(r: SpendReservation, actualCostMicros: number, nowMs?: number): Promise<BudgetAlert[]> {
    if (this.local.has(r)) return this.fallback.settle(r, actualCostMicros, nowMs);
    const a = await this.health.attempt("budget settle", async () =>
      this.primary.settle(r, actualCostMicros, nowMs),
    );
    return a.ok ? a.value : [];
  }

  async release(r: SpendReservation, nowMs?: number): Promise<void> {
    if (this.local.has(r)) return this.fallback.release(r, nowMs);
    await this.health.attempt("budget release", () => this.primary.release(r, nowMs));
  }

  async usage(input: UsageInput): Promise<BudgetUsage[]> {
    const a = await this.health.attempt("budget usage", () => this.primary.usage(input));
    if (a.ok) return a.value;
    return this.health.policy === "open" ? this.fallback.usage(input) : [];
  }
}

/**
 * The joint reserve behind the same breaker. When Redis cannot decide, it answers null and the
 * caller reserves through the failover limiter and ledger, which apply the policy (and, with the
 * breaker open, skip Redis at once).
 */
export class FailoverJointReserver implements JointReserver {
  constructor(
    private readonly primary: Pick<RedisJointReserver, "reserve">,
    private readonly health: RedisHealth,
  ) {}

  async reserve(rate: ReserveInput, spend: SpendReserveInput): Promise<JointOutcome | null> {
    const a = await this.health.attempt("rate-limit and budget reserve", () =>
      this.primary.reserve(rate, spend),
    );
    return a.ok ? a.value : null;
  }
}
