import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { parseStoreUrl } from "../storage/open.js";
import type { UsageEventRecord } from "../storage/records.js";
import type { RangeCommit, SegmentRange } from "./commit-range.js";
import type { LastUsedEntry, UsageSink } from "./sink.js";

/** What the worker needs to open its own connection: the options createKeyplane gave openStore. */
export interface WorkerSinkStoreOptions {
  url?: string | undefined;
  dataDir: string;
  pgSchema?: string | undefined;
}

/**
 * False for a SQLite database private to its connection (`:memory:`, or an empty path: a
 * temporary file): a worker would open a different, empty one.
 */
export const workerCanShareStore = (o: WorkerSinkStoreOptions): boolean => {
  const target = parseStoreUrl(o.url, o.dataDir);
  return target.kind === "postgres" || (target.path !== "" && target.path !== ":memory:");
};

type CallBody =
  | { op: "insertMany"; events: UsageEventRecord[] }
  | { op: "commitRange"; range: SegmentRange }
  | { op: "touchLastUsed"; entries: LastUsedEntry[] }
  | { op: "ping" }
  | { op: "close" };
export type SinkCall = CallBody & { id: number };

export type SinkReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; message: string; code?: string | undefined };

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

interface Thread {
  worker: Worker;
  /** This thread's calls in flight: its death fails exactly these. */
  pending: Map<number, Pending>;
}

/** How long close() lets the worker finish its last call and close its store before ending it. */
const CLOSE_TIMEOUT_MS = 5000;

/**
 * The thread's compiled file. A worker thread cannot load TypeScript, so when this module runs
 * from src/ (vitest transpiles it on the fly) the worker comes from dist/: `npm test` builds dist
 * before vitest runs, and a test run alone needs `npm run build` first.
 */
export const workerSinkThreadUrl = (): URL => {
  if (!import.meta.url.endsWith(".ts")) return new URL("./worker-sink-thread.js", import.meta.url);
  const built = new URL("../../dist/metering/worker-sink-thread.js", import.meta.url);
  if (!existsSync(fileURLToPath(built)))
    throw new Error(`usage sink worker needs a build: ${fileURLToPath(built)} is missing (npm run build)`);
  return built;
};

const replyError = (r: { message: string; code?: string | undefined }): Error =>
  Object.assign(new Error(r.message), r.code === undefined ? {} : { code: r.code });

/**
 * A UsageSink whose store writes run on a worker thread with its own connection to the same
 * database (the main thread has migrated it already), so a batch commit — synchronous in
 * better-sqlite3, query building in Kysely — never holds the event loop that serves requests.
 *
 * Each call is answered (or rejected with the store's error message) on its own, in order. A
 * worker that dies fails its calls in flight and the next call starts a new one; the meter
 * retries from the journal, so nothing is lost. The thread is referenced only while a call is in
 * flight: an idle sink never keeps the process alive, and a pending commit always finishes.
 */
export class WorkerUsageSink implements UsageSink {
  private thread: Thread | null = null;
  private seq = 0;
  private closing: Promise<void> | null = null;
  readonly touchLastUsed?: (entries: LastUsedEntry[]) => Promise<void>;

  constructor(
    private readonly store: WorkerSinkStoreOptions,
    opts: { lastUsed?: boolean } = {},
  ) {
    // Same shape as usageSinkFromStore: the meter only writes last-use times when asked to.
    if (opts.lastUsed)
      this.touchLastUsed = async (entries) => void (await this.call({ op: "touchLastUsed", entries }));
  }

  async insertMany(events: UsageEventRecord[]): Promise<number> {
    return (await this.call({ op: "insertMany", events })) as number;
  }

  /** The worker reads and decodes the batch itself: the serving thread only names the range. */
  async commitRange(range: SegmentRange): Promise<RangeCommit> {
    return (await this.call({ op: "commitRange", range })) as RangeCommit;
  }

  /** Last-use times on the worker's connection, whether or not the meter writes them (see main.ts). */
  async touchKeys(entries: LastUsedEntry[]): Promise<void> {
    await this.call({ op: "touchLastUsed", entries });
  }

  async ping(): Promise<void> {
    await this.call({ op: "ping" });
  }

  /** The current worker's thread id; null before the first call, after a crash, after close. */
  get threadId(): number | null {
    return this.thread?.worker.threadId ?? null;
  }

  /** Lets the last call finish, closes the worker's store and ends the thread; idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const t = this.thread;
    if (!t) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.send(t, { op: "close" }).catch(() => undefined),
      new Promise((resolve) => {
        timer = setTimeout(resolve, CLOSE_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timer);
    await t.worker.terminate();
  }

  private call(body: CallBody): Promise<unknown> {
    if (this.closing) return Promise.reject(new Error("usage sink is closed"));
    let t: Thread;
    try {
      t = this.thread ?? this.start();
    } catch (err) {
      return Promise.reject(err);
    }
    return this.send(t, body);
  }

  private send(t: Thread, body: CallBody): Promise<unknown> {
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      if (t.pending.size === 0) t.worker.ref();
      t.pending.set(id, { resolve, reject });
      t.worker.postMessage({ ...body, id });
    });
  }

  private start(): Thread {
    const worker = new Worker(workerSinkThreadUrl(), {
      workerData: this.store,
      // The parent's flags are for the parent (--input-type, say, is refused in a worker).
      execArgv: [],
      // The worker's garbage is per-batch query objects; every MB of semi-space is resident memory.
      resourceLimits: { maxYoungGenerationSizeMb: 8 },
    });
    const t: Thread = { worker, pending: new Map() };
    worker.unref();
    worker.on("message", (r: SinkReply) => {
      const p = t.pending.get(r.id);
      if (!p) return;
      t.pending.delete(r.id);
      if (t.pending.size === 0) worker.unref();
      if (r.ok) p.resolve(r.value);
      else p.reject(replyError(r));
    });
    const fail = (err: Error) => {
      if (this.thread === t) this.thread = null;
      for (const p of t.pending.values()) p.reject(err);
      t.pending.clear();
    };
    worker.on("error", (err) => fail(new Error(`usage sink worker failed: ${err.message}`)));
    worker.on("exit", (code) => fail(new Error(`usage sink worker exited (code ${code})`)));
    this.thread = t;
    return t;
  }
}
