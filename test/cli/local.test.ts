import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REDIS_URL, startServer, type TestServer } from "../helpers/server.js";
import { ensureBuilt, runCli } from "./run-cli.js";

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), "keyplane-cli-local-"));
  dirs.push(d);
  return d;
};

describe("local commands: migrate, config check, doctor, keygen", () => {
  let upstream: Server;
  let upstreamUrl = "";
  beforeAll(async () => {
    await ensureBuilt();
    // A stand-in OpenAI-compatible upstream: answers /v1/models with 200 when the key is right.
    upstream = createServer((req, res) => {
      const ok = req.headers.authorization === "Bearer sk-up-good";
      res.writeHead(ok ? 200 : 401, { "content-type": "application/json" });
      res.end(JSON.stringify(ok ? { object: "list", data: [] } : { error: { message: "bad key" } }));
    });
    await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
  });
  afterAll(async () => {
    await new Promise((r) => upstream.close(r));
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it("migrate shows each migration's progress, then has nothing to do; --json lists what it applied", async () => {
    const dir = tempDir();
    const env = { KEYPLANE_DATA_DIR: dir };
    const first = await runCli(["migrate"], { env });
    expect(first.code).toBe(0);
    expect(first.stderr).toContain(`Migrating SQLite ${join(dir, "keyplane.db")}`);
    expect(first.stderr).toMatch(/\[1\/\d+\] 001 initial …\n✓ \[1\/\d+\] 001 initial \(\d+ ms\)/);
    expect(first.stdout).toMatch(/✓ Applied \d+ migrations?\./);
    const again = await runCli(["migrate"], { env });
    expect(again.stdout).toContain("up to date; nothing to apply");
    const asJson = JSON.parse(
      (await runCli(["migrate", "--json"], { env: { KEYPLANE_DATA_DIR: tempDir() } })).stdout,
    );
    expect(asJson.applied[0]).toMatchObject({ version: 1, name: "initial" });
  });

  it("config check lists every problem of a bad file at once and exits 1", async () => {
    const file = join(tempDir(), "bad.json");
    writeFileSync(
      file,
      JSON.stringify({
        prot: 8080,
        port: "eighty",
        logLevel: "loud",
        upstreams: [
          { name: "oa", type: "openai", apiKeyEnv: "KP_MISSING_KEY" },
          { name: "oa", type: "echo" },
        ],
        routes: [{ match: "*", upstream: "oai", fallbacks: ["nope"] }],
        redisUrl: "localhost:6379",
      }),
    );
    const r = await runCli(["config", "check", file]);
    expect(r.code).toBe(1);
    for (const expected of [
      /✗ port: /,
      /✗ logLevel: /,
      /! prot: unknown setting/,
      /✗ upstreams\[0\]\.baseUrl: an openai upstream needs a baseUrl/,
      /! upstreams\[0\]\.apiKeyEnv: KP_MISSING_KEY is not set/,
      /✗ upstreams\[1\]\.name: duplicate upstream name "oa"/,
      /✗ routes\[0\]\.upstream: unknown upstream "oai"/,
      /✗ routes\[0\]\.fallbacks\[0\]: unknown upstream "nope"/,
      /✗ redisUrl: must start with redis:\/\//,
      /7 errors, 2 warnings/,
    ])
      expect(r.stdout).toMatch(expected);
    const json = JSON.parse((await runCli(["config", "check", file, "--json"])).stdout);
    expect(json.ok).toBe(false);
    expect(json.problems).toHaveLength(9);
  });

  it("config check passes a good file (exit 0) and reports an unreadable one", async () => {
    const file = join(tempDir(), "good.json");
    writeFileSync(
      file,
      JSON.stringify({
        port: 9000,
        upstreams: [{ name: "oa", type: "openai", baseUrl: upstreamUrl }],
        routes: [{ match: "*", upstream: "oa" }],
      }),
    );
    const good = await runCli(["config", "check", file]);
    expect(good.code).toBe(0);
    expect(good.stdout).toContain("configuration is valid");
    const env = await runCli(["config", "check"], { env: { KEYPLANE_CONFIG: file, KEYPLANE_PORT: "-1" } });
    expect(env.code).toBe(1);
    expect(env.stdout).toMatch(/✗ port: /);
    const broken = join(tempDir(), "broken.json");
    writeFileSync(broken, "{ not json");
    const b = await runCli(["config", "check", broken]);
    expect(b.code).toBe(1);
    expect(b.stdout).toContain("not valid JSON");
  });

  it("doctor checks store, Redis, every upstream and the running server", async () => {
    let s: TestServer | undefined;
    try {
      s = await startServer();
      const file = join(tempDir(), "doctor.json");
      writeFileSync(
        file,
        JSON.stringify({
          upstreams: [
            { name: "echo", type: "echo" },
            { name: "good", type: "openai", baseUrl: upstreamUrl, apiKeyEnv: "KP_UP_KEY" },
            { name: "down", type: "openai", baseUrl: "http://127.0.0.1:9/v1", connectTimeoutMs: 500 },
          ],
          routes: [{ match: "*", upstream: "good" }],
        }),
      );
      const env = {
        KEYPLANE_DATA_DIR: s.dataDir,
        KEYPLANE_REDIS_URL: REDIS_URL,
        KP_UP_KEY: "sk-up-good",
        KEYPLANE_URL: s.url,
      };
      const r = await runCli(["doctor", "--config", file], { env });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/✓\s+config/);
      expect(r.stdout).toMatch(/✓\s+store\s+SQLite .*keyplane\.db answers; migrations up to date/);
      expect(r.stdout).toMatch(/✓\s+redis\s+redis:\/\/127\.0\.0\.1:6379 PONG/);
      expect(r.stdout).toMatch(/✓\s+upstream echo/);
      expect(r.stdout).toMatch(/✓\s+upstream good\s+http.*\/models answered 200/);
      expect(r.stdout).toMatch(/✗\s+upstream down/);
      expect(r.stdout).toMatch(/✓\s+server\s+.*\/readyz answered 200/);
      const wrongKey = JSON.parse(
        (await runCli(["doctor", "--config", file, "--json"], { env: { ...env, KP_UP_KEY: "sk-up-bad" } }))
          .stdout,
      );
      expect(wrongKey.checks.find((c: { name: string }) => c.name === "upstream good").status).toBe("warn");
      const noRedis = await runCli(["doctor"], {
        env: { KEYPLANE_DATA_DIR: s.dataDir, KEYPLANE_REDIS_URL: "redis://127.0.0.1:9" },
      });
      expect(noRedis.code).toBe(1);
      expect(noRedis.stdout).toMatch(/✗\s+redis/);
    } finally {
      await s?.close();
    }
  });

  it("doctor does not create a database where there is none", async () => {
    const dir = tempDir();
    const r = await runCli(["doctor", "--json"], { env: { KEYPLANE_DATA_DIR: join(dir, "nothing-here") } });
    const checks = JSON.parse(r.stdout).checks;
    expect(checks.find((c: { name: string }) => c.name === "store")).toMatchObject({ status: "warn" });
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, "nothing-here"))).toBe(false);
  });

  it("keygen prints one well-formed key per kind", async () => {
    const admin = await runCli(["keygen"]);
    expect(admin.stdout).toMatch(/^sk-admin-[0-9A-Za-z]+\n$/);
    const sa = await runCli(["keygen", "service_account"]);
    expect(sa.stdout).toMatch(/^sk-svcacct-/);
  });
});
