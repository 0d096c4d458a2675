import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Worker } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";
import { commitBatch } from "../../src/metering/commit-batch.js";
import { encodeEvent } from "../../src/metering/journal-line.js";
import { type WorkerSinkStoreOptions, WorkerUsageSink } from "../../src/metering/worker-sink.js";
import { apiKey, org, project, usageEvent } from "../../src/storage/contract/fixtures.js";
import { openStore } from "../../src/storage/open.js";
import type { UsageEventRecord } from "../../src/storage/records.js";
import type { Store } from "../../src/storage/store.js";
import { freshPgSchema, freshSqlite, TEST_PG_URL } from "../helpers/db.js";

// The worker runs dist/metering/worker-sink-thread.js: `npm test` builds it first; alone, run `npm run build`.

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** A database nobody has migrated yet, as createKeyplane would describe it to the worker. */
type Fresh = () => Promise<WorkerSinkStoreOptions>;
const targets: [string, Fresh][] = [
  [
    "sqlite",
    async () => {
      const db = freshSqlite();
      cleanups.push(db.cleanup);
      return { url: db.url, dataDir: db.dataDir };
    },
  ],
  [
    "postgres",
    async () => {
      const pg = await freshPgSchema("wsink");
      cleanups.push(pg.drop);
      // The form createKeyplane uses: the schema as an option, not in the URL.
      return { url: TEST_PG_URL, dataDir: "unused", pgSchema: pg.schema };
    },
  ],
];

const openSink = (options: WorkerSinkStoreOptions, opts: { lastUsed?: boolean } = {}): WorkerUsageSink => {
  const sink = new WorkerUsageSink(options, opts);
  cleanups.push(() => sink.close());
  return sink;
};

/** The main thread's store: it migrates, as createKeyplane does before the meter starts. */
const openMain = async (options: WorkerSinkStoreOptions): Promise<Store> => {
  const store = await openStore({ ...options, pgPoolMax: 2 });
  cleanups.push(() => store.close());
  return store;
};

const killWorker = (sink: WorkerUsageSink): Promise<number> =>
  (sink as unknown as { thread: { worker: Worker } }).thread.worker.terminate();

const T = 1_800_000_000_000;
const events = (orgId: string, n: number): UsageEventRecord[] =>
  Array.from({ length: n }, (_, i) => usageEvent(orgId, { createdAtMs: T + i }));
const stored = async (store: Store, orgId: string): Promise<number> =>
  (await store.usage.listRange(orgId, T - 1, T + 1_000_000)).length;

