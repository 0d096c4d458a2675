import { describe, expect, it } from "vitest";
import { apiKey, type GetStore, org, project, secret, usageEvent } from "./fixtures.js";

export function lifecycleContract(store: GetStore): void {
  describe("transaction", () => {
    it("commits everything the callback wrote and returns its value", async () => {
      const o = org();
      const k = apiKey(o.id, null);
      const s = secret(k.id);
      const out = await store().transaction(async (tx) => {
        await tx.organizations.insert(o);
        await tx.apiKeys.insert(k, s);
        expect(await tx.organizations.get(o.id)).toEqual(o);
        return 42;
      });
      expect(out).toBe(42);
      expect(await store().organizations.get(o.id)).toEqual(o);
      expect((await store().apiKeys.findByDigest(s.digest))?.key).toEqual(k);
    });

    it("rolls back everything when the callback throws", async () => {
      const o = org();
      const p = project(o.id);
      const ev = usageEvent(o.id);
      const failing = store().transaction(async (tx) => {
        await tx.organizations.insert(o);
        await tx.projects.insert(p);
        expect(await tx.usage.insertMany([ev])).toBe(1);
        throw new Error("boom");
      });
      await expect(failing).rejects.toThrow("boom");
      expect(await store().organizations.get(o.id)).toBeNull();
      expect(await store().projects.get(o.id, p.id)).toBeNull();
      expect(await store().usage.listRange(o.id, 0, Number.MAX_SAFE_INTEGER)).toEqual([]);
    });

    it("rolls back when a statement fails mid-way", async () => {
      const o = org();
      await store().organizations.insert(o);
      const other = org();
      await expect(
        store().transaction(async (tx) => {
          await tx.organizations.insert(other);
          await tx.organizations.insert(o);
        }),
      ).rejects.toThrow();
      expect(await store().organizations.get(other.id)).toBeNull();
    });
  });

  describe("lifecycle", () => {
    it("migrate() again is a no-op that keeps data", async () => {
      const o = org();
      await store().organizations.insert(o);
      await store().migrate();
      await store().migrate();
      expect(await store().organizations.get(o.id)).toEqual(o);
    });

    it("ping() answers", async () => {
      await expect(store().ping()).resolves.toBeUndefined();
    });
  });
}
