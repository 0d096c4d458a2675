import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { commitRange } from "../../src/metering/commit-range.js";
import { createMeter, meterOptionsFromConfig, type UsageMeter } from "../../src/metering/meter.js";
import type { UsageSink } from "../../src/metering/sink.js";
import type { UsageEventRecord } from "../../src/storage/records.js";
import { openSqliteSink, type SqliteSink, usageEvent } from "./sqlite-sink.js";

let root: string;
let dir: string;
let db: SqliteSink;
const meters: UsageMeter[] = [];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "kp-meter-"));
  dir = join(root, "journal");
  db = openSqliteSink(join(root, "usage.db"));
});

afterEach(async () => {
  for (const m of meters.splice(0)) await m.close().catch(() => undefined);
  db.close();
  rmSync(root, { recursive: true, force: true });
});

/** Long interval by default so tests drive flushes explicitly. */
/**
 * Every test runs twice: with a sink that takes decoded events, and with one that also reads
 * journal ranges itself (as the worker-thread sink does), so both of the meter's paths are held
 * to the same behaviour.
 */
let mode: "events" | "ranges" = "events";
const withRanges = (sink: UsageSink): UsageSink => ({
  ...sink,
  commitRange: (range) => commitRange(range, (events) => sink.insertMany(events)),
});

const open = (
  opts: { sink?: UsageSink; batchSize?: number; flushIntervalMs?: number; maxSegmentBytes?: number } = {},
) => {
  const sink = opts.sink ?? db.sink;
  const m = createMeter({
    dir,
    flushIntervalMs: 60_000,
    ...opts,
    sink: mode === "ranges" ? withRanges(sink) : sink,
  });
  meters.push(m);
  return m;
};

const segments = (): string[] => readdirSync(dir).filter((f) => f.endsWith(".jsonl"));

