import type { UsageEventRecord } from "../storage/records.js";
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
 * - A batch the sink refuses is retried with backoff; on its second failure it is retried event by
 *   event, and an event the sink refuses while demonstrably up goes to rejected.log instead of
 *   blocking every later event (see commit-batch.ts).
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
  /** Journal lines that did not decode (kept in rejected.log). */
  rejectedLines: number;
  /** Partial last lines skipped (a write cut short by a crash). */
  tornLines: number;
  /** Events the sink refused one by one while up (kept in rejected.log with its error). */
  refusedEvents: number;
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
  /**
   * Stops appends, commits what is journaled, releases the directory. Rejects if the sink fails;
   * the events stay in the journal for the next start. Waits as long as the sink does: a shutdown
   * may give up waiting and exit, since nothing journaled is lost.
   */
  close(): Promise<void>;
  backlog(): number;
  stats(): MeterStats;
}
