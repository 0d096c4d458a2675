import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import type { KeyVerifier } from "./key-verifier.js";

const CHANNEL = "keyplane:key-invalidations";

export interface InvalidationBus {
  close(): Promise<void>;
}

/**
 * Spreads key-cache evictions across instances over Redis pub/sub, so a revoke, rotate, update or
 * archive on one instance takes effect on every other one within a round trip instead of a TTL.
 * Lost messages (Redis down) are bounded by the verifier's TTL.
 */
export const startInvalidationBus = async (
  redisUrl: string,
  verifier: KeyVerifier,
  logger: Logger,
): Promise<InvalidationBus> => {
  const self = randomUUID();
  const pub = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  const sub = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
  const quiet = (err: unknown) =>
    logger.warn({ err }, "key invalidation bus: Redis error (cache TTL still bounds staleness)");
  pub.on("error", quiet);
  sub.on("error", quiet);
  await Promise.all([pub.connect(), sub.connect()]);
  await sub.subscribe(CHANNEL);
  sub.on("message", (_channel: string, raw: string) => {
    try {
      const m = JSON.parse(raw) as { from: string; kind: "key" | "project"; id: string };
      if (m.from === self) return;
      if (m.kind === "key") verifier.evictKey(m.id, false);
      else verifier.evictProject(m.id, false);
    } catch (err) {
      quiet(err);
    }
  });
  verifier.onEvict = (kind, id) => {
    pub.publish(CHANNEL, JSON.stringify({ from: self, kind, id })).catch(quiet);
  };
  return {
    async close() {
      verifier.onEvict = null;
      sub.disconnect();
      await pub.quit().catch(() => undefined);
    },
  };
};
