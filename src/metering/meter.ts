import { randomBytes } from "node:crypto";
import { mkdirSync, statSync } from "node:fs";
import { open, unlink } from "node:fs/promises";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { UsageEventRecord } from "../storage/records.js";
import {
  listSegments,
  lockDir,
  quarantine,
  readCheckpoint,
  type Segment,
  writeCheckpoint,
} from "./journal-dir.js";
import { JournalWriter } from "./journal-writer.js";
import { SegmentReader } from "./segment-reader.js";
import type { UsageSink } from "./sink.js";

/**
 * Usage metering: a local append-only journal in front of the store.
 *
 * Guarantees:
 * - Once `append()` has resolved (or `appendSync()` returned) the event is in the OS page cache, which
 *   survives a crash or SIGKILL of the process: the next start replays it. Surviving a machine crash
 *   or power loss needs the bytes on disk: set `fsyncIntervalMs` to bound that loss window.
 * - The background writer sends journaled events to the sink in batches and then records how far it
 *   got (checkpoint.json). A crash between the two re-sends a batch at the next start; the sink is
 *   idempotent by event id, so nothing is counted twice.
 * - A partial last line (a write cut short by the crash) is skipped and copied to rejected.log.
 * - One live process per journal directory (a pid LOCK file enforces it): give each process its own
 *   data dir. Segments left by a dead process are replayed by whoever opens the directory next.
 */
export interface MeterOptions {
  /** Journal directory, normally `<dataDir>/journal`; created if missing. */
  dir: string;
  sink: UsageSink;
  /** How often the background writer runs (config.metering.flushIntervalMs). */
  flushIntervalMs?: number;
  /** Events per insertMany; this many pending events also start a run early. */
  batchSize?: number;
  /** fdatasync the journal this often (ms) for machine-crash safety; 0 = never (default). */
  fsyncIntervalMs?: number;
  /** A segment is closed and a new one opened past this size; committed segments are deleted. */
  maxSegmentBytes?: number;
  /** Background failures (sink errors are retried with backoff; the events stay in the journal). */
  onError?: (err: unknown) => void;
  /** After each successful writer run, for metrics. */
  onFlush?: (info: { durationMs: number; events: number }) => void;
}

export interface MeterStats {
  /** Events written to the journal by this process. */
  appended: number;
  /** Events appended by this process and not yet committed to the sink. */
  backlog: number;
  /** Journal bytes not yet committed, previous processes' segments included. */
  backlogBytes: number;
  /** Events handed to the sink successfully, replays included. */
  committed: number;
  /** Of those, how many the sink reported as new (the rest were already there). */
  inserted: number;
  /** Events committed from segments of previous processes. */
  replayed: number;
  rejectedLines: number;
  tornLines: number;
  segments: number;
  flushes: number;
  flushErrors: number;
  lastFlushMs: number;
  lastFlushAtMs: number | null;
  lastError: string | null;
}

export interface UsageMeter {
  /** Resolves once the event is journaled (one write per event-loop turn for all appends in it). */
  append(event: UsageEventRecord): Promise<void>;
  /** Journals the event before returning (one write per call); for callers that cannot await. */
  appendSync(event: UsageEventRecord): void;
  /** Commits everything appended before the call to the sink; rejects if the sink fails. */
  flush(): Promise<void>;
  /** Stops appends, flushes, releases the directory. Uncommitted events stay for the next start. */
  close(): Promise<void>;
  backlog(): number;
  stats(): MeterStats;
}

const MAX_BACKOFF_MS = 30_000;

