import { LRUCache } from "lru-cache";

export interface ThrottlePolicy {
  windowSeconds: number;
  maxFailuresPerEmail: number;
  maxFailuresPerIp: number;
}

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Failed sign-ins per email and per client address inside a sliding window. */
export interface SignInThrottle {
  check(email: string, ip: string, now: number): ThrottleDecision;
  fail(email: string, ip: string, now: number): void;
  /** A correct password clears the email's failures (the address keeps its count). */
  succeed(email: string): void;
}

/**
 * In-process counters, bounded by an LRU. Several instances each keep their own, so the
 * effective limit is per instance; that still turns a password guess into days per account.
 */
export const memoryThrottle = (policy: ThrottlePolicy): SignInThrottle => {
  const failures = new LRUCache<string, number[]>({ max: 50_000 });
  const recent = (k: string, now: number): number[] =>
    (failures.get(k) ?? []).filter((t) => t > now - policy.windowSeconds);
  const blockedFor = (times: number[], max: number, now: number): number | null => {
    if (times.length < max) return null;
    const oldest = times[times.length - max] ?? now;
    return Math.max(1, oldest + policy.windowSeconds - now);
  };
  return {
    check(email, ip, now) {
      const wait =
        blockedFor(recent(`e:${email}`, now), policy.maxFailuresPerEmail, now) ??
        blockedFor(recent(`i:${ip}`, now), policy.maxFailuresPerIp, now);
      return wait === null ? { allowed: true } : { allowed: false, retryAfterSeconds: wait };
    },
    fail(email, ip, now) {
      for (const k of [`e:${email}`, `i:${ip}`]) failures.set(k, [...recent(k, now), now]);
    },
    succeed(email) {
      failures.delete(`e:${email}`);
    },
  };
};
