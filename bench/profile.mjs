#!/usr/bin/env node
// One load against Keyplane (or the pass-through) with per-thread CPU per request and RSS, and
// optionally a CPU profile: the quick loop for working on the hot path. Build first.
//
//   node bench/profile.mjs [json|stream] [seconds=8] [connections=50]
//   env: PROFILE=1 writes V8 CPU profiles (main thread) to bench/results/profile/ (open them in
//        Chrome DevTools → Performance); TARGET=proxy measures bench/node-proxy.mjs instead;
//        NODE_ARGS="--flag ..." passes flags to the measured process; REDIS=1 uses Redis limits;
//        NO_WORKER=1 writes usage from the main thread (metering.worker: false).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, launch, load, start, stop, waitHttp } from "./lib.mjs";

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
const port = await freePort();
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
  const { generateKey } = await import("../dist/domain/keys.js");
  const adminKey = generateKey("admin");
  const config = join(tmp, "keyplane.json");
  writeFileSync(
    config,
    JSON.stringify({
      upstreams: [
        {
          name: "fake",
          type: "openai",
          baseUrl: `http://127.0.0.1:${upPort}/v1`,
          maxRetries: 0,
          connections: 128,
        },
      ],
      routes: [{ match: "*", upstream: "fake" }],
      limits: { defaultRpm: 1_000_000_000, defaultTpm: 1_000_000_000_000 },
      ...(process.env.NO_WORKER === "1" ? { metering: { worker: false } } : {}),
    }),
  );
  child = launch(process.execPath, [...nodeArgs, "bin/keyplane.js", "serve"], {
    env: {
      KEYPLANE_CONFIG: config,
      KEYPLANE_DATA_DIR: join(tmp, "data"),
      KEYPLANE_PORT: String(port),
      KEYPLANE_ADMIN_KEY: adminKey,
      KEYPLANE_SECRET: "bench-secret-0123456789abcdef",
      KEYPLANE_LOG_LEVEL: "warn",
      ...(process.env.REDIS === "1" ? { KEYPLANE_REDIS_URL: "redis://127.0.0.1:6379" } : {}),
    },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitHttp(`${url}/healthz`);
  const headers = { authorization: `Bearer ${adminKey}`, "content-type": "application/json" };
  const projects = await (await fetch(`${url}/v1/organization/projects`, { headers })).json();
  const created = await (
    await fetch(`${url}/v1/organization/projects/${projects.data[0].id}/api_keys`, {
      method: "POST",
      headers,
      body: JSON.stringify({ name: "profile" }),
    })
  ).json();
  key = created.value;
}

const body = JSON.stringify({
  model: "gpt-4o-mini",
  max_tokens: 32,
  messages: [
    { role: "system", content: "You are a helpful assistant." },
    { role: "user", content: "Say hello." },
  ],
  ...(mode === "stream" ? { stream: true, stream_options: { include_usage: true } } : {}),
});
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
