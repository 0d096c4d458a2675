#!/usr/bin/env node
// One load against Keyplane (or the pass-through) with per-thread CPU per request and RSS, and
// optionally a CPU profile: the quick loop for working on the hot path. Build first.
//
//   node bench/profile.mjs [json|stream] [seconds=8] [connections=50]
//   env: PROFILE=1 writes V8 CPU profiles (main thread) to bench/results/profile/ (open them in
//        Chrome DevTools → Performance); TARGET=proxy measures bench/node-proxy.mjs instead;
//        NODE_ARGS="--flag ..." passes flags to the measured process; REDIS=1 uses Redis limits;
//        NO_WORKER=1 writes usage from the main thread (metering.worker: false).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chatBody, startKeyplane } from "./keyplane.mjs";
import { freePort, load, start, stop } from "./lib.mjs";

const mode = process.argv[2] ?? "json";
const seconds = Number(process.argv[3] ?? 8);
const connections = Number(process.argv[4] ?? 50);
const proxy = process.env.TARGET === "proxy";
const tmp = mkdtempSync(join(tmpdir(), "keyplane-profile-"));
const profDir = join("bench", "results", "profile");

/** CPU µs of every thread of a process, by thread id and name. */
const threads = (pid) => {
  const out = {};
  for (const t of readdirSync(`/proc/${pid}/task`)) {
    try {
      const comm = readFileSync(`/proc/${pid}/task/${t}/comm`, "utf8").trim();
      const st = readFileSync(`/proc/${pid}/task/${t}/stat`, "utf8").split(") ")[1].split(" ");
      out[`${comm}:${t}`] = (Number(st[11]) + Number(st[12])) * 10_000;
    } catch {}
  }
  return out;
};

const up = await start(process.execPath, ["bench/fake-upstream.mjs", "0"], { ready: /LISTENING (\d+)/ });
const upPort = Number(up.match[1]);
let port = await freePort();
const nodeArgs = [
  ...(process.env.NODE_ARGS ? process.env.NODE_ARGS.split(" ") : []),
  ...(process.env.PROFILE === "1" ? ["--cpu-prof", `--cpu-prof-dir=${profDir}`] : []),
];
if (process.env.PROFILE === "1") mkdirSync(profDir, { recursive: true });
let child;
let key = null;
if (proxy) {
  const p = await start(
    process.execPath,
    [...nodeArgs, "bench/node-proxy.mjs", `http://127.0.0.1:${upPort}`, String(port)],
    {
      ready: /LISTENING (\d+)/,
    },
  );
  child = p.child;
} else {
  const kp = await startKeyplane({
    dir: tmp,
    upstreamPort: upPort,
    nodeArgs,
    env: process.env.REDIS === "1" ? { KEYPLANE_REDIS_URL: "redis://127.0.0.1:6379" } : {},
    config: process.env.NO_WORKER === "1" ? { metering: { worker: false } } : {},
  });
  child = kp.child;
  key = kp.key;
  port = new URL(kp.url).port;
}

const body = chatBody(mode === "stream");
const headers = { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) };
const url = `http://127.0.0.1:${port}/v1/chat/completions`;
load({ url, body, headers, connections, seconds: 2, tmp });
const before = threads(child.pid);
const r = load({ url, body, headers, connections, seconds, tmp });
const after = threads(child.pid);
const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
console.log(
  `${proxy ? "pass-through" : "keyplane"} ${mode} c${connections}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, errors ${r.errors}`,
);
let total = 0;
for (const [t, us] of Object.entries(after)) {
  const per = (us - (before[t] ?? 0)) / r.total;
  total += per;
  if (per >= 1) console.log(`  thread ${t.padEnd(24)} ${per.toFixed(1)} µs/req`);
}
console.log(`  all threads              ${total.toFixed(1)} µs/req`);
console.log(
  `  ${status
    .split("\n")
    .filter((l) => /^Rss(Anon|File)/.test(l))
    .join("  ")
    .replace(/\s+/g, " ")}`,
);
await stop(child);
await stop(up.child);
rmSync(tmp, { recursive: true, force: true });
if (process.env.PROFILE === "1") console.log(`profiles in ${profDir}/`);
