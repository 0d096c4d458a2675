import { type Deferred, deferred } from "../lib/deferred.js";
import { batchGroup } from "./group-commit.js";

/** One bucket change: add `delta` (refund > 0, charge < 0) to a bucket of this capacity/window. */
export interface BucketDelta {
  key: string;
  capacity: number;
  windowMs: number;
  delta: number;
}

/** What one script call applies: every change of a turn for one tenant (one Cluster slot). */
export interface AdjustBatch {
  nowMs: number | undefined;
  buckets: BucketDelta[];
  /** Concurrency set key → reservation ids to remove from it. */
  slots: Map<string, string[]>;
}

interface Pending {
  nowMs: number | undefined;
  buckets: Map<string, BucketDelta>;
  slots: Map<string, string[]>;
  done: Deferred<void>;
}

/**
 * Gathers the settles and releases of one event-loop turn and hands them on as one batch per tenant
 * (and clock override), so N requests finishing together cost one Redis round trip and one script
 * run instead of N. Deltas on the same bucket are summed: that is the outcome of applying the
 * charges before the refunds, one valid order of changes that were concurrent anyway. A reservation
 * made later in the same turn may be judged before the turn's refunds land — a turn's delay, on the
 * cautious side for refunds. Every caller of a batch gets the batch's result.
 */
export class AdjustBatcher {
  private pending = new Map<string, Pending>();
  private scheduled = false;

  constructor(private readonly apply: (batch: AdjustBatch) => Promise<void>) {}

  add(
    tenant: string,
    nowMs: number | undefined,
    buckets: readonly BucketDelta[],
    slots: readonly string[],
    reservationId: string,
  ): Promise<void> {
    const group = batchGroup(tenant, nowMs);
    let p = this.pending.get(group);
    if (p === undefined) {
      p = { nowMs, buckets: new Map(), slots: new Map(), done: deferred<void>() };
      this.pending.set(group, p);
    }
    for (const b of buckets) {
      // Same key with another capacity or window (a limit changed mid-flight) stays separate.
      const id = `${b.key}\n${b.capacity}\n${b.windowMs}`;
      const had = p.buckets.get(id);
      if (had === undefined) p.buckets.set(id, { ...b });
      else had.delta += b.delta;
    }
    for (const key of slots) {
      const ids = p.slots.get(key);
      if (ids === undefined) p.slots.set(key, [reservationId]);
      else ids.push(reservationId);
    }
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
    return p.done.promise;
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    const batches = this.pending;
    this.pending = new Map();
    for (const p of batches.values()) {
      const buckets = [...p.buckets.values()].filter((b) => b.delta !== 0);
      if (buckets.length === 0 && p.slots.size === 0) {
        p.done.resolve(undefined);
        continue;
      }
      this.apply({ nowMs: p.nowMs, buckets, slots: p.slots }).then(p.done.resolve, p.done.reject);
    }
  };
}
