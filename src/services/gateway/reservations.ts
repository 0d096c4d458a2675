import type { BudgetAlert } from "../../domain/budgets.js";
import { AppError } from "../../domain/errors.js";
import { maxCostMicros, type PriceTable } from "../../domain/pricing.js";
import { rateLimitHeaders } from "../../domain/rate-limit-headers.js";
import { quotaExceededError, rateLimitedError } from "../../domain/rate-limit-messages.js";
import type { JointReserver } from "../../limits/joint-reserver.js";
import type { RateLimiter, Reservation, ReserveOutcome } from "../../limits/rate-limiter.js";
import type { SpendLedger, SpendReservation, SpendReserveOutcome } from "../../limits/spend-ledger.js";
import type { RequestLimits } from "./request-limits.js";

export interface Held {
  rate: Reservation | null;
  budget: SpendReservation | null;
  /** OpenAI's x-ratelimit-* headers for the response, from the snapshot the request was judged on. */
  headers: Record<string, string>;
}

export interface ReserveArgs {
  limiter: RateLimiter;
  ledger: SpendLedger;
  /** When set, a request with both limits and budgets reserves them in one decision. */
  joint?: JointReserver | null;
  prices: PriceTable;
  orgId: string;
  model: string;
  limits: RequestLimits;
  /** Estimated input + maximum output tokens. */
  tokens: number;
  inputTokens: number;
  maxOutputTokens: number;
}

const unavailable = (message: string): AppError =>
  new AppError("service_unavailable", {
    message: `Rate limiting is unavailable: ${message}. Please retry shortly.`,
  });

const EMPTY_HEADERS: Record<string, string> = Object.freeze({}) as Record<string, string>;

export type Reserved = { ok: true; held: Held } | { ok: false; error: AppError };

/**
 * Reserves rate limits, then budgets. Either everything is held or nothing is: a budget refusal
 * gives the rate reservation back (a joint reserve never takes it). Requests with no limits at all
 * skip both round trips, and an in-process limiter with no budget to hold answers without a promise.
 */
export const reserveRequest = (a: ReserveArgs): Reserved | Promise<Reserved> => {
  if (a.limits.limits.length === 0 && a.limits.concurrency.length === 0)
    return reserveBudget(a, null, EMPTY_HEADERS);
  if (a.joint && a.limits.budgets.length > 0) return reserveJointly(a, a.joint);
  return reserveSeparately(a);
};

const reserveSeparately = (a: ReserveArgs): Reserved | Promise<Reserved> => {
  const r = a.limiter.reserve(rateInput(a));
  return r instanceof Promise ? r.then((o) => afterRate(a, o)) : afterRate(a, r);
};

const rateInput = (a: ReserveArgs) => ({
  tenant: a.orgId,
  limits: a.limits.limits,
  tokens: a.tokens,
  concurrency: a.limits.concurrency,
});

const spendInput = (a: ReserveArgs) => ({
  tenant: a.orgId,
  budgets: a.limits.budgets,
  maxCostMicros: maxCostMicros(a.model, a.inputTokens, a.maxOutputTokens, a.prices),
});

const reserveJointly = async (a: ReserveArgs, joint: JointReserver): Promise<Reserved> => {
  const o = await joint.reserve(rateInput(a), spendInput(a));
  // The shared store could not decide: each on its own, where the failure policy applies.
  if (o === null) return reserveSeparately(a);
  if (!o.rate.ok) return rateRefused(o.rate);
  if (o.spend === null)
    throw new Error("limits: a joint reserve admitted rate limits without judging budgets");
  if (!o.spend.ok) return budgetRefused(o.spend);
  return {
    ok: true,
    held: {
      rate: o.rate.reservation,
      budget: o.spend.reservation,
      headers: rateLimitHeaders(o.rate.snapshot),
    },
  };
};

const rateRefused = (r: Extract<ReserveOutcome, { ok: false }>): Reserved => ({
  ok: false,
  error: r.reason === "limited" ? rateLimitedError(r.denied) : unavailable(r.message),
});

const budgetRefused = (b: Extract<SpendReserveOutcome, { ok: false }>): Reserved => ({
  ok: false,
  error: b.reason === "over_budget" ? quotaExceededError() : unavailable(b.message),
});

const afterRate = (a: ReserveArgs, r: ReserveOutcome): Reserved | Promise<Reserved> => {
  if (!r.ok) return rateRefused(r);
  return reserveBudget(a, r.reservation, rateLimitHeaders(r.snapshot));
};

const reserveBudget = (
  a: ReserveArgs,
  rate: Reservation | null,
  headers: Record<string, string>,
): Reserved | Promise<Reserved> =>
  a.limits.budgets.length === 0
    ? { ok: true, held: { rate, budget: null, headers } }
    : holdBudget(a, rate, headers);

const holdBudget = (
  a: ReserveArgs,
  rate: Reservation | null,
  headers: Record<string, string>,
): Reserved | Promise<Reserved> => {
  const b = a.ledger.reserve(spendInput(a));
  return b instanceof Promise
    ? b.then((o) => afterBudget(a, rate, headers, o))
    : afterBudget(a, rate, headers, b);
};

const afterBudget = (
  a: ReserveArgs,
  rate: Reservation | null,
  headers: Record<string, string>,
  b: SpendReserveOutcome,
): Reserved | Promise<Reserved> => {
  if (b.ok) return { ok: true, held: { rate, budget: b.reservation, headers } };
  const refused = budgetRefused(b);
  return rate ? a.limiter.release(rate).then(() => refused) : refused;
};

/**
 * The request finished: charge what it really used. Returns budget alerts crossed for the first
 * time — at once from an in-process ledger. The rate settle runs alongside; its failure goes to
 * `onError` and does not keep the budget from settling.
 */
export const settleRequest = (
  limiter: RateLimiter,
  ledger: SpendLedger,
  held: Held,
  actualTokens: number,
  costMicros: number,
  onError: (err: unknown) => void,
): BudgetAlert[] | Promise<BudgetAlert[]> => {
  if (held.rate) limiter.settle(held.rate, actualTokens).catch(onError);
  return held.budget ? ledger.settle(held.budget, costMicros) : [];
};

/** The request never produced billable work: give back everything held. */
export const releaseRequest = async (
  limiter: RateLimiter,
  ledger: SpendLedger,
  held: Held,
): Promise<void> => {
  if (held.rate) await limiter.release(held.rate);
  if (held.budget) await ledger.release(held.budget);
};
