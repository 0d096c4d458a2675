// Shared plumbing for bench/run.mjs: processes, ports, load generators, /proc sampling.
import { spawn, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

export const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/** Spawns a process and resolves once a line matches `ready` (or rejects when it exits first). */
export const start = (cmd, args, { env = {}, ready, cwd } = {}) =>
  new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      env: { ...process.env, ...env },
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    const onData = (b) => {
      out += b.toString();
      const m = ready.exec(out);
      if (m) resolve({ child, match: m, out: () => out });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`${cmd} ${args.join(" ")} exited ${code}:\n${out}`)));
  });

/** Spawns a long-running process whose readiness is checked some other way (e.g. waitHttp). */
export const launch = (cmd, args, { env = {}, cwd } = {}) => {
  const child = spawn(cmd, args, {
    env: { ...process.env, ...env },
    cwd,
    stdio: ["ignore", "ignore", "inherit"],
  });
  return child;
};

export const stop = async (child) => {
  if (child.exitCode !== null) return;
  child.removeAllListeners("exit");
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  const t = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(t);
};

export const waitHttp = async (url, tries = 200) => {
  for (let i = 0; i < tries; i++) {
    try {
      const r = await fetch(url);
      if (r.status < 500) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} never answered`);
};

/** Resident memory (bytes) and CPU time (µs, user+sys) of a pid, from /proc. */
export const procStats = (pid) => {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
    const peakRss = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    const ticks = Number(stat[11]) + Number(stat[12]);
    return { rss, peakRss, cpuUs: (ticks * 1e6) / 100 };
  } catch {
    return { rss: 0, peakRss: 0, cpuUs: 0 };
  }
};

export const hasWrk = () => spawnSync("wrk", ["--version"]).error === undefined;

const toMs = (v, unit) => Number(v) * (unit === "us" ? 0.001 : unit === "s" ? 1000 : 1);

/** Runs one closed-loop load: wrk when installed, autocannon otherwise. */
export const load = ({ url, body, headers, connections, seconds, tmp }) => {
  if (hasWrk()) {
    const script = join(tmp, "wrk-post.lua");
    const hdrs = Object.entries(headers)
      .map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`)
      .join("\n");
    writeFileSync(script, `wrk.method = "POST"\nwrk.body = ${JSON.stringify(body)}\n${hdrs}\n`);
    const r = spawnSync(
      "wrk",
      ["-t1", `-c${connections}`, `-d${seconds}s`, "--latency", "--timeout", "5s", "-s", script, url],
      {
        encoding: "utf8",
      },
    );
    const out = r.stdout;
    const lat = (p) => {
      const m = new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
      return m ? toMs(m[1], m[2]) : Number.NaN;
    };
    const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
    const total = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
    return {
      rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0),
      p50: lat(50),
      p99: lat(99),
      errors: non2xx,
      total,
      tool: "wrk",
    };
  }
  const args = [
    "node_modules/autocannon/autocannon.js",
    "-c",
    String(connections),
    "-d",
    String(seconds),
    "-m",
    "POST",
    "-b",
    body,
    "--json",
  ];
  for (const [k, v] of Object.entries(headers)) args.push("-H", `${k}=${v}`);
  const r = spawnSync(process.execPath, [...args, url], { encoding: "utf8", maxBuffer: 1 << 26 });
  const j = JSON.parse(r.stdout);
  return {
    rps: j.requests.average,
    p50: j.latency.p50,
    p99: j.latency.p99,
    errors: j.non2xx + j.errors,
    total: j.requests.total,
    tool: "autocannon",
  };
};