describe.each(["events", "ranges"] as const)("meter with a sink taking %s", (m) => {
  beforeEach(() => {
    mode = m;
  });

  describe("append and flush", () => {
    it("journals events, commits them in batches, then checkpoints", async () => {
      const sizes: number[] = [];
      const sink: UsageSink = {
        insertMany: async (events) => {
          sizes.push(events.length);
          return db.sink.insertMany(events);
        },
      };
      const m = open({ sink, batchSize: 7 });
      const events = Array.from({ length: 20 }, () => usageEvent());
      await Promise.all(events.map((e) => m.append(e)));
      const journal = readFileSync(join(dir, segments()[0] ?? "missing"), "utf8");
      expect(journal.split("\n").filter(Boolean)).toHaveLength(20);

      await m.flush();
      expect(db.ids()).toEqual(events.map((e) => e.id).sort());
      expect(m.backlog()).toBe(0);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(7);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(20);
      expect(m.stats()).toMatchObject({
        appended: 20,
        committed: 20,
        inserted: 20,
        replayed: 0,
        backlogBytes: 0,
      });
      const checkpoint = JSON.parse(readFileSync(join(dir, "checkpoint.json"), "utf8"));
      expect(Object.values(checkpoint.segments)).toEqual([Buffer.byteLength(journal)]);
    });

    it("counts appended but uncommitted events as backlog", async () => {
      const m = open();
      for (let i = 0; i < 3; i++) await m.append(usageEvent());
      expect(m.backlog()).toBe(3);
      expect(m.stats().backlogBytes).toBeGreaterThan(0);
      await m.flush();
      expect(m.backlog()).toBe(0);
      expect(m.stats().lastFlushAtMs).not.toBeNull();
    });

    it("appendSync journals before returning", async () => {
      const m = open();
      const e = usageEvent();
      m.appendSync(e);
      const journal = readFileSync(join(dir, segments()[0] ?? "missing"), "utf8");
      expect(journal).toContain(e.id);
      await m.flush();
      expect(db.ids()).toEqual([e.id]);
    });

    it("keeps every field through the journal", async () => {
      const failing: UsageSink = { insertMany: async () => Promise.reject(new Error("down")) };
      const m = createMeter({ dir, sink: failing, flushIntervalMs: 60_000 });
      const e = usageEvent({
        model: 'odd\nmodel "q" \u2028 ✓',
        estimated: true,
        status: 499,
        costMicros: 123_456_789,
      });
      await m.append(e);
      await expect(m.close()).rejects.toThrow("down");
      const captured: UsageEventRecord[] = [];
      const capture: UsageSink = {
        insertMany: async (events) => {
          captured.push(...events);
          return events.length;
        },
      };
      await open({ sink: capture }).flush();
      expect(captured).toEqual([e]);
    });

    it("counts a multi-byte line in bytes, so the events after it commit too", async () => {
      const m = open();
      const wide = usageEvent({ model: "модель ✓ 😀" });
      const next = usageEvent();
      await m.append(wide);
      m.appendSync(next);
      await m.flush();
      expect(db.ids().sort()).toEqual([wide.id, next.id].sort());
    });

    it("starts a run by itself once batchSize events are pending", async () => {
      const m = open({ batchSize: 10 });
      for (let i = 0; i < 25; i++) await m.append(usageEvent());
      await expect.poll(() => db.ids().length, { timeout: 5000 }).toBeGreaterThanOrEqual(20);
    });

    it("flushes on its interval", async () => {
      const m = open({ flushIntervalMs: 20 });
      await m.append(usageEvent());
      await expect.poll(() => db.ids().length, { timeout: 5000 }).toBe(1);
    });

    it("an idle meter still writes the checkpoint its background runs held back", async () => {
      const m = open({ flushIntervalMs: 20, batchSize: 5 });
      const checkpoints = (): number => {
        try {
          const c = JSON.parse(readFileSync(join(dir, "checkpoint.json"), "utf8"));
          return Object.values(c.segments as Record<string, number>).reduce((a, b) => a + b, 0);
        } catch {
          return 0;
        }
      };
      for (let i = 0; i < 12; i++) await m.append(usageEvent());
      await expect.poll(() => db.ids().length, { timeout: 5000 }).toBe(12);
      const size = readFileSync(join(dir, segments()[0] ?? "missing")).length;
      // Nothing else is appended: the tick's empty run writes the held-back checkpoint.
      await expect.poll(checkpoints, { timeout: 5000 }).toBe(size);
      expect(m.stats()).toMatchObject({ committed: 12, backlog: 0 });
    });

    it("coalesces last-used times to one per key, the latest", async () => {
      const calls: number[] = [];
      const sink: UsageSink = {
        insertMany: db.sink.insertMany,
        touchLastUsed: async (entries) => {
          calls.push(entries.length);
          await db.sink.touchLastUsed?.(entries);
        },
      };
      const m = open({ sink });
      await m.append(usageEvent({ keyId: "key_a", createdAtMs: 5_000 }));
      await m.append(usageEvent({ keyId: "key_a", createdAtMs: 9_999 }));
      await m.append(usageEvent({ keyId: "key_a", createdAtMs: 7_000 }));
      await m.append(usageEvent({ keyId: "key_b", createdAtMs: 3_000 }));
      await m.flush();
      expect(calls).toEqual([2]);
      expect(db.lastUsed()).toEqual(
        new Map([
          ["key_a", 9],
          ["key_b", 3],
        ]),
      );
    });
  });

  describe("last-used failures", () => {
    it("keeps last-used times after a failed touch and writes them on the next run", async () => {
      let fail = true;
      const errors: unknown[] = [];
      const sink: UsageSink = {
        insertMany: db.sink.insertMany,
        touchLastUsed: async (entries) => {
          if (fail) throw new Error("touch failed");
          await db.sink.touchLastUsed?.(entries);
        },
      };
      const m = createMeter({ dir, sink, flushIntervalMs: 60_000, onError: (e) => errors.push(e) });
      meters.push(m);
      await m.append(usageEvent({ keyId: "key_c", createdAtMs: 42_000 }));
      await m.flush();
      expect(errors).toHaveLength(1);
      expect(db.ids()).toHaveLength(1);
      fail = false;
      await m.flush();
      expect(db.lastUsed().get("key_c")).toBe(42);
    });
  });

  describe("close", () => {
    it("flushes everything and leaves no segment behind", async () => {
      const m = open();
      for (let i = 0; i < 50; i++) await m.append(usageEvent());
      m.appendSync(usageEvent());
      void m.append(usageEvent());
      await m.close();
      expect(db.ids()).toHaveLength(52);
      expect(segments()).toEqual([]);
      expect(existsSync(join(dir, "LOCK"))).toBe(false);
      await expect(m.append(usageEvent())).rejects.toThrow(/closed/);
      expect(() => m.appendSync(usageEvent())).toThrow(/closed/);
    });
  });

  describe("sink failures", () => {
    it("keeps events journaled while the sink fails and commits them once it recovers", async () => {
      let down = true;
      const sink: UsageSink = {
        insertMany: async (events) => {
          if (down) throw new Error("database unavailable");
          return db.sink.insertMany(events);
        },
      };
      const m = open({ sink });
      for (let i = 0; i < 10; i++) await m.append(usageEvent());
      await expect(m.flush()).rejects.toThrow("database unavailable");
      expect(m.backlog()).toBe(10);
      expect(m.stats()).toMatchObject({ flushErrors: 1, lastError: "database unavailable" });
      down = false;
      await m.flush();
      expect(db.ids()).toHaveLength(10);
      expect(m.backlog()).toBe(0);
    });

    it("a failed close leaves the journal for the next start, which commits it", async () => {
      const failing: UsageSink = { insertMany: async () => Promise.reject(new Error("down")) };
      const m = createMeter({ dir, sink: failing, flushIntervalMs: 60_000 });
      const events = Array.from({ length: 30 }, () => usageEvent());
      for (const e of events) await m.append(e);
      await expect(m.close()).rejects.toThrow("down");
      expect(segments()).toHaveLength(1);

      const m2 = open();
      await m2.flush();
      expect(db.ids()).toEqual(events.map((e) => e.id).sort());
      expect(m2.stats()).toMatchObject({ replayed: 30, inserted: 30, appended: 0 });
      expect(segments()).toEqual([]);
    });
  });

  describe("events the sink can never take", () => {
    const picky = (up: boolean): UsageSink => ({
      insertMany: async (events) => {
        if (!up) throw new Error("connection refused");
        if (events.some((e) => e.model === "poison")) throw new Error("value out of range");
        return db.sink.insertMany(events);
      },
      ping: async () => {
        if (!up) throw new Error("connection refused");
      },
    });

    it("sets a refused event aside on the batch's second failure, so later events still commit", async () => {
      const m = open({ sink: picky(true) });
      const events = Array.from({ length: 10 }, (_, i) =>
        usageEvent({ model: i === 4 ? "poison" : "gpt-4o" }),
      );
      for (const e of events) await m.append(e);
      await expect(m.flush()).rejects.toThrow("value out of range");
      expect(db.ids()).toEqual([]);
      await m.flush();
      expect(db.ids()).toEqual(
        events
          .filter((e) => e.model !== "poison")
          .map((e) => e.id)
          .sort(),
      );
      expect(m.stats()).toMatchObject({ refusedEvents: 1, committed: 9, inserted: 9 });
      expect(m.backlog()).toBe(0);
      const rejected = readFileSync(join(dir, "rejected.log"), "utf8");
      expect(rejected).toContain("refused: value out of range");
      expect(rejected).toContain(events[4]?.id);
    });

    it("gives up nothing during an outage", async () => {
      const m = open({ sink: picky(false) });
      for (let i = 0; i < 5; i++) await m.append(usageEvent());
      for (let i = 0; i < 3; i++) await expect(m.flush()).rejects.toThrow("connection refused");
      expect(m.stats()).toMatchObject({ refusedEvents: 0, committed: 0, flushErrors: 3 });
      expect(m.backlog()).toBe(5);
      expect(existsSync(join(dir, "rejected.log"))).toBe(false);
    });
  });

  describe("idempotent replay", () => {
    it("re-sends a batch that was inserted but not checkpointed without counting it twice", async () => {
      // The sink commits, then the "process" fails before the checkpoint is written.
      const crashAfterInsert: UsageSink = {
        insertMany: async (events) => {
          await db.sink.insertMany(events);
          throw new Error("crash after insert");
        },
      };
      const m = createMeter({ dir, sink: crashAfterInsert, flushIntervalMs: 60_000 });
      const events = Array.from({ length: 40 }, (_, i) => usageEvent({ inputTokens: i, outputTokens: 1 }));
      for (const e of events) await m.append(e);
      await expect(m.close()).rejects.toThrow("crash after insert");
      expect(db.totals().requests).toBe(40);

      const m2 = open();
      await m2.flush();
      expect(m2.stats()).toMatchObject({ replayed: 40, committed: 40, inserted: 0 });
      expect(db.ids()).toHaveLength(40);
      expect(db.totals()).toEqual({
        requests: 40,
        inputTokens: (39 * 40) / 2,
        outputTokens: 40,
        costMicros: 40 * 45,
      });
    });

    it("resumes a previous process's segment from its checkpoint", async () => {
      mkdirSync(dir, { recursive: true });
      const events = Array.from({ length: 5 }, () => usageEvent());
      const lines = events.map((e) => JSON.stringify(lineOf(e)));
      const name = "seg-000001700000000-1-dead-000000.jsonl";
      writeFileSync(join(dir, name), lines.map((l) => `${l}\n`).join(""));
      const firstTwo = Buffer.byteLength(`${lines[0]}\n${lines[1]}\n`);
      writeFileSync(join(dir, "checkpoint.json"), JSON.stringify({ v: 1, segments: { [name]: firstTwo } }));

      const m = open();
      await m.flush();
      expect(db.ids()).toEqual(
        events
          .slice(2)
          .map((e) => e.id)
          .sort(),
      );
      expect(m.stats().replayed).toBe(3);
      expect(segments()).toEqual([]);
    });
  });

  describe("damaged journals", () => {
    it("skips a torn last line and an undecodable line, keeping them in rejected.log", async () => {
      mkdirSync(dir, { recursive: true });
      const good = [usageEvent(), usageEvent(), usageEvent()];
      const torn = JSON.stringify(lineOf(usageEvent())).slice(0, 40);
      const body = [lineOf(good[0]), "not json at all", lineOf(good[1]), [1, "too", "short"], lineOf(good[2])]
        .map((l) => (typeof l === "string" ? l : JSON.stringify(l)))
        .join("\n");
      writeFileSync(join(dir, "seg-000001700000000-1-dead-000000.jsonl"), `${body}\n\n${torn}`);

      const m = open();
      await m.flush();
      expect(db.ids()).toEqual(good.map((e) => e.id).sort());
      expect(m.stats()).toMatchObject({ replayed: 3, rejectedLines: 2, tornLines: 1 });
      const rejected = readFileSync(join(dir, "rejected.log"), "utf8");
      expect(rejected).toContain("not json at all");
      expect(rejected).toContain(torn);
      expect(segments()).toEqual([]);
    });

    it("treats a segment shorter than its checkpoint as done", async () => {
      mkdirSync(dir, { recursive: true });
      const name = "seg-000001700000000-1-dead-000000.jsonl";
      writeFileSync(join(dir, name), `${JSON.stringify(lineOf(usageEvent()))}\n`);
      writeFileSync(join(dir, "checkpoint.json"), JSON.stringify({ v: 1, segments: { [name]: 10_000 } }));
      const m = open();
      await m.flush();
      expect(db.ids()).toEqual([]);
      expect(segments()).toEqual([]);
    });

    it("replays from 0 when the checkpoint is unreadable", async () => {
      mkdirSync(dir, { recursive: true });
      const e = usageEvent();
      writeFileSync(join(dir, "seg-000001700000000-1-dead-000000.jsonl"), `${JSON.stringify(lineOf(e))}\n`);
      writeFileSync(join(dir, "checkpoint.json"), "{garbage");
      const m = open();
      await m.flush();
      expect(db.ids()).toEqual([e.id]);
    });
  });

  describe("segments", () => {
    it("rotates past maxSegmentBytes and deletes committed segments", async () => {
      // A journal line is 140-150 bytes here (its id holds the pid): three lines per segment for
      // any line of 117-174 bytes, so 14 segments, the last one open. At 1000 bytes the count sat
      // on a boundary (five or six segments, the last one sealed or not) that the pid's digits decided.
      const m = open({ maxSegmentBytes: 350 });
      for (let i = 0; i < 40; i++) await m.append(usageEvent());
      expect(segments().length).toBeGreaterThan(5);
      await m.flush();
      expect(db.ids()).toHaveLength(40);
      expect(segments()).toHaveLength(1);
      expect(m.stats().segments).toBe(1);
    });
  });

  describe("directory lock", () => {
    it("refuses a second meter on the same directory", () => {
      open();
      expect(() => createMeter({ dir, sink: db.sink })).toThrow(/already open/);
    });

    it("refuses a directory held by another live process and takes over a dead one's", () => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "LOCK"), String(process.ppid));
      expect(() => createMeter({ dir, sink: db.sink })).toThrow(/in use by process/);
      writeFileSync(join(dir, "LOCK"), "999999999");
      open();
      expect(readFileSync(join(dir, "LOCK"), "utf8")).toBe(String(process.pid));
    });
  });

  /** The journal's positional form of an event, for hand-made segments. */
  const lineOf = (e: UsageEventRecord | undefined): unknown[] => {
    if (!e) throw new Error("no event");
    return [
      1,
      e.id,
      e.orgId,
      e.projectId,
      e.keyId,
      e.model,
      e.endpoint,
      e.inputTokens,
      e.cachedTokens,
      e.outputTokens,
      e.status,
      e.latencyMs,
      e.bytes,
      e.estimated ? 1 : 0,
      e.costMicros,
      e.createdAtMs,
    ];
  };

  describe("fsync", () => {
    it("works with periodic fsync on, across rotations", async () => {
      const m = createMeter({
        dir,
        sink: db.sink,
        flushIntervalMs: 60_000,
        fsyncIntervalMs: 1,
        maxSegmentBytes: 2000,
      });
      meters.push(m);
      for (let i = 0; i < 60; i++) {
        await m.append(usageEvent());
        if (i % 10 === 0) await new Promise((r) => setTimeout(r, 2));
      }
      await m.close();
      expect(db.ids()).toHaveLength(60);
      expect(segments()).toEqual([]);
    });
  });

  describe("configuration", () => {
    it("puts the journal under the data dir with the config's intervals", () => {
      const config = loadConfig({
        env: {},
        overrides: {
          dataDir: "/srv/kp",
          metering: { flushIntervalMs: 50, batchSize: 100, fsyncIntervalMs: 1000, worker: true },
        },
      });
      expect(meterOptionsFromConfig(config)).toEqual({
        dir: join("/srv/kp", "journal"),
        flushIntervalMs: 50,
        batchSize: 100,
        fsyncIntervalMs: 1000,
      });
      expect(loadConfig({ env: {} }).metering.fsyncIntervalMs).toBe(0);
    });

    it("rejects an event it cannot encode without journaling anything", async () => {
      const m = open();
      const bad = { ...usageEvent(), id: 1n } as unknown as UsageEventRecord;
      await expect(m.append(bad)).rejects.toThrow(/BigInt/);
      await m.append(usageEvent());
      await m.flush();
      expect(db.ids()).toHaveLength(1);
    });
  });
});
