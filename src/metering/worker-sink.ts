import { Worker } from "node:worker_threads";
import type { OpenStoreOptions } from "../storage/open.js";
import type { UsageEventRecord } from "../storage/records.js";
import type { LastUsedEntry, UsageSink } from "./sink.js";

export type SinkCall = { id: number } & (
  | { op: "insertMany"; events: UsageEventRecord[] }
  | { op: "touchLastUsed"; entries: LastUsedEntry[] }
  | { op: "ping" }
  | { op: "close" }
);
type Op = SinkCall extends infer C ? (C extends { op: infer O } ? O : never) : never;
export type SinkReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string };

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

/**
 * The worker's compiled file. Tests run the TypeScript sources, which a worker thread cannot
 * load, so from src/ this points at dist/ (`npm test` builds dist before vitest runs).
 */
const workerUrl = (): URL =>
  import.meta.url.endsWith(".ts")
    ? new URL("../../dist/metering/sink-worker.js", import.meta.url)
    : new URL("./sink-worker.js", import.meta.url);

/**
 * A UsageSink whose store writes run in a worker thread with its own connection (same database,
 * same options; the main thread has already migrated it). Calls are answered in order; a worker
 * that dies fails the calls in flight (the meter retries them from the journal) and the next call
 * starts a new one.
 */
export class WorkerUsageSink implements UsageSink {
  private worker: Worker | null = null;
  /** Calls in flight on the current worker. */
  private pending = new Map<number, Pending>();
  private seq = 0;
  private closed = false;

  constructor(
    private readonly store: OpenStoreOptions,
    private readonly opts: { lastUsed?: boolean } = {},
  ) {
    if (opts.lastUsed)
      this.touchLastUsed = (entries) => this.call("touchLastUsed", { entries }).then(() => {});
  }

  insertMany(events: UsageEventRecord[]): Promise<number> {
    return this.call("insertMany", { events }) as Promise<number>;
  }

  touchLastUsed?: (entries: LastUsedEntry[]) => Promise<void>;

  ping(): Promise<void> {
    return this.call("ping", {}).then(() => {});
  }

  /** Closes the worker's store and ends the thread; idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const w = this.worker;
    if (!w) return;
    await this.send(w, "close", {}).catch(() => {});
    await w.terminate();
  }

  private call(op: Op, args: object): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error("usage sink is closed"));
    return this.send(this.worker ?? this.start(), op, args);
  }

  private send(w: Worker, op: Op, args: object): Promise<unknown> {
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.postMessage({ id, op, ...args });
    });
  }

  private start(): Worker {
    // A small young generation: the worker's garbage is per-batch query objects, and every MB
    // of semi-space is resident memory.
    const w = new Worker(workerUrl(), {
      workerData: this.store,
      resourceLimits: { maxYoungGenerationSizeMb: 8 },
    });
    const pending = new Map<number, Pending>();
    this.pending = pending;
    // Never keeps the process alive on its own; close() ends it deliberately.
    w.unref();
    w.on("message", (r: SinkReply) => {
      const p = pending.get(r.id);
      if (!p) return;
      pending.delete(r.id);
      if (r.ok) p.resolve(r.value);
      else p.reject(new Error(r.message));
    });
    const fail = (err: Error) => {
      if (this.worker === w) this.worker = null;
      for (const p of pending.values()) p.reject(err);
      pending.clear();
    };
    w.on("error", fail);
    w.on("exit", (code) => fail(new Error(`usage sink worker exited with code ${code}`)));
    this.worker = w;
    return w;
  }
}
