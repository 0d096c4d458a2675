/**
 * Which budgets apply to a request, pure. Each scope (organization, project, key) may have a hard
 * limit and any number of absolute spend alerts, each over a period (calendar month, or N-day
 * windows). Spend is counted per scope and period, so every distinct period of a scope becomes one
 * BudgetSpec: the hard limit's period carries the limit, any other period is counted without one.
 * Alert thresholds become the ledger's percentages of the spec's limit, which is how the ledger
 * reports each one exactly once per period.
 */
import { type BudgetPeriod, type BudgetPeriodPolicy, type BudgetSpec, budgetPeriod } from "./budgets.js";
import type { LimitScope } from "./rate-limits.js";

/** The "limit" of a scope that only counts spend for alerts; no request can ever reach it. */
export const UNLIMITED_MICROS = Number.MAX_SAFE_INTEGER;

export type BudgetScopeRef =
  | { kind: "organization"; orgId: string }
  | { kind: "project"; orgId: string; projectId: string }
  | { kind: "key"; orgId: string; projectId: string; keyId: string };

export const MONTHLY: BudgetPeriodPolicy = Object.freeze({ kind: "calendar_month" });

/** `m` for calendar months, `d<N>` for N-day windows. */
export const periodTag = (p: BudgetPeriodPolicy): string =>
  p.kind === "calendar_month" ? "m" : `d${p.days}`;

export const periodOfTag = (tag: string): BudgetPeriodPolicy | null => {
  if (tag === "m") return MONTHLY;
  const m = /^d([1-9][0-9]{0,3})$/.exec(tag);
  return m ? { kind: "days", days: Number(m[1]) } : null;
};

/** The ledger's budget id. Ids of organizations, projects and keys never contain `:`. */
export const budgetIdOf = (s: BudgetScopeRef, p: BudgetPeriodPolicy): string => {
  const tag = periodTag(p);
  if (s.kind === "organization") return `bo:${s.orgId}:${tag}`;
  if (s.kind === "project") return `bp:${s.orgId}:${s.projectId}:${tag}`;
  return `bk:${s.orgId}:${s.projectId}:${s.keyId}:${tag}`;
};

/** Inverse of budgetIdOf, so an alert from the ledger names its organization, project and key. */
export const parseBudgetId = (id: string): { scope: BudgetScopeRef; period: BudgetPeriodPolicy } | null => {
  const parts = id.split(":");
  const period = periodOfTag(parts[parts.length - 1] ?? "");
  if (period === null) return null;
  const [kind, a, b, c] = parts;
  if (kind === "bo" && parts.length === 3 && a) return { scope: { kind: "organization", orgId: a }, period };
  if (kind === "bp" && parts.length === 4 && a && b)
    return { scope: { kind: "project", orgId: a, projectId: b }, period };
  if (kind === "bk" && parts.length === 5 && a && b && c)
    return { scope: { kind: "key", orgId: a, projectId: b, keyId: c }, period };
  return null;
};

export const limitScopeOf = (s: BudgetScopeRef): LimitScope =>
  s.kind === "organization"
    ? { kind: "organization", id: s.orgId }
    : s.kind === "project"
      ? { kind: "project", id: s.projectId }
      : { kind: "key", id: s.keyId };

/**
 * An absolute threshold as the ledger's percentage of `limitMicros`. The ledger fires when
 * spent·100 ≥ limit·percent; the quotient can round so that limit·percent lands a hair above
 * threshold·100, which would fire one micro-dollar late, so it is nudged down one step then.
 */
export const percentOf = (thresholdMicros: number, limitMicros: number): number => {
  const p = (thresholdMicros * 100) / limitMicros;
  return limitMicros * p > thresholdMicros * 100 ? p - p * Number.EPSILON : p;
};

/** Inverse of percentOf: exact for any threshold below 2^53 / 100 micro-dollars. */
export const thresholdOf = (percent: number, limitMicros: number): number =>
  Math.round((percent * limitMicros) / 100);

export interface ScopeBudgetInput {
  scope: BudgetScopeRef;
  limit: { micros: number; period: BudgetPeriodPolicy } | null;
  alerts: readonly { thresholdMicros: number; period: BudgetPeriodPolicy }[];
  /** Alerts relative to the hard limit (key budgets); only applied when there is a limit. */
  limitAlertPercents?: readonly number[];
}

/** One BudgetSpec per distinct period of the scope; none when the scope has no limit and no alert. */
export const budgetSpecsFor = (input: ScopeBudgetInput, nowMs: number): BudgetSpec[] => {
  const periods = new Map<string, BudgetPeriodPolicy>();
  if (input.limit) periods.set(periodTag(input.limit.period), input.limit.period);
  for (const a of input.alerts) periods.set(periodTag(a.period), a.period);
  const scope = limitScopeOf(input.scope);
  const out: BudgetSpec[] = [];
  for (const [tag, policy] of periods) {
    const limited = input.limit !== null && periodTag(input.limit.period) === tag;
    const limitMicros = limited && input.limit ? input.limit.micros : UNLIMITED_MICROS;
    const percents = new Set<number>(limited ? (input.limitAlertPercents ?? []) : []);
    for (const a of input.alerts) {
      if (periodTag(a.period) === tag) percents.add(percentOf(a.thresholdMicros, limitMicros));
    }
    const period = budgetPeriod(policy, nowMs);
    out.push({
      id: budgetIdOf(input.scope, policy),
      scope,
      limitMicros,
      periodKey: period.key,
      periodEndsAtMs: period.endsAtMs,
      // Always explicit: an absent list would make the ledger apply its default percentages.
      alertPercents: [...percents].sort((x, y) => x - y),
    });
  }
  return out;
};

/** Micro-dollars ↔ OpenAI's integer cents. */
export const MICROS_PER_CENT = 10_000;
export const centsToMicros = (cents: number): number => cents * MICROS_PER_CENT;
export const microsToCents = (micros: number): number => Math.floor(micros / MICROS_PER_CENT);

/** The period a ledger period key names (the inverse of budgetPeriod's `key`), or null. */
export const periodOfKey = (policy: BudgetPeriodPolicy, key: string): BudgetPeriod | null => {
  const m = /^(\d{4})-(\d{2})$/.exec(key);
  if (policy.kind === "calendar_month" && m)
    return budgetPeriod(policy, Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
  const d = /^(\d+)d-(\d+)$/.exec(key);
  if (policy.kind === "days" && d && Number(d[1]) === policy.days)
    return budgetPeriod(policy, Number(d[2]) * policy.days * 86_400_000);
  return null;
};
