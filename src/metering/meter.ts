import { randomBytes } from "node:crypto";
import { mkdirSync, statSync } from "node:fs";
import { open, unlink } from "node:fs/promises";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { Config } from "../config/schema.js";
import type { UsageEventRecord } from "../storage/records.js";
import { type CommitResult, commitBatch } from "./commit-batch.js";
import type { RangeCommit } from "./commit-range.js";
import {
  listSegments,
  lockDir,
  quarantine,
  readCheckpoint,
  type Segment,
  writeCheckpoint,
} from "./journal-dir.js";
import { encodeEvent } from "./journal-line.js";
import { JournalWriter } from "./journal-writer.js";
import type { MeterOptions, MeterStats, UsageMeter } from "./meter-api.js";
import { SegmentReader } from "./segment-reader.js";
import type { UsageSink } from "./sink.js";

export type { MeterOptions, MeterStats, UsageMeter } from "./meter-api.js";

const MAX_BACKOFF_MS = 30_000;
/**
 * A checkpoint is a file write and a rename; writing one every few batches (and at the end of each
 * run) keeps it off the per-event cost. A crash re-sends at most this many batches, which the
 * idempotent sink ignores.
 */
const CHECKPOINT_EVERY_BATCHES = 4;
/**
 * Background runs end with a checkpoint at most this often (explicit flushes and close always
 * write one): under load a run ends every few batches, and a checkpoint per run was a file
 * write and rename several times a second on the serving thread.
 */
const CHECKPOINT_INTERVAL_MS = 1000;

