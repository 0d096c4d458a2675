import { Redis } from "ioredis";
import type { Config } from "../../config/schema.js";
import {
  createMemoryLedger,
  createMemoryLimiter,
  createRedisLimits,
  type JointReserver,
  LIMITS_REDIS_OPTIONS,
  type LimitsLogger,
  type RateLimiter,
  type RedisHealth,
  type SpendLedger,
} from "../../limits/index.js";

export interface LimitsRuntime {
  limiter: RateLimiter;
  ledger: SpendLedger;
  /** Rate limits and budgets in one decision (Redis: one round trip); null in memory, where both answer at once. */
  joint: JointReserver | null;
  /** The Redis circuit breaker; null with the in-memory backend. */
  health: RedisHealth | null;
  backend: "memory" | "redis";
  close(): Promise<void>;
}

/**
 * The limiter and ledger every part of one process shares (gateway, `/v1/me`). In memory by default
 * (one instance); through Redis when `redisUrl` is set, so every instance enforces the same limits,
 * with `limits.redisFailurePolicy` deciding what happens while Redis is unreachable.
 */
export const createLimitsRuntime = (
  config: Pick<Readonly<Config>, "redisUrl" | "limits">,
  logger: LimitsLogger,
): LimitsRuntime => {
  if (!config.redisUrl) {
    return {
      limiter: createMemoryLimiter(),
      ledger: createMemoryLedger(),
      joint: null,
      health: null,
      backend: "memory",
      close: async () => {},
    };
  }
  const redis = new Redis(config.redisUrl, LIMITS_REDIS_OPTIONS);
  // Outages are reported (throttled) by RedisHealth; without a listener ioredis prints each error.
  redis.on("error", () => {});
  const { limiter, ledger, joint, health } = createRedisLimits(redis, {
    policy: config.limits.redisFailurePolicy,
    logger,
    prefix: config.limits.redisPrefix,
  });
  return {
    limiter,
    ledger,
    joint,
    health,
    backend: "redis",
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
};
