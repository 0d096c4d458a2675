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
 * The open segment between batches. A range-committing sink is handed one batch of a segment after
 * another; reopening the file each time was an open, a close and a 256 KB buffer per batch.
 * Segment names are never reused, so a reader found by path reads the same file.
 */
export class SegmentReaders {
  private path: string | null = null;
  private reader: SegmentReader | null = null;

  /** The segment held open, if any. */
  get openPath(): string | null {
    return this.path;
  }

  async get(path: string): Promise<SegmentReader> {
    if (this.reader && this.path === path) return this.reader;
    await this.close();
    this.reader = new SegmentReader(await open(path, "r"));
    this.path = path;
    return this.reader;
  }

  /** Closes the open segment (it may be deleted already: its descriptor keeps the space until then). */
  async close(): Promise<void> {
    const r = this.reader;
    this.reader = null;
    this.path = null;
    await r?.close();
  }
}

/**
 * Reads one batch from a segment file, decodes it and inserts it in one call — all where it runs,
 * so a sink on a worker thread gets a file range instead of the events themselves, and the
 * serving thread neither decodes nor copies them. A failed insert throws (nothing is consumed).
 * Given `readers`, the segment stays open there until a batch reaches the end of a sealed one, or
 * fails; without, it is opened and closed for this batch.
 */
export const commitRange = async (
  range: SegmentRange,
  insertMany: (events: UsageEventRecord[]) => Promise<number>,
  shared?: SegmentReaders,
): Promise<RangeCommit> => {
  const readers = shared ?? new SegmentReaders();
  let keep = false;
  try {
    const reader = await readers.get(range.path);
    const batch = await reader.read(range.from, range.end, range.max, range.sealed);
    const inserted = batch.events.length > 0 ? await insertMany(batch.events) : 0;
    keep = shared !== undefined && !(range.sealed && batch.next >= range.end);
    return {
      next: batch.next,
      events: batch.events.length,
      inserted,
      rejected: batch.rejected,
      torn: batch.torn,
    };
  } finally {
    if (!keep) await readers.close();
  }
};