describe.each(targets)("worker usage sink on %s", (name, fresh) => {
  it("leaves migrations to the main thread and sends the store's errors back per call", async () => {
    const options = await fresh();
    const sink = openSink(options);
    const o = org();
    const first = await sink.insertMany(events(o.id, 1)).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(Error);
    expect((first as Error).message).toMatch(/usage_events/);
    // The connection itself is fine: only the table is missing.
    await sink.ping();

    const store = await openMain(options);
    const batch = events(o.id, 3);
    expect(await sink.insertMany(batch)).toBe(3);
    expect(await stored(store, o.id)).toBe(3);
  });

  it("commits a journal range it reads itself: bad and torn lines come back, re-sends insert nothing", async () => {
    const options = await fresh();
    const store = await openMain(options);
    const sink = openSink(options);
    const o = org();
    const batch = events(o.id, 5);
    const lines = batch.map(encodeEvent);
    const text = `${lines.slice(0, 2).join("")}not json\n${lines.slice(2).join("")}${lines[0]?.slice(0, 20)}`;
    const dir = mkdtempSync(join(tmpdir(), "kp-range-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, "seg.jsonl");
    writeFileSync(path, text);
    const size = Buffer.byteLength(text);

    // At most `max` events per call; the offset moves past exactly what was consumed.
    const first = await sink.commitRange({ path, from: 0, end: size, max: 3, sealed: false });
    expect(first).toMatchObject({ events: 3, inserted: 3, rejected: ["not json"], torn: false });
    const rest = await sink.commitRange({ path, from: first.next, end: size, max: 10, sealed: true });
    expect(rest).toMatchObject({ events: 2, inserted: 2, torn: true, next: size });
    expect(rest.rejected).toEqual([lines[0]?.slice(0, 20)]);
    expect(await stored(store, o.id)).toBe(5);
    expect(await sink.commitRange({ path, from: 0, end: size, max: 10, sealed: true })).toMatchObject({
      events: 5,
      inserted: 0,
    });
    await expect(
      sink.commitRange({ path: join(dir, "gone.jsonl"), from: 0, end: 1, max: 1, sealed: true }),
    ).rejects.toThrow(/ENOENT/);
  });

  it("inserts idempotently by id, answers concurrent calls each on its own", async () => {
    const options = await fresh();
    const store = await openMain(options);
    const sink = openSink(options);
    const o = org();
    const batch = events(o.id, 50);
    expect(await sink.insertMany(batch)).toBe(50);
    expect(await sink.insertMany(batch)).toBe(0);
    const more = events(o.id, 25);
    expect(await sink.insertMany([...batch.slice(0, 25), ...more])).toBe(25);
    expect(await store.usage.listRange(o.id, T - 1, T + 1000)).toEqual(
      [...batch, ...more].sort((a, b) => a.createdAtMs - b.createdAtMs || a.id.localeCompare(b.id)),
    );

    const bad = { ...usageEvent(o.id), model: null } as unknown as UsageEventRecord;
    const [a, b, c] = await Promise.allSettled([
      sink.insertMany(events(o.id, 2)),
      sink.insertMany([bad]),
      sink.insertMany(events(o.id, 4)),
    ]);
    expect(a).toEqual({ status: "fulfilled", value: 2 });
    expect(c).toEqual({ status: "fulfilled", value: 4 });
    expect(b?.status).toBe("rejected");
    const err = (b as PromiseRejectedResult).reason as Error & { code?: string };
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(/model/);
    expect(err.code).toBe(name === "sqlite" ? "SQLITE_CONSTRAINT_NOTNULL" : "23502");

    // The meter's isolate path tells the one bad event from an outage through these replies.
    const good = events(o.id, 2);
    const result = await commitBatch(
      sink,
      [good[0] as UsageEventRecord, bad, good[1] as UsageEventRecord],
      true,
    );
    expect(result.inserted).toBe(2);
    expect(result.refused.map((r) => r.event)).toEqual([bad]);
    expect(result.refused[0]?.error).toMatch(/model/);
    expect(await stored(store, o.id)).toBe(50 + 25 + 2 + 4 + 2);
  });

  it("writes last-use times only when asked to", async () => {
    const options = await fresh();
    const store = await openMain(options);
    const o = org();
    const p = project(o.id);
    const key = apiKey(o.id, p.id);
    await store.organizations.insert(o);
    await store.projects.insert(p);
    await store.apiKeys.insert(key, { digest: `d_${key.id}`, keyId: key.id, createdAt: 1, expiresAt: null });
    expect(openSink(options).touchLastUsed).toBeUndefined();
    const sink = openSink(options, { lastUsed: true });
    await sink.touchLastUsed?.([{ keyId: key.id, at: 1_800_000_123 }]);
    expect((await store.apiKeys.get(o.id, key.id))?.lastUsedAt).toBe(1_800_000_123);
  });

  it("close lets the call in flight finish, ends the thread and refuses later calls", async () => {
    const options = await fresh();
    const store = await openMain(options);
    const sink = openSink(options);
    const o = org();
    const inFlight = sink.insertMany(events(o.id, 2000));
    const closed = sink.close();
    expect(await inFlight).toBe(2000);
    await closed;
    expect(sink.threadId).toBeNull();
    await expect(sink.insertMany(events(o.id, 1))).rejects.toThrow(/closed/);
    await sink.close();
    expect(await stored(store, o.id)).toBe(2000);
  });

  it("a killed worker fails its calls in flight and the next call starts a new one", async () => {
    const options = await fresh();
    const store = await openMain(options);
    const sink = openSink(options);
    const o = org();
    await sink.ping();
    const first = sink.threadId;
    expect(first).not.toBeNull();
    const batch = events(o.id, 5000);
    const inFlight = sink.insertMany(batch);
    await killWorker(sink);
    await expect(inFlight).rejects.toThrow(/usage sink worker exited/);
    expect(sink.threadId).toBeNull();

    // A batch is one transaction: the kill left all of it or none of it, and the retry completes it.
    // On SQLite this also shows the dead thread's connection let go of the write lock.
    const retried = await sink.insertMany(batch);
    expect([0, 5000]).toContain(retried);
    expect(sink.threadId).not.toBeNull();
    expect(sink.threadId).not.toBe(first);
    expect(await sink.insertMany(batch)).toBe(0);
    expect(await stored(store, o.id)).toBe(5000);
    const [row] = await store.usage.aggregate({
      orgId: o.id,
      granularity: "day",
      fromSec: T / 1000 - 86_400,
      toSec: T / 1000 + 86_400,
      groupBy: [],
    });
    expect(row?.requests).toBe(5000);
  });
});

describe("worker usage sink from the compiled build", () => {
  it("holds the process open for a call in flight, never while idle", async () => {
    const db = freshSqlite();
    cleanups.push(db.cleanup);
    const options = { url: db.url, dataDir: db.dataDir };
    const store = await openMain(options);
    const o = org();
    const dist = resolve(import.meta.dirname, "../../dist/metering/worker-sink.js");
    // No await and no close(): the process must still get both replies (the second is sent to a
    // worker already idle once), then exit by itself.
    const script = `
      const { WorkerUsageSink } = await import(${JSON.stringify(dist)});
      const sink = new WorkerUsageSink(${JSON.stringify(options)});
      sink.ping()
        .then(() => sink.insertMany(${JSON.stringify(events(o.id, 3))}))
        .then((n) => console.log("inserted", n));
    `;
    // A file, not `-e`: a worker inherits the parent's flags, and `--input-type` is refused there.
    const file = join(db.dataDir, "idle-sink.mjs");
    writeFileSync(file, script);
    const child = spawn(process.execPath, [file], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (b: Buffer) => {
      out += b.toString();
    });
    const code = await new Promise<number | null>((done) => {
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      child.on("exit", (c) => {
        clearTimeout(timer);
        done(c);
      });
    });
    expect(code).toBe(0);
    expect(out.trim()).toBe("inserted 3");
    expect(await stored(store, o.id)).toBe(3);
  });
});
