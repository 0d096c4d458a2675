import type { UsageEventRecord } from "../storage/records.js";
import type { Store } from "../storage/store.js";
import { commitRange, type RangeCommit, type SegmentRange } from "./commit-range.js";

export interface LastUsedEntry {
  keyId: string;
  /** Unix seconds. */
  at: number;
}

/** Where committed usage goes. `store.usage` satisfies it; tests use a SQLite table. */
export interface UsageSink {
  /** Must be idempotent by event id and return how many events were new: replay relies on it. */
  insertMany(events: UsageEventRecord[]): Promise<number>;
  /** Optional: one coalesced last-use time per key per flush; an older time must not win. */
  touchLastUsed?(entries: LastUsedEntry[]): Promise<void>;
  /** Optional: resolves when the sink is reachable; lets the writer tell a bad event from an outage. */
  ping?(): Promise<void>;
  /**
   * Optional: reads, decodes and inserts one batch of a journal segment itself (see commitRange),
   * with the same idempotency as insertMany. The meter uses it for batches that need no per-event
   * handling on its side.
   */
  commitRange?(range: SegmentRange): Promise<RangeCommit>;
}

/**
 * The store as a sink. `lastUsed: true` also updates keys' last_used_at from committed events (one
 * write per key per run, durable through the journal); leave it off where the key verifier's
 * coalesced touches already do it.
 */
export const usageSinkFromStore = (
  store: Pick<Store, "usage" | "apiKeys" | "ping">,
  opts: { lastUsed?: boolean } = {},
): UsageSink => ({
  insertMany: (events) => store.usage.insertMany(events),
  ping: () => store.ping(),
  commitRange: (range) => commitRange(range, (events) => store.usage.insertMany(events)),
  ...(opts.lastUsed
    ? {
        touchLastUsed: (entries: LastUsedEntry[]) =>
          store.apiKeys.touchLastUsed(entries.map((e) => ({ id: e.keyId, at: e.at }))),
      }
    : {}),
});
