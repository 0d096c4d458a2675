import type { Store } from "../storage/store.js";

const DAY_MS = 86_400_000;
/**
 * Raw partitions are kept from a month back to two months ahead. A partition is created while no
 * insert targets its range (PostgreSQL fails an insert routed to the default partition while a
 * partition for that range is being attached): the current month's exists long before it starts.
 * Older events (journal replays, imports) land in the default partition until retention deletes them.
 */
const BACK_MS = 31 * DAY_MS;
const AHEAD_MS = 62 * DAY_MS;

export interface UsageRetentionConfig {
  retentionDays: number;
  minuteRollupRetentionDays: number;
}

export interface UsageMaintenanceResult {
  partitionsCreated: string[];
  partitionsDropped: string[];
  rawDeleted: number;
  minuteDeleted: number;
}

/** One pass: create upcoming raw partitions (PostgreSQL), then drop what is past retention. */
export async function runUsageMaintenance(
  store: Store,
  cfg: UsageRetentionConfig,
  nowMs: number,
): Promise<UsageMaintenanceResult> {
  const rawBeforeMs = nowMs - cfg.retentionDays * DAY_MS;
  const partitionsCreated = await store.usage.ensurePartitions(nowMs - BACK_MS, nowMs + AHEAD_MS);
  const pruned = await store.usage.prune({
    rawBeforeMs,
    minuteBeforeSec: Math.floor((nowMs - cfg.minuteRollupRetentionDays * DAY_MS) / 1000),
  });
  return { partitionsCreated, ...pruned };
}

export interface MaintenanceLogger {
  info(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

/**
 * Runs the pass at start and then every `intervalMs`; runs never overlap. Every instance may run
 * it: partition changes take a lock and deletes of already-deleted rows find nothing.
 */
export function startUsageMaintenance(
  store: Store,
  cfg: UsageRetentionConfig & { intervalMs: number },
  logger: MaintenanceLogger,
  now: () => number = Date.now,
): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = runUsageMaintenance(store, cfg, now())
      .then((r) => {
        if (r.partitionsCreated.length + r.partitionsDropped.length + r.rawDeleted + r.minuteDeleted > 0)
          logger.info({ ...r }, "usage maintenance");
      })
      .catch((err: unknown) => logger.error({ err }, "usage maintenance failed"))
      .finally(() => {
        running = null;
      });
  };
  tick();
  const timer = setInterval(tick, cfg.intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
