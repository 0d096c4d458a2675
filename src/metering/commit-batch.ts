import type { UsageEventRecord } from "../storage/records.js";
import type { UsageSink } from "./sink.js";

export interface CommitResult {
  inserted: number;
  /** Events the sink refused one by one while it was demonstrably up, with its error. */
  refused: { event: UsageEventRecord; error: string }[];
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Inserts one batch. A batch that fails on its first attempt is thrown back (the caller backs off
 * and retries). On a repeated failure (`isolate`), events are retried one at a time, so a single
 * event the sink can never take (a value out of range, a byte the database refuses) cannot block
 * the journal forever: if the sink is up — another event went in, or `ping()` answers — events it
 * refuses twice are returned as refused. When nothing goes in and the sink cannot show it is up,
 * the original error is thrown: that is an outage, and nothing is given up.
 */
export const commitBatch = async (
  sink: UsageSink,
  events: UsageEventRecord[],
  isolate: boolean,
): Promise<CommitResult> => {
  let batchError: unknown;
  try {
    return { inserted: await sink.insertMany(events), refused: [] };
  } catch (err) {
    if (!isolate) throw err;
    batchError = err;
  }
  let inserted = 0;
  let accepted = 0;
  const failed: { event: UsageEventRecord; error: string }[] = [];
  for (const event of events) {
    try {
      inserted += await sink.insertMany([event]);
      accepted++;
    } catch (first) {
      try {
        inserted += await sink.insertMany([event]);
        accepted++;
      } catch {
        failed.push({ event, error: message(first) });
      }
    }
  }
  if (failed.length > 0 && accepted === 0) {
    const up = sink.ping
      ? await sink.ping().then(
          () => true,
          () => false,
        )
      : false;
    if (!up) throw batchError;
  }
  return { inserted, refused: failed };
};
