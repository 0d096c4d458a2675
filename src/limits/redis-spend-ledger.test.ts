import { afterAll } from "vitest";
import { connectTestRedis, deleteRedisPrefix, testRedisPrefix } from "../../test/helpers/redis.js";
import { RedisSpendLedger } from "./redis-spend-ledger.js";
import { runSpendLedgerContract } from "./spend-ledger.contract.js";

const redis = connectTestRedis();
const prefix = testRedisPrefix("spend-ledger");

afterAll(async () => {
  await deleteRedisPrefix(redis, prefix);
  redis.disconnect();
});

runSpendLedgerContract("redis", (opts) => new RedisSpendLedger(redis, { prefix, ...opts }));
