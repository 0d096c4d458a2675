import {
  type BudgetAlert,
  type BudgetSpec,
  type BudgetUsage,
  DEFAULT_ALERT_PERCENTS,
  fits,
  reached,
} from "../domain/budgets.js";
import {
  checkMicros,
  type SpendLedger,
  type SpendReservation,
  type SpendReserveInput,
  type SpendReserveOutcome,
  type UsageInput,
} from "./spend-ledger.js";

export interface SpendLedgerOptions {
  /** How long a hold lives if its request is never settled or released. */
  holdTtlMs?: number;
  /** Alert percentages for budgets that name none. */
  alertPercents?: readonly number[];
  /** How long a period's counters are kept after the period ends. */
  retentionMs?: number;
}

export const DEFAULT_HOLD_TTL_MS = 15 * 60_000;
export const DEFAULT_RETENTION_MS = 7 * 86_400_000;

interface Hold {
  amount: number;
  expiresAtMs: number;
}

interface BudgetState {
  spent: number;
  reserved: number;
  holds: Map<string, Hold>;
  alerted: Set<number>;
  endsAtMs: number | undefined;
}

const DONE: Promise<void> = Promise.resolve();

/**
 * Single-process ledger; each call runs to completion without awaiting, which makes it atomic, and
 * answers synchronously. Bad input is still refused with a rejected promise, as a shared ledger does.
 */
export class MemorySpendLedger implements SpendLedger {
  /** Budget id → period key → state. Two levels so lookups hash the caller's strings, not a new one. */
  private readonly states = new Map<string, Map<string, BudgetState>>();
  private readonly holdTtlMs: number;
  private readonly alertPercents: readonly number[];
  private readonly retentionMs: number;
  private seq = 0;
  private opsUntilSweep = 10_000;

  constructor(opts: SpendLedgerOptions = {}) {
    this.holdTtlMs = opts.holdTtlMs ?? DEFAULT_HOLD_TTL_MS;
    this.alertPercents = opts.alertPercents ?? DEFAULT_ALERT_PERCENTS;
    this.retentionMs = opts.retentionMs ?? DEFAULT_RETENTION_MS;
  }

  reserve(input: SpendReserveInput): SpendReserveOutcome | Promise<SpendReserveOutcome> {
    let cost: number;
    try {
      cost = checkMicros(input.maxCostMicros, "maxCostMicros");
    } catch (e) {
      return Promise.reject(e);
    }
    const now = input.nowMs ?? Date.now();
    const states = input.budgets.map((b) => this.state(b));
    const deniedAt = input.budgets
      .map((b, i) => this.admits(states[i] as BudgetState, b, cost, now))
      .indexOf(false);
    if (deniedAt >= 0) {
      const budget = input.budgets[deniedAt] as BudgetSpec;
      const s = states[deniedAt] as BudgetState;
      return {
        ok: false,
        reason: "over_budget",
        denied: { budget, spentMicros: s.spent, reservedMicros: s.reserved, requestedMicros: cost },
        usage: input.budgets.map((b, i) => usageOf(b, states[i] as BudgetState)),
      };
    }
    const id = `s${++this.seq}`;
    const hold: Hold = { amount: cost, expiresAtMs: now + this.holdTtlMs };
    for (const s of states) {
      s.reserved += cost;
      s.holds.set(id, hold);
    }
    if (--this.opsUntilSweep <= 0) this.sweep(now);
    const reservation: SpendReservation = {
      id,
      tenant: input.tenant,
      budgets: input.budgets,
      maxCostMicros: cost,
      open: true,
    };
    return {
      ok: true,
      reservation,
      usage: input.budgets.map((b, i) => usageOf(b, states[i] as BudgetState)),
    };
  }

  settle(r: SpendReservation, actualCostMicros: number): BudgetAlert[] | Promise<BudgetAlert[]> {
    let actual: number;
    try {
      actual = checkMicros(actualCostMicros, "actualCostMicros");
    } catch (e) {
      return Promise.reject(e);
    }
    if (!r.open) return [];
    r.open = false;
    const alerts: BudgetAlert[] = [];
    for (const b of r.budgets) {
      const s = this.state(b);
      this.unhold(s, r.id);
      s.spent += actual;
      for (const percent of b.alertPercents ?? this.alertPercents) {
        if (!s.alerted.has(percent) && reached(s.spent, b.limitMicros, percent)) {
          s.alerted.add(percent);
          alerts.push({
            budgetId: b.id,
            periodKey: b.periodKey,
            scope: b.scope,
            percent,
            limitMicros: b.limitMicros,
            spentMicros: s.spent,
          });
        }
      }
    }
    return alerts;
  }

  release(r: SpendReservation): Promise<void> {
    if (!r.open) return DONE;
    r.open = false;
    for (const b of r.budgets) this.unhold(this.state(b), r.id);
    return DONE;
  }

  usage(input: UsageInput): Promise<BudgetUsage[]> {
    return Promise.resolve(
      input.budgets.map((b) => usageOf(b, this.states.get(b.id)?.get(b.periodKey) ?? EMPTY)),
    );
  }

  /** Expired holds are given back only when they would decide the outcome. */
  private admits(s: BudgetState, b: BudgetSpec, cost: number, now: number): boolean {
    if (fits(s.spent, s.reserved, cost, b.limitMicros)) return true;
    for (const [id, hold] of s.holds) {
      if (hold.expiresAtMs <= now) this.unhold(s, id);
    }
    return fits(s.spent, s.reserved, cost, b.limitMicros);
  }

  private unhold(s: BudgetState, id: string): void {
    const hold = s.holds.get(id);
    if (hold === undefined) return;
    s.holds.delete(id);
    s.reserved -= hold.amount;
  }

  private state(b: BudgetSpec): BudgetState {
    let periods = this.states.get(b.id);
    if (periods === undefined) {
      periods = new Map();
      this.states.set(b.id, periods);
    }
    let s = periods.get(b.periodKey);
    if (s === undefined) {
      s = { spent: 0, reserved: 0, holds: new Map(), alerted: new Set(), endsAtMs: b.periodEndsAtMs };
      periods.set(b.periodKey, s);
    }
    return s;
  }

  /** Drops counters of periods that ended more than `retentionMs` ago. */
  private sweep(now: number): void {
    for (const [id, periods] of this.states) {
      for (const [key, s] of periods) {
        if (s.endsAtMs !== undefined && s.endsAtMs + this.retentionMs <= now && s.holds.size === 0)
          periods.delete(key);
      }
      if (periods.size === 0) this.states.delete(id);
    }
    this.opsUntilSweep = Math.max(10_000, this.states.size);
  }
}

const EMPTY: BudgetState = {
  spent: 0,
  reserved: 0,
  holds: new Map(),
  alerted: new Set(),
  endsAtMs: undefined,
};

const usageOf = (b: BudgetSpec, s: BudgetState): BudgetUsage => ({
  id: b.id,
  periodKey: b.periodKey,
  limitMicros: b.limitMicros,
  spentMicros: s.spent,
  reservedMicros: s.reserved,
});
