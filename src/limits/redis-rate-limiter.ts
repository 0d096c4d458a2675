import { randomBase62 } from "../domain/ids.js";
import {
  type BucketSnapshot,
  CONCURRENCY_RETRY_MS,
  type ConcurrencySpec,
  costOf,
  type LimitSpec,
  nonNegative,
  type RateDenial,
  rateDenial,
  snapshotOf,
  WINDOW_MS,
  worseDenial,
} from "../domain/rate-limits.js";
import { type AdjustBatch, AdjustBatcher, type BucketDelta } from "./adjust-batch.js";
import { batchGroup, GroupCommit } from "./group-commit.js";
import { type BatchEntry, checkPrefix, type RedisClient, replyNumber, runBatch } from "./lua-script.js";
import { DEFAULT_SLOT_TTL_MS } from "./memory-rate-limiter.js";
import { adjustScript, peekScript, reserveScript } from "./rate-limit-scripts.js";
import type { PeekInput, RateLimiter, Reservation, ReserveInput, ReserveOutcome } from "./rate-limiter.js";

export interface RedisRateLimiterOptions {
  /** Prepended to every key (no braces); lets tests and deployments share one Redis. */
  prefix?: string;
  /** How long a concurrency slot lives if its request is never settled or released. */
  slotTtlMs?: number;
}

const NO_SLOTS: readonly ConcurrencySpec[] = [];

/** One reservation's part of a batched reserve script call. */
export interface ReserveEntry extends BatchEntry {
  nowMs: number | undefined;
  buckets: number;
}

