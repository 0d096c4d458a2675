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
  /**
   * Ask streaming chat/completions requests for usage (`stream_options.include_usage`) even when
   * the client did not. Turn off for upstreams that reject the option; their stream usage is then
   * estimated from the delivered text.
   */
  streamUsage: z.boolean().default(true),
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

const CONSOLE_DEFAULTS = {
  sessionIdleSeconds: 12 * 3600,
  sessionMaxSeconds: 7 * 24 * 3600,
  inviteTtlSeconds: 7 * 24 * 3600,
  passwordLinkTtlSeconds: 7 * 24 * 3600,
  signInWindowSeconds: 15 * 60,
  signInMaxFailuresPerEmail: 5,
  signInMaxFailuresPerIp: 50,
};

export const consoleSchema = z.object({
  sessionIdleSeconds: z.number().int().positive().default(CONSOLE_DEFAULTS.sessionIdleSeconds),
  sessionMaxSeconds: z.number().int().positive().default(CONSOLE_DEFAULTS.sessionMaxSeconds),
  inviteTtlSeconds: z.number().int().positive().default(CONSOLE_DEFAULTS.inviteTtlSeconds),
  passwordLinkTtlSeconds: z.number().int().positive().default(CONSOLE_DEFAULTS.passwordLinkTtlSeconds),
  signInWindowSeconds: z.number().int().positive().default(CONSOLE_DEFAULTS.signInWindowSeconds),
  signInMaxFailuresPerEmail: z.number().int().positive().default(CONSOLE_DEFAULTS.signInMaxFailuresPerEmail),
  signInMaxFailuresPerIp: z.number().int().positive().default(CONSOLE_DEFAULTS.signInMaxFailuresPerIp),
});
/** An organization's limits for one model; unset fields fall back to limits.default*. */
export const orgModelLimitsSchema = z
  .object({
    rpm: z.number().int().positive().optional(),
    tpm: z.number().int().positive().optional(),
    rpd: z.number().int().positive().optional(),
  })
  .strict();

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
      streamUsage: true,
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
      /** Organization-wide per-model limits (every project of the org shares them). */
      defaultRpm: z.number().int().positive().default(10_000),
      defaultTpm: z.number().int().positive().default(10_000_000),
      /** Requests per day per model for the organization; unset = no daily limit. */
      defaultRpd: z.number().int().positive().optional(),
      /** Per-model organization limits that replace the defaults above for that model. */
      models: z.record(z.string(), orgModelLimitsSchema).default({}),
      defaultMaxOutputTokens: z.number().int().positive().default(4096),
      /** Percentages of a key's budget (`budget_usd`) that send a spend alert, once per period. */
      keyBudgetAlertPercents: z.array(z.number().positive().max(1000)).default([50, 90, 100]),
      /** How long another instance may keep serving limits and budgets changed elsewhere. */
      policyTtlMs: z.number().int().min(0).default(5000),
      /** Prefix of every Redis key the limiter and ledger write (shared Redis deployments). */
      redisPrefix: z
        .string()
        .regex(/^[^{}]*$/, "must not contain braces")
        .default("keyplane:"),
    })
    .default({
      redisFailurePolicy: "closed",
      defaultRpm: 10_000,
      defaultTpm: 10_000_000,
      models: {},
      defaultMaxOutputTokens: 4096,
      keyBudgetAlertPercents: [50, 90, 100],
      policyTtlMs: 5000,
      redisPrefix: "keyplane:",
    }),
  /** Spend alerts are POSTed here, signed with HMAC-SHA256 (X-Keyplane-Signature). */
  webhooks: z
    .object({
      url: z.string().url().optional(),
      /** Name of the environment variable holding the signing secret (never the secret itself). */
      secretEnv: z.string().optional(),
      timeoutMs: z.number().int().positive().default(5000),
      maxAttempts: z.number().int().min(1).max(20).default(6),
      /** Attempt n (from 1) waits retryBaseMs·2^(n-1) before the next, capped at 10 minutes. */
      retryBaseMs: z.number().int().min(0).default(1000),
    })
    .default({ timeoutMs: 5000, maxAttempts: 6, retryBaseMs: 1000 }),
  metering: z
    .object({
      flushIntervalMs: z.number().int().positive().default(200),
      /**
       * Most events per store transaction. The usage writer thread shares the CPU with the serving
       * thread; at 2,000 it spent ≈ 6 µs per event under load where 500 took ≈ 7.5.
       */
      batchSize: z.number().int().positive().default(2000),
      /** fdatasync the usage journal this often; 0 = never (process crashes are safe either way). */
      fsyncIntervalMs: z.number().int().min(0).default(0),
      /** Write usage batches to the store from a worker thread, off the event loop that serves requests. */
      worker: z.boolean().default(true),
    })
    .default({ flushIntervalMs: 200, batchSize: 2000, fsyncIntervalMs: 0, worker: true }),
  usage: z
    .object({
      /** Raw usage events are kept this long; rollups answer every query. */
      retentionDays: z.number().int().positive().default(30),
      /** Per-minute rollups are kept this long (1m buckets are for recent, fine-grained views). */
      minuteRollupRetentionDays: z.number().int().positive().default(30),
      /** How often the retention and partition job runs. */
      maintenanceIntervalMs: z.number().int().positive().default(3_600_000),
    })
    .default({ retentionDays: 30, minuteRollupRetentionDays: 30, maintenanceIntervalMs: 3_600_000 }),
  keyCacheSize: z.number().int().positive().default(100_000),
  /** Dashboard sign-in: session lifetimes, invite and set-password link lifetimes, throttling. */
  console: consoleSchema.default(CONSOLE_DEFAULTS),
  metricsToken: z.string().optional(),
});

export type Config = z.infer<typeof configSchema>;
export type UpstreamConfig = z.infer<typeof upstreamSchema>;
export type RouteConfig = z.infer<typeof routeSchema>;
export type ConsoleConfig = z.infer<typeof consoleSchema>;
export type LimitsConfig = Config["limits"];
export type WebhooksConfig = Config["webhooks"];
export type FallbackConfig = z.infer<typeof fallbackSchema>;
