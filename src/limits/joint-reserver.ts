import type { ReserveInput, ReserveOutcome } from "./rate-limiter.js";
import type { SpendReserveInput, SpendReserveOutcome } from "./spend-ledger.js";

/**
 * A request's rate limits and budgets, decided as one. `spend` is null when the rate limits refused
 * (the budgets were not judged); when `spend` refused, nothing of `rate` is held either.
 */
export interface JointOutcome {
  rate: ReserveOutcome;
  spend: SpendReserveOutcome | null;
}

/**
 * Reserves rate limits and budgets together: against a shared store, one round trip where taking
 * them one after the other costs two, and no request refused by one ever holds the other. What it
 * reserves is settled and released through the limiter and ledger it was built from.
 */
export interface JointReserver {
  /** Null when it could not decide (store unavailable): reserve each on its own, under the failure policy. */
  reserve(rate: ReserveInput, spend: SpendReserveInput): Promise<JointOutcome | null>;
}
