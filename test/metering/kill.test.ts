import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMeter } from "../../src/metering/meter.js";
import { transpileFiles } from "../helpers/transpile.js";
import { openSqliteSink } from "./sqlite-sink.js";

const repo = resolve(import.meta.dirname, "../..");
let root: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  // Inside the repo (.tmp is git-ignored) so the child resolves better-sqlite3 from node_modules.
  mkdirSync(join(repo, ".tmp"), { recursive: true });
  root = mkdtempSync(join(repo, ".tmp", "kill-"));
  const files = readdirSync(join(repo, "src/metering"))
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .map((f) => `src/metering/${f}`);
  transpileFiles(
    repo,
    [...files, "src/lib/deferred.ts", "src/domain/int-format.ts", "test/metering/sqlite-sink.ts"],
    root,
  );
});

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  rmSync(root, { recursive: true, force: true });
});

interface Run {
  acked: Set<string>;
  flushedEvents: number;
}

/** Runs the child until `until(run)` holds, then SIGKILLs it and collects every line it printed. */
const runAndKill = (
  name: string,
  mode: string,
  until: (r: Run, lines: string[]) => boolean,
): Promise<Run> => {
  const dir = join(root, name, "journal");
  mkdirSync(join(root, name), { recursive: true });
  const child = spawn(
    process.execPath,
    [join(repo, "test/metering/kill-child.mjs"), root, dir, join(root, name, "usage.db"), mode],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  children.push(child);
  const run: Run = { acked: new Set(), flushedEvents: 0 };
  const lines: string[] = [];
  let partial = "";
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      fail(new Error(`child never reached the kill point (${run.acked.size} acks)`));
    }, 20_000);
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", (chunk: string) => {
      const parts = (partial + chunk).split("\n");
      partial = parts.pop() ?? "";
      for (const line of parts) {
        lines.push(line);
        if (line.startsWith("ack ")) run.acked.add(line.slice(4));
        else if (line.startsWith("flushed ")) run.flushedEvents += Number(line.slice(8));
      }
      if (child.signalCode === null && until(run, lines)) child.kill("SIGKILL");
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (signal !== "SIGKILL") fail(new Error(`child exited with ${code ?? signal}`));
      else done(run);
    });
  });
};

describe("SIGKILL mid-stream", () => {
  it("replays every acknowledged event exactly once at the next start", async () => {
    const run = await runAndKill("stream", "stream", (r) => r.flushedEvents > 0 && r.acked.size >= 3000);
    const db = openSqliteSink(join(root, "stream", "usage.db"));
    try {
      const before = db.ids().length;
      // The kill landed with committed events and a backlog.
      expect(before).toBeGreaterThan(0);
      expect(before).toBeLessThan(run.acked.size);

      const meter = createMeter({ dir: join(root, "stream", "journal"), sink: db.sink, batchSize: 100 });
      await meter.close();
      const stats = meter.stats();
      const ids = db.ids();
      const inSink = new Set(ids);
      const missing = [...run.acked].filter((id) => !inSink.has(id));
      expect(missing).toEqual([]);
      // Extra events are appends whose write landed but whose ack the kill cut off: at most one per worker.
      expect(ids.length - run.acked.size).toBeLessThanOrEqual(8);
      for (const id of ids) expect(id).toMatch(/^ue_w[0-7]_\d+$/);
      // Only batches committed since the last checkpoint (at most 4) are sent twice.
      expect(stats.committed - stats.inserted).toBeLessThanOrEqual(400);
      expect(stats.inserted).toBe(ids.length - before);
      const totals = db.totals();
      expect(totals.requests).toBe(ids.length);
      expect(totals.outputTokens).toBe(3 * ids.length);
      expect(readdirSync(join(root, "stream", "journal")).filter((f) => f.endsWith(".jsonl"))).toEqual([]);
    } finally {
      db.close();
    }
  });

  it("does not count twice a batch inserted just before the kill", async () => {
    await runAndKill("hang", "hang-after-insert", (_r, lines) => lines.includes("inserted"));
    const db = openSqliteSink(join(root, "hang", "usage.db"));
    try {
      expect(db.ids()).toHaveLength(300);
      const meter = createMeter({ dir: join(root, "hang", "journal"), sink: db.sink });
      await meter.close();
      expect(meter.stats()).toMatchObject({ replayed: 300, committed: 300, inserted: 0 });
      expect(db.ids()).toHaveLength(300);
      expect(db.totals()).toEqual({
        requests: 300,
        inputTokens: 600,
        outputTokens: 300,
        costMicros: 300 * 45,
      });
    } finally {
      db.close();
    }
  });
});
