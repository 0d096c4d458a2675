import { randomBytes, randomFillSync } from "node:crypto";
import { hex12 } from "./int-format.js";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Random base62 string of `length` characters (rejection sampling keeps it uniform). */
export const randomBase62 = (length: number): string => {
  let out = "";
  while (out.length < length) {
    const bytes = randomBytes(length * 2);
    for (const b of bytes) {
      if (b < 248 && out.length < length) out += ALPHABET[b % 62];
    }
  }
  return out;
};

const POOL_BYTES = 4096;
const ID_RANDOM_BYTES = 10;
const pool = Buffer.alloc(POOL_BYTES);
let poolHex = "";
let poolAt = POOL_BYTES;
let lastMs = -1;
let lastMsHex = "";

/**
 * 32 hex digits: milliseconds since the epoch (12) then 80 random bits (20), like a UUIDv7.
 * Request ids are also usage event ids, the primary key of the busiest table: ids that grow
 * with time are appended to its index instead of landing on a random page each. Randomness is
 * drawn from a pooled buffer, hex-encoded once per refill (one per 409 ids); the time part is
 * formatted once per millisecond, in two halves (hex12): a time in ms is a heap number, and
 * formatting one in hex costs more than the rest of the id.
 */
export const timeOrderedHex = (nowMs: number = Date.now()): string => {
  if (poolAt + ID_RANDOM_BYTES > POOL_BYTES) {
    randomFillSync(pool);
    poolHex = pool.toString("hex");
    poolAt = 0;
  }
  const rand = poolHex.slice(poolAt * 2, (poolAt + ID_RANDOM_BYTES) * 2);
  poolAt += ID_RANDOM_BYTES;
  if (nowMs !== lastMs) {
    lastMs = nowMs;
    lastMsHex = hex12(nowMs);
  }
  return lastMsHex + rand;
};

/** OpenAI's id shapes (reference/openai-admin-api.md §1.2). */
export const newId = {
  organization: () => `org-${randomBase62(24)}`,
  project: () => `proj_${randomBase62(24)}`,
  apiKey: () => `key_${randomBase62(16)}`,
  user: () => `user-${randomBase62(24)}`,
  serviceAccount: () => `svc_acct_${randomBase62(24)}`,
  invite: () => `invite-${randomBase62(24)}`,
  auditLog: () => `audit_log-${randomBase62(24)}`,
  usageEvent: () => `ue_${randomBase62(24)}`,
  requestId: () => `req_${timeOrderedHex()}`,
  spendAlert: () => `alert_${randomBase62(20)}`,
  session: () => `sess_${randomBase62(32)}`,
};

export const ID_PATTERNS = {
  organization: /^org-[A-Za-z0-9]{1,64}$/,
  project: /^proj_[A-Za-z0-9]{1,64}$/,
  apiKey: /^key_[A-Za-z0-9]{1,64}$/,
  user: /^user-[A-Za-z0-9]{1,64}$/,
  serviceAccount: /^svc_acct_[A-Za-z0-9]{1,64}$/,
  invite: /^invite-[A-Za-z0-9]{1,64}$/,
} as const;

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
