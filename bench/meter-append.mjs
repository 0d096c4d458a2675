// Cost of journaling usage events (run: npm run build && node bench/meter-append.mjs).
// Prints ns/event for the line encoder alone (baseline), appendSync (one write(2) per event), and
// append (one write per event-loop turn, 64 concurrent awaiting callers), plus the background
// writer's replay throughput (wall) and CPU (all threads) into a no-op sink and a real SQLite table,
// and the CPU of appends and writer together.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { encodeEvent } from "../dist/metering/journal-line.js";
import { createMeter } from "../dist/metering/meter.js";

const N = Number(process.env.N ?? 200_000);
const root = mkdtempSync(join(tmpdir(), "kp-bench-meter-"));
let seq = 0;
const event = () => ({
  id: `ue_bench${String(seq++).padStart(16, "0")}`,
  orgId: "org-abcdefghijklmnopqrstuvwx",
  projectId: "proj_abcdefghijklmnopqrstuvwx",
  keyId: "key_abcdefghijklmnop",
  model: "gpt-4o-mini-2024-07-18",
  endpoint: "/v1/chat/completions",
  inputTokens: 1234,
  cachedTokens: 512,
  outputTokens: 345,
  status: 200,
  latencyMs: 123,
  bytes: 2345,
  estimated: false,
  costMicros: 431,
  createdAtMs: Date.now(),
});
const events = Array.from({ length: N }, event);
const nsPer = (t0) => Number(process.hrtime.bigint() - t0) / N;
const noopSink = { insertMany: async (e) => e.length };

const encode = () => {
  const t0 = process.hrtime.bigint();
  let bytes = 0;
  for (const e of events) bytes += encodeEvent(e).length;
  return { ns: nsPer(t0), bytes: bytes / N };
};

const appendSync = async () => {
  const m = createMeter({
    dir: join(root, "sync"),
    sink: noopSink,
    flushIntervalMs: 3_600_000,
    batchSize: 1e9,
  });
  const t0 = process.hrtime.bigint();
  for (const e of events) m.appendSync(e);
  const ns = nsPer(t0);
  await m.close();
  return ns;
};

const appendGrouped = async (conc) => {
  const m = createMeter({
    dir: join(root, `grouped${conc}`),
    sink: noopSink,
    flushIntervalMs: 3_600_000,
    batchSize: 1e9,
  });
  let next = 0;
  const worker = async () => {
    while (next < N) await m.append(events[next++]);
  };
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: conc }, worker));
  const ns = nsPer(t0);
  await m.close();
  return ns;
};

const sqliteSink = (path) => {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec(
    "CREATE TABLE u (id TEXT PRIMARY KEY, org TEXT, project TEXT, key TEXT, model TEXT, endpoint TEXT, i INT, c INT, o INT, s INT, l INT, b INT, e INT, cost INT, at INT)",
  );
  const ins = db.prepare("INSERT OR IGNORE INTO u VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  const many = db.transaction((evs) => {
    let n = 0;
    for (const e of evs)
      n += ins.run(
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
      ).changes;
    return n;
  });
  return { sink: { insertMany: async (evs) => many(evs) }, close: () => db.close() };
};

/** Appends and the background writer together, as in a server: total CPU per event. */
const steady = async (sink) => {
  const m = createMeter({ dir: join(root, `steady${seq}`), sink, flushIntervalMs: 200, batchSize: 500 });
  let next = 0;
  const worker = async () => {
    while (next < N) await m.append(events[next++]);
  };
  const cpu0 = process.cpuUsage();
  await Promise.all(Array.from({ length: 64 }, worker));
  await m.flush();
  const cpu = process.cpuUsage(cpu0);
  await m.close();
  return ((cpu.user + cpu.system) * 1000) / N;
};

/** Journals N events with a sink that refuses them, then times a fresh meter replaying them all. */
const drain = async (name, sink) => {
  const dir = join(root, `drain-${name}`);
  const refuse = { insertMany: async () => Promise.reject(new Error("hold")) };
  const writer = createMeter({ dir, sink: refuse, flushIntervalMs: 3_600_000, batchSize: 1e9 });
  for (const e of events) writer.appendSync(e);
  await writer.close().catch(() => undefined);
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const replay = createMeter({ dir, sink, flushIntervalMs: 3_600_000, batchSize: 500 });
  await replay.flush();
  const ns = nsPer(t0);
  const cpu = process.cpuUsage(cpu0);
  await replay.close();
  return { ns, cpuNs: ((cpu.user + cpu.system) * 1000) / N };
};

const rounds = Number(process.env.ROUNDS ?? 3);
const best = {};
const keep = (k, v) => {
  best[k] = Math.min(best[k] ?? Number.POSITIVE_INFINITY, v);
};
for (let r = 0; r < rounds; r++) {
  const enc = encode();
  keep("encode line (baseline)", enc.ns);
  keep("appendSync: write(2) per event", await appendSync());
  keep("append: grouped, 64 awaiting callers", await appendGrouped(64));
  keep("append: grouped, 1 awaiting caller", await appendGrouped(1));
  keep("append + writer, no-op sink: CPU", await steady(noopSink));
  const noop = await drain(`noop${r}`, noopSink);
  keep("writer, no-op sink: wall", noop.ns);
  keep("writer, no-op sink: CPU", noop.cpuNs);
  const sq = sqliteSink(join(root, `u${r}.db`));
  const lite = await drain(`sqlite${r}`, sq.sink);
  keep("writer, SQLite INSERT OR IGNORE: wall", lite.ns);
  keep("writer, SQLite INSERT OR IGNORE: CPU", lite.cpuNs);
  sq.close();
  if (r === 0) console.log(`events: ${N}, line: ${enc.bytes.toFixed(0)} bytes, best of ${rounds} rounds`);
}
const base = best["encode line (baseline)"];
for (const [k, v] of Object.entries(best)) {
  console.log(
    `${k.padEnd(44)} ${v.toFixed(0).padStart(6)} ns/event  ${(v / base).toFixed(2)}× baseline  ${(1e9 / v / 1000).toFixed(0)}k events/s`,
  );
}
rmSync(root, { recursive: true, force: true });
