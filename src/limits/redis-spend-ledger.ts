import {
  type BudgetAlert,
  type BudgetSpec,
  type BudgetUsage,
  DEFAULT_ALERT_PERCENTS,
} from "../domain/budgets.js";
import { randomBase62 } from "../domain/ids.js";
import { batchGroup, GroupCommit } from "./group-commit.js";
import { type BatchEntry, checkPrefix, type RedisClient, replyNumber, runBatch } from "./lua-script.js";
import { DEFAULT_HOLD_TTL_MS, DEFAULT_RETENTION_MS, type SpendLedgerOptions } from "./memory-spend-ledger.js";
import {
  checkMicros,
  type SpendLedger,
  type SpendReservation,
  type SpendReserveInput,
  type SpendReserveOutcome,
  type UsageInput,
} from "./spend-ledger.js";
import { reserveSpendScript, settleSpendScript, usageSpendScript } from "./spend-ledger-scripts.js";

export interface RedisSpendLedgerOptions extends SpendLedgerOptions {
  /** Prepended to every key (no braces); lets tests and deployments share one Redis. */
  prefix?: string;
}

/** One decision's part of a batched script call. */
export interface Entry extends BatchEntry {
  nowMs: number | undefined;
}

/**
 * Ledger shared by every Keyplane instance. Each decision is atomic in one script call; under load
 * decisions share calls (limits/group-commit.ts): reserves that arrive while one call is out go
 * together in the next, and so do settles and releases. Keys:
 * `<prefix>{<tenant>}:sb:<budget id>:<period>` (hash) and the same with `:h` (holds); the `{tenant}`
 * hash tag keeps one decision in one Redis Cluster slot.
 */
export class RedisSpendLedger implements SpendLedger {
  private readonly prefix: string;
  /** Read by the joint reserve (limits/redis-joint.ts), which writes holds too. */
  readonly holdTtlMs: number;
  private readonly alertPercents: readonly number[];
  readonly retentionMs: number;
  private readonly instance = randomBase62(10);
  private seq = 0;
  private readonly reserves = new GroupCommit<Entry, unknown[]>((e) => this.sendReserves(e));
  private readonly settles = new GroupCommit<Entry, unknown[]>((e) => this.sendSettles(e));

  constructor(
    private readonly redis: RedisClient,
    opts: RedisSpendLedgerOptions = {},
  ) {
    this.prefix = checkPrefix(opts.prefix ?? "keyplane:");
    this.holdTtlMs = opts.holdTtlMs ?? DEFAULT_HOLD_TTL_MS;
    this.alertPercents = opts.alertPercents ?? DEFAULT_ALERT_PERCENTS;
    this.retentionMs = opts.retentionMs ?? DEFAULT_RETENTION_MS;
  }

  async reserve(input: SpendReserveInput): Promise<SpendReserveOutcome> {
    const p = this.prepare(input);
    if (input.budgets.length === 0) return { ok: true, reservation: p.reservation, usage: [] };
    return readSpendReserve(
      p.reservation,
      await this.reserves.submit(batchGroup(input.tenant, input.nowMs), p.entry),
    );
  }

  /**
   * One reservation's part of a reserve script call (also the joint one, limits/redis-joint.ts).
   * `readSpendReserve` turns its part of the reply into the outcome.
   */
  prepare(input: SpendReserveInput): { reservation: SpendReservation; entry: Entry } {
    const cost = checkMicros(input.maxCostMicros, "maxCostMicros");
    const { budgets, tenant } = input;
    const id = `${this.instance}.${++this.seq}`;
    const reservation: SpendReservation = { id, tenant, budgets, maxCostMicros: cost, open: true };
    const args: (string | number)[] = [budgets.length, member(reservation), cost];
    for (const b of budgets) args.push(b.limitMicros, b.periodEndsAtMs ?? "");
    return { reservation, entry: { nowMs: input.nowMs, keys: this.keys(tenant, budgets), args } };
  }

