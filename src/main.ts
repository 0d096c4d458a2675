import type { FastifyInstance } from "fastify";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Config } from "./config/schema.js";
import { resolveSecret } from "./config/secret.js";
import { buildPriceTable } from "./domain/pricing.js";
import { registerAdminKeyRoutes } from "./http/admin/admin-keys-routes.js";
import { registerApiKeyRoutes } from "./http/admin/api-keys-routes.js";
import { registerAuditRoutes } from "./http/admin/audit-routes.js";
import type { AdminDeps } from "./http/admin/auth.js";
import { registerOrganizationRoutes } from "./http/admin/organizations-routes.js";
import { registerProjectRoutes } from "./http/admin/projects-routes.js";
import { registerRateLimitRoutes } from "./http/admin/rate-limits-routes.js";
import { registerServiceAccountRoutes } from "./http/admin/service-accounts-routes.js";
import { registerSpendRoutes } from "./http/admin/spend-routes.js";
import { registerUsageRoutes } from "./http/admin/usage-routes.js";
import { registerUserRoutes } from "./http/admin/users-routes.js";
import { buildApp } from "./http/app.js";
import { wireConsole } from "./http/console/wiring.js";
import { createGatewayHttp } from "./http/gateway/gateway-http.js";
import { gatewayRoutes, registerGatewayRoutes } from "./http/gateway/gateway-routes.js";
import { registerHealthRoutes } from "./http/health-routes.js";
import { registerMeRoutes } from "./http/me-routes.js";
import { registerMetricsRoutes } from "./http/metrics-routes.js";
import { registerDocsRoutes } from "./http/openapi/docs-routes.js";
import { addLogSecret, createLogger } from "./lib/logger.js";
import { LIMITS_REDIS_OPTIONS } from "./limits/index.js";
import { createMeter, meterOptionsFromConfig } from "./metering/meter.js";
import type { UsageMeter } from "./metering/meter-api.js";
import { usageSinkFromStore } from "./metering/sink.js";
import { startUsageMaintenance } from "./metering/usage-retention.js";
import { WorkerUsageSink, workerCanShareStore } from "./metering/worker-sink.js";
import { Metrics } from "./metrics/registry.js";
import { startInvalidationBus } from "./services/auth/invalidation-bus.js";
import { KeyVerifier } from "./services/auth/key-verifier.js";
import { type BootstrapResult, bootstrapInstance } from "./services/bootstrap/bootstrap.js";
import { createLimitsModule, type LimitsModule } from "./services/limits/limits-module.js";
import { openStore } from "./storage/open.js";
import type { Store } from "./storage/store.js";
import { createUpstreams, type Upstreams } from "./upstream/index.js";

export interface Keyplane {
  app: FastifyInstance;
  store: Store;
  verifier: KeyVerifier;
  upstreams: Upstreams;
  meter: UsageMeter;
  config: Readonly<Config>;
  bootstrap: BootstrapResult;
  logger: Logger;
  /** Limiter, ledger, request-limits resolver and spend-alert dispatcher (one per process). */
  limits: LimitsModule;
  /** Prometheus metrics; the gateway reports each request here. */
  metrics: Metrics;
  /** Starts listening; resolves to the base URL (http://host:port). */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface CreateOptions {
  logger?: Logger;
  /** Test hook: a PostgreSQL schema to isolate this instance's tables. */
  pgSchema?: string;
}

/** Composition root: builds every dependency once and wires the routes. */
export const createKeyplane = async (
  config: Readonly<Config>,
  opts: CreateOptions = {},
): Promise<Keyplane> => {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const secret = resolveSecret(config.secret, config.dataDir);
  const storeOptions = {
    url: config.databaseUrl,
    dataDir: config.dataDir,
    ...(opts.pgSchema ? { pgSchema: opts.pgSchema } : {}),
  };
  const store = await openStore(storeOptions);
  await store.migrate();
  const bootstrap = await bootstrapInstance(
    store,
    secret,
    config.adminKey,
    config.console.passwordLinkTtlSeconds,
  );
  const verifier = new KeyVerifier({ store, secret, cacheSize: config.keyCacheSize });
  const bus = config.redisUrl ? await startInvalidationBus(config.redisUrl, verifier, logger) : null;
  const limits = createLimitsModule(config, store, logger);
  const { limiter, ledger, joint } = limits.runtime;
  const dashboard = wireConsole(config, { store, verifier, secret });
  const deps: AdminDeps = {
    store,
    verifier,
    secret,
    limits: limits.policy,
    sessionAuth: dashboard.sessionAuth,
  };
  const upstreams = createUpstreams(config, process.env);
  // Upstream keys need not look like keys; every log line masks them by value.
  for (const u of config.upstreams) {
    const value = u.apiKeyEnv ? process.env[u.apiKeyEnv] : undefined;
    if (value) addLogSecret(value);
  }
  // Batch commits (and last-use times) run on their own thread and connection, off the event
  // loop serving requests.
  const workerSink =
    config.metering.worker && workerCanShareStore(storeOptions) ? new WorkerUsageSink(storeOptions) : null;
  const sink = workerSink ?? usageSinkFromStore(store);
  const meter = createMeter({
    ...meterOptionsFromConfig(config),
    sink,
    onError: (err) => logger.error({ err }, "usage journal writer failed; events stay journaled"),
  });
  const metrics = new Metrics();
  metrics.keyCache(() => verifier.cacheStats);
  metrics.journalBacklog(() => meter.backlog());
  // Readiness only; the limits module keeps its own connection.
  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { ...LIMITS_REDIS_OPTIONS, lazyConnect: true })
    : null;
  redis?.on("error", () => {});
  const prices = buildPriceTable(config.prices);
  let baseUrl = config.publicUrl ?? `http://${config.host}:${config.port}`;

