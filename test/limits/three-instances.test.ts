import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKey } from "../../src/domain/keys.js";
import { type ChildServer, spawnServer } from "../helpers/child-server.js";
import { PG_URL, REDIS_URL } from "../helpers/server.js";

/** Three Keyplane processes sharing one PostgreSQL schema and one Redis, as a real deployment would. */
describe("limits hold across three processes", () => {
  const schema = `kp_three_${Date.now().toString(36)}`;
  const root = mkdtempSync(join(tmpdir(), "keyplane-three-"));
  const adminKey = generateKey("admin");
  const servers: ChildServer[] = [];
  let projectId = "";
  const admin = (url: string, method: string, path: string, body?: unknown) =>
    fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
      ...(body ? { body: JSON.stringify(body) } : {}),
    }).then((r) => r.json() as Promise<any>);

  /**
   * `n` concurrent requests spread over the three processes, each of which may cost $0.10: about
   * 800 output tokens from the echo provider, so $0.08 settled and $0.10 reserved.
   */
  const costlyRequests = (key: string, n: number) => {
    const content = "word ".repeat(800).trim();
    return Promise.all(
      Array.from({ length: n }, (_, i) =>
        fetch(`${servers[i % 3]?.url}/v1/chat/completions`, {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body: JSON.stringify({
            model: "budget-model",
            max_tokens: 1000,
            messages: [{ role: "user", content }],
          }),
        }).then(async (r) => ({ status: r.status, body: (await r.json()) as any })),
      ),
    );
  };

  beforeAll(async () => {
    const config = join(root, "keyplane.json");
    writeFileSync(
      config,
      JSON.stringify({
        // $100 per 1M output tokens and free input: a request with max_tokens 1000 may cost $0.10.
        prices: { "budget-model": { input: 0, output: 100 } },
        models: ["gpt-4o-mini", "budget-model"],
        limits: { redisPrefix: `kp-three-${schema}:` },
      }),
    );
    const env = (i: number) => ({
      KEYPLANE_CONFIG: config,
      KEYPLANE_DATA_DIR: join(root, `data-${i}`),
      KEYPLANE_DATABASE_URL: `${PG_URL}?schema=${schema}`,
      KEYPLANE_REDIS_URL: REDIS_URL,
      KEYPLANE_SECRET: "three-instances-secret-0123456789",
      KEYPLANE_ADMIN_KEY: adminKey,
    });
    servers.push(await spawnServer(root, env(0)));
    servers.push(...(await Promise.all([spawnServer(root, env(1)), spawnServer(root, env(2))])));
    const projects = await admin(servers[0]?.url ?? "", "GET", "/v1/organization/projects");
    projectId = projects.data[0].id;
  }, 60_000);

  afterAll(async () => {
    for (const s of servers) s.child.kill("SIGTERM");
    await Promise.all(servers.map((s) => s.exited));
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await c.end();
    rmSync(root, { recursive: true, force: true });
  });

  it("a key limited to N requests per minute gets exactly N through, the rest 429 with retry-after", async () => {
    const N = 25;
    const key = await admin(
      servers[0]?.url ?? "",
      "POST",
      `/v1/organization/projects/${projectId}/api_keys`,
      { name: "rpm", limits: { rpm: N } },
    );
    const results = await Promise.all(
      Array.from({ length: 90 }, (_, i) =>
        fetch(`${servers[i % 3]?.url}/v1/chat/completions`, {
          method: "POST",
          headers: { authorization: `Bearer ${key.value}`, "content-type": "application/json" },
          body: JSON.stringify({
            model: "gpt-4o-mini",
            max_tokens: 5,
            messages: [{ role: "user", content: `hi ${i}` }],
          }),
        }).then(async (r) => ({
          status: r.status,
          retryAfter: r.headers.get("retry-after"),
          body: (await r.json()) as any,
        })),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(N);
    const refused = results.filter((r) => r.status !== 200);
    expect(refused).toHaveLength(90 - N);
    for (const r of refused) {
      expect(r.status).toBe(429);
      expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(r.body.error.code).toBe("rate_limit_exceeded");
      expect(r.body.error.message).toMatch(
        /^Rate limit reached for .* on requests per min \(RPM\): Limit 25/,
      );
    }
  });

  it("a $1 budget hit by 50 concurrent requests that could each cost $0.10 never settles above $1", async () => {
    const key = await admin(
      servers[0]?.url ?? "",
      "POST",
      `/v1/organization/projects/${projectId}/api_keys`,
      { name: "budget", budget_usd: 1 },
    );
    const results = await costlyRequests(key.value, 50);
    const ok = results.filter((r) => r.status === 200);
    const settled = ok.reduce((sum, r) => sum + r.body.usage.completion_tokens * 100, 0); // micro-dollars
    expect(ok.length).toBeGreaterThanOrEqual(10);
    expect(settled).toBeLessThanOrEqual(1_000_000);
    for (const r of results.filter((x) => x.status !== 200)) {
      expect(r.status).toBe(429);
      expect(r.body.error.code).toBe("insufficient_quota");
    }
    // The shared ledger agrees (settles run just after each response, so poll briefly).
    let spentUsd = -1;
    for (let i = 0; i < 50 && Math.round(spentUsd * 1e6) !== settled; i++) {
      const me = await fetch(`${servers[1]?.url}/v1/me`, {
        headers: { authorization: `Bearer ${key.value}` },
      }).then((r) => r.json() as Promise<any>);
      const keyBudget = me.budgets.find((b: any) => b.limit_usd === 1);
      spentUsd = keyBudget?.spent_usd ?? -1;
      if (Math.round(spentUsd * 1e6) !== settled) await new Promise((r) => setTimeout(r, 50));
    }
    expect(Math.round(spentUsd * 1e6)).toBe(settled);
  });

  it("with a rate limit and a budget, requests the budget refuses take none of the rate limit", async () => {
    const key = await admin(
      servers[0]?.url ?? "",
      "POST",
      `/v1/organization/projects/${projectId}/api_keys`,
      { name: "both", limits: { rpm: 30 }, budget_usd: 1 },
    );
    const results = await costlyRequests(key.value, 40);
    // $0.10 held and $0.08 spent each: 10 to 12 fit in $1. Limits and budget are decided as one,
    // so the 28-30 the budget refuses never held one of the 30 requests per minute.
    const ok = results.filter((r) => r.status === 200).length;
    expect(ok).toBeGreaterThanOrEqual(10);
    expect(ok).toBeLessThanOrEqual(12);
    for (const r of results.filter((x) => x.status !== 200)) {
      expect(r.status).toBe(429);
      expect(r.body.error.code).toBe("insufficient_quota");
    }
    const me = await fetch(`${servers[2]?.url}/v1/me`, {
      headers: { authorization: `Bearer ${key.value}` },
    }).then((r) => r.json() as Promise<any>);
    const rpm = me.models.find((m: any) => m.model === "budget-model").requests_per_minute;
    // One request per 2 s refills meanwhile.
    expect(rpm.remaining).toBeGreaterThanOrEqual(30 - ok);
    expect(rpm.remaining).toBeLessThanOrEqual(30 - ok + 3);
  });

  it("the official client gets RateLimitError with OpenAI's body and retries on its own after retry-after", async () => {
    const key = await admin(
      servers[0]?.url ?? "",
      "POST",
      `/v1/organization/projects/${projectId}/api_keys`,
      { name: "retry", limits: { rpm: 30 } },
    );
    const noRetry = new OpenAI({ apiKey: key.value, baseURL: `${servers[2]?.url}/v1`, maxRetries: 0 });
    const ask = (c: OpenAI) =>
      c.chat.completions.create({
        model: "gpt-4o-mini",
        max_tokens: 5,
        messages: [{ role: "user", content: "x" }],
      });
    for (let i = 0; i < 30; i++) await ask(noRetry);
    const err = await ask(noRetry).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect((err as InstanceType<typeof OpenAI.RateLimitError>).code).toBe("rate_limit_exceeded");
    // One request refills every 2 s: the client waits as told and then succeeds.
    const retrying = new OpenAI({ apiKey: key.value, baseURL: `${servers[0]?.url}/v1`, maxRetries: 3 });
    const t0 = Date.now();
    const r = await ask(retrying);
    expect(r.choices).toHaveLength(1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(500);
  }, 30_000);
});