class Meter implements UsageMeter {
  private readonly dir: string;
  private readonly sink: UsageSink;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private readonly writer: JournalWriter;
  private readonly release: () => void;
  private readonly timer: NodeJS.Timeout;
  private readonly segments: Segment[] = [];
  private readonly readers = new Map<Segment, SegmentReader>();
  private lastUsed = new Map<string, number>();
  private tail: Promise<void> = Promise.resolve();
  private busy = false;
  private closed = false;
  private failures = 0;
  private retryAtMs = 0;
  private committedOwn = 0;
  private readonly s: Omit<MeterStats, "backlog" | "backlogBytes" | "segments"> = {
    appended: 0,
    committed: 0,
    inserted: 0,
    replayed: 0,
    rejectedLines: 0,
    tornLines: 0,
    flushes: 0,
    flushErrors: 0,
    lastFlushMs: 0,
    lastFlushAtMs: null,
    lastError: null,
  };

  constructor(private readonly opts: MeterOptions) {
    this.dir = opts.dir;
    this.sink = opts.sink;
    this.batchSize = opts.batchSize ?? 500;
    this.flushIntervalMs = opts.flushIntervalMs ?? 200;
    mkdirSync(this.dir, { recursive: true });
    this.release = lockDir(this.dir);
    try {
      const checkpoint = readCheckpoint(this.dir);
      for (const name of listSegments(this.dir)) {
        const size = statSync(join(this.dir, name)).size;
        const committed = Math.min(checkpoint.get(name) ?? 0, size);
        this.segments.push({ name, end: size, committed, own: false, sealed: true });
      }
      this.writer = new JournalWriter({
        dir: this.dir,
        tag: randomBytes(4).toString("hex"),
        startMs: Date.now(),
        maxSegmentBytes: opts.maxSegmentBytes ?? 16 * 1024 * 1024,
        fsyncIntervalMs: opts.fsyncIntervalMs ?? 0,
        onSegment: (seg) => this.segments.push(seg),
        onWritten: (count) => this.written(count),
        onError: (err) => this.report(err),
      });
    } catch (err) {
      this.release();
      throw err;
    }
    this.timer = setInterval(() => this.tick(), this.flushIntervalMs);
    this.timer.unref();
    if (this.segments.length > 0) this.kick();
  }

  append(event: UsageEventRecord): Promise<void> {
    return this.writer.append(event);
  }

  appendSync(event: UsageEventRecord): void {
    this.writer.appendSync(event);
  }

  flush(): Promise<void> {
    if (this.closed) return Promise.reject(new Error("usage meter is closed"));
    return this.enqueue();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    let failure: unknown;
    try {
      this.writer.close();
    } catch (err) {
      failure = err;
    }
    try {
      await this.enqueue();
    } catch (err) {
      failure ??= err;
    }
    for (const reader of this.readers.values()) await reader.close();
    this.readers.clear();
    this.release();
    if (failure !== undefined) throw failure;
  }

  backlog(): number {
    return Math.max(0, this.s.appended - this.committedOwn);
  }

  stats(): MeterStats {
    let backlogBytes = 0;
    for (const seg of this.segments) backlogBytes += seg.end - seg.committed;
    return { ...this.s, backlog: this.backlog(), backlogBytes, segments: this.segments.length };
  }

  private written(count: number): void {
    this.s.appended += count;
    if (this.backlog() >= this.batchSize) this.kick();
  }

  private tick(): void {
    if (this.segments.some((seg) => seg.sealed || seg.committed < seg.end)) this.kick();
  }

  /** Starts a background run unless one is going or the sink is in backoff. */
  private kick(): void {
    if (this.busy || this.closed || performance.now() < this.retryAtMs) return;
    this.busy = true;
    this.enqueue().then(
      () => {
        this.busy = false;
        if (this.backlog() >= this.batchSize) setImmediate(() => this.kick());
      },
      (err: unknown) => {
        this.busy = false;
        this.report(err);
      },
    );
  }

