import { describe, expect, it } from "vitest";
import type { InviteRecord, PasswordTokenRecord, SessionRecord } from "../records.js";
import { type GetStore, org, T0, uid, user } from "./fixtures.js";

const session = (over: Partial<SessionRecord> = {}): SessionRecord => ({
  digest: uid("sess"),
  orgId: uid("org"),
  userId: uid("user"),
  userIds: [],
  createdAt: T0,
  lastSeenAt: T0,
  expiresAt: T0 + 3600,
  ipAddress: "127.0.0.1",
  userAgent: "test",
  ...over,
});

const invite = (orgId: string, over: Partial<InviteRecord> = {}): InviteRecord => ({
  id: uid("invite"),
  orgId,
  email: `${uid("i")}@example.com`,
  role: "reader",
  projects: [{ id: "proj_a", role: "member" }],
  tokenDigest: uid("tok"),
  createdAt: T0,
  expiresAt: T0 + 100,
  acceptedAt: null,
  ...over,
});

export function consoleContract(store: GetStore): void {
  describe("sessions", () => {
    it("round-trips, updates the named fields, deletes one or every session of some users", async () => {
      const a = session();
      a.userIds = [a.userId, uid("user")];
      const b = session({ userId: a.userId });
      const other = session();
      for (const s of [a, b, other]) await store().sessions.insert(s);
      expect(await store().sessions.get(a.digest)).toEqual(a);
      expect(await store().sessions.get("missing")).toBeNull();

      expect(await store().sessions.update(a.digest, { lastSeenAt: T0 + 5 })).toBe(true);
      expect(await store().sessions.update(a.digest, { orgId: "org_b", userId: "user_b" })).toBe(true);
      expect(await store().sessions.get(a.digest)).toEqual({
        ...a,
        lastSeenAt: T0 + 5,
        orgId: "org_b",
        userId: "user_b",
      });
      expect(await store().sessions.update("missing", { lastSeenAt: 1 })).toBe(false);

      expect(await store().sessions.delete(other.digest)).toBe(true);
      expect(await store().sessions.delete(other.digest)).toBe(false);
      // a now acts as user_b, so only b (still acting as a.userId) goes.
      expect(await store().sessions.deleteByUsers([a.userId])).toBe(1);
      expect(await store().sessions.get(b.digest)).toBeNull();
      expect(await store().sessions.deleteByUsers(["user_b", "user_c"])).toBe(1);
      expect(await store().sessions.deleteByUsers([])).toBe(0);
    });
  });

  describe("invites", () => {
    it("round-trips, finds by token digest, pages per org and deletes", async () => {
      const o = org();
      const xs = [invite(o.id), invite(o.id, { role: "owner", projects: [] }), invite(o.id)];
      for (const i of xs) await store().invites.insert(i);
      await store().invites.insert(invite(uid("org")));
      expect(await store().invites.get(o.id, xs[1]?.id ?? "")).toEqual(xs[1]);
      expect(await store().invites.get("org_other", xs[1]?.id ?? "")).toBeNull();
      expect(await store().invites.getByTokenDigest(xs[2]?.tokenDigest ?? "")).toEqual(xs[2]);
      expect(await store().invites.getByTokenDigest("nope")).toBeNull();

      const first = await store().invites.list(o.id, { limit: 2 });
      expect(first.hasMore).toBe(true);
      const second = await store().invites.list(o.id, { limit: 2, after: first.data[1]?.id });
      expect([...first.data, ...second.data].map((i) => i.id)).toEqual(xs.map((i) => i.id));
      expect(second.hasMore).toBe(false);

      expect(await store().invites.delete("org_other", xs[0]?.id ?? "")).toBe(false);
      expect(await store().invites.delete(o.id, xs[0]?.id ?? "")).toBe(true);
      expect(await store().invites.get(o.id, xs[0]?.id ?? "")).toBeNull();
    });

    it("marks an invite accepted exactly once", async () => {
      const i = invite(uid("org"));
      await store().invites.insert(i);
      const results = await Promise.all([
        store().invites.markAccepted(i.id, T0 + 1),
        store().invites.markAccepted(i.id, T0 + 2),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const stored = await store().invites.get(i.orgId, i.id);
      expect([T0 + 1, T0 + 2]).toContain(stored?.acceptedAt);
      expect(await store().invites.markAccepted("invite_missing", T0)).toBe(false);
    });
  });

  describe("password tokens", () => {
    it("consumes an unused, unexpired token once", async () => {
      const t: PasswordTokenRecord = {
        digest: uid("pw"),
        orgId: uid("org"),
        userId: uid("user"),
        createdAt: T0,
        expiresAt: T0 + 10,
        usedAt: null,
      };
      await store().passwordTokens.insert(t);
      await store().passwordTokens.insert({ ...t, digest: uid("pw"), expiresAt: T0 + 1 });
      expect(await store().passwordTokens.consume(t.digest, T0 + 10)).toBeNull();
      expect(await store().passwordTokens.consume(t.digest, T0 + 3)).toEqual({ ...t, usedAt: T0 + 3 });
      expect(await store().passwordTokens.consume(t.digest, T0 + 4)).toBeNull();
      expect(await store().passwordTokens.consume("missing", T0)).toBeNull();
    });
  });

  describe("users by email", () => {
    it("finds a person's users in every organization, ignoring case, oldest first", async () => {
      const email = `${uid("Mixed")}@Example.com`;
      const a = user(uid("org"), { email });
      const b = user(uid("org"), { email: email.toLowerCase() });
      await store().users.insert(a);
      await store().users.insert(b);
      await store().users.insert(user(uid("org")));
      expect(await store().users.listByEmail(email.toUpperCase())).toEqual([a, b]);
      expect(await store().users.listByEmail("nobody@example.com")).toEqual([]);
    });
  });
}
