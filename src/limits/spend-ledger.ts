import type { BudgetAlert, BudgetDenial, BudgetSpec, BudgetUsage } from "../domain/budgets.js";

export type { BudgetAlert, BudgetDenial, BudgetSpec, BudgetUsage } from "../domain/budgets.js";

export interface SpendReserveInput {
  /** The organization id: the Redis Cluster hash tag of every key of this decision (see ReserveInput). */
  tenant: string;
  /** Every budget that applies; the reservation takes all of them or none. */
  budgets: readonly BudgetSpec[];
  /** The most this request can cost, in integer micro-dollars. */
  maxCostMicros: number;
  /** Clock override for tests (hold expiry only); Redis otherwise uses Redis TIME. */
  nowMs?: number;
}

/** A handle to settle or release what `reserve` held. Local to the process that reserved. */
export interface SpendReservation {
  readonly id: string;
  readonly tenant: string;
  readonly budgets: readonly BudgetSpec[];
  readonly maxCostMicros: number;
  /** False once settled or released; a second settle/release is a no-op. */
  open: boolean;
}

export type SpendReserveOutcome =
  /** `usage`, in the order of `budgets`, includes this reservation. */
  | { ok: true; reservation: SpendReservation; usage: BudgetUsage[] }
  /** Nothing was held. `denied` is the first budget (in input order) that cannot cover the request. */
  | { ok: false; reason: "over_budget"; denied: BudgetDenial; usage: BudgetUsage[] }
  /** The shared store did not answer and the policy is to fail closed (limits/failover.ts). */
  | { ok: false; reason: "unavailable"; message: string };

export interface UsageInput {
  tenant: string;
  budgets: readonly BudgetSpec[];
}

/**
 * Hard budgets. A reservation holds `maxCostMicros` on every budget and succeeds only if
 * spent + reserved + maxCost ≤ limit on each, atomically, so concurrent requests never overshoot.
 * A hold that is never settled or released (the process died) expires and is given back.
 */
export interface SpendLedger {
  /** An in-process ledger answers synchronously (the hot path then awaits nothing); a shared one, a promise. */
  reserve(input: SpendReserveInput): SpendReserveOutcome | Promise<SpendReserveOutcome>;
  /**
   * Frees the hold and records the actual cost. Returns the alert thresholds this spend reached for
   * the first time in the period: each (budget, period, percent) is returned once, across instances.
   */
  settle(
    reservation: SpendReservation,
    actualCostMicros: number,
    nowMs?: number,
  ): BudgetAlert[] | Promise<BudgetAlert[]>;
  /** The request never ran: frees the hold, records nothing. */
  release(reservation: SpendReservation, nowMs?: number): Promise<void>;
  /** Spent and reserved per budget, in the order given. */
  usage(input: UsageInput): Promise<BudgetUsage[]>;
}

/** Money crosses this boundary as non-negative integer micro-dollars; anything else is a caller bug. */
export const checkMicros = (value: number, what: string): number => {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${what} must be a non-negative integer, got ${value}`);
  return value;
};
