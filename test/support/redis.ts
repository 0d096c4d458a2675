import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";

export const TEST_REDIS_URL = "redis://127.0.0.1:6379";

/** A key prefix of its own per test file, so files and worktrees share one Redis safely. */
export const testRedisPrefix = (name: string): string => `test:${name}:${randomUUID()}:`;

export const connectTestRedis = (): Redis =>
  new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: false });

/** Deletes every key under `prefix`. */
export const deleteRedisPrefix = async (redis: Redis, prefix: string): Promise<void> => {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== "0");
};