/** What one batch did: RangeCommit plus the events the sink refused one by one (isolation). */
type Step = RangeCommit & { refused: CommitResult["refused"] };

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
  /** Batches and drops since the last checkpoint. */
  private uncheckpointed = 0;
  private lastCheckpointMs = 0;
  /** Where the last failed batch started; a second failure there isolates the bad event. */
  private stuck: { seg: Segment; offset: number } | null = null;
  private readonly s: Omit<MeterStats, "backlog" | "backlogBytes" | "segments"> = {
    appended: 0,
    committed: 0,
    inserted: 0,
    replayed: 0,
    rejectedLines: 0,
    tornLines: 0,
    refusedEvents: 0,
    flushes: 0,
    flushErrors: 0,
    lastFlushMs: 0,
    lastFlushAtMs: null,
    lastError: null,
  };

  constructor(private readonly opts: MeterOptions) {
    this.dir = opts.dir;
    this.sink = opts.sink;
    this.batchSize = opts.batchSize ?? 2000;
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
    return this.enqueue(true);
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
      await this.enqueue(true);
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
    // A checkpoint held back by its interval is written by a later (possibly empty) run, started
    // here only once it is due, so an idle meter does not run empty every tick meanwhile.
    const checkpointDue =
      this.uncheckpointed > 0 && performance.now() - this.lastCheckpointMs >= CHECKPOINT_INTERVAL_MS;
    if (checkpointDue || this.segments.some((seg) => seg.sealed || seg.committed < seg.end)) this.kick();
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
  private enqueue(checkpoint = false): Promise<void> {
    const run = this.tail.then(() => this.run(checkpoint));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async run(checkpoint: boolean): Promise<void> {
    this.writer.writePending();
    const started = performance.now();
    const before = this.s.committed;
    // Stop at what is written now, so a run ends even while appends keep coming.
    const target = this.segments.at(-1);
    const targetEnd = target?.end ?? 0;
    try {
      try {
        for (let seg = this.segments[0]; seg !== undefined; seg = this.segments[0]) {
          await this.drain(seg, seg === target ? targetEnd : seg.end);
          if (!seg.sealed || seg.committed < seg.end) break;
          await this.drop(seg);
        }
      } finally {
        const due = checkpoint || performance.now() - this.lastCheckpointMs >= CHECKPOINT_INTERVAL_MS;
        if (this.uncheckpointed > 0 && due) await this.saveCheckpoint();
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

  /** Sends `[seg.committed, end)` to the sink batch by batch, checkpointing every few batches. */
  private async drain(seg: Segment, end: number): Promise<void> {
    while (seg.committed < end) {
      const isolate = this.stuck?.seg === seg && this.stuck.offset === seg.committed;
      let step: Step;
      try {
        step = await this.commitNext(seg, end, isolate);
      } catch (err) {
        this.stuck = { seg, offset: seg.committed };
        throw err;
      }
      if (step.next === seg.committed) return;
      this.stuck = null;
      const held: { reason: string; line: string }[] = step.rejected.map((line, i) => ({
        reason: step.torn && i === step.rejected.length - 1 ? "torn" : "undecodable",
        line,
      }));
      this.s.inserted += step.inserted;
      this.s.refusedEvents += step.refused.length;
      for (const r of step.refused)
        held.push({ reason: `refused: ${r.error}`, line: encodeEvent(r.event).trimEnd() });
      const committed = step.events - step.refused.length;
      this.s.committed += committed;
      if (!seg.own) this.s.replayed += committed;
      const completeRejected = step.rejected.length - (step.torn ? 1 : 0);
      if (seg.own) this.committedOwn += step.events + completeRejected;
      this.s.rejectedLines += completeRejected;
      if (step.torn) this.s.tornLines++;
      await quarantine(this.dir, seg.name, held);
      seg.committed = step.next;
      if (++this.uncheckpointed >= CHECKPOINT_EVERY_BATCHES) await this.saveCheckpoint();
    }
  }

  /**
   * One batch into the sink. A sink that can read the journal itself (the worker thread) is given
   * the byte range; the events are read and decoded here only when the meter needs them one by
   * one: isolating a bad event after a failure, or noting last-use times.
   */
  private async commitNext(seg: Segment, end: number, isolate: boolean): Promise<Step> {
    const sink = this.sink;
    if (sink.commitRange && !isolate && !sink.touchLastUsed) {
      const r = await sink.commitRange({
        path: join(this.dir, seg.name),
        from: seg.committed,
        end,
        max: this.batchSize,
        sealed: seg.sealed,
      });
      return { ...r, refused: [] };
    }
    const batch = await (await this.readerFor(seg)).read(seg.committed, end, this.batchSize, seg.sealed);
    const step: Step = { ...batch, events: batch.events.length, inserted: 0, refused: [] };
    if (batch.events.length === 0) return step;
    const result: CommitResult = await commitBatch(sink, batch.events, isolate);
    if (sink.touchLastUsed) this.noteLastUsed(batch.events);
    return { ...step, inserted: result.inserted, refused: result.refused };
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
    this.uncheckpointed++;
  }

  private async saveCheckpoint(): Promise<void> {
    this.uncheckpointed = 0;
    this.lastCheckpointMs = performance.now();
    const offsets = new Map<string, number>();
    for (const seg of this.segments) if (seg.committed > 0) offsets.set(seg.name, seg.committed);
    await writeCheckpoint(this.dir, offsets);
  }

  private noteLastUsed(events: readonly Pick<UsageEventRecord, "keyId" | "createdAtMs">[]): void {
    for (const e of events) {
      const at = Math.floor(e.createdAtMs / 1000);
      if ((this.lastUsed.get(e.keyId) ?? -1) < at) this.lastUsed.set(e.keyId, at);
    }
  }

  /** One coalesced update per key per run; a failure keeps the times for the next run. */
  private async touchLastUsed(): Promise<void> {
    if (this.lastUsed.size === 0 || !this.sink.touchLastUsed) return;
    const entries = [...this.lastUsed].map(([keyId, at]) => ({ keyId, at }));
    this.lastUsed = new Map();
    try {
      await this.sink.touchLastUsed(entries);
    } catch (err) {
      this.noteLastUsed(entries.map(({ keyId, at }) => ({ keyId, createdAtMs: at * 1000 })));
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

/** The config's share of MeterOptions: the journal lives in `<dataDir>/journal`. */
export const meterOptionsFromConfig = (
  config: Pick<Config, "dataDir" | "metering">,
): Pick<MeterOptions, "dir" | "flushIntervalMs" | "batchSize" | "fsyncIntervalMs"> => ({
  dir: join(config.dataDir, "journal"),
  flushIntervalMs: config.metering.flushIntervalMs,
  batchSize: config.metering.batchSize,
  fsyncIntervalMs: config.metering.fsyncIntervalMs,
});
