// Usage and Costs API reads over 1,000,000 usage events (30 days), through the real HTTP server.
// Seeds raw events with multi-row inserts, builds the rollups with one INSERT … SELECT per
// granularity (what migration 002 does for existing rows), then times each API query against a
// baseline: the same daily totals computed straight from the raw table.
// Usage: npm run build && node bench/usage.mjs [--pg] [--events=1000000]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Sqlite from "better-sqlite3";
import pg from "pg";
import { configSchema } from "../dist/config/schema.js";
import { createKeyplane } from "../dist/main.js";

const usePg = process.argv.includes("--pg");
const N = Number(process.argv.find((a) => a.startsWith("--events="))?.slice(9) ?? 1_000_000);
const PG_URL = process.env.KEYPLANE_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const DAY = 86_400;
const now = Math.floor(Date.now() / 1000);
const from = now - 30 * DAY;

const dataDir = mkdtempSync(join(tmpdir(), "keyplane-bench-usage-"));
const schema = `bench_usage_${process.pid}`;
const dbUrl = usePg ? `${PG_URL}?schema=${schema}` : undefined;
const config = Object.freeze(
  configSchema.parse({
    dataDir,
    port: 0,
    logLevel: "silent",
    accessLog: false,
    ...(dbUrl ? { databaseUrl: dbUrl } : {}),
    prices: {
      "gpt-4o-mini": { input: 0.15, cachedInput: 0.075, output: 0.6 },
      "gpt-4o": { input: 2.5, output: 10 },
    },
  }),
);
const kp = await createKeyplane(config);
const base = await kp.listen();
const admin = kp.bootstrap.adminKey;
const orgId = kp.bootstrap.orgId;
const api = async (path) => {
  const r = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${admin}` } });
  if (r.status !== 200) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return r.json();
};

// 10 projects × 10 keys; the bootstrap project's 20 real keys feed the key listing.
const realKeys = [];
for (let i = 0; i < 20; i++) {
  const r = await fetch(`${base}/v1/organization/projects/${kp.bootstrap.projectId}/api_keys`, {
    method: "POST",
    headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
    body: JSON.stringify({ name: `bench ${i}` }),
  });
  realKeys.push((await r.json()).id);
}
const MODELS = ["gpt-4o-mini", "gpt-4o", "gpt-4.1", "o3-mini", "text-embedding-3-small", "gpt-4.1-mini"];
const keyOf = (i) => (i % 100 < 20 ? realKeys[i % 100] : `key_bench${i % 100}`);
const projectOf = (i) => (i % 100 < 20 ? kp.bootstrap.projectId : `proj_bench${i % 10}`);
const row = (i) => {
  const model = MODELS[i % MODELS.length];
  const input = 50 + (i % 500);
  return [
    `ue_bench${i}`,
    orgId,
    projectOf(i),
    keyOf(i),
    model,
    model.startsWith("text-embedding") ? "embeddings" : i % 3 ? "chat" : "responses",
    input,
    i % 7 === 0 ? Math.floor(input / 2) : 0,
    model.startsWith("text-embedding") ? 0 : 20 + (i % 300),
    i % 97 === 0 ? 500 : 200,
    100 + (i % 900),
    2000,
    false,
    5 + (i % 2000),
    (from + Math.floor((i * 30 * DAY) / N)) * 1000 + (i % 1000),
  ];
};
const COLS =
  "id, org_id, project_id, key_id, model, endpoint, input_tokens, cached_tokens, output_tokens, status, latency_ms, bytes, estimated, cost_micros, created_at_ms";

const ROLLUPS = [
  ["usage_rollup_minute", 60],
  ["usage_rollup_hour", 3600],
  ["usage_rollup_day", 86400],
];
const rollupSql = (table, width, est) => `
  insert into ${table} (org_id, bucket_start, project_id, key_id, model, endpoint, requests, failed,
    input_tokens, cached_tokens, output_tokens, cost_micros, bytes, latency_ms, estimated)
  select org_id, (created_at_ms / ${width * 1000}) * ${width}, project_id, key_id, model, endpoint, count(*),
    sum(case when status >= 400 then 1 else 0 end), sum(input_tokens), sum(cached_tokens), sum(output_tokens),
    sum(cost_micros), sum(bytes), sum(latency_ms), sum(${est})
  from usage_events group by 1, 2, 3, 4, 5, 6`;

let baselineSql;
let runBaseline;
let closeSeeder;
const tSeed = Date.now();
if (usePg) {
  const pool = new pg.Pool({ connectionString: PG_URL, max: 2, options: `-c search_path=${schema}` });
  const PER = 1000;
  for (let i = 0; i < N; i += PER) {
    const vals = [];
    const params = [];
    for (let j = i; j < Math.min(N, i + PER); j++) {
      const r = row(j);
      vals.push(`(${r.map((_, k) => `$${params.length + k + 1}`).join(",")})`);
      params.push(...r);
    }
    await pool.query(`insert into usage_events (${COLS}) values ${vals.join(",")}`, params);
  }
  for (const [t, w] of ROLLUPS) await pool.query(rollupSql(t, w, "case when estimated then 1 else 0 end"));
  await pool.query("analyze");
  runBaseline = (sql, p) => pool.query(sql, p);
  baselineSql = `select (created_at_ms / 86400000) * 86400 as b, count(*), sum(input_tokens), sum(output_tokens), sum(cost_micros)
    from usage_events where org_id = $1 and created_at_ms >= $2 and created_at_ms < $3 group by 1 order by 1`;
  closeSeeder = () => pool.end();
} else {
  const db = new Sqlite(join(dataDir, "keyplane.db"));
  db.pragma("busy_timeout = 5000");
  const PER = 100;
  const stmt = db.prepare(
    `insert into usage_events (${COLS}) values ${Array.from({ length: PER }, () => `(${"?,".repeat(14)}?)`).join(",")}`,
  );
  const batch = db.transaction((start) => {
    for (let i = start; i < Math.min(N, start + 20_000); i += PER) {
      const params = [];
      for (let j = i; j < i + PER; j++) params.push(...row(j).map((v) => (v === false ? 0 : v)));
      stmt.run(params);
    }
  });
  for (let i = 0; i < N; i += 20_000) batch(i);
  for (const [t, w] of ROLLUPS) db.exec(rollupSql(t, w, "estimated"));
  db.exec("analyze");
  runBaseline = (sql, p) => db.prepare(sql).all(...p);
  baselineSql = `select (created_at_ms / 86400000) * 86400 as b, count(*), sum(input_tokens), sum(output_tokens), sum(cost_micros)
    from usage_events where org_id = ? and created_at_ms >= ? and created_at_ms < ? group by 1 order by 1`;
  closeSeeder = () => db.close();
}
console.log(
  `${usePg ? "PostgreSQL" : "SQLite"}: seeded ${N.toLocaleString("en")} raw events + rollups in ${((Date.now() - tSeed) / 1000).toFixed(1)} s`,
);

const time = async (name, fn, runs = 7) => {
  const cold = performance.now();
  await fn();
  const coldMs = performance.now() - cold;
  const ms = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { name, coldMs, medianMs: ms[Math.floor(runs / 2)] };
};

const results = [];
const baseline = await time("baseline: daily totals from raw events (SQL)", () =>
  runBaseline(baselineSql, [orgId, from * 1000, now * 1000]),
);
results.push(baseline);
const q30 = `start_time=${from}&end_time=${now}&limit=31`;
results.push(await time("usage/completions 30 × 1d", () => api(`/v1/organization/usage/completions?${q30}`)));
results.push(
  await time("usage/completions 30 × 1d, group_by project_id+model", () =>
    api(`/v1/organization/usage/completions?${q30}&group_by[]=project_id&group_by[]=model`),
  ),
);
results.push(
  await time("usage/completions 30 × 1d, group_by api_key_id", () =>
    api(`/v1/organization/usage/completions?${q30}&group_by[]=api_key_id`),
  ),
);
results.push(
  await time("  of which the rollup read alone (store.usage.aggregate)", () =>
    kp.store.usage.aggregate({
      orgId,
      granularity: "day",
      fromSec: Math.floor(from / DAY) * DAY,
      toSec: now,
      groupBy: ["keyId"],
      endpoints: ["chat", "responses", "completions"],
    }),
  ),
);
results.push(
  await time("usage/completions 168 × 1h (7 days)", () =>
    api(
      `/v1/organization/usage/completions?start_time=${now - 7 * DAY}&end_time=${now}&bucket_width=1h&limit=168`,
    ),
  ),
);
results.push(
  await time("usage/completions 1440 × 1m (1 day)", () =>
    api(
      `/v1/organization/usage/completions?start_time=${now - DAY}&end_time=${now}&bucket_width=1m&limit=1440`,
    ),
  ),
);
results.push(await time("costs 30 × 1d", () => api(`/v1/organization/costs?${q30}`)));
results.push(
  await time("costs 30 × 1d, group_by line_item", () =>
    api(`/v1/organization/costs?${q30}&group_by[]=line_item`),
  ),
);
results.push(
  await time("costs 30 × 1d, group_by project_id", () =>
    api(`/v1/organization/costs?${q30}&group_by[]=project_id`),
  ),
);
results.push(
  await time("key listing with month usage (20 keys)", () =>
    api(`/v1/organizations/${orgId}/projects/${kp.bootstrap.projectId}/apikeys?limit=20`),
  ),
);

const check = await api(`/v1/organization/usage/completions?${q30}`);
const counted = check.data.reduce((n, b) => n + b.results.reduce((m, r) => m + r.num_model_requests, 0), 0);
let expected = 0;
for (let i = 0; i < N; i++) if (!MODELS[i % MODELS.length].startsWith("text-") && i % 97 !== 0) expected++;
console.log(
  `check: completions requests over 30 days = ${counted.toLocaleString("en")} (expected ${expected.toLocaleString("en")})`,
);
for (const r of results) {
  console.log(
    `${r.name.padEnd(56)} median ${r.medianMs.toFixed(1).padStart(8)} ms  cold ${r.coldMs.toFixed(1).padStart(8)} ms  ${(r.medianMs / baseline.medianMs).toFixed(2).padStart(6)}x baseline`,
  );
}

// Ingest: the journal writer's path (raw insert + three rollup upserts in one transaction per batch).
const INGEST = 50_000;
const BATCH = config.metering.batchSize;
const tIngest = performance.now();
for (let i = 0; i < INGEST; i += BATCH) {
  const evs = [];
  for (let j = i; j < i + BATCH; j++) {
    const r = row(j);
    evs.push({
      id: `ue_ingest${j}`,
      orgId,
      projectId: r[2],
      keyId: r[3],
      model: r[4],
      endpoint: r[5],
      inputTokens: r[6],
      cachedTokens: r[7],
      outputTokens: r[8],
      status: r[9],
      latencyMs: r[10],
      bytes: r[11],
      estimated: false,
      costMicros: r[13],
      createdAtMs: (now - 60) * 1000 + (j % 60_000),
    });
  }
  await kp.store.usage.insertMany(evs);
}
const ingestS = (performance.now() - tIngest) / 1000;
console.log(
  `ingest: ${INGEST.toLocaleString("en")} events via usage.insertMany in batches of ${BATCH}: ${Math.round(INGEST / ingestS).toLocaleString("en")} events/s`,
);

await closeSeeder();
await kp.close();
if (usePg) {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  await c.query(`drop schema if exists ${schema} cascade`);
  await c.end();
}
rmSync(dataDir, { recursive: true, force: true });
