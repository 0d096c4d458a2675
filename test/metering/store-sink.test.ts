import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createMeter } from "../../src/metering/meter.js";
import { usageSinkFromStore } from "../../src/metering/sink.js";
import { apiKey, org, project, usageEvent } from "../../src/storage/contract/fixtures.js";
import { openStore } from "../../src/storage/open.js";
import type { Store } from "../../src/storage/store.js";
import { freshPgSchema } from "../helpers/db.js";

const root = mkdtempSync(join(tmpdir(), "kp-meter-store-"));
const pg = await freshPgSchema("meter");
afterAll(async () => {
  await pg.drop();
  rmSync(root, { recursive: true, force: true });
});

const stores: [string, () => Promise<Store>][] = [
  ["sqlite", () => openStore({ dataDir: join(root, "sqlite") })],
  ["postgres", () => openStore({ url: pg.url, dataDir: "unused", pgPoolMax: 2 })],
];

describe.each(stores)("meter → %s store", (name, openIt) => {
  it("commits journaled events and coalesced last-use times through the store", async () => {
    const store = await openIt();
    try {
      const o = org();
      const p = project(o.id);
      const key = apiKey(o.id, p.id);
      await store.organizations.insert(o);
      await store.projects.insert(p);
      await store.apiKeys.insert(key, {
        digest: `d_${key.id}`,
        keyId: key.id,
        createdAt: 1,
        expiresAt: null,
      });

      const dir = join(root, `journal-${name}`);
      const meter = createMeter({
        dir,
        sink: usageSinkFromStore(store, { lastUsed: true }),
        flushIntervalMs: 60_000,
      });
      const t = 1_800_000_000_000;
      const events = Array.from({ length: 25 }, (_, i) =>
        usageEvent(o.id, { projectId: p.id, keyId: key.id, createdAtMs: t + i * 1000 }),
      );
      for (const e of events) await meter.append(e);
      await meter.close();

      const stored = await store.usage.listRange(o.id, t, t + 60_000);
      expect(stored).toEqual(events);
      expect((await store.apiKeys.get(o.id, key.id))?.lastUsedAt).toBe(t / 1000 + 24);
      expect(usageSinkFromStore(store).touchLastUsed).toBeUndefined();
      // Replaying the same events is a no-op for the store.
      expect(await store.usage.insertMany(events)).toBe(0);
    } finally {
      await store.close();
    }
  });
});
