#!/usr/bin/env node
// `npm run bench`: the hot path (key check → limits → forward → meter) measured against baselines in
// the same run. Targets: (a) direct to a fake upstream, (b) a minimal node:http + undici pass-through,
// (c) Keyplane with auth, permissions, limits and metering on. Non-streaming and streaming, at 50
// connections and at one. Then a second Keyplane with 1,000,000 keys in its store, paired with the
// first.
//
// env: BENCH_SECONDS (default 10), BENCH_KEYS (default 1000000; 0 skips), BENCH_CONNECTIONS (50),
//      BENCH_REDIS=1 adds Keyplane with the Redis limits backend (KEYPLANE_TEST_REDIS_URL or local),
//      BENCH_ROUNDS (2) interleaved rounds per target and scenario, BENCH_PAIRS (12) and
//      BENCH_SLICE (2) for the paired short loads that give the robust ratios (0 pairs skips).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chatBody, startKeyplane } from "./keyplane.mjs";
import { load, procStats, start, stop } from "./lib.mjs";
import { seedKeys } from "./seed-keys.mjs";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const KEYS = Number(process.env.BENCH_KEYS ?? 1_000_000);
const CONNS = Number(process.env.BENCH_CONNECTIONS ?? 50);
// Each target runs ROUNDS times per scenario, interleaved with the others and in reverse order
// every other round (a b c, c b a, …): this VM's speed drifts within minutes, and back-to-back
// blocks would charge the drift to one target. Ratios are taken per round, between neighbouring
// runs, then averaged.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const WARMUP = Math.min(3, SECONDS);
// The ratios the targets are judged by also come from short loads alternating between Keyplane
// and its baseline (A B, B A, …), each pair a few seconds apart: this VM changes speed by ±30 %
// within seconds to minutes, more than separate 10 s runs can pair away (bench/ab.mjs, README).
const PAIRS = Number(process.env.BENCH_PAIRS ?? 12);
const SLICE = Number(process.env.BENCH_SLICE ?? 2);
const REDIS =
  process.env.BENCH_REDIS === "1" ? (process.env.KEYPLANE_TEST_REDIS_URL ?? "redis://127.0.0.1:6379") : null;
const tmp = mkdtempSync(join(tmpdir(), "keyplane-bench-"));
const children = [];
const cleanup = async () => {
  for (const c of children) await stop(c).catch(() => {});
  rmSync(tmp, { recursive: true, force: true });
};
process.on("SIGINT", () => cleanup().then(() => process.exit(130)));

/** Starts Keyplane routed to the fake upstream (bench/keyplane.mjs), stopped at the end. */
const startTarget = async (name, upstreamPort, env = {}, reuse = null) => {
  const kp = await startKeyplane({
    dir: reuse?.dir ?? join(tmp, name),
    upstreamPort,
    env,
    ...(reuse ? { adminKey: reuse.adminKey } : {}),
  });
  children.push(kp.child);
  return kp;
};

const scenarios = [
  { name: "json", stream: false, connections: CONNS },
  { name: "json", stream: false, connections: 1 },
  { name: "stream", stream: true, connections: CONNS },
  { name: "stream", stream: true, connections: 1 },
];

/** One closed-loop load of `seconds` on a target's chat route, as scenario `s` asks. */
const loadTarget = (target, s, seconds) =>
  load({
    url: `${target.url}/v1/chat/completions`,
    body: chatBody(s.stream),
    headers: {
      "content-type": "application/json",
      ...(target.key ? { authorization: `Bearer ${target.key}` } : {}),
    },
    connections: s.connections,
    seconds,
    tmp,
  });

const measure = (target, s) => {
  loadTarget(target, s, WARMUP);
  const pid = target.child?.pid;
  const before = pid ? procStats(pid) : null;
  const r = loadTarget(target, s, SECONDS);
  const after = pid ? procStats(pid) : null;
  return {
    ...r,
    // The process's peak RSS so far (VmHWM), not a sample: a peak between samples counts too.
    rssMb: after ? after.peakRss / 2 ** 20 : null,
    cpuUsPerReq: before && after && r.total ? (after.cpuUs - before.cpuUs) / r.total : null,
  };
};

