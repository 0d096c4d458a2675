import {
  type BucketSnapshot,
  CONCURRENCY_RETRY_MS,
  type ConcurrencySpec,
  costOf,
  type LimitSpec,
  nonNegative,
  type RateDenial,
  rateDenial,
  refill,
  snapshotOf,
  WINDOW_MS,
  worseDenial,
} from "../domain/rate-limits.js";
import type { PeekInput, RateLimiter, Reservation, ReserveInput, ReserveOutcome } from "./rate-limiter.js";

export interface MemoryRateLimiterOptions {
  /** How long a concurrency slot lives if its request is never settled or released. */
  slotTtlMs?: number;
}

/** Stored level of one bucket; a missing bucket is a full one. */
interface Bucket {
  available: number;
  updatedMs: number;
  capacity: number;
  windowMs: number;
}

const NO_SLOTS: readonly ConcurrencySpec[] = [];
const DONE: Promise<void> = Promise.resolve();
export const DEFAULT_SLOT_TTL_MS = 10 * 60_000;

/**
 * Single-process limiter. Every call runs synchronously to the end before it yields, which is what
 * makes check-and-consume atomic here. No timers: full buckets and dead slots are swept every
 * `max(10k, live entries)` reservations, which keeps memory bounded at O(1) amortized cost.
 */
export class MemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  /** Concurrency id → (reservation id → slot expiry ms). */
  private readonly slots = new Map<string, Map<string, number>>();
  /** Scratch levels for the decision in progress; safe to share because decisions never interleave. */
  private readonly levels: number[] = [];
  private readonly slotTtlMs: number;
  private seq = 0;
  private opsUntilSweep = 10_000;

  constructor(opts: MemoryRateLimiterOptions = {}) {
    this.slotTtlMs = opts.slotTtlMs ?? DEFAULT_SLOT_TTL_MS;
  }

  reserve(input: ReserveInput): ReserveOutcome {
    return this.decide(input);
  }

  settle(r: Reservation, actualTokens: number, nowMs?: number): Promise<void> {
    if (!r.open) return DONE;
    r.open = false;
    const now = nowMs ?? Date.now();
    const delta = r.tokens - nonNegative(actualTokens);
    if (delta !== 0) {
      for (const spec of r.limits) if (spec.dimension === "tokens") this.adjust(spec, delta, now);
    }
    this.freeSlots(r);
    return DONE;
  }

  release(r: Reservation, nowMs?: number): Promise<void> {
    if (!r.open) return DONE;
    r.open = false;
    const now = nowMs ?? Date.now();
    for (const spec of r.limits) this.adjust(spec, costOf(spec, r.requests, r.tokens), now);
    this.freeSlots(r);
    return DONE;
  }

  peek(input: PeekInput): Promise<BucketSnapshot[]> {
    const now = input.nowMs ?? Date.now();
    return Promise.resolve(input.limits.map((spec) => snapshotOf(spec, this.level(spec, now))));
  }

  private decide(input: ReserveInput): ReserveOutcome {
    const now = input.nowMs ?? Date.now();
    const requests = input.requests ?? 1;
    const { limits } = input;
    const tokens = nonNegative(input.tokens);
    const levels = this.levels;
    let denial: RateDenial | null = null;
    for (let i = 0; i < limits.length; i++) {
      const spec = limits[i] as LimitSpec;
      const level = this.level(spec, now);
      levels[i] = level;
      const cost = costOf(spec, requests, tokens);
      if (cost > level) denial = worseDenial(denial, rateDenial(spec, level, cost));
    }
    if (denial !== null)
      return { ok: false, reason: "limited", denied: denial, snapshot: this.snapshots(limits, 0, 0) };

    const concurrency = input.concurrency ?? NO_SLOTS;
    for (const c of concurrency) {
      const inFlight = this.inFlight(c.id, c.max, now);
      if (inFlight >= c.max) {
        return {
          ok: false,
          reason: "limited",
          denied: { kind: "concurrency", slot: c, inFlight, retryAfterMs: CONCURRENCY_RETRY_MS },
          snapshot: this.snapshots(limits, 0, 0),
        };
      }
    }

    for (let i = 0; i < limits.length; i++) {
      const spec = limits[i] as LimitSpec;
      this.store(spec, (levels[i] as number) - costOf(spec, requests, tokens), now);
    }
    const id = `m${++this.seq}`;
    for (const c of concurrency) this.holders(c.id).set(id, now + this.slotTtlMs);
    if (--this.opsUntilSweep <= 0) this.sweep(now);
    const reservation: Reservation = {
      id,
      tenant: input.tenant,
      limits,
      requests,
      tokens,
      concurrency,
      open: true,
    };
    return { ok: true, reservation, snapshot: this.snapshots(limits, requests, tokens) };
  }

  private snapshots(limits: readonly LimitSpec[], requests: number, tokens: number): BucketSnapshot[] {
    const out = new Array<BucketSnapshot>(limits.length);
    for (let i = 0; i < limits.length; i++) {
      const spec = limits[i] as LimitSpec;
      out[i] = snapshotOf(spec, (this.levels[i] as number) - costOf(spec, requests, tokens));
    }
    return out;
  }

  private level(spec: LimitSpec, now: number): number {
    const b = this.buckets.get(spec.id);
    return b === undefined
      ? spec.capacity
      : refill(b.available, b.updatedMs, spec.capacity, WINDOW_MS[spec.window], now);
  }

  private store(spec: LimitSpec, available: number, now: number): void {
    if (spec.capacity <= 0) return;
    const b = this.buckets.get(spec.id);
    if (b === undefined) {
      this.buckets.set(spec.id, {
        available,
        updatedMs: now,
        capacity: spec.capacity,
        windowMs: WINDOW_MS[spec.window],
      });
      return;
    }
    b.available = available;
    b.updatedMs = now;
    b.capacity = spec.capacity;
    b.windowMs = WINDOW_MS[spec.window];
  }

  /** Gives back (delta > 0) or charges (delta < 0) units; a bucket that comes back full is dropped. */
  private adjust(spec: LimitSpec, delta: number, now: number): void {
    const next = this.level(spec, now) + delta;
    if (next >= spec.capacity || spec.capacity <= 0) this.buckets.delete(spec.id);
    else this.store(spec, next, now);
  }

  private holders(id: string): Map<string, number> {
    let h = this.slots.get(id);
    if (h === undefined) {
      h = new Map();
      this.slots.set(id, h);
    }
    return h;
  }

  /** Live slots; expired ones (requests whose settle never came) are dropped only when the cap is hit. */
  private inFlight(id: string, max: number, now: number): number {
    const h = this.slots.get(id);
    if (h === undefined) return 0;
    if (h.size < max) return h.size;
    for (const [resId, expiresAt] of h) if (expiresAt <= now) h.delete(resId);
    return h.size;
  }

  private freeSlots(r: Reservation): void {
    for (const c of r.concurrency) this.slots.get(c.id)?.delete(r.id);
  }

  private sweep(now: number): void {
    for (const [id, b] of this.buckets) {
      if (refill(b.available, b.updatedMs, b.capacity, b.windowMs, now) >= b.capacity)
        this.buckets.delete(id);
    }
    for (const [id, h] of this.slots) {
      for (const [resId, expiresAt] of h) if (expiresAt <= now) h.delete(resId);
      if (h.size === 0) this.slots.delete(id);
    }
    this.opsUntilSweep = Math.max(10_000, this.buckets.size + this.slots.size);
  }
}
