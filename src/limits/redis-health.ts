/** What the limits store does when Redis errors or times out. */
export type RedisFailurePolicy = "closed" | "open";

/** The subset of pino's logger the limits module writes to. */
export interface LimitsLogger {
  error(obj: Record<string, unknown>, msg: string): void;
  info(obj: Record<string, unknown>, msg: string): void;
}

export interface RedisHealthOptions {
  policy: RedisFailurePolicy;
  logger: LimitsLogger;
  /** Upper bound on one Redis call, on top of ioredis' own commandTimeout. */
  timeoutMs?: number;
  /** After a failure, calls skip Redis for this long instead of each waiting for a timeout. */
  retryAfterMs?: number;
  /** While Redis stays down, the error is logged again at most this often. */
  logEveryMs?: number;
  now?: () => number;
}

export type Attempt<T> = { ok: true; value: T } | { ok: false };

const FAILED: Attempt<never> = { ok: false };

/**
 * Circuit breaker shared by the failover limiter and ledger: bounds every Redis call with a
 * timeout, and after a failure skips Redis for `retryAfterMs` so requests fail (or fall back) at
 * once instead of each waiting out a timeout. Logs the outage loudly, throttled, and the recovery.
 */
export class RedisHealth {
  readonly policy: RedisFailurePolicy;
  private readonly logger: LimitsLogger;
  private readonly timeoutMs: number;
  private readonly retryAfterMs: number;
  private readonly logEveryMs: number;
  private readonly now: () => number;
  private downUntilMs = 0;
  private failing = false;
  private lastLogMs = Number.NEGATIVE_INFINITY;

  constructor(opts: RedisHealthOptions) {
    this.policy = opts.policy;
    this.logger = opts.logger;
    this.timeoutMs = opts.timeoutMs ?? 500;
    this.retryAfterMs = opts.retryAfterMs ?? 1000;
    this.logEveryMs = opts.logEveryMs ?? 10_000;
    this.now = opts.now ?? Date.now;
  }

  get healthy(): boolean {
    return !this.failing;
  }

  async attempt<T>(what: string, op: () => Promise<T>): Promise<Attempt<T>> {
    if (this.failing && this.now() < this.downUntilMs) return FAILED;
    try {
      const value = await withTimeout(op(), this.timeoutMs, what);
      if (this.failing) {
        this.failing = false;
        this.logger.info(
          { component: "limits" },
          "Redis limits store reachable again; shared limits and budgets apply",
        );
      }
      return { ok: true, value };
    } catch (e) {
      // Invalid arguments are the caller's bug, not an outage.
      if (e instanceof RangeError) throw e;
      this.fail(what, e);
      return FAILED;
    }
  }

  private fail(what: string, e: unknown): void {
    const now = this.now();
    this.failing = true;
    this.downUntilMs = now + this.retryAfterMs;
    if (now - this.lastLogMs < this.logEveryMs) return;
    this.lastLogMs = now;
    const effect =
      this.policy === "closed"
        ? "failing closed: rate-limited and budgeted requests get 503 until it is back"
        : "failing open: each instance now enforces limits and budgets on its own, in memory";
    this.logger.error(
      { component: "limits", op: what, policy: this.policy, err: e instanceof Error ? e.message : String(e) },
      `Redis limits store unavailable; ${effect}`,
    );
  }
}

/** Rejects after `ms`; the late outcome of `p` is still observed, so it never goes unhandled. */
const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: Redis did not answer within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });

export const UNAVAILABLE_MESSAGE =
  "The rate-limit and budget store is temporarily unavailable, so this request cannot be admitted. Please try again shortly.";