/** One row from a target's rounds: req/s and latencies averaged, CPU per request over all of them. */
const combine = (parts) => {
  const total = parts.reduce((a, p) => a + p.total, 0);
  const mean = (f) => parts.reduce((a, p) => a + f(p), 0) / parts.length;
  const cpu = parts.every((p) => p.cpuUsPerReq !== null)
    ? parts.reduce((a, p) => a + p.cpuUsPerReq * p.total, 0) / total
    : null;
  const rss = parts.every((p) => p.rssMb !== null) ? Math.max(...parts.map((p) => p.rssMb)) : null;
  return {
    ...parts[0],
    rps: mean((p) => p.rps),
    p50: mean((p) => p.p50),
    p99: mean((p) => p.p99),
    errors: parts.reduce((a, p) => a + p.errors, 0),
    total,
    rssMb: rss,
    cpuUsPerReq: cpu,
  };
};

const fmt = (n, d = 0) => (n === null || Number.isNaN(n) ? "—" : n.toFixed(d));
const rows = [];
const record = (target, s, r, rounds = [r]) => {
  rows.push({ target, scenario: `${s.name} c${s.connections}`, ...r, rounds });
  console.log(
    `${target.padEnd(22)} ${`${s.name} c${s.connections}`.padEnd(11)} ${fmt(r.rps).padStart(7)} req/s  p50 ${fmt(r.p50, 3).padStart(7)} ms  p99 ${fmt(r.p99, 3).padStart(7)} ms  errors ${r.errors}  ${r.rssMb !== null ? `rss ${fmt(r.rssMb)} MB  cpu ${fmt(r.cpuUsPerReq)} µs/req` : ""}`,
  );
};

