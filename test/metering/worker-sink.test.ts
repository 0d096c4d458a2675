import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createMeter } from "../../src/metering/meter.js";
import { WorkerUsageSink } from "../../src/metering/worker-sink.js";
import { apiKey, org, project, usageEvent } from "../../src/storage/contract/fixtures.js";
import { type OpenStoreOptions, openStore } from "../../src/storage/open.js";
import { freshPgSchema } from "../helpers/db.js";

const root = mkdtempSync(join(tmpdir(), "kp-worker-sink-"));
const pg = await freshPgSchema("wsink");
afterAll(async () => {
  await pg.drop();
  rmSync(root, { recursive: true, force: true });
});

const targets: [string, OpenStoreOptions][] = [
  ["sqlite", { dataDir: join(root, "sqlite") }],
  ["postgres", { url: pg.url, dataDir: "unused" }],
];

describe.each(targets)("usage sink in a worker thread → %s", (name, opts) => {
  it("commits batches idempotently, answers errors per call, and survives a dead worker", async () => {
    const store = await openStore({ ...opts, pgPoolMax: 2 });
    const sink = new WorkerUsageSink(opts, { lastUsed: true });
    try {
      const o = org();
      const p = project(o.id);
      const key = apiKey(o.id, p.id);
      await store.organizations.insert(o);
      await store.projects.insert(p);
      await store.apiKeys.insert(key, {
        digest: `d_${key.id}`,
        keyId: key.id,
        createdAt: 1,
        expiresAt: null,
      });
      const t = 1_800_000_000_000;
      const events = Array.from({ length: 30 }, (_, i) =>
        usageEvent(o.id, { projectId: p.id, keyId: key.id, createdAtMs: t + i * 1000 }),
      );

      await sink.ping();
      expect(await sink.insertMany(events.slice(0, 20))).toBe(20);
      // A replayed batch overlapping what is stored adds only the new events.
      expect(await sink.insertMany(events.slice(10))).toBe(10);
      expect(await store.usage.listRange(o.id, t, t + 60_000)).toEqual(events);

      // An event the database refuses fails that call with the database's message, not the next one.
      const bad = { ...usageEvent(o.id, { projectId: p.id, keyId: key.id }), model: null as never };
      await expect(sink.insertMany([bad])).rejects.toThrow(Error);
      await sink.touchLastUsed?.([{ keyId: key.id, at: t / 1000 + 5 }]);
      expect((await store.apiKeys.get(o.id, key.id))?.lastUsedAt).toBe(t / 1000 + 5);

      // A worker that dies fails its calls in flight; the next call starts a new one.
      const worker = (sink as unknown as { worker: { terminate(): Promise<number> } }).worker;
      await worker.terminate();
      const late = usageEvent(o.id, { projectId: p.id, keyId: key.id, createdAtMs: t + 59_000 });
      expect(await sink.insertMany([late])).toBe(1);
    } finally {
      await sink.close();
      await store.close();
    }
    await expect(sink.insertMany([])).rejects.toThrow(/closed/);
  });

  it("takes a meter's journal to the store from the worker on the same database", async () => {
    const store = await openStore({ ...opts, pgPoolMax: 2 });
    const sink = new WorkerUsageSink(opts);
    try {
      const o = org();
      await store.organizations.insert(o);
      const meter = createMeter({ dir: join(root, `journal-${name}`), sink, flushIntervalMs: 60_000 });
      const t = 1_800_000_100_000;
      const events = Array.from({ length: 40 }, (_, i) => usageEvent(o.id, { createdAtMs: t + i }));
      for (const e of events) await meter.append(e);
      await meter.close();
      expect(await store.usage.listRange(o.id, t, t + 1000)).toEqual(events);
    } finally {
      await sink.close();
      await store.close();
    }
  });
});
