import type { RedisOptions } from "ioredis";
import { FailoverJointReserver, FailoverRateLimiter, FailoverSpendLedger } from "./failover.js";
import type { JointReserver } from "./joint-reserver.js";
import type { RedisClient } from "./lua-script.js";
import { MemoryRateLimiter, type MemoryRateLimiterOptions } from "./memory-rate-limiter.js";
import { MemorySpendLedger, type SpendLedgerOptions } from "./memory-spend-ledger.js";
import type { RateLimiter } from "./rate-limiter.js";
import { RedisHealth, type RedisHealthOptions } from "./redis-health.js";
import { RedisJointReserver } from "./redis-joint.js";
import { RedisRateLimiter, type RedisRateLimiterOptions } from "./redis-rate-limiter.js";
import { RedisSpendLedger, type RedisSpendLedgerOptions } from "./redis-spend-ledger.js";
import type { SpendLedger } from "./spend-ledger.js";

export type * from "./joint-reserver.js";
export type { RedisClient } from "./lua-script.js";
export type { MemoryRateLimiterOptions } from "./memory-rate-limiter.js";
export type { SpendLedgerOptions } from "./memory-spend-ledger.js";
export type * from "./rate-limiter.js";
export type { LimitsLogger, RedisFailurePolicy, RedisHealthOptions } from "./redis-health.js";
export { RedisHealth } from "./redis-health.js";
export type { RedisRateLimiterOptions } from "./redis-rate-limiter.js";
export type { RedisSpendLedgerOptions } from "./redis-spend-ledger.js";
export type * from "./spend-ledger.js";

/**
 * ioredis options for the limits connection: a command fails within half a second instead of
 * queueing while Redis is away, so the failure policy decides quickly.
 */
export const LIMITS_REDIS_OPTIONS = {
  commandTimeout: 500,
  maxRetriesPerRequest: 1,
  connectTimeout: 2000,
} as const satisfies RedisOptions;

/** Single-process limiter: the default when no Redis is configured. */
export const createMemoryLimiter = (opts: MemoryRateLimiterOptions = {}): RateLimiter =>
  new MemoryRateLimiter(opts);

/** Limiter shared through Redis by every instance. */
export const createRedisLimiter = (redis: RedisClient, opts: RedisRateLimiterOptions = {}): RateLimiter =>
  new RedisRateLimiter(redis, opts);

export const createMemoryLedger = (opts: SpendLedgerOptions = {}): SpendLedger => new MemorySpendLedger(opts);

export const createRedisLedger = (redis: RedisClient, opts: RedisSpendLedgerOptions = {}): SpendLedger =>
  new RedisSpendLedger(redis, opts);

export interface RedisLimitsOptions extends RedisHealthOptions {
  prefix?: string;
  limiter?: Omit<RedisRateLimiterOptions, "prefix">;
  ledger?: Omit<RedisSpendLedgerOptions, "prefix">;
}

/**
 * The production set: Redis limiter and ledger behind one circuit breaker that applies the
 * `closed` / `open` failure policy (config `limits.redisFailurePolicy`), and the joint reserve
 * that decides both in one call.
 */
export const createRedisLimits = (
  redis: RedisClient,
  opts: RedisLimitsOptions,
): { limiter: RateLimiter; ledger: SpendLedger; joint: JointReserver; health: RedisHealth } => {
  const health = new RedisHealth(opts);
  const sharedLimiter = new RedisRateLimiter(redis, { ...opts.limiter, prefix: opts.prefix });
  const sharedLedger = new RedisSpendLedger(redis, { ...opts.ledger, prefix: opts.prefix });
  const limiter = new FailoverRateLimiter(sharedLimiter, new MemoryRateLimiter(opts.limiter), health);
  const ledger = new FailoverSpendLedger(sharedLedger, new MemorySpendLedger(opts.ledger), health);
  const joint = new FailoverJointReserver(new RedisJointReserver(redis, sharedLimiter, sharedLedger), health);
  return { limiter, ledger, joint, health };
};

/** Wraps any limiter/ledger pair with the failure policy (e.g. with a custom fallback). */
export const createFailoverLimiter = (
  primary: RateLimiter,
  fallback: RateLimiter,
  health: RedisHealth,
): RateLimiter => new FailoverRateLimiter(primary, fallback, health);

export const createFailoverLedger = (
  primary: SpendLedger,
  fallback: SpendLedger,
  health: RedisHealth,
): SpendLedger => new FailoverSpendLedger(primary, fallback, health);
