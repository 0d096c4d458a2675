// Hot-path cost of the limits module, in one process: memory limiter and ledger (the default),
// and the Redis limiter against 127.0.0.1:6379 for comparison. Bounded; prints ops/s and µs/op.
// Usage: npm run build && node bench/limits.mjs
import { Redis } from "ioredis";
import { createMemoryLedger, createMemoryLimiter, createRedisLimiter } from "../dist/limits/index.js";

const tenant = "org-bench";
const limitsFor = (i) => [
  {
    id: `proj_${i % 100}:gpt-4o:rpm`,
    dimension: "requests",
    window: "minute",
    capacity: 1e9,
    scope: { kind: "project", id: `proj_${i % 100}` },
  },
  {
    id: `proj_${i % 100}:gpt-4o:tpm`,
    dimension: "tokens",
    window: "minute",
    capacity: 1e12,
    scope: { kind: "project", id: `proj_${i % 100}` },
  },
  {
    id: `key_${i % 1000}:rpm`,
    dimension: "requests",
    window: "minute",
    capacity: 1e9,
    scope: { kind: "key", id: `key_${i % 1000}` },
  },
];
const specs = Array.from({ length: 1000 }, (_, i) => limitsFor(i));
const slots = Array.from({ length: 1000 }, (_, i) => [{ id: `key_${i}`, max: 1000 }]);

let baselineNs = 0;
const time = async (name, n, fn) => {
  for (let i = 0; i < Math.min(n, 20_000); i++) await fn(i);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn(i);
  const ns = Number(process.hrtime.bigint() - t0) / n;
  if (baselineNs === 0) baselineNs = ns;
  const ratio = (ns / baselineNs).toFixed(1);
  console.log(
    `${name.padEnd(52)} ${Math.round(1e9 / ns)
      .toLocaleString("en")
      .padStart(12)} ops/s ${(ns / 1000).toFixed(2).padStart(8)} µs/op ${ratio.padStart(7)}x baseline`,
  );
};

// Baseline: the same loop awaiting two resolved promises (what any async reserve+settle costs at least).
const noop = () => Promise.resolve();
await time("baseline: two awaited no-op promises", 300_000, async () => {
  await noop();
  await noop();
});

const mem = createMemoryLimiter();
await time("memory reserve+settle (3 buckets + 1 slot)", 300_000, async (i) => {
  const o = await mem.reserve({ tenant, limits: specs[i % 1000], tokens: 500, concurrency: slots[i % 1000] });
  if (o.ok) await mem.settle(o.reservation, 300);
});

const ledger = createMemoryLedger();
const budgets = Array.from({ length: 1000 }, (_, i) => [
  {
    id: `proj_${i % 100}`,
    scope: { kind: "project", id: `proj_${i % 100}` },
    limitMicros: 1e15,
    periodKey: "2026-11",
  },
]);
await time("memory ledger reserve+settle (1 budget)", 300_000, async (i) => {
  const o = await ledger.reserve({ tenant, budgets: budgets[i % 1000], maxCostMicros: 5000 });
  if (o.ok) await ledger.settle(o.reservation, 3000);
});

const redis = new Redis("redis://127.0.0.1:6379");
const red = createRedisLimiter(redis, { prefix: `bench:${process.pid}:` });
await time("redis reserve+settle, sequential (2 round trips)", 5_000, async (i) => {
  const o = await red.reserve({ tenant, limits: specs[i % 1000], tokens: 500, concurrency: slots[i % 1000] });
  if (o.ok) await red.settle(o.reservation, 300);
});
const keys = await redis.keys(`bench:${process.pid}:*`);
if (keys.length > 0) await redis.del(...keys);
redis.disconnect();
