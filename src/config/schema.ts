import { z } from "zod";

/** One schema for env + config file. Sections are owned by the modules that read them. */
export const upstreamSchema = z.object({
  name: z.string().min(1),
  /** "openai" = any OpenAI-compatible HTTP API; "echo" = the built-in offline provider. */
  type: z.enum(["openai", "echo"]).default("openai"),
  baseUrl: z.string().url().optional(),
  /** Name of the environment variable holding the upstream key (never the key itself). */
  apiKeyEnv: z.string().optional(),
  headers: z.record(z.string(), z.string()).default({}),
  timeoutMs: z.number().int().positive().default(60_000),
  connectTimeoutMs: z.number().int().positive().default(5_000),
  maxRetries: z.number().int().min(0).max(10).default(2),
  /** Exponential backoff with full jitter: attempt n waits random(0, min(retryMaxMs, retryBaseMs·2ⁿ)). */
  retryBaseMs: z.number().int().min(0).default(250),
  retryMaxMs: z.number().int().min(0).default(8_000),
  connections: z.number().int().positive().default(128),
});

/** A fallback is an upstream name, or an upstream with its own model name for this route. */
export const fallbackSchema = z.union([
  z.string().min(1),
  z.object({ upstream: z.string().min(1), model: z.string().min(1).optional() }),
]);

export const routeSchema = z.object({
  /** Exact model name, or a pattern ending in `*`. */
  match: z.string().min(1),
  upstream: z.string().min(1),
  /** Rewrite the model name sent upstream (aliases). */
  model: z.string().optional(),
  /** Ordered fallbacks, tried after the primary upstream's retries are exhausted. */
  fallbacks: z.array(fallbackSchema).default([]),
});

export const priceSchema = z.object({
  /** USD per 1M tokens. */
  input: z.number().nonnegative(),
  cachedInput: z.number().nonnegative().optional(),
  output: z.number().nonnegative().default(0),
});

export const configSchema = z.object({
  host: z.string().default("127.0.0.1"),
  port: z.coerce.number().int().min(0).max(65535).default(8787),
  dataDir: z.string().default("./data"),
  databaseUrl: z.string().optional(),
  redisUrl: z.string().optional(),
  secret: z.string().min(16).optional(),
  adminKey: z.string().optional(),
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  accessLog: z.boolean().default(true),
  /** On shutdown, how long in-flight requests may finish before their connections are cut. */
  shutdownGraceMs: z.number().int().min(0).default(10_000),
  bodyLimitBytes: z
    .number()
    .int()
    .positive()
    .default(4 * 1024 * 1024),
  publicUrl: z.string().url().optional(),
  upstreams: z.array(upstreamSchema).default([
    {
      name: "echo",
      type: "echo",
      headers: {},
      timeoutMs: 60_000,
      connectTimeoutMs: 5000,
      maxRetries: 0,
      retryBaseMs: 250,
      retryMaxMs: 8_000,
      connections: 1,
    },
  ]),
  routes: z.array(routeSchema).default([{ match: "*", upstream: "echo", fallbacks: [] }]),
  /** Extra `/v1/*` paths forwarded as-is (same auth, limits and metering). */
  passthroughPaths: z.array(z.string()).default([]),
  /** Models that get project rate-limit records, and the list `/v1/models` falls back to. */
  models: z
    .array(z.string())
    .default([
      "gpt-4o",
      "gpt-4o-mini",
      "gpt-4.1",
      "gpt-4.1-mini",
      "o3-mini",
      "text-embedding-3-small",
      "text-embedding-3-large",
    ]),
  /** Overrides of the built-in price table by model name; the key "*" prices unknown models. */
  prices: z.record(z.string(), priceSchema).default({}),
  limits: z
    .object({
      redisFailurePolicy: z.enum(["closed", "open"]).default("closed"),
      defaultRpm: z.number().int().positive().default(10_000),
      defaultTpm: z.number().int().positive().default(10_000_000),
      defaultMaxOutputTokens: z.number().int().positive().default(4096),
    })
    .default({
      redisFailurePolicy: "closed",
      defaultRpm: 10_000,
      defaultTpm: 10_000_000,
      defaultMaxOutputTokens: 4096,
    }),
  metering: z
    .object({
      flushIntervalMs: z.number().int().positive().default(200),
      batchSize: z.number().int().positive().default(500),
      /** fdatasync the usage journal this often; 0 = never (process crashes are safe either way). */
      fsyncIntervalMs: z.number().int().min(0).default(0),
    })
    .default({ flushIntervalMs: 200, batchSize: 500, fsyncIntervalMs: 0 }),
  keyCacheSize: z.number().int().positive().default(100_000),
  metricsToken: z.string().optional(),
});

export type Config = z.infer<typeof configSchema>;
export type UpstreamConfig = z.infer<typeof upstreamSchema>;
export type RouteConfig = z.infer<typeof routeSchema>;
export type FallbackConfig = z.infer<typeof fallbackSchema>;
