#!/usr/bin/env node
// Upstream layer vs the Node floor, same box, same run:
//   pass  = node:http + undici Pool pass-through (buffers the request, streams the response back
//           with its content-length) — the "minimal pass-through" of reference/perf.md
//   layer = node:http + Keyplane's createUpstreams().send(): header filtering, body rewrite rules,
//           retries bookkeeping, usage parsing (JSON) / SSE tee (stream)
// Both against bench/fake-upstream.mjs, loaded by autocannon in its own process. Needs `npm run build`.
//
//   node bench/upstream-layer.mjs            DURATION=5 CONNECTIONS=50 by default
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const DURATION = Number(process.env.DURATION ?? 5);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 50);

const CHAT = JSON.stringify({
  model: "gpt-4o-mini",
  max_tokens: 32,
  messages: [
    { role: "system", content: "You are a helpful assistant." },
    { role: "user", content: "Say hello." },
  ],
});
const STREAM = JSON.stringify({ ...JSON.parse(CHAT), stream: true, stream_options: { include_usage: true } });

const readBody = (req) =>
  new Promise((resolve) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
  });

const servePass = async (upstreamPort) => {
  const { Pool } = await import("undici");
  const pool = new Pool(`http://127.0.0.1:${upstreamPort}`, { connections: 128 });
  return createServer(async (req, res) => {
    const body = await readBody(req);
    try {
      const up = await pool.request({
        path: req.url,
        method: req.method,
        headers: { "content-type": "application/json", "content-length": String(body.length) },
        body,
      });
      const headers = { "content-type": up.headers["content-type"] };
      if (up.headers["content-length"]) headers["content-length"] = up.headers["content-length"];
      res.writeHead(up.statusCode, headers);
      // Fastify sends stream payloads with payload.pipe(res); do the same here.
      up.body.on("error", () => res.destroy());
      up.body.pipe(res);
    } catch {
      res.writeHead(502).end();
    }
  });
};

const serveLayer = async (upstreamPort) => {
  const { createUpstreams } = await import("../dist/upstream/index.js");
  const { configSchema } = await import("../dist/config/schema.js");
  const config = configSchema.parse({
    upstreams: [{ name: "bench", baseUrl: `http://127.0.0.1:${upstreamPort}/v1` }],
    routes: [{ match: "*", upstream: "bench" }],
  });
  const upstreams = createUpstreams(config, {});
  let metered = 0;
  process.on("exit", () => console.error(`layer: metered ${metered} output tokens`));
  return createServer(async (req, res) => {
    const body = await readBody(req);
    const json = JSON.parse(body.toString("utf8"));
    const route = upstreams.resolve(json.model);
    if (!route.ok) return res.writeHead(404).end();
    const out = await upstreams.send({
      path: req.url.slice(3),
      method: req.method,
      headers: req.headers,
      body,
      json,
      candidates: route.candidates,
    });
    if (!out.ok) return res.writeHead(502).end();
    const r = out.response;
    res.writeHead(r.status, r.headers);
    if (r.kind === "buffer") {
      metered += r.usage?.outputTokens ?? 0;
      res.end(r.body);
    } else {
      r.body.on("error", () => res.destroy());
      res.on("close", () => r.body.destroy());
      r.body.pipe(res);
      r.outcome.then((o) => {
        metered += o.usage.outputTokens;
      });
    }
  });
};

const role = process.argv[2];
if (role === "pass" || role === "layer") {
  const server = await (role === "pass" ? servePass : serveLayer)(Number(process.argv[3]));
  server.keepAliveTimeout = 60_000;
  // Exit cleanly on SIGTERM so `node --cpu-prof` can write its profile.
  process.on("SIGTERM", () => process.exit(0));
  server.listen(0, "127.0.0.1", () => console.log(`LISTENING ${server.address().port}`));
} else {
  await orchestrate();
}

function startChild(args) {
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (d) => {
      const m = /LISTENING (\d+)/.exec(String(d));
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on("exit", (code) => reject(new Error(`child exited ${code}`)));
  });
}

function load(port, body, duration = DURATION) {
  const bin = `${here}../node_modules/autocannon/autocannon.js`;
  const args = [bin, "-j", "-c", String(CONNECTIONS), "-d", String(duration), "-m", "POST"];
  args.push(
    "-H",
    "content-type=application/json",
    "-b",
    body,
    `http://127.0.0.1:${port}/v1/chat/completions`,
  );
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "ignore"] });
  let out = "";
  child.stdout.on("data", (d) => {
    out += d;
  });
  return new Promise((resolve) => child.on("exit", () => resolve(JSON.parse(out))));
}

/** user+system CPU of a process in microseconds (Linux /proc; clock ticks are 10 ms). */
function cpuMicros(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function orchestrate() {
  const rounds = Number(process.env.ROUNDS ?? 3);
  const upstream = await startChild([`${here}fake-upstream.mjs`, "0"]);
  const proxies = {
    pass: await startChild([fileURLToPath(import.meta.url), "pass", String(upstream.port)]),
    layer: await startChild([fileURLToPath(import.meta.url), "layer", String(upstream.port)]),
  };
  const samples = [];
  // Interleaved rounds (ABBA order) so background load on a shared box hits both targets alike.
  for (let round = 0; round < rounds; round++) {
    for (const [scenario, body] of [
      ["json", CHAT],
      ["stream", STREAM],
    ]) {
      const order = round % 2 === 0 ? ["pass", "layer"] : ["layer", "pass"];
      for (const target of order) {
        const proxy = proxies[target];
        await load(proxy.port, body, 1); // warm-up, discarded
        const cpu0 = cpuMicros(proxy.child.pid);
        const r = await load(proxy.port, body);
        const cpu = (cpuMicros(proxy.child.pid) - cpu0) / r.requests.total;
        samples.push({
          target,
          scenario,
          rps: r.requests.average,
          cpu,
          p50: r.latency.p50,
          p99: r.latency.p99,
          bad: r.non2xx + r.errors,
        });
      }
    }
  }
  for (const p of [...Object.values(proxies), upstream]) p.child.kill();
  const rows = [];
  for (const scenario of ["json", "stream"]) {
    for (const target of ["pass", "layer"]) {
      const xs = samples.filter((s) => s.target === target && s.scenario === scenario);
      rows.push({
        target,
        scenario,
        "req/s": Math.round(median(xs.map((x) => x.rps))),
        "cpu µs/req": Math.round(median(xs.map((x) => x.cpu))),
        "p50 ms": median(xs.map((x) => x.p50)),
        "p99 ms": median(xs.map((x) => x.p99)),
        errors: xs.reduce((n, x) => n + x.bad, 0),
      });
    }
  }
  console.table(rows);
  for (const scenario of ["json", "stream"]) {
    const [pass, layer] = rows.filter((r) => r.scenario === scenario);
    const rps = layer["req/s"] / pass["req/s"];
    const cpu = pass["cpu µs/req"] / layer["cpu µs/req"];
    console.log(
      `${scenario}: req/s layer/pass = ${rps.toFixed(2)}×, CPU/req pass/layer = ${cpu.toFixed(2)}×`,
    );
  }
}