/**
 * Limiter shared by every Keyplane instance. A script call checks and consumes every bucket and
 * concurrency cap of a decision atomically. Under load decisions share calls: reservations that
 * arrive while one call is out go together in the next (limits/group-commit.ts), and the settles
 * and releases of one event-loop turn go in one (limits/adjust-batch.ts). Keys:
 * `<prefix>{<tenant>}:rl:<limit id>` (bucket hash) and `<prefix>{<tenant>}:cc:<concurrency id>`
 * (sorted set of slot expiries); the `{tenant}` hash tag puts one decision's keys in one Redis
 * Cluster slot.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly prefix: string;
  /** Read by the joint reserve (limits/redis-joint.ts), which takes slots too. */
  readonly slotTtlMs: number;
  /** Makes reservation ids unique across instances (they are concurrency-set members). */
  private readonly instance = randomBase62(10);
  private seq = 0;
  private readonly batcher = new AdjustBatcher((batch) => this.applyBatch(batch));
  private readonly reserves = new GroupCommit<ReserveEntry, unknown[]>((entries) =>
    this.sendReserves(entries),
  );

  constructor(
    private readonly redis: RedisClient,
    opts: RedisRateLimiterOptions = {},
  ) {
    this.prefix = checkPrefix(opts.prefix ?? "keyplane:");
    this.slotTtlMs = opts.slotTtlMs ?? DEFAULT_SLOT_TTL_MS;
  }

  async reserve(input: ReserveInput): Promise<ReserveOutcome> {
    const p = this.prepare(input);
    const { reservation } = p;
    if (reservation.limits.length === 0 && reservation.concurrency.length === 0)
      return { ok: true, reservation, snapshot: [] };
    return readReserve(
      reservation,
      await this.reserves.submit(batchGroup(input.tenant, input.nowMs), p.entry),
    );
  }

  /**
   * One reservation's part of a reserve script call (also the joint one, limits/redis-joint.ts):
   * its reservation, keys and args. `readReserve` turns its part of the reply into the outcome.
   */
  prepare(input: ReserveInput): { reservation: Reservation; entry: ReserveEntry } {
    const requests = input.requests ?? 1;
    const { limits, tenant } = input;
    const tokens = nonNegative(input.tokens);
    const concurrency = input.concurrency ?? NO_SLOTS;
    const id = `${this.instance}.${++this.seq}`;
    const reservation: Reservation = { id, tenant, limits, requests, tokens, concurrency, open: true };
    const keys: string[] = [];
    const args: (string | number)[] = [limits.length, concurrency.length, id];
    for (const spec of limits) {
      keys.push(this.bucketKey(tenant, spec.id));
      args.push(spec.capacity, WINDOW_MS[spec.window], costOf(spec, requests, tokens));
    }
    for (const c of concurrency) {
      keys.push(this.slotKey(tenant, c.id));
      args.push(c.max);
    }
    return { reservation, entry: { nowMs: input.nowMs, keys, args, buckets: limits.length } };
  }

  async settle(r: Reservation, actualTokens: number, nowMs?: number): Promise<void> {
    if (!r.open) return;
    r.open = false;
    const delta = r.tokens - nonNegative(actualTokens);
    const adjust = delta === 0 ? [] : r.limits.filter((spec) => spec.dimension === "tokens");
    await this.adjust(r, adjust, () => delta, nowMs);
  }

  async release(r: Reservation, nowMs?: number): Promise<void> {
    if (!r.open) return;
    r.open = false;
    await this.adjust(r, r.limits, (spec) => costOf(spec, r.requests, r.tokens), nowMs);
  }

  async peek(input: PeekInput): Promise<BucketSnapshot[]> {
    if (input.limits.length === 0) return [];
    const keys = input.limits.map((spec) => this.bucketKey(input.tenant, spec.id));
    const args: (string | number)[] = [input.nowMs ?? ""];
    for (const spec of input.limits) args.push(spec.capacity, WINDOW_MS[spec.window]);
    const reply = await peekScript.run(this.redis, keys, args);
    return input.limits.map((spec, i) => snapshotOf(spec, replyNumber(reply, i)));
  }

  private adjust(
    r: Reservation,
    limits: readonly LimitSpec[],
    delta: (spec: LimitSpec) => number,
    nowMs: number | undefined,
  ): Promise<void> {
    if (limits.length === 0 && r.concurrency.length === 0) return Promise.resolve();
    const buckets: BucketDelta[] = limits.map((spec) => ({
      key: this.bucketKey(r.tenant, spec.id),
      capacity: spec.capacity,
      windowMs: WINDOW_MS[spec.window],
      delta: delta(spec),
    }));
    const slots = r.concurrency.map((c) => this.slotKey(r.tenant, c.id));
    return this.batcher.add(r.tenant, nowMs, buckets, slots, r.id);
  }

  /** One script call for a batch of one tenant's reservations: status, slot, in flight, levels each. */
  private sendReserves(entries: ReserveEntry[]): Promise<unknown[][]> {
    const head = [entries[0]?.nowMs ?? "", this.slotTtlMs, entries.length];
    return runBatch(reserveScript, this.redis, head, entries, (i) => 3 + (entries[i]?.buckets ?? 0));
  }

  /** One script call for a turn's settles and releases of one tenant. */
  private async applyBatch(batch: AdjustBatch): Promise<void> {
    const keys: string[] = [];
    const args: (string | number)[] = [batch.nowMs ?? "", batch.buckets.length, batch.slots.size];
    for (const b of batch.buckets) {
      keys.push(b.key);
      args.push(b.capacity, b.windowMs, b.delta);
    }
    for (const [key, ids] of batch.slots) {
      keys.push(key);
      args.push(ids.length, ...ids);
    }
    await adjustScript.run(this.redis, keys, args);
  }

  private bucketKey(tenant: string, id: string): string {
    return `${this.prefix}{${tenant}}:rl:${id}`;
  }

  private slotKey(tenant: string, id: string): string {
    return `${this.prefix}{${tenant}}:cc:${id}`;
  }
}

/** A reservation's outcome from its part of a reserve script's reply (status, slot, in flight, levels). */
export const readReserve = (reservation: Reservation, reply: readonly unknown[]): ReserveOutcome => {
  const { limits, concurrency, requests, tokens } = reservation;
  const status = replyNumber(reply, 0);
  const levels = limits.map((_, i) => replyNumber(reply, 3 + i));
  const snapshot = limits.map((spec, i) => snapshotOf(spec, levels[i] as number));
  if (status === 1) return { ok: true, reservation, snapshot };
  if (status === 2) {
    const slot = concurrency[replyNumber(reply, 1) - 1];
    if (slot === undefined) throw new Error("limits: Redis named an unknown concurrency slot");
    const inFlight = replyNumber(reply, 2);
    return {
      ok: false,
      reason: "limited",
      denied: { kind: "concurrency", slot, inFlight, retryAfterMs: CONCURRENCY_RETRY_MS },
      snapshot,
    };
  }
  let denial: RateDenial | null = null;
  for (let i = 0; i < limits.length; i++) {
    const spec = limits[i] as LimitSpec;
    const level = levels[i] as number;
    const cost = costOf(spec, requests, tokens);
    if (cost > level) denial = worseDenial(denial, rateDenial(spec, level, cost));
  }
  if (denial === null) throw new Error("limits: Redis denied without a short bucket");
  return { ok: false, reason: "limited", denied: denial, snapshot };
};
