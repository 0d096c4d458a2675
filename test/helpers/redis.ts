/**
 * Isolated Redis for tests: each test file takes a key prefix of its own, so files run in parallel
 * and several worktrees can share one Redis server.
 *
 *   const redis = connectTestRedis();
 *   const prefix = testRedisPrefix("my-file");
 *   afterAll(async () => { await deleteRedisPrefix(redis, prefix); redis.disconnect(); });
 */
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";

export const TEST_REDIS_URL = process.env.KEYPLANE_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

export const testRedisPrefix = (name: string): string => `test:${name}:${randomUUID()}:`;

export const connectTestRedis = (): Redis => new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });

/** Deletes every key under `prefix`. */
export const deleteRedisPrefix = async (redis: Redis, prefix: string): Promise<void> => {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== "0");
};
