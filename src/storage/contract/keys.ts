import { describe, expect, it } from "vitest";
import { apiKey, collect, type GetStore, org, secret, T0 } from "./fixtures.js";

export function keysContract(store: GetStore): void {
  describe("apiKeys", () => {
    it("inserts a key with its secret and finds it by digest", async () => {
      const orgId = org().id;
      const k = apiKey(orgId, "proj_a", {
        models: ["gpt-4o"],
        limits: { rpm: 10, rpd: null, tpm: 1000, tpd: null, maxConcurrent: 2 },
        budgetMicros: 5_000_000,
        ownerUserId: "user_1",
        expiresAt: T0 + 100,
        lastUsedAt: T0 + 1,
      });
      const s = secret(k.id, { expiresAt: T0 + 50 });
      await store().apiKeys.insert(k, s);
      expect(await store().apiKeys.get(orgId, k.id)).toEqual(k);
      expect(await store().apiKeys.get("org_other", k.id)).toBeNull();
      expect(await store().apiKeys.findByDigest(s.digest)).toEqual({ key: k, secret: s });
      expect(await store().apiKeys.findByDigest("digest_missing")).toBeNull();
    });

    it("inserts key and secret atomically", async () => {
      const orgId = org().id;
      const k = apiKey(orgId, "proj_a");
      const s = secret(k.id);
      await store().apiKeys.insert(k, s);
      const clash = apiKey(orgId, "proj_a");
      await expect(store().apiKeys.insert(clash, secret(clash.id, { digest: s.digest }))).rejects.toThrow();
      expect(await store().apiKeys.get(orgId, clash.id)).toBeNull();
      expect((await store().apiKeys.findByDigest(s.digest))?.key.id).toBe(k.id);
    });

    it("round-trips admin keys and instanceAdmin", async () => {
      const orgId = org().id;
      const k = apiKey(orgId, null, { instanceAdmin: true, scopes: ["admin.*"] });
      const s = secret(k.id);
      await store().apiKeys.insert(k, s);
      expect(await store().apiKeys.findByDigest(s.digest)).toEqual({ key: k, secret: s });
    });

    it("updates fields, including clearing to null", async () => {
      const orgId = org().id;
      const k = apiKey(orgId, "proj_a", { models: ["a"], budgetMicros: 1 });
      await store().apiKeys.insert(k, secret(k.id));
      const patch = {
        name: "New",
        redactedValue: "sk-proj-new***abc",
        lastUsedAt: T0 + 3,
        scopes: ["x"],
        models: null,
        limits: null,
        budgetMicros: null,
        expiresAt: T0 + 9,
      };
      expect(await store().apiKeys.update(orgId, k.id, patch)).toEqual({ ...k, ...patch });
      expect(await store().apiKeys.update("org_other", k.id, { name: "x" })).toBeNull();
      expect(await store().apiKeys.update(orgId, "key_missing", { name: "x" })).toBeNull();
    });

    it("lists per project or admin keys, excludes revoked, filters by service account, pages", async () => {
      const orgId = org().id;
      const proj = Array.from({ length: 5 }, (_, i) =>
        apiKey(orgId, "proj_a", i < 2 ? { kind: "service_account", ownerServiceAccountId: "sa_1" } : {}),
      );
      const admin = [apiKey(orgId, null), apiKey(orgId, null)];
      const revoked = apiKey(orgId, "proj_a", { revokedAt: T0 });
      for (const k of [...proj, ...admin, revoked]) await store().apiKeys.insert(k, secret(k.id));
      await store().apiKeys.insert(apiKey(org().id, "proj_a"), secret("key_elsewhere"));

      const all = await collect((after) => store().apiKeys.list(orgId, "proj_a", { limit: 2, after }));
      expect(all).toEqual({ ids: proj.map((k) => k.id), pages: 3 });
      const desc = await collect((after) =>
        store().apiKeys.list(orgId, "proj_a", { limit: 2, after, order: "desc" }),
      );
      expect(desc.ids).toEqual(proj.map((k) => k.id).reverse());
      const adm = await store().apiKeys.list(orgId, null, { limit: 10 });
      expect(adm).toEqual({ data: admin, hasMore: false });
      const bySa = await store().apiKeys.list(orgId, "proj_a", { limit: 10, serviceAccountId: "sa_1" });
      expect(bySa.data.map((k) => k.id)).toEqual([proj[0]?.id, proj[1]?.id]);
    });

    it("adds, expires and deletes secrets; a revoked key is not found", async () => {
      const orgId = org().id;
      const k = apiKey(orgId, "proj_a");
      const s1 = secret(k.id);
      await store().apiKeys.insert(k, s1);
      await store().apiKeys.expireSecrets(k.id, T0 + 60);
      const s2 = secret(k.id, { createdAt: T0 + 1 });
      await store().apiKeys.addSecret(s2);
      expect((await store().apiKeys.findByDigest(s1.digest))?.secret).toEqual({ ...s1, expiresAt: T0 + 60 });
      expect((await store().apiKeys.findByDigest(s2.digest))?.secret).toEqual(s2);
      // A later expiry never extends an earlier one.
      await store().apiKeys.expireSecrets(k.id, T0 + 500);
      expect((await store().apiKeys.findByDigest(s1.digest))?.secret.expiresAt).toBe(T0 + 60);
      expect((await store().apiKeys.findByDigest(s2.digest))?.secret.expiresAt).toBe(T0 + 500);
      await store().apiKeys.expireSecrets(k.id, T0 + 10);
      expect((await store().apiKeys.findByDigest(s1.digest))?.secret.expiresAt).toBe(T0 + 10);

      await expect(store().apiKeys.addSecret(secret("key_other", { digest: s2.digest }))).rejects.toThrow();

      const removed = await store().apiKeys.deleteSecrets(k.id);
      expect(removed.sort()).toEqual([s1.digest, s2.digest].sort());
      expect(await store().apiKeys.deleteSecrets(k.id)).toEqual([]);
      await store().apiKeys.update(orgId, k.id, { revokedAt: T0 + 2 });
      expect(await store().apiKeys.findByDigest(s1.digest)).toBeNull();
      expect(await store().apiKeys.findByDigest(s2.digest)).toBeNull();
      expect(await store().apiKeys.list(orgId, "proj_a", { limit: 10 })).toEqual({
        data: [],
        hasMore: false,
      });
    });

    it("findByDigest ignores a secret left on a revoked key", async () => {
      const orgId = org().id;
      const k = apiKey(orgId, "proj_a");
      const s = secret(k.id);
      await store().apiKeys.insert(k, s);
      await store().apiKeys.update(orgId, k.id, { revokedAt: T0 });
      expect(await store().apiKeys.findByDigest(s.digest)).toBeNull();
    });

    it("touchLastUsed never moves last_used_at backwards", async () => {
      const orgId = org().id;
      const a = apiKey(orgId, "proj_a");
      const b = apiKey(orgId, "proj_a", { lastUsedAt: T0 + 100 });
      await store().apiKeys.insert(a, secret(a.id));
      await store().apiKeys.insert(b, secret(b.id));
      await store().apiKeys.touchLastUsed([
        { id: a.id, at: T0 + 10 },
        { id: a.id, at: T0 + 30 },
        { id: a.id, at: T0 + 20 },
        { id: b.id, at: T0 + 50 },
        { id: "key_missing", at: T0 },
      ]);
      expect((await store().apiKeys.get(orgId, a.id))?.lastUsedAt).toBe(T0 + 30);
      expect((await store().apiKeys.get(orgId, b.id))?.lastUsedAt).toBe(T0 + 100);
      await store().apiKeys.touchLastUsed([
        { id: a.id, at: T0 + 5 },
        { id: b.id, at: T0 + 200 },
      ]);
      expect((await store().apiKeys.get(orgId, a.id))?.lastUsedAt).toBe(T0 + 30);
      expect((await store().apiKeys.get(orgId, b.id))?.lastUsedAt).toBe(T0 + 200);
      await store().apiKeys.touchLastUsed([]);
    });

    it("touchLastUsed handles more keys than one statement chunk", async () => {
      const orgId = org().id;
      const keys = Array.from({ length: 450 }, () => apiKey(orgId, "proj_bulk"));
      await store().transaction(async (tx) => {
        for (const k of keys) await tx.apiKeys.insert(k, secret(k.id));
      });
      await store().apiKeys.touchLastUsed(keys.map((k, i) => ({ id: k.id, at: T0 + i })));
      const last = keys[449];
      expect((await store().apiKeys.get(orgId, last?.id ?? ""))?.lastUsedAt).toBe(T0 + 449);
      expect((await store().apiKeys.get(orgId, keys[0]?.id ?? ""))?.lastUsedAt).toBe(T0);
    });
  });
}
