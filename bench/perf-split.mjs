#!/usr/bin/env node
// Splits a system-wide `perf` recording of a load into per-request costs of one thread. Input is
// `perf script -F tid,ip,sym` text (see bench/README.md, "perf-split.mjs"); REQS is how many
// requests the load served while perf recorded; HZ the sampling rate (perf's default 4000).
//
//   node bench/perf-split.mjs threads FILE                  samples per thread id
//   node bench/perf-split.mjs files FILE TID REQS [fn]      µs/req by nearest JS frame's file (or function)
//   node bench/perf-split.mjs diff A TIDA REQSA B TIDB REQSB [regex]   leaf symbols, B − A, µs/req
//   node bench/perf-split.mjs callers FILE TID REGEX [depth]            who calls a leaf symbol
import { readFileSync } from "node:fs";

const usPerSample = 1e6 / Number(process.env.HZ ?? 4000);

/** Samples as { tid, frames leaf-first }; frame lines start with a tab, sample headers do not. */
const samples = (file) => {
  const out = [];
  let cur = null;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line.length === 0) cur = null;
    else if (line[0] !== "\t") {
      cur = { tid: line.trim().split(/\s+/)[0], frames: [] };
      out.push(cur);
    } else if (cur) {
      const [ip, ...sym] = line.trim().split(/\s+/);
      // Kernel text lives at the top of the address space; its symbols read like libc's.
      cur.frames.push(`${ip.startsWith("ffffffff") ? "[k] " : ""}${sym.join(" ")}`);
    }
  }
  return out;
};

const count = (map, key, n = 1) => map.set(key, (map.get(key) ?? 0) + n);
const top = (map, n = Number(process.env.N ?? 40)) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n);
const short = (s) => s.replace(/file:\/\/\/.*?\/dist\//, "").replace(/\/\S*?\/node_modules\//, "nm/");
const JS_FRAME = /^JS:[*~^]?(\S*) (\S+?)(:\d+:\d+)?$/;

const category = (sym) => {
  const js = JS_FRAME.exec(sym);
  if (js) return /^node:|node_modules/.test(js[2]) ? "node and library JS" : "own JS";
  if (/^(Builtins_|v8::|Runtime_)/.test(sym)) return "V8 builtins and runtime";
  if (/^(node::|uv_|uv__|llhttp)/.test(sym)) return "Node and libuv C++";
  if (sym.startsWith("[k] ")) return "kernel";
  return "other (libc, regexps, stubs)";
};

const leaves = (file, tid) => {
  const m = new Map();
  let n = 0;
  for (const s of samples(file)) {
    if (s.tid !== tid || s.frames.length === 0) continue;
    n++;
    count(m, s.frames[0].replace(/0x[0-9a-f]+/g, ""));
  }
  return { m, n };
};

const [cmd, ...args] = process.argv.slice(2);
if (cmd === "threads") {
  const m = new Map();
  for (const s of samples(args[0])) count(m, s.tid);
  for (const [tid, n] of top(m, 16)) console.log(tid.padStart(8), String(n).padStart(8));
} else if (cmd === "files") {
  const [file, tid, reqs, byFn] = args;
  const k = usPerSample / Number(reqs);
  const m = new Map();
  let total = 0;
  for (const s of samples(file)) {
    if (s.tid !== tid) continue;
    total++;
    // Builtins, runtime and syscalls count toward the JavaScript that called them.
    let key = `(no JS) ${short(s.frames[0] ?? "?")}`;
    for (const f of s.frames) {
      const js = JS_FRAME.exec(f);
      if (js) {
        key = byFn ? `${short(js[2])} ${js[1]}` : short(js[2]);
        break;
      }
    }
    count(m, key);
  }
  console.log(`${(total * k).toFixed(1)} µs/req in all`);
  for (const [key, n] of top(m)) console.log((n * k).toFixed(2).padStart(8), key);
} else if (cmd === "diff") {
  const [fa, ta, ra, fb, tb, rb, filter] = args;
  const a = leaves(fa, ta);
  const b = leaves(fb, tb);
  const ka = usPerSample / Number(ra);
  const kb = usPerSample / Number(rb);
  const byCat = new Map();
  for (const [s, n] of a.m) count(byCat, `A ${category(s)}`, n * ka);
  for (const [s, n] of b.m) count(byCat, `B ${category(s)}`, n * kb);
  console.log(`µs/req: A ${(a.n * ka).toFixed(1)}, B ${(b.n * kb).toFixed(1)}`);
  for (const c of new Set([...a.m.keys(), ...b.m.keys()].map(category))) {
    const x = byCat.get(`A ${c}`) ?? 0;
    const y = byCat.get(`B ${c}`) ?? 0;
    console.log(`  ${c.padEnd(30)} ${x.toFixed(1).padStart(7)} ${y.toFixed(1).padStart(7)}`);
  }
  const re = filter ? new RegExp(filter) : null;
  const rows = [...new Set([...a.m.keys(), ...b.m.keys()])]
    .filter((s) => !re || re.test(s))
    .map((s) => [s, (a.m.get(s) ?? 0) * ka, (b.m.get(s) ?? 0) * kb])
    .sort((x, y) => y[2] - y[1] - (x[2] - x[1]));
  console.log("   B − A       A       B  leaf symbol");
  for (const [s, x, y] of rows.slice(0, Number(process.env.N ?? 40)))
    console.log(
      (y - x).toFixed(2).padStart(8),
      x.toFixed(2).padStart(7),
      y.toFixed(2).padStart(7),
      short(s).slice(0, 110),
    );
} else if (cmd === "callers") {
  const [file, tid, regex, depth = "1"] = args;
  const re = new RegExp(regex);
  const m = new Map();
  for (const s of samples(file)) {
    if (s.tid === tid && s.frames.length > 1 && re.test(s.frames[0]))
      count(
        m,
        s.frames
          .slice(1, 1 + Number(depth))
          .map(short)
          .join(" <- "),
      );
  }
  for (const [key, n] of top(m, 25)) console.log(String(n).padStart(6), key);
} else {
  console.error("usage: perf-split.mjs threads|files|diff|callers … (see the header of this file)");
  process.exit(2);
}