  /** Runs are serialized: each one starts after the previous one settled. */
  private enqueue(): Promise<void> {
    const run = this.tail.then(() => this.run());
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async run(): Promise<void> {
    this.writer.writePending();
    const started = performance.now();
    const before = this.s.committed;
    // Stop at what is written now, so a run ends even while appends keep coming.
    const target = this.segments.at(-1);
    const targetEnd = target?.end ?? 0;
    try {
      for (let seg = this.segments[0]; seg !== undefined; seg = this.segments[0]) {
        await this.drain(seg, seg === target ? targetEnd : seg.end);
        if (!seg.sealed || seg.committed < seg.end) break;
        await this.drop(seg);
      }
    } catch (err) {
      this.s.flushErrors++;
      this.s.lastError = err instanceof Error ? err.message : String(err);
      this.failures++;
      this.retryAtMs =
        performance.now() + Math.min(this.flushIntervalMs * 2 ** (this.failures - 1), MAX_BACKOFF_MS);
      throw err;
    }
    this.failures = 0;
    this.retryAtMs = 0;
    await this.touchLastUsed();
    const durationMs = performance.now() - started;
    this.s.flushes++;
    this.s.lastFlushMs = durationMs;
    this.s.lastFlushAtMs = Date.now();
    this.opts.onFlush?.({ durationMs, events: this.s.committed - before });
  }

  /** Sends `[seg.committed, end)` to the sink batch by batch, checkpointing after each. */
  private async drain(seg: Segment, end: number): Promise<void> {
    while (seg.committed < end) {
      const batch = await (await this.readerFor(seg)).read(seg.committed, end, this.batchSize, seg.sealed);
      if (batch.next === seg.committed) return;
      if (batch.events.length > 0) {
        this.s.inserted += await this.sink.insertMany(batch.events);
        this.s.committed += batch.events.length;
        if (!seg.own) this.s.replayed += batch.events.length;
        for (const e of batch.events) {
          const at = Math.floor(e.createdAtMs / 1000);
          if ((this.lastUsed.get(e.keyId) ?? -1) < at) this.lastUsed.set(e.keyId, at);
        }
      }
      const completeRejected = batch.rejected.length - (batch.torn ? 1 : 0);
      if (seg.own) this.committedOwn += batch.events.length + completeRejected;
      this.s.rejectedLines += completeRejected;
      if (batch.torn) this.s.tornLines++;
      await quarantine(this.dir, seg.name, batch.rejected);
      seg.committed = batch.next;
      await this.saveCheckpoint();
    }
  }

  private async readerFor(seg: Segment): Promise<SegmentReader> {
    let reader = this.readers.get(seg);
    if (!reader) {
      reader = new SegmentReader(await open(join(this.dir, seg.name), "r"));
      this.readers.set(seg, reader);
    }
    return reader;
  }

  /** A sealed, fully committed segment is deleted; the checkpoint forgets it. */
  private async drop(seg: Segment): Promise<void> {
    await this.readers.get(seg)?.close();
    this.readers.delete(seg);
    await unlink(join(this.dir, seg.name));
    this.segments.splice(this.segments.indexOf(seg), 1);
    await this.saveCheckpoint();
  }

  private saveCheckpoint(): Promise<void> {
    const offsets = new Map<string, number>();
    for (const seg of this.segments) if (seg.committed > 0) offsets.set(seg.name, seg.committed);
    return writeCheckpoint(this.dir, offsets);
  }

  /** One coalesced update per key per run; a failure keeps the times for the next run. */
  private async touchLastUsed(): Promise<void> {
    if (this.lastUsed.size === 0 || !this.sink.touchLastUsed) return;
    const entries = [...this.lastUsed].map(([keyId, at]) => ({ keyId, at }));
    this.lastUsed = new Map();
    try {
      await this.sink.touchLastUsed(entries);
    } catch (err) {
      for (const { keyId, at } of entries) {
        if ((this.lastUsed.get(keyId) ?? -1) < at) this.lastUsed.set(keyId, at);
      }
      this.report(err);
    }
  }

  private report(err: unknown): void {
    this.s.lastError = err instanceof Error ? err.message : String(err);
    this.opts.onError?.(err);
  }
}

/** Opens the journal directory (replaying what a previous process left) and starts the writer. */
export const createMeter = (opts: MeterOptions): UsageMeter => new Meter(opts);
