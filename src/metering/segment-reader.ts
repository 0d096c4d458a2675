import type { FileHandle } from "node:fs/promises";
import type { UsageEventRecord } from "../storage/records.js";
import { decodeEvent } from "./journal-line.js";

export interface Batch {
  events: UsageEventRecord[];
  /** Byte offset just past the last line consumed (decoded or rejected). */
  next: number;
  /** Complete lines that did not decode, and the torn tail if one was skipped. */
  rejected: string[];
  /** True when the segment ended in a partial line (a write cut short by a crash) that was skipped. */
  torn: boolean;
}

const NL = 10;

/** Reads whole lines of one segment from a byte offset; one instance per open segment. */
export class SegmentReader {
  private buf = Buffer.allocUnsafe(256 * 1024);

  constructor(private readonly fh: FileHandle) {}

  /**
   * Up to `max` events from `[from, end)`. A line without its "\n" at the end is never decoded:
   * in a `sealed` segment (no one will ever finish it) it is skipped as torn, otherwise it is left
   * for a later read.
   */
  async read(from: number, end: number, max: number, sealed: boolean): Promise<Batch> {
    const events: UsageEventRecord[] = [];
    const rejected: string[] = [];
    let pos = from;
    let torn = false;
    while (events.length < max && pos < end) {
      const want = Math.min(end - pos, this.buf.length);
      const { bytesRead } = await this.fh.read(this.buf, 0, want, pos);
      let start = 0;
      for (let nl = this.buf.indexOf(NL, 0); nl !== -1 && nl < bytesRead; nl = this.buf.indexOf(NL, start)) {
        if (nl > start) {
          const line = this.buf.toString("utf8", start, nl);
          const event = decodeEvent(line);
          if (event) events.push(event);
          else rejected.push(line);
        }
        start = nl + 1;
        if (events.length >= max) break;
      }
      if (start > 0) {
        pos += start;
        continue;
      }
      const atEof = bytesRead < want || pos + bytesRead >= end;
      if (!atEof) {
        this.buf = Buffer.allocUnsafe(this.buf.length * 2);
        continue;
      }
      if (sealed) {
        // Also past a file shorter than expected, so a damaged segment can never stall the writer.
        if (bytesRead > 0) {
          torn = true;
          rejected.push(this.buf.toString("utf8", 0, bytesRead));
        }
        pos = end;
      }
      break;
    }
    return { events, next: pos, rejected, torn };
  }

  close(): Promise<void> {
    return this.fh.close();
  }
}
