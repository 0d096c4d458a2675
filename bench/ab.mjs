#!/usr/bin/env node
// A/B of two builds (or a build against the pass-through) on this drifting VM: both servers stay
// up, short loads alternate between them (A B, B A, A B, …) and each round's B/A ratio is taken
// from neighbouring runs, so the VM's speed changes (±30 % within minutes here) hit both sides.
// Startup and JIT warm-up happen once, before the rounds. Build both trees first.
//
//   node bench/ab.mjs <dirA|proxy> <dirB|proxy> [json|stream] [rounds=12] [seconds=2] [connections=50]
//   the "before" tree, e.g.: git worktree add /tmp/before HEAD~1 && ln -s "$PWD/node_modules" /tmp/before/
//                            && (cd /tmp/before && npx tsc -p tsconfig.build.json)
//   then: node bench/ab.mjs /tmp/before . stream
//   env: A_ARGS / B_ARGS: node flags for each side; REDIS=1: both use Redis limits (local Redis).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chatBody, startKeyplane } from "./keyplane.mjs";
import { freePort, load, procStats, start, stop } from "./lib.mjs";

const [dirA, dirB, mode = "stream", rounds = "12", seconds = "2", connections = "50"] = process.argv.slice(2);
if (!dirA || !dirB)
  throw new Error("usage: ab.mjs <dirA|proxy> <dirB|proxy> [json|stream] [rounds] [seconds] [connections]");
const tmp = mkdtempSync(join(tmpdir(), "keyplane-ab-"));
const up = await start(process.execPath, ["bench/fake-upstream.mjs", "0"], { ready: /LISTENING (\d+)/ });
const upPort = Number(up.match[1]);

const target = async (dir, name, args) => {
  const nodeArgs = args ? args.split(" ") : [];
  if (dir === "proxy") {
    const port = await freePort();
    const p = await start(
      process.execPath,
      [...nodeArgs, "bench/node-proxy.mjs", `http://127.0.0.1:${upPort}`, String(port)],
      { ready: /LISTENING/ },
    );
    return { child: p.child, url: `http://127.0.0.1:${port}`, key: null };
  }
  const kp = await startKeyplane({
    dir: join(tmp, name),
    upstreamPort: upPort,
    nodeArgs,
    root: resolve(dir),
    env: process.env.REDIS === "1" ? { KEYPLANE_REDIS_URL: "redis://127.0.0.1:6379" } : {},
  });
  return { child: kp.child, url: kp.url, key: kp.key };
};
const a = await target(dirA, "a", process.env.A_ARGS);
const b = await target(dirB, "b", process.env.B_ARGS);

/** CPU µs of a process's main thread (the one that serves), from /proc. */
const mainCpuUs = (pid) => {
  const st = readFileSync(`/proc/${pid}/task/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(st[11]) + Number(st[12])) * 10_000;
};
const body = chatBody(mode === "stream");
const run = (t, secs) => {
  const headers = {
    "content-type": "application/json",
    ...(t.key ? { authorization: `Bearer ${t.key}` } : {}),
  };
  const before = mainCpuUs(t.child.pid);
  const r = load({
    url: `${t.url}/v1/chat/completions`,
    body,
    headers,
    connections: Number(connections),
    seconds: secs,
    tmp,
  });
  if (r.errors > 0) throw new Error(`${r.errors} failed requests`);
  return { rps: r.rps, cpu: (mainCpuUs(t.child.pid) - before) / r.total };
};

run(a, 3);
run(b, 3);
const ratios = [];
console.log(`A = ${dirA}, B = ${dirB}, ${mode}, ${connections} connections, ${seconds} s per run`);
for (let i = 0; i < Number(rounds); i++) {
  let ra;
  let rb;
  if (i % 2 === 0) {
    ra = run(a, seconds);
    rb = run(b, seconds);
  } else {
    rb = run(b, seconds);
    ra = run(a, seconds);
  }
  ratios.push(rb.rps / ra.rps);
  console.log(
    `A ${ra.rps.toFixed(0).padStart(6)} req/s ${ra.cpu.toFixed(1).padStart(6)} µs | B ${rb.rps.toFixed(0).padStart(6)} req/s ${rb.cpu.toFixed(1).padStart(6)} µs | B/A ${(rb.rps / ra.rps).toFixed(3)}`,
  );
}
const sorted = [...ratios].sort((x, y) => x - y);
const ahead = ratios.filter((r) => r > 1).length;
console.log(
  `median B/A ${sorted[Math.floor(sorted.length / 2)].toFixed(3)} (range ${sorted[0].toFixed(3)}–${sorted.at(-1).toFixed(3)}), B ahead in ${ahead} of ${ratios.length} rounds; peak RSS A ${(procStats(a.child.pid).peakRss / 2 ** 20).toFixed(0)} MB, B ${(procStats(b.child.pid).peakRss / 2 ** 20).toFixed(0)} MB`,
);
await stop(a.child);
await stop(b.child);
await stop(up.child);
rmSync(tmp, { recursive: true, force: true });
