// Keyplane as a benchmark target: a `keyplane serve` process routed to the fake upstream, and the
// chat request every bench sends. Shared by run.mjs and profile.mjs.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, launch, waitHttp } from "./lib.mjs";

/** The chat completion request body of every bench run. */
export const chatBody = (stream) =>
  JSON.stringify({
    model: "gpt-4o-mini",
    max_tokens: 32,
    messages: [
      { role: "system", content: "You are a helpful assistant." },
      { role: "user", content: "Say hello." },
    ],
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  });

/**
 * Starts Keyplane in `dir` routed to the fake upstream and creates a project key. `adminKey` reuses
 * an existing data dir's admin key; `config` is merged into the config file; `nodeArgs` go to node;
 * `root` is the checkout whose build runs (bench/ab.mjs compares two). Unless `budget` is false
 * (or BENCH_BUDGET=0), the project gets a monthly hard budget too high to refuse anything, so every
 * request also reserves and settles spend, as the limits issue's throughput criterion asks.
 * Returns its URL, the key, the child process, the dir and the admin key.
 */
export const startKeyplane = async ({
  dir,
  upstreamPort,
  env = {},
  adminKey,
  config = {},
  nodeArgs = [],
  root = ".",
  budget = process.env.BENCH_BUDGET !== "0",
}) => {
  const { generateKey } = await import("../dist/domain/keys.js");
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const admin = adminKey ?? generateKey("admin");
  const configFile = join(dir, "keyplane.json");
  writeFileSync(
    configFile,
    JSON.stringify({
      upstreams: [
        {
          name: "fake",
          type: "openai",
          baseUrl: `http://127.0.0.1:${upstreamPort}/v1`,
          maxRetries: 0,
          connections: 128,
        },
      ],
      routes: [{ match: "*", upstream: "fake" }],
      // Limits are checked on every request; set high so they admit the benchmark's load.
      limits: { defaultRpm: 1_000_000_000, defaultTpm: 1_000_000_000_000 },
      ...config,
    }),
  );
  const child = launch(process.execPath, [...nodeArgs, join(root, "bin/keyplane.js"), "serve"], {
    env: {
      KEYPLANE_CONFIG: configFile,
      KEYPLANE_DATA_DIR: join(dir, "data"),
      KEYPLANE_PORT: String(port),
      KEYPLANE_ADMIN_KEY: admin,
      KEYPLANE_SECRET: "bench-secret-0123456789abcdef",
      KEYPLANE_LOG_LEVEL: "warn",
      ...env,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitHttp(`${url}/healthz`);
  const headers = { authorization: `Bearer ${admin}`, "content-type": "application/json" };
  const projects = await (await fetch(`${url}/v1/organization/projects`, { headers })).json();
  if (budget) {
    const res = await fetch(`${url}/v1/organization/projects/${projects.data[0].id}/spend_limit`, {
      method: "POST",
      headers,
      // $1,000,000,000 a month: every request is checked against it, none is refused.
      body: JSON.stringify({ threshold_amount: 100_000_000_000, currency: "USD", interval: "month" }),
    });
    if (!res.ok) throw new Error(`setting the bench budget: ${res.status} ${await res.text()}`);
  }
  const created = await (
    await fetch(`${url}/v1/organization/projects/${projects.data[0].id}/api_keys`, {
      method: "POST",
      headers,
      body: JSON.stringify({ name: "bench" }),
    })
  ).json();
  return { url, key: created.value, child, dir, adminKey: admin };
};
