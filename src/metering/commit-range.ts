import { open } from "node:fs/promises";
import type { UsageEventRecord } from "../storage/records.js";
import { SegmentReader } from "./segment-reader.js";

/** One batch of a journal segment: `[from, end)`, at most `max` events. */
export interface SegmentRange {
  path: string;
  from: number;
  end: number;
  max: number;
  /** The segment will never grow: a partial last line is torn, not pending. */
  sealed: boolean;
}

export interface RangeCommit {
  /** Byte offset just past the last line consumed. */
  next: number;
  /** Events decoded and inserted (new or already there). */
  events: number;
  /** Events that were new. */
  inserted: number;
  /** Complete lines that did not decode, and the torn tail if one was skipped. */
  rejected: string[];
  torn: boolean;
}

/**
 * Reads one batch from a segment file, decodes it and inserts it in one call — all where it runs,
 * so a sink on a worker thread gets a file range instead of the events themselves, and the
 * serving thread neither decodes nor copies them. A failed insert throws (nothing is consumed).
 */
export const commitRange = async (
  range: SegmentRange,
  insertMany: (events: UsageEventRecord[]) => Promise<number>,
): Promise<RangeCommit> => {
  const reader = new SegmentReader(await open(range.path, "r"));
  try {
    const batch = await reader.read(range.from, range.end, range.max, range.sealed);
    const inserted = batch.events.length > 0 ? await insertMany(batch.events) : 0;
    return {
      next: batch.next,
      events: batch.events.length,
      inserted,
      rejected: batch.rejected,
      torn: batch.torn,
    };
  } finally {
    await reader.close();
  }
};
