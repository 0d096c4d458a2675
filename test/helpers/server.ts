import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import pg from "pg";
import type { z } from "zod";
import { configSchema } from "../../src/config/schema.js";
import { createLogger } from "../../src/lib/logger.js";
import { createKeyplane, type Keyplane } from "../../src/main.js";

export const PG_URL = process.env.KEYPLANE_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
export const REDIS_URL = process.env.KEYPLANE_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

export interface TestServer {
  kp: Keyplane;
  url: string;
  adminKey: string;
  orgId: string;
  projectId: string;
  dataDir: string;
  secret: string;
  pgSchema: string | undefined;
  /** Every log line the server wrote (for secret-leak assertions). */
  logs: () => string;
  close(): Promise<void>;
}

export interface StartOptions {
  db?: "sqlite" | "postgres";
  /** Config input (defaults fill the rest), as a config file would give it. */
  config?: Partial<z.input<typeof configSchema>>;
  /** Another instance of the same deployment: same PostgreSQL schema, secret and organization. */
  shareWith?: TestServer;
}

const randomSchema = (): string =>
  `kp_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;

/** Starts a real Keyplane on 127.0.0.1:0 with its own SQLite dir or PostgreSQL schema. */
export const startServer = async (opts: StartOptions = {}): Promise<TestServer> => {
  const dataDir = mkdtempSync(join(tmpdir(), "keyplane-test-"));
  const shared = opts.shareWith;
  const schema = shared ? shared.pgSchema : opts.db === "postgres" ? randomSchema() : undefined;
  const secret = shared?.secret ?? `test-secret-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  const config = Object.freeze(
    configSchema.parse({
      host: "127.0.0.1",
      port: 0,
      dataDir,
      logLevel: "info",
      shutdownGraceMs: 300,
      secret,
      ...(schema ? { databaseUrl: PG_URL } : {}),
      ...opts.config,
    }),
  );
  let captured = "";
  const sink = new Writable({
    write(chunk, _enc, cb) {
      captured += String(chunk);
      cb();
    },
  });
  const kp = await createKeyplane(config, {
    logger: createLogger("info", sink),
    ...(schema ? { pgSchema: schema } : {}),
  });
  const url = await kp.listen();
  const adminKey = shared?.adminKey ?? kp.bootstrap.adminKey;
  if (!adminKey) throw new Error("bootstrap did not mint an admin key");
  return {
    kp,
    url,
    adminKey,
    orgId: kp.bootstrap.orgId,
    projectId: kp.bootstrap.projectId,
    dataDir,
    secret,
    pgSchema: schema,
    logs: () => captured,
    async close() {
      await kp.close();
      if (schema && !shared) {
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await c.end();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

/** Small JSON client for tests: returns status, headers and parsed body. */
export const call = async (
  url: string,
  method: string,
  path: string,
  opts: { key?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: any }> => {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  let body: string | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined && !headers["content-type"]) headers["content-type"] = "application/json";
  const res = await fetch(`${url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // non-JSON bodies stay text
  }
  return { status: res.status, headers: res.headers, body: parsed };
};
