import Database from "better-sqlite3";
import type { LastUsedEntry, UsageSink } from "../../src/metering/sink.js";
import type { UsageEventRecord } from "../../src/storage/records.js";

export interface Totals {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
}

export interface SqliteSink {
  sink: UsageSink;
  ids(): string[];
  /** Running totals kept the way a rollup would: added to only when an event is new. */
  totals(): Totals;
  lastUsed(): Map<string, number>;
  close(): void;
}

/**
 * A real sink for tests: `usage_events` keyed by id with INSERT OR IGNORE (as the store does), and
 * a `totals` row that only new events add to, so a double count would show in the totals.
 * Shared by the in-process tests and the child process of the kill tests.
 */
export const openSqliteSink = (path: string): SqliteSink => {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("busy_timeout = 5000");
  db.exec(`
    CREATE TABLE IF NOT EXISTS usage_events (
      id TEXT PRIMARY KEY, org_id TEXT NOT NULL, project_id TEXT NOT NULL, key_id TEXT NOT NULL,
      model TEXT NOT NULL, endpoint TEXT NOT NULL, input_tokens INTEGER NOT NULL, cached_tokens INTEGER NOT NULL,
      output_tokens INTEGER NOT NULL, status INTEGER NOT NULL, latency_ms INTEGER NOT NULL, bytes INTEGER NOT NULL,
      estimated INTEGER NOT NULL, cost_micros INTEGER NOT NULL, created_at_ms INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS totals (one INTEGER PRIMARY KEY CHECK (one = 1), requests INTEGER NOT NULL,
      input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL, cost_micros INTEGER NOT NULL);
    INSERT OR IGNORE INTO totals VALUES (1, 0, 0, 0, 0);
    CREATE TABLE IF NOT EXISTS last_used (key_id TEXT PRIMARY KEY, at INTEGER NOT NULL);`);
  const insert = db.prepare(
    "INSERT OR IGNORE INTO usage_events VALUES (@id, @orgId, @projectId, @keyId, @model, @endpoint, @inputTokens, @cachedTokens, @outputTokens, @status, @latencyMs, @bytes, @estimated, @costMicros, @createdAtMs)",
  );
  const add = db.prepare(
    "UPDATE totals SET requests = requests + 1, input_tokens = input_tokens + ?, output_tokens = output_tokens + ?, cost_micros = cost_micros + ?",
  );
  const insertMany = db.transaction((events: UsageEventRecord[]): number => {
    let added = 0;
    for (const e of events) {
      if (insert.run({ ...e, estimated: e.estimated ? 1 : 0 }).changes === 1) {
        add.run(e.inputTokens, e.outputTokens, e.costMicros);
        added++;
      }
    }
    return added;
  });
  const touch = db.prepare(
    "INSERT INTO last_used VALUES (?, ?) ON CONFLICT(key_id) DO UPDATE SET at = max(at, excluded.at)",
  );
  const touchMany = db.transaction((entries: LastUsedEntry[]) => {
    for (const e of entries) touch.run(e.keyId, e.at);
  });
  return {
    sink: {
      insertMany: async (events) => insertMany(events),
      touchLastUsed: async (entries) => touchMany(entries),
    },
    ids: () => db.prepare("SELECT id FROM usage_events ORDER BY id").pluck().all() as string[],
    totals: () =>
      db
        .prepare(
          "SELECT requests, input_tokens AS inputTokens, output_tokens AS outputTokens, cost_micros AS costMicros FROM totals",
        )
        .get() as Totals,
    lastUsed: () =>
      new Map(
        (db.prepare("SELECT key_id, at FROM last_used").raw().all() as [string, number][]).map(([k, v]) => [
          k,
          v,
        ]),
      ),
    close: () => db.close(),
  };
};

let seq = 0;
/** A plausible event; `id` defaults to a fresh unique one. */
export const usageEvent = (over: Partial<UsageEventRecord> = {}): UsageEventRecord => ({
  id: `ue_${process.pid}_${Date.now()}_${seq++}`,
  orgId: "org-test",
  projectId: "proj_test",
  keyId: "key_test",
  model: "gpt-4o-mini",
  endpoint: "/v1/chat/completions",
  inputTokens: 100,
  cachedTokens: 20,
  outputTokens: 50,
  status: 200,
  latencyMs: 12,
  bytes: 900,
  estimated: false,
  costMicros: 45,
  createdAtMs: Date.now(),
  ...over,
});
