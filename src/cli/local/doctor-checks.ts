import { existsSync } from "node:fs";
import { Redis } from "ioredis";
import { ConfigError, readUpstreamKey } from "../../config/load.js";
import type { Config, UpstreamConfig } from "../../config/schema.js";
import { openStore, parseStoreUrl } from "../../storage/open.js";
import { describeStore, loadCliConfig } from "./store-info.js";

export interface Check {
  name: string;
  status: "ok" | "warn" | "fail";
  detail: string;
}

const TIMEOUT_MS = 3000;

const errText = (err: unknown): string => {
  const cause = err instanceof Error ? (err as Error & { cause?: { code?: string } }).cause : undefined;
  return cause?.code ?? (err instanceof Error ? err.message : String(err));
};

export const checkStore = async (config: Config): Promise<Check> => {
  const where = describeStore(config.databaseUrl, config.dataDir);
  const target = parseStoreUrl(config.databaseUrl, config.dataDir);
  // Opening a SQLite path creates it; a doctor must not, so a missing file is reported instead.
  if (target.kind === "sqlite" && target.path !== ":memory:" && !existsSync(target.path))
    return {
      name: "store",
      status: "warn",
      detail: `${where} does not exist yet; \`keyplane init\` creates it`,
    };
  try {
    const store = await openStore({ url: config.databaseUrl, dataDir: config.dataDir, migrate: false });
    try {
      await store.ping();
      const pending = (await store.pendingMigrations()).length;
      if (pending > 0)
        return {
          name: "store",
          status: "warn",
          detail: `${where}: ${pending} migration(s) pending; run \`keyplane migrate\``,
        };
      return { name: "store", status: "ok", detail: `${where} answers; migrations up to date` };
    } finally {
      await store.close();
    }
  } catch (err) {
    return { name: "store", status: "fail", detail: `${where}: ${errText(err)}` };
  }
};

export const checkRedis = async (config: Config): Promise<Check> => {
  if (!config.redisUrl)
    return {
      name: "redis",
      status: "ok",
      detail: "not configured: limits are kept in memory (one instance)",
    };
  const redis = new Redis(config.redisUrl, {
    lazyConnect: true,
    connectTimeout: TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  redis.on("error", () => {});
  try {
    await redis.connect();
    const pong = await redis.ping();
    return {
      name: "redis",
      status: pong === "PONG" ? "ok" : "fail",
      detail: `${redisHost(config.redisUrl)} ${pong}`,
    };
  } catch (err) {
    return { name: "redis", status: "fail", detail: `${redisHost(config.redisUrl)}: ${errText(err)}` };
  } finally {
    redis.disconnect();
  }
};

const redisHost = (url: string): string => {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return "redis";
  }
};

/** Any HTTP answer proves the upstream is reachable; 401/403 also says its key is wrong. */
export const checkUpstream = async (u: UpstreamConfig): Promise<Check> => {
  const name = `upstream ${u.name}`;
  if (u.type === "echo") return { name, status: "ok", detail: "built-in echo provider (offline)" };
  if (!u.baseUrl) return { name, status: "fail", detail: "no baseUrl configured" };
  const key = readUpstreamKey(u.apiKeyEnv);
  const url = `${u.baseUrl.replace(/\/+$/, "")}/models`;
  try {
    const res = await fetch(url, {
      headers: { ...u.headers, ...(key ? { authorization: `Bearer ${key}` } : {}) },
      signal: AbortSignal.timeout(Math.min(u.connectTimeoutMs, TIMEOUT_MS) + 2000),
    });
    await res.body?.cancel();
    if (res.status === 401 || res.status === 403)
      return {
        name,
        status: "warn",
        detail: `${url} answered ${res.status}: check ${u.apiKeyEnv ?? "its key"}`,
      };
    if (u.apiKeyEnv && !key)
      return { name, status: "warn", detail: `${url} answered ${res.status}, but ${u.apiKeyEnv} is not set` };
    return { name, status: "ok", detail: `${url} answered ${res.status}` };
  } catch (err) {
    return { name, status: "fail", detail: `${url}: ${errText(err)}` };
  }
};

export const checkServer = async (url: string): Promise<Check> => {
  try {
    const res = await fetch(`${url.replace(/\/+$/, "")}/readyz`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    const body = (await res.json().catch(() => ({}))) as { status?: string };
    return {
      name: "server",
      status: res.ok ? "ok" : "fail",
      detail: `${url}/readyz answered ${res.status}${body.status ? ` (${body.status})` : ""}`,
    };
  } catch (err) {
    return { name: "server", status: "fail", detail: `${url}: ${errText(err)}` };
  }
};

/** Every check; the config's own problems stop the rest (they would all fail for that reason). */
export const runChecks = async (
  configFile: string | undefined,
  serverUrl: string | undefined,
): Promise<Check[]> => {
  const checks: Check[] = [];
  let config: Config | undefined;
  try {
    config = loadCliConfig(configFile);
    checks.push({ name: "config", status: "ok", detail: configFile ?? "defaults + environment" });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const n = err.problems.length;
    checks.push({ name: "config", status: "fail", detail: `${n} problem(s); run \`keyplane config check\`` });
  }
  if (config)
    checks.push(
      ...(await Promise.all([
        checkStore(config),
        checkRedis(config),
        ...config.upstreams.map(checkUpstream),
      ])),
    );
  if (serverUrl) checks.push(await checkServer(serverUrl));
  return checks;
};
