import type { BudgetSpec } from "../../domain/budgets.js";
import type { ConcurrencySpec, LimitSpec } from "../../domain/rate-limits.js";
import type { ApiKeyRecord } from "../../storage/records.js";

/** Every limit and budget that applies to one request, as the limiter and ledger take them. */
export interface RequestLimits {
  limits: readonly LimitSpec[];
  concurrency: readonly ConcurrencySpec[];
  budgets: readonly BudgetSpec[];
}

export interface RequestLimitsInput {
  orgId: string;
  projectId: string;
  key: ApiKeyRecord;
  model: string;
  nowMs: number;
}

/** Resolves the limits of a request (services/limits implements it with caching). */
export type LimitsResolver = (input: RequestLimitsInput) => Promise<RequestLimits> | RequestLimits;

export const NO_LIMITS: RequestLimits = Object.freeze({ limits: [], concurrency: [], budgets: [] });
