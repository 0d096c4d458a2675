// Child process of kill.test.ts: journals usage events until the parent SIGKILLs it.
// argv: <transpiled root> <journal dir> <sqlite path> <mode: stream | hang-after-insert>
// Prints "ack <id>" once an append has resolved, "flushed <n>" after writer runs, "inserted" in hang mode.
import { writeSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [root, dir, dbPath, mode] = process.argv.slice(2);
const { createMeter } = await import(pathToFileURL(join(root, "src/metering/meter.js")).href);
const { openSqliteSink, usageEvent } = await import(
  pathToFileURL(join(root, "test/metering/sqlite-sink.js")).href
);
const db = openSqliteSink(dbPath);
// A blocking write to fd 1 (process.stdout would queue in memory when the pipe is full, and the
// kill would lose acks the child had already counted as printed).
const say = (line) => writeSync(1, `${line}\n`);

if (mode === "stream") {
  // A slow sink keeps a backlog, so the kill lands with events journaled but not yet committed.
  const sink = {
    insertMany: async (events) => {
      await new Promise((r) => setTimeout(r, 15));
      return db.sink.insertMany(events);
    },
  };
  const meter = createMeter({
    dir,
    sink,
    flushIntervalMs: 10,
    batchSize: 100,
    onFlush: ({ events }) => say(`flushed ${events}`),
  });
  const worker = async (w) => {
    for (let i = 0; ; i++) {
      const e = usageEvent({ id: `ue_w${w}_${i}`, inputTokens: 10 + (i % 7), outputTokens: 3 });
      await meter.append(e);
      say(`ack ${e.id}`);
    }
  };
  for (let w = 0; w < 8; w++) void worker(w);
} else {
  // The sink commits, then the process dies before the writer can checkpoint.
  const sink = {
    insertMany: async (events) => {
      await db.sink.insertMany(events);
      say("inserted");
      return new Promise(() => {});
    },
  };
  const meter = createMeter({ dir, sink, flushIntervalMs: 60_000, batchSize: 1000 });
  for (let i = 0; i < 300; i++)
    meter.appendSync(usageEvent({ id: `ue_h_${i}`, inputTokens: 2, outputTokens: 1 }));
  say("appended 300");
  void meter.flush();
}
