import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { coreContract } from "./contract/core.js";
import { eventsContract } from "./contract/events.js";
import { keysContract } from "./contract/keys.js";
import { lifecycleContract } from "./contract/lifecycle.js";
import { spendContract } from "./contract/spend.js";
import { usageContract } from "./contract/usage.js";
import type { Store } from "./store.js";

/**
 * The behaviour every Store must have, run against each implementation (SQLite, PostgreSQL).
 * `makeStore` returns a migrated store; it may point at a database other files also use, so
 * every test creates its own uniquely-named rows.
 */
export function runStoreContract(name: string, makeStore: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let current: Store | undefined;
    const store = (): Store => {
      if (!current) throw new Error("store not opened");
      return current;
    };
    beforeAll(async () => {
      current = await makeStore();
    });
    afterAll(async () => {
      await current?.close();
    });

    it("reports its dialect", () => {
      expect(["sqlite", "postgres"]).toContain(store().dialect);
    });

    coreContract(store);
    keysContract(store);
    eventsContract(store);
    lifecycleContract(store);
    spendContract(store);
    usageContract(store);
  });
}
