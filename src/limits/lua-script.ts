import { createHash } from "node:crypto";
import type { Cluster, Redis } from "ioredis";

export type RedisClient = Redis | Cluster;

/**
 * A Lua script run with EVALSHA; on NOSCRIPT (first use, or after a Redis restart or SCRIPT FLUSH)
 * it is sent once with EVAL, which also caches it for the next EVALSHA. One round trip normally.
 */
export class LuaScript {
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash("sha1").update(source).digest("hex");
  }

  async run(
    redis: RedisClient,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<unknown[]> {
    let reply: unknown;
    try {
      reply = await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (e) {
      if (!(e instanceof Error) || !e.message.startsWith("NOSCRIPT")) throw e;
      reply = await redis.eval(this.source, keys.length, ...keys, ...args);
    }
    if (!Array.isArray(reply)) throw new Error("limits: unexpected Redis script reply");
    return reply;
  }
}

/** One decision's part of a batched script call. */
export interface BatchEntry {
  keys: readonly string[];
  args: readonly (string | number)[];
}

/**
 * Runs one script call for a batch of decisions (limits/group-commit.ts): ARGV is `head` followed
 * by every entry's args, KEYS every entry's keys. The flat reply is cut into each entry's part;
 * `size` gives a part's length from its entry's index and the part's first value.
 */
export const runBatch = async (
  script: LuaScript,
  redis: RedisClient,
  head: readonly (string | number)[],
  entries: readonly BatchEntry[],
  size: (index: number, first: unknown) => number,
): Promise<unknown[][]> => {
  const keys: string[] = [];
  const args: (string | number)[] = [...head];
  for (const e of entries) {
    keys.push(...e.keys);
    args.push(...e.args);
  }
  const reply = await script.run(redis, keys, args);
  const out: unknown[][] = [];
  let at = 0;
  for (let i = 0; i < entries.length; i++) {
    const n = size(i, reply[at]);
    out.push(reply.slice(at, at + n));
    at += n;
  }
  if (at !== reply.length) throw new Error("limits: Redis reply does not match its batch");
  return out;
};

export const replyNumber = (reply: readonly unknown[], index: number): number => {
  const v = reply[index];
  const n = typeof v === "number" ? v : typeof v === "string" ? Number(v) : Number.NaN;
  if (Number.isNaN(n)) throw new Error(`limits: Redis script reply has no number at ${index}`);
  return n;
};

/** Key prefixes must not contain a hash tag of their own: the tenant tag must decide the slot. */
export const checkPrefix = (prefix: string): string => {
  if (prefix.includes("{") || prefix.includes("}"))
    throw new Error("limits: Redis key prefix must not contain { or }");
  return prefix;
};