try {
  const up = await start(process.execPath, ["bench/fake-upstream.mjs", "0"], { ready: /LISTENING (\d+)/ });
  children.push(up.child);
  const upPort = Number(up.match[1]);
  const proxy = await start(process.execPath, ["bench/node-proxy.mjs", `http://127.0.0.1:${upPort}`, "0"], {
    ready: /LISTENING (\d+)/,
  });
  children.push(proxy.child);
  const kp = await startTarget("keyplane", upPort);
  const targets = [
    { name: "direct", url: `http://127.0.0.1:${upPort}` },
    { name: "undici pass-through", url: `http://127.0.0.1:${proxy.match[1]}`, child: proxy.child },
    { name: "keyplane", url: kp.url, key: kp.key, child: kp.child },
  ];
  if (REDIS) {
    const kr = await startTarget("keyplane-redis", upPort, { KEYPLANE_REDIS_URL: REDIS });
    targets.push({ name: "keyplane (redis limits)", url: kr.url, key: kr.key, child: kr.child });
  }
  console.log(
    `load generator: ${load.name}; ${ROUNDS} interleaved rounds of ${SECONDS}s per target and scenario, each after ${WARMUP}s warm-up; 2 cores shared by everything\n`,
  );
  for (const s of scenarios) {
    const parts = targets.map(() => []);
    for (let i = 0; i < ROUNDS; i++)
      for (let n = 0; n < targets.length; n++) {
        const j = i % 2 === 0 ? n : targets.length - 1 - n;
        parts[j].push(measure(targets[j], s));
      }
    for (let j = 0; j < targets.length; j++) record(targets[j].name, s, combine(parts[j]), parts[j]);
  }

  /**
   * PAIRS short loads of `base` and `other` in alternating order (A B, B A, …): `f(other, base)` of
   * each pair, summarized as the median and range.
   */
  const paired = (base, other, s, f) => {
    const each = [];
    for (let i = 0; i < PAIRS; i++) {
      const [a, b] = i % 2 === 0 ? [base, other] : [other, base];
      const ra = loadTarget(a, s, SLICE);
      const rb = loadTarget(b, s, SLICE);
      const [rbase, ro] = a === base ? [ra, rb] : [rb, ra];
      if (rbase.errors + ro.errors > 0) throw new Error(`${s.name} c${s.connections}: failed requests`);
      each.push(f(ro, rbase));
    }
    const sorted = [...each].sort((x, y) => x - y);
    return {
      scenario: `${s.name} c${s.connections}`,
      median: (sorted[(sorted.length - 1) >> 1] + sorted[sorted.length >> 1]) / 2,
      min: sorted[0],
      max: sorted.at(-1),
      each,
    };
  };

  const pairedRows = [];
  if (PAIRS > 0) {
    const [direct, passThrough, keyplane] = targets;
    console.log(`\npaired short loads: ${PAIRS} pairs of ${SLICE}s, alternating order`);
    for (const s of scenarios) {
      // c50: throughput against the pass-through; c1: added p50 over direct.
      const c1 = s.connections === 1;
      const row = {
        ...paired(c1 ? direct : passThrough, keyplane, s, (k, b) => (c1 ? k.p50 - b.p50 : k.rps / b.rps)),
        measure: c1 ? "added p50 ms over direct" : "throughput × pass-through",
      };
      pairedRows.push(row);
      console.log(
        `  ${row.scenario.padEnd(11)} ${row.measure}: median ${fmt(row.median, 3)} (range ${fmt(row.min, 3)}–${fmt(row.max, 3)})`,
      );
    }
  }

  const storeRows = [];
  if (KEYS > 0) {
    // A second Keyplane on its own store, seeded while stopped; the small-store one stays up so
    // the two can be paired like the baselines above (single runs here drifted by a third).
    const fresh = await startTarget("keyplane-large", upPort);
    await stop(fresh.child);
    const t0 = Date.now();
    await seedKeys(join(fresh.dir, "data", "keyplane.db"), KEYS);
    console.log(`\nseeded ${KEYS.toLocaleString()} keys in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const big = await startTarget("keyplane-large", upPort, {}, fresh);
    const t = { name: `keyplane ${KEYS / 1e6}M keys`, url: big.url, key: big.key, child: big.child };
    for (const s of scenarios.filter((x) => x.connections !== 1 || !x.stream))
      record(t.name, s, measure(t, s));
    if (PAIRS > 0) {
      const small = targets[2];
      for (const s of scenarios.filter((x) => !x.stream))
        storeRows.push(paired(small, t, s, (large, base) => large.rps / base.rps));
    }
  }

  const get = (target, scenario) => rows.find((r) => r.target === target && r.scenario === scenario);
  /** f of Keyplane's and a baseline's runs in the same round, averaged over the rounds. */
  const perRound = (k, b, f) => {
    const each = k.rounds.map((kr, i) => f(kr, b.rounds[i]));
    return { mean: each.reduce((a, x) => a + x, 0) / each.length, each };
  };
  const spread = (p, d) => (p.each.length > 1 ? ` (rounds ${p.each.map((x) => fmt(x, d)).join(", ")})` : "");
  console.log("\nKeyplane vs baselines (same run, per round between neighbouring runs, averaged):");
  for (const sc of [`json c${CONNS}`, `stream c${CONNS}`]) {
    const k = get("keyplane", sc);
    const p = get("undici pass-through", sc);
    const d = get("direct", sc);
    const tp = perRound(k, p, (a, b) => a.rps / b.rps);
    const td = perRound(k, d, (a, b) => a.rps / b.rps);
    const p99 = perRound(k, p, (a, b) => a.p99 / b.p99);
    console.log(
      `  ${sc.padEnd(11)} throughput ${fmt(tp.mean, 2)}× pass-through${spread(tp, 2)} (target ≥ 0.70), ${fmt(td.mean, 2)}× direct; p99 ${fmt(p99.mean, 2)}× pass-through's (target ≤ 2)`,
    );
  }
  for (const sc of ["json c1", "stream c1"]) {
    const added = perRound(get("keyplane", sc), get("direct", sc), (a, b) => a.p50 - b.p50);
    console.log(
      `  ${sc.padEnd(11)} added p50 over direct ${fmt(added.mean, 3)} ms${spread(added, 3)} (target ≤ 0.2)`,
    );
  }
  if (pairedRows.length > 0) {
    console.log("\nKeyplane vs baselines (paired short loads, median):");
    for (const r of pairedRows) {
      const target = r.measure.startsWith("throughput") ? "target ≥ 0.70" : "target ≤ 0.2";
      console.log(`  ${r.scenario.padEnd(11)} ${r.measure} ${fmt(r.median, 3)} (${target})`);
    }
  }
  const maxRss = Math.max(...rows.filter((r) => r.target.startsWith("keyplane")).map((r) => r.rssMb ?? 0));
  console.log(`  max Keyplane RSS under load ${fmt(maxRss)} MB (target ≤ 250)`);
  if (KEYS > 0) {
    const big = rows.find((r) => r.target.includes("M keys") && r.scenario === `json c${CONNS}`);
    console.log(
      `  with ${KEYS.toLocaleString()} keys: ${fmt(big.rps / get("keyplane", `json c${CONNS}`).rps, 2)}× the small-store throughput (single runs)`,
    );
    for (const r of storeRows)
      console.log(
        `  with ${KEYS.toLocaleString()} keys, paired: ${r.scenario.padEnd(9)} ${fmt(r.median, 3)}× the small store's throughput (range ${fmt(r.min, 3)}–${fmt(r.max, 3)}; target: no drop)`,
      );
  }
  mkdirSync("bench/results", { recursive: true });
  writeFileSync(
    "bench/results/latest.json",
    JSON.stringify(
      { at: new Date().toISOString(), seconds: SECONDS, rows, paired: pairedRows, largeStore: storeRows },
      null,
      2,
    ),
  );
} finally {
  await cleanup();
}
