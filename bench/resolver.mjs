// Hot-path cost of resolving a request's limits and budgets (services/limits): the cached hit the
// gateway takes on almost every request, and a rebuild (new key record, as after a key update).
// One process, in-memory SQLite for the policy loads. Bounded; prints ops/s, µs/op and the ratio to
// a baseline of one awaited no-op promise per request.
// Usage: npm run build && node bench/resolver.mjs
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { configSchema } from "../dist/config/schema.js";
import { LimitsPolicy } from "../dist/services/limits/limits-policy.js";
import { RequestLimitsResolver } from "../dist/services/limits/resolve-request-limits.js";
import { openStore } from "../dist/storage/open.js";

const dir = mkdtempSync(join(tmpdir(), "keyplane-bench-"));
const store = await openStore({ dataDir: dir });
const config = configSchema.parse({ limits: { policyTtlMs: 3_600_000 } });
const orgId = "org-bench";
const KEYS = 1000;
const PROJECTS = 100;
await store.organizations.insert({ id: orgId, name: "bench", createdAt: 0 });
const policy = new LimitsPolicy({ store, config });
for (let p = 0; p < PROJECTS; p++) {
  await store.projects.insert({
    id: `proj_${p}`,
    orgId,
    name: "p",
    status: "active",
    createdAt: 0,
    archivedAt: null,
    externalKeyId: null,
    residency: null,
    modelMode: null,
    modelIds: [],
  });
  await policy.ensureRateLimits(store, `proj_${p}`);
  await store.rateLimits.update(`proj_${p}`, "rl-gpt-4o", { maxRequestsPer1Minute: 500 });
  await store.spendLimits.upsert({
    orgId,
    projectId: `proj_${p}`,
    thresholdMicros: 50e6,
    interval: { kind: "month" },
    createdAt: 0,
    updatedAt: 0,
  });
}
const keys = Array.from({ length: KEYS }, (_, i) => ({
  id: `key_${i}`,
  orgId,
  projectId: `proj_${i % PROJECTS}`,
  kind: "project",
  name: "k",
  redactedValue: "sk-proj-***",
  ownerUserId: null,
  ownerServiceAccountId: null,
  scopes: [],
  models: null,
  limits: { rpm: 60, rpd: null, tpm: 100_000, tpd: null, maxConcurrent: 4 },
  budgetMicros: 5e6,
  instanceAdmin: false,
  createdAt: 0,
  lastUsedAt: null,
  expiresAt: null,
  revokedAt: null,
}));
const resolver = new RequestLimitsResolver(policy);
const input = (i, key = keys[i % KEYS]) => ({
  orgId,
  projectId: key.projectId,
  key,
  model: "gpt-4o",
  nowMs: Date.now(),
});

let baselineNs = 0;
const time = async (name, n, fn) => {
  for (let i = 0; i < Math.min(n, 20_000); i++) await fn(i);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn(i);
  const ns = Number(process.hrtime.bigint() - t0) / n;
  if (baselineNs === 0) baselineNs = ns;
  console.log(
    `${name.padEnd(56)} ${Math.round(1e9 / ns)
      .toLocaleString("en")
      .padStart(
        12,
      )} ops/s ${(ns / 1000).toFixed(3).padStart(8)} µs/op ${(ns / baselineNs).toFixed(2).padStart(7)}x baseline`,
  );
};

const noop = () => Promise.resolve();
await time("baseline: one awaited no-op promise", 1_000_000, async () => {
  await noop();
});
await time("cached hit (1000 keys, 100 projects), awaited", 1_000_000, async (i) => {
  await resolver.resolveRequestLimits(input(i));
});
// A fresh record with the same limits per call: the verifier reloading records on its TTL.
await time("reloaded key record, same limits (compare, no rebuild)", 1_000_000, async (i) => {
  await resolver.resolveRequestLimits(input(i, { ...keys[i % KEYS] }));
});
// Changed limits per call: what every key pays once after it is updated.
await time("rebuild (changed key limits each call), awaited", 200_000, async (i) => {
  const k = keys[i % KEYS];
  await resolver.resolveRequestLimits(input(i, { ...k, limits: { ...k.limits, rpm: 60 + (i % 7) } }));
});
const r = await resolver.resolveRequestLimits(input(0));
console.log(
  `per request: ${r.limits.length} buckets, ${r.concurrency.length} concurrency cap, ${r.budgets.length} budgets`,
);
await store.close();
rmSync(dir, { recursive: true, force: true });