  const front = createGatewayHttp({
    routes: gatewayRoutes(config.passthroughPaths),
    bodyLimitBytes: config.bodyLimitBytes,
    logger,
    accessLog: config.accessLog,
    metrics,
    deps: {
      verifier,
      upstreams,
      meter,
      limiter,
      ledger,
      joint,
      resolveLimits: limits.resolver.resolveRequestLimits,
      prices,
      defaultMaxOutputTokens: config.limits.defaultMaxOutputTokens,
      onAlerts: limits.alerts.dispatch,
      onBackgroundError: (err) => logger.error({ err }, "gateway background task failed"),
    },
  });
  const app = await buildApp({
    front,
    bodyLimitBytes: config.bodyLimitBytes,
    logger,
    accessLog: config.accessLog,
    registrars: [
      (a) => registerMetricsRoutes(a, { metrics, token: config.metricsToken }),
      (a) =>
        registerHealthRoutes(a, {
          store,
          ...(redis ? { pingRedis: async () => void (await redis.ping()) } : {}),
        }),
      (a) => registerProjectRoutes(a, deps),
      (a) => registerApiKeyRoutes(a, deps),
      (a) => registerServiceAccountRoutes(a, deps),
      (a) => registerUserRoutes(a, deps),
      (a) => registerAdminKeyRoutes(a, deps),
      (a) => registerAuditRoutes(a, deps),
      (a) => registerOrganizationRoutes(a, deps),
      (a) => registerRateLimitRoutes(a, deps),
      (a) => registerSpendRoutes(a, deps),
      (a) =>
        registerMeRoutes(a, { verifier, policy: limits.policy, resolver: limits.resolver, limiter, ledger }),
      (a) => registerUsageRoutes(a, { ...deps, prices }),
      (a) => registerDocsRoutes(a, () => baseUrl),
      (a) => registerGatewayRoutes(a, { verifier, models: config.models }),
      ...dashboard.registrars(deps),
    ],
  });

  // last_used_at is coalesced in memory and written at most once a second per key.
  const touchTimer = setInterval(() => {
    const entries = verifier.drainLastUsed();
    if (entries.length === 0) return;
    const touched = workerSink
      ? workerSink.touchKeys(entries.map((e) => ({ keyId: e.id, at: e.at })))
      : store.apiKeys.touchLastUsed(entries);
    touched.catch((err: unknown) => logger.warn({ err }, "last_used_at update failed"));
  }, 1000);
  touchTimer.unref();
  const maintenance = startUsageMaintenance(
    store,
    { ...config.usage, intervalMs: config.usage.maintenanceIntervalMs },
    logger,
  );

  return {
    app,
    store,
    verifier,
    upstreams,
    meter,
    config,
    bootstrap,
    logger,
    limits,
    metrics,
    async listen() {
      await app.listen({ host: config.host, port: config.port });
      const addr = app.server.address();
      const port = typeof addr === "object" && addr ? addr.port : config.port;
      if (!config.publicUrl)
        baseUrl = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
      return baseUrl;
    },
    async close() {
      clearInterval(touchTimer);
      // Drain in-flight requests for a while, then cut what is left (long streams, half-open sockets).
      let timer: NodeJS.Timeout | undefined;
      const drained = await Promise.race([
        app.close().then(() => true),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), config.shutdownGraceMs);
        }),
      ]);
      clearTimeout(timer);
      if (!drained) {
        app.server.closeAllConnections();
        await app.close();
      }
      await meter
        .close()
        .catch((err: unknown) =>
          logger.error({ err }, "usage journal not fully committed; it replays at next start"),
        );
      await workerSink?.close();
      await upstreams.close();
      await bus?.close();
      await maintenance.stop();
      redis?.disconnect();
      const entries = verifier.drainLastUsed();
      if (entries.length > 0) await store.apiKeys.touchLastUsed(entries);
      await limits.close();
      await store.close();
    },
  };
};
