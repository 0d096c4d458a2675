import { afterAll } from "vitest";
import { connectTestRedis, deleteRedisPrefix, testRedisPrefix } from "../../test/helpers/redis.js";
import { runRateLimiterContract } from "./rate-limiter.contract.js";
import { RedisRateLimiter } from "./redis-rate-limiter.js";

const redis = connectTestRedis();
const prefix = testRedisPrefix("rate-limiter");

afterAll(async () => {
  await deleteRedisPrefix(redis, prefix);
  redis.disconnect();
});

runRateLimiterContract("redis", (opts) => new RedisRateLimiter(redis, { prefix, ...opts }));
