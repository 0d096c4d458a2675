import { readFileSync } from "node:fs";
import { type Config, configSchema } from "./schema.js";

/** Environment variable → config key. The only place that reads process.env for settings. */
const ENV_KEYS: Record<string, keyof Config> = {
  KEYPLANE_HOST: "host",
  KEYPLANE_PORT: "port",
  KEYPLANE_DATA_DIR: "dataDir",
  KEYPLANE_DATABASE_URL: "databaseUrl",
  KEYPLANE_REDIS_URL: "redisUrl",
  KEYPLANE_SECRET: "secret",
  KEYPLANE_ADMIN_KEY: "adminKey",
  KEYPLANE_LOG_LEVEL: "logLevel",
  KEYPLANE_PUBLIC_URL: "publicUrl",
  KEYPLANE_METRICS_TOKEN: "metricsToken",
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  /** Overrides applied last (CLI flags, tests). */
  overrides?: Partial<Config>;
}

export const readConfigFile = (path: string): Record<string, unknown> => {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new ConfigError([`cannot read config file ${path}: ${(err as Error).message}`]);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new Error("top level must be an object");
    }
    return parsed as Record<string, unknown>;
  } catch (err) {
    throw new ConfigError([`config file ${path} is not valid JSON: ${(err as Error).message}`]);
  }
};

/** Parses config once: file, then env, then overrides. Fails listing every problem. */
export const loadConfig = (opts: LoadOptions = {}): Readonly<Config> => {
  const env = opts.env ?? process.env;
  const raw: Record<string, unknown> = env.KEYPLANE_CONFIG ? readConfigFile(env.KEYPLANE_CONFIG) : {};
  for (const [name, key] of Object.entries(ENV_KEYS)) {
    const v = env[name];
    if (v !== undefined && v !== "") raw[key] = v;
  }
  Object.assign(raw, opts.overrides ?? {});
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`));
  }
  return Object.freeze(result.data);
};

/** Upstream keys are read from the env variable the config names, at start, never logged. */
export const readUpstreamKey = (
  envName: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined => (envName ? env[envName] : undefined);
