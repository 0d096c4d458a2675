import { closeSync, fdatasync, fsyncSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { type Deferred, deferred } from "../lib/deferred.js";
import type { UsageEventRecord } from "../storage/records.js";
import { type Segment, segmentName } from "./journal-dir.js";
import { encodeEvent } from "./journal-line.js";

export interface JournalWriterOptions {
  dir: string;
  /** Unique part of this process's segment names. */
  tag: string;
  startMs: number;
  maxSegmentBytes: number;
  /** 0 = never fsync (process crashes are still safe; see meter.ts). */
  fsyncIntervalMs: number;
  /** A new segment was opened; the meter adds it to its read queue. */
  onSegment: (seg: Segment) => void;
  /** Events reached the file (called after every write). */
  onWritten: (count: number) => void;
  /** A background fdatasync failed. */
  onError: (err: unknown) => void;
}

interface OpenSegment {
  seg: Segment;
  fd: number;
  syncsInFlight: number;
  closeWhenSynced: boolean;
}

const countLines = (buf: Buffer, length: number): number => {
  let count = 0;
  for (let i = buf.indexOf(10); i !== -1 && i < length; i = buf.indexOf(10, i + 1)) count++;
  return count;
};

/**
 * The append side of the journal. Lines appended in one turn of the event loop share one write(2)
 * and one promise, resolved once the bytes are in the OS page cache (which survives SIGKILL).
 */
export class JournalWriter {
  private active: OpenSegment | null = null;
  private seq = 0;
  private pending: string[] = [];
  private group: Deferred<void> | null = null;
  private dirty = false;
  private closed = false;
  private readonly fsyncTimer: NodeJS.Timeout | null;

  constructor(private readonly opts: JournalWriterOptions) {
    this.fsyncTimer =
      opts.fsyncIntervalMs > 0 ? setInterval(() => this.syncActive(), opts.fsyncIntervalMs) : null;
    this.fsyncTimer?.unref();
  }

  append(event: UsageEventRecord): Promise<void> {
    if (this.closed) return Promise.reject(new Error("usage meter is closed"));
    try {
      this.pending.push(encodeEvent(event));
    } catch (err) {
      return Promise.reject(err);
    }
    if (this.group === null) {
      this.group = deferred<void>();
      setImmediate(this.drain);
    }
    return this.group.promise;
  }

  appendSync(event: UsageEventRecord): void {
    if (this.closed) throw new Error("usage meter is closed");
    this.pending.push(encodeEvent(event));
    const err = this.writePending();
    if (err !== undefined) throw err;
  }

  /** Writes whatever is pending now; returns the write error, if any (waiters get it too). */
  writePending(): unknown {
    const group = this.group;
    this.group = null;
    if (this.pending.length === 0) {
      group?.resolve(undefined);
      return undefined;
    }
    const lines = this.pending;
    this.pending = [];
    try {
      this.write(lines.length === 1 ? (lines[0] ?? "") : lines.join(""), lines.length);
      group?.resolve(undefined);
      return undefined;
    } catch (err) {
      group?.reject(err);
      return err;
    }
  }

  /** Stops writing: pending lines are written, the active segment is sealed and closed. */
  close(): void {
    if (this.closed) return;
    const err = this.writePending();
    this.closed = true;
    if (this.fsyncTimer) clearInterval(this.fsyncTimer);
    if (this.active) this.seal(this.active);
    if (err !== undefined) throw err;
  }

  private readonly drain = (): void => {
    this.writePending();
  };

  private write(text: string, lines: number): void {
    const cur = this.active ?? this.open();
    const bytes = Buffer.byteLength(text);
    let off = 0;
    try {
      // The string goes to write(2) as is, encoded by Node without a Buffer per write (~0.5 µs
      // of ~2.3 in a microbenchmark); a regular file takes it whole. A short write goes on
      // from where it stopped, in bytes.
      off = writeSync(cur.fd, text);
      if (off < bytes) {
        const buf = Buffer.from(text);
        while (off < bytes) off += writeSync(cur.fd, buf, off, bytes - off);
      }
    } catch (err) {
      // What did reach the file may end in a partial line; sealing makes readers skip it as torn,
      // and the next append starts a clean segment.
      cur.seg.end += off;
      this.opts.onWritten(countLines(Buffer.from(text), off));
      this.seal(cur);
      throw err;
    }
    cur.seg.end += off;
    this.dirty = true;
    if (cur.seg.end >= this.opts.maxSegmentBytes) this.seal(cur);
    this.opts.onWritten(lines);
  }

  private open(): OpenSegment {
    const name = segmentName(this.opts.startMs, this.opts.tag, this.seq++);
    const fd = openSync(join(this.opts.dir, name), "ax");
    if (this.opts.fsyncIntervalMs > 0) this.syncDir();
    const seg: Segment = { name, end: 0, committed: 0, own: true, sealed: false };
    this.active = { seg, fd, syncsInFlight: 0, closeWhenSynced: false };
    this.opts.onSegment(seg);
    return this.active;
  }

  private seal(cur: OpenSegment): void {
    cur.seg.sealed = true;
    if (this.active === cur) this.active = null;
    if (this.opts.fsyncIntervalMs > 0 && this.dirty) {
      this.dirty = false;
      this.sync(cur);
    }
    if (cur.syncsInFlight === 0) closeSync(cur.fd);
    else cur.closeWhenSynced = true;
  }

  private syncActive(): void {
    if (this.active && this.dirty) {
      this.dirty = false;
      this.sync(this.active);
    }
  }

  /** Asynchronous so the event loop never waits on the disk; the fd stays open until it is done. */
  private sync(cur: OpenSegment): void {
    cur.syncsInFlight++;
    fdatasync(cur.fd, (err) => {
      cur.syncsInFlight--;
      if (err) this.opts.onError(err);
      if (cur.closeWhenSynced && cur.syncsInFlight === 0) closeSync(cur.fd);
    });
  }

  /** Makes a new segment's directory entry durable, once per segment. */
  private syncDir(): void {
    const fd = openSync(this.opts.dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}
