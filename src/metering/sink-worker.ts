import { parentPort, workerData } from "node:worker_threads";
import { type OpenStoreOptions, openStore } from "../storage/open.js";
import type { Store } from "../storage/store.js";
import type { SinkCall, SinkReply } from "./worker-sink.js";

/**
 * The store writes of the usage meter, on their own thread: a batch commit (raw rows plus rollup
 * upserts, synchronous in better-sqlite3) never stalls the event loop that serves requests.
 */
const port = parentPort;
if (!port) throw new Error("sink-worker must run in a worker thread");

const opts = workerData as OpenStoreOptions;
let store: Store | null = null;
const ready = openStore({ ...opts, migrate: false, pgPoolMax: 2, sqliteWriteOnly: true }).then((s) => {
  store = s;
  return s;
});

const run = async (call: SinkCall): Promise<unknown> => {
  const s = store ?? (await ready);
  switch (call.op) {
    case "insertMany":
      return s.usage.insertMany(call.events);
    case "touchLastUsed":
      await s.apiKeys.touchLastUsed(call.entries.map((e) => ({ id: e.keyId, at: e.at })));
      return null;
    case "ping":
      await s.ping();
      return null;
    case "close":
      await s.close();
      return null;
  }
};

port.on("message", (call: SinkCall) => {
  run(call).then(
    (value) => port.postMessage({ id: call.id, ok: true, value } satisfies SinkReply),
    (err: unknown) =>
      port.postMessage({
        id: call.id,
        ok: false,
        message: err instanceof Error ? err.message : String(err),
      } satisfies SinkReply),
  );
});
