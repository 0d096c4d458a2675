/**
 * Budget rules, pure. Money is integer micro-dollars. A budget admits a request only when what is
 * spent, plus what in-flight requests have reserved, plus this request's maximum cost fits the limit,
 * so concurrent requests cannot overshoot a hard limit.
 */
import type { LimitScope } from "./rate-limits.js";

export interface BudgetPeriod {
  /** Names the period in storage keys: `2026-11`, or `30d-680` for fixed N-day windows. */
  key: string;
  startsAtMs: number;
  endsAtMs: number;
}

export type BudgetPeriodPolicy = { kind: "calendar_month" } | { kind: "days"; days: number };

const DAY_MS = 86_400_000;

/** The UTC calendar month containing `nowMs`. */
export const calendarMonthPeriod = (nowMs: number): BudgetPeriod => {
  const d = new Date(nowMs);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth();
  return {
    key: `${year}-${String(month + 1).padStart(2, "0")}`,
    startsAtMs: Date.UTC(year, month, 1),
    endsAtMs: Date.UTC(year, month + 1, 1),
  };
};

/**
 * "Rolling N days" approximated by fixed N-day windows counted from the Unix epoch (UTC midnight):
 * spend resets at each window boundary instead of sliding day by day. A sliding sum would need one
 * counter per day and N reads per check on the hot path; the fixed window needs one.
 */
export const fixedDaysPeriod = (nowMs: number, days: number): BudgetPeriod => {
  const span = Math.max(1, Math.floor(days)) * DAY_MS;
  const index = Math.floor(nowMs / span);
  return { key: `${span / DAY_MS}d-${index}`, startsAtMs: index * span, endsAtMs: (index + 1) * span };
};

export const budgetPeriod = (policy: BudgetPeriodPolicy, nowMs: number): BudgetPeriod =>
  policy.kind === "calendar_month" ? calendarMonthPeriod(nowMs) : fixedDaysPeriod(nowMs, policy.days);

export interface BudgetSpec {
  /** Stable budget id, e.g. `proj_x:monthly` or the key id. */
  id: string;
  scope: LimitScope;
  limitMicros: number;
  periodKey: string;
  /** When the period ends; lets storage expire the counters afterwards. */
  periodEndsAtMs?: number;
  /** Percentages of the limit that raise an alert the first time spend reaches them. */
  alertPercents?: readonly number[];
}

export interface BudgetUsage {
  id: string;
  periodKey: string;
  limitMicros: number;
  spentMicros: number;
  reservedMicros: number;
}

export interface BudgetDenial {
  budget: BudgetSpec;
  spentMicros: number;
  reservedMicros: number;
  requestedMicros: number;
}

export interface BudgetAlert {
  budgetId: string;
  periodKey: string;
  scope: LimitScope;
  percent: number;
  limitMicros: number;
  spentMicros: number;
}

export const DEFAULT_ALERT_PERCENTS: readonly number[] = [50, 90, 100];

export const fits = (spent: number, reserved: number, cost: number, limit: number): boolean =>
  spent + reserved + cost <= limit;

/** Integer comparison so 90% of 1 µ$ behaves like 90% of $1. */
export const reached = (spent: number, limit: number, percent: number): boolean =>
  spent * 100 >= limit * percent;