  async settle(r: SpendReservation, actualCostMicros: number, nowMs?: number): Promise<BudgetAlert[]> {
    const actual = checkMicros(actualCostMicros, "actualCostMicros");
    if (!r.open || r.budgets.length === 0) return [];
    r.open = false;
    const args: (string | number)[] = [r.budgets.length, member(r), r.maxCostMicros, actual];
    for (const b of r.budgets) {
      args.push(b.limitMicros, b.periodEndsAtMs ?? "", (b.alertPercents ?? this.alertPercents).join(","));
    }
    const reply = await this.settles.submit(batchGroup(r.tenant, nowMs), {
      nowMs,
      keys: this.keys(r.tenant, r.budgets),
      args,
    });
    const alerts: BudgetAlert[] = [];
    for (let i = 1; i < reply.length; i += 3) {
      const b = r.budgets[replyNumber(reply, i) - 1];
      if (b === undefined) throw new Error("limits: Redis named an unknown budget");
      alerts.push({
        budgetId: b.id,
        periodKey: b.periodKey,
        scope: b.scope,
        percent: replyNumber(reply, i + 1),
        limitMicros: b.limitMicros,
        spentMicros: replyNumber(reply, i + 2),
      });
    }
    return alerts;
  }

  async release(r: SpendReservation, nowMs?: number): Promise<void> {
    if (!r.open || r.budgets.length === 0) return;
    r.open = false;
    const args: (string | number)[] = [r.budgets.length, member(r), r.maxCostMicros, ""];
    for (const b of r.budgets) args.push(b.limitMicros, b.periodEndsAtMs ?? "", "");
    await this.settles.submit(batchGroup(r.tenant, nowMs), {
      nowMs,
      keys: this.keys(r.tenant, r.budgets),
      args,
    });
  }

  /** Reply per entry: denied index, then spent and reserved per budget (2 per budget). */
  private sendReserves(entries: Entry[]): Promise<unknown[][]> {
    const head = [entries[0]?.nowMs ?? "", this.holdTtlMs, this.retentionMs, entries.length];
    return runBatch(reserveSpendScript, this.redis, head, entries, (i) => 1 + (entries[i]?.keys.length ?? 0));
  }

  /** Reply per entry: alert count c, then 3 values per alert. */
  private sendSettles(entries: Entry[]): Promise<unknown[][]> {
    const head = [this.retentionMs, entries.length];
    return runBatch(settleSpendScript, this.redis, head, entries, (_, first) => 1 + 3 * Number(first));
  }

  async usage(input: UsageInput): Promise<BudgetUsage[]> {
    if (input.budgets.length === 0) return [];
    const keys = input.budgets.map((b) => this.hashKey(input.tenant, b));
    const reply = await usageSpendScript.run(this.redis, keys, []);
    return input.budgets.map((b, i) => usageOf(b, replyNumber(reply, i * 2), replyNumber(reply, i * 2 + 1)));
  }

  private keys(tenant: string, budgets: readonly BudgetSpec[]): string[] {
    const keys: string[] = [];
    for (const b of budgets) {
      const h = this.hashKey(tenant, b);
      keys.push(h, `${h}:h`);
    }
    return keys;
  }

  private hashKey(tenant: string, b: BudgetSpec): string {
    return `${this.prefix}{${tenant}}:sb:${b.id}:${b.periodKey}`;
  }
}

/** The hold's member carries its amount so an expired hold can be given back without another key. */
const member = (r: SpendReservation): string => `${r.id}:${r.maxCostMicros}`;

const usageOf = (b: BudgetSpec, spent: number, reserved: number): BudgetUsage => ({
  id: b.id,
  periodKey: b.periodKey,
  limitMicros: b.limitMicros,
  spentMicros: spent,
  reservedMicros: reserved,
});

/** A reservation's outcome from its part of a reserve script's reply (denied index, then usage). */
export const readSpendReserve = (
  reservation: SpendReservation,
  reply: readonly unknown[],
): SpendReserveOutcome => {
  const { budgets, maxCostMicros } = reservation;
  const usage = budgets.map((b, i) =>
    usageOf(b, replyNumber(reply, 1 + i * 2), replyNumber(reply, 2 + i * 2)),
  );
  const deniedAt = replyNumber(reply, 0);
  if (deniedAt === 0) return { ok: true, reservation, usage };
  const budget = budgets[deniedAt - 1];
  const u = usage[deniedAt - 1];
  if (budget === undefined || u === undefined) throw new Error("limits: Redis named an unknown budget");
  return {
    ok: false,
    reason: "over_budget",
    denied: {
      budget,
      spentMicros: u.spentMicros,
      reservedMicros: u.reservedMicros,
      requestedMicros: maxCostMicros,
    },
    usage,
  };
};
