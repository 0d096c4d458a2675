import { parentPort, workerData } from "node:worker_threads";
import { openStore } from "../storage/open.js";
import type { Store } from "../storage/store.js";
import { commitRange, SegmentReaders } from "./commit-range.js";
import type { SinkCall, SinkReply, WorkerSinkStoreOptions } from "./worker-sink.js";

/**
 * The worker thread behind WorkerUsageSink: its own store connection, one call at a time, in the
 * order they were sent (close waits for the call before it).
 */
const port = parentPort;
if (!port) throw new Error("worker-sink-thread must run in a worker thread");
const options = workerData as WorkerSinkStoreOptions;

let opening: Promise<Store> | null = null;
/** The segment being committed, open from one batch to the next. */
const readers = new SegmentReaders();
/** Opened on first use, and again after a failed open (e.g. PostgreSQL was down at the time). */
const store = (): Promise<Store> => {
  opening ??= openStore({
    url: options.url,
    dataDir: options.dataDir,
    pgSchema: options.pgSchema,
    // The main thread migrated already; calls are serialized, so two connections are plenty.
    migrate: false,
    pgPoolMax: 2,
    sqliteWriteOnly: true,
  }).catch((err: unknown) => {
    opening = null;
    throw err;
  });
  return opening;
};

const run = async (call: SinkCall): Promise<unknown> => {
  switch (call.op) {
    case "insertMany":
      return (await store()).usage.insertMany(call.events);
    case "commitRange": {
      const s = await store();
      return commitRange(call.range, (events) => s.usage.insertMany(events), readers);
    }
    case "touchLastUsed":
      return (await store()).apiKeys.touchLastUsed(call.entries.map((e) => ({ id: e.keyId, at: e.at })));
    case "ping":
      return (await store()).ping();
    case "close": {
      await readers.close();
      const open = opening;
      opening = null;
      if (open) await (await open.catch(() => null))?.close();
      return undefined;
    }
  }
};

const reply = (call: SinkCall, err: unknown): SinkReply => {
  const code = (err as { code?: unknown } | null)?.code;
  return {
    id: call.id,
    ok: false,
    message: err instanceof Error ? err.message : String(err),
    code: typeof code === "string" ? code : undefined,
  };
};

let tail: Promise<void> = Promise.resolve();
port.on("message", (call: SinkCall) => {
  tail = tail.then(() =>
    run(call).then(
      (value) => port.postMessage({ id: call.id, ok: true, value: value ?? null } satisfies SinkReply),
      (err: unknown) => port.postMessage(reply(call, err)),
    ),
  );
});
