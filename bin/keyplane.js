#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm ci` through the prepare script).
import { setFlagsFromString } from "node:v8";

// V8 "pretenures" objects from allocation sites whose objects often survive a scavenge, placing
// them straight in the old generation. Under gateway load that misfires: per-request objects that
// live a few ms filled the old space between full GCs (RSS up by ~60 MB, more GC work). Set
// before anything is allocated; `node --allocation-site-pretenuring` still wins if given.
if (!process.execArgv.some((a) => a.includes("allocation-site-pretenuring")))
  setFlagsFromString("--no-allocation-site-pretenuring");
// V8 lets the old generation grow to up to 4× its live size between full GCs when the machine has
// plenty of memory. Under sustained load the few per-request objects that get promoted then
// pile up: the serving process went 200 → 280 MB over 50 s before a full GC brought it back. A
// 1.5× factor keeps it near 210 MB at the same throughput. Read at every full GC, so setting it
// here works; `node --heap-growing-percent=N` still wins if given.
if (!process.execArgv.some((a) => a.includes("heap-growing-percent")))
  setFlagsFromString("--heap-growing-percent=50");

// TurboFan stops inlining into a function once the callees it has inlined reach 920 bytes of
// bytecode (460 for one callee). The hot path is a chain of small modules — auth, limits,
// dispatch, usage, journal — that each cross that budget, so calls between them stayed calls.
// A 3000 / 1000 budget measured 1.05-1.10x the throughput in alternating A/B loads (bench/ab.mjs)
// for 2-5 MB more code. `node --max-inlined-bytecode-size…=N` still wins if given.
if (!process.execArgv.some((a) => a.includes("max-inlined-bytecode-size"))) {
  setFlagsFromString("--max-inlined-bytecode-size=1000");
  setFlagsFromString("--max-inlined-bytecode-size-cumulative=3000");
}

import("../dist/cli/main.js").catch((err) => {
  if (err && err.code === "ERR_MODULE_NOT_FOUND") {
    console.error("keyplane: dist/ is missing; run `npm run build` first.");
    process.exit(1);
  }
  throw err;
});
