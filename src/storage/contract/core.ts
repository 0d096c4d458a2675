import { describe, expect, it } from "vitest";
import { collect, type GetStore, org, project, serviceAccount, T0, user } from "./fixtures.js";

export function coreContract(store: GetStore): void {
  describe("organizations", () => {
    it("inserts, gets and pages in insertion order", async () => {
      const orgs = [org(), org(), org()];
      for (const o of orgs) await store().organizations.insert(o);
      expect(await store().organizations.get(orgs[1]?.id ?? "")).toEqual(orgs[1]);
      expect(await store().organizations.get("org_missing")).toBeNull();
      // Other files may add orgs to a shared database; ours must appear in order, after the first.
      const first = await store().organizations.list({ limit: 2, after: orgs[0]?.id });
      expect(first.data.map((o) => o.id)).toEqual([orgs[1]?.id, orgs[2]?.id]);
    });
  });

  describe("projects", () => {
    it("round-trips every field and isolates orgs", async () => {
      const o = org();
      await store().organizations.insert(o);
      const p = project(o.id, {
        externalKeyId: "kms_1",
        residency: "eu",
        modelMode: "allow_list",
        modelIds: ["a", "b"],
      });
      await store().projects.insert(p);
      expect(await store().projects.get(o.id, p.id)).toEqual(p);
      expect(await store().projects.get("org_other", p.id)).toBeNull();
      expect(await store().projects.update("org_other", p.id, { name: "x" })).toBeNull();
    });

    it("updates only the named fields", async () => {
      const p = project(uid0());
      await store().projects.insert(p);
      const archived = await store().projects.update(p.orgId, p.id, {
        status: "archived",
        archivedAt: T0 + 5,
      });
      expect(archived).toEqual({ ...p, status: "archived", archivedAt: T0 + 5 });
      expect(await store().projects.update(p.orgId, p.id, {})).toEqual(archived);
      const cleared = await store().projects.update(p.orgId, p.id, {
        modelMode: null,
        modelIds: ["m"],
        name: "N",
      });
      expect(cleared).toEqual({ ...p, status: "archived", archivedAt: T0 + 5, modelIds: ["m"], name: "N" });
      expect(await store().projects.update(p.orgId, "proj_missing", { name: "x" })).toBeNull();
    });

    it("pages over several pages, asc and desc, and filters archived", async () => {
      const orgId = uid0();
      const ps = Array.from({ length: 7 }, (_, i) =>
        project(orgId, i % 3 === 2 ? { status: "archived" } : {}),
      );
      for (const p of ps) await store().projects.insert(p);
      const all = ps.map((p) => p.id);
      const active = ps.filter((p) => p.status === "active").map((p) => p.id);

      const asc = await collect((after) =>
        store().projects.list(orgId, { limit: 2, after, includeArchived: true }),
      );
      expect(asc).toEqual({ ids: all, pages: 4 });
      const desc = await collect((after) =>
        store().projects.list(orgId, { limit: 2, after, order: "desc", includeArchived: true }),
      );
      expect(desc).toEqual({ ids: [...all].reverse(), pages: 4 });
      const act = await collect((after) =>
        store().projects.list(orgId, { limit: 2, after, includeArchived: false }),
      );
      expect(act).toEqual({ ids: active, pages: 3 });

      const exact = await store().projects.list(orgId, { limit: 7, includeArchived: true });
      expect(exact.hasMore).toBe(false);
      expect(exact.data).toHaveLength(7);
      const unknown = await store().projects.list(orgId, {
        limit: 7,
        after: "proj_missing",
        includeArchived: true,
      });
      expect(unknown).toEqual({ data: [], hasMore: false });
      expect(await store().projects.list("org_other", { limit: 10, includeArchived: true })).toEqual({
        data: [],
        hasMore: false,
      });
    });
  });

  describe("users", () => {
    it("CRUD, lookup by email, org isolation", async () => {
      const orgId = uid0();
      const u = user(orgId, { passwordHash: "$argon2id$x" });
      await store().users.insert(u);
      expect(await store().users.get(orgId, u.id)).toEqual(u);
      expect(await store().users.get("org_other", u.id)).toBeNull();
      expect(await store().users.getByEmail(orgId, u.email)).toEqual(u);
      expect(await store().users.getByEmail("org_other", u.email)).toBeNull();
      const up = await store().users.update(orgId, u.id, { role: "owner", name: "Ann", passwordHash: null });
      expect(up).toEqual({ ...u, role: "owner", name: "Ann", passwordHash: null });
      expect(await store().users.update("org_other", u.id, { name: "x" })).toBeNull();
      expect(await store().users.delete("org_other", u.id)).toBe(false);
      expect(await store().users.delete(orgId, u.id)).toBe(true);
      expect(await store().users.get(orgId, u.id)).toBeNull();
      expect(await store().users.delete(orgId, u.id)).toBe(false);
    });

    it("rejects a second user with the same email in one org", async () => {
      const orgId = uid0();
      const u = user(orgId);
      await store().users.insert(u);
      await expect(store().users.insert(user(orgId, { email: u.email }))).rejects.toThrow();
      await store().users.insert(user(uid0(), { email: u.email }));
    });

    it("pages and filters by email", async () => {
      const orgId = uid0();
      const us = Array.from({ length: 5 }, () => user(orgId));
      for (const u of us) await store().users.insert(u);
      const all = await collect((after) => store().users.list(orgId, { limit: 2, after }));
      expect(all).toEqual({ ids: us.map((u) => u.id), pages: 3 });
      const picked = [us[1], us[3]].map((u) => u?.email ?? "");
      const byEmail = await store().users.list(orgId, { limit: 10, emails: picked });
      expect(byEmail.data.map((u) => u.email)).toEqual(picked);
      expect(await store().users.list(orgId, { limit: 10, emails: [] })).toEqual({
        data: [],
        hasMore: false,
      });
    });
  });

  describe("projectUsers", () => {
    it("upserts, joins the user, updates role, deletes, pages by user id", async () => {
      const orgId = uid0();
      const p = project(orgId);
      await store().projects.insert(p);
      const us = Array.from({ length: 5 }, () => user(orgId));
      for (const u of us) {
        await store().users.insert(u);
        await store().projectUsers.upsert({ projectId: p.id, userId: u.id, role: "member", addedAt: T0 });
      }
      const u0 = us[0] ?? user(orgId);
      expect(await store().projectUsers.get(p.id, u0.id)).toEqual({
        projectId: p.id,
        userId: u0.id,
        role: "member",
        addedAt: T0,
        user: u0,
      });
      expect(await store().projectUsers.get("proj_other", u0.id)).toBeNull();

      await store().projectUsers.upsert({ projectId: p.id, userId: u0.id, role: "owner", addedAt: T0 + 9 });
      expect((await store().projectUsers.get(p.id, u0.id))?.role).toBe("owner");
      expect(await store().projectUsers.updateRole(p.id, u0.id, "member")).toBe(true);
      expect((await store().projectUsers.get(p.id, u0.id))?.role).toBe("member");
      expect(await store().projectUsers.updateRole(p.id, "user_missing", "owner")).toBe(false);

      const pages = await collect(async (after) => {
        const page = await store().projectUsers.list(p.id, { limit: 2, after });
        return { hasMore: page.hasMore, data: page.data.map((m) => ({ id: m.userId })) };
      });
      expect(pages).toEqual({ ids: us.map((u) => u.id), pages: 3 });
      const desc = await store().projectUsers.list(p.id, { limit: 2, order: "desc" });
      expect(desc.data.map((m) => m.userId)).toEqual([us[4]?.id, us[3]?.id]);

      expect(await store().projectUsers.delete(p.id, u0.id)).toBe(true);
      expect(await store().projectUsers.delete(p.id, u0.id)).toBe(false);
      expect(await store().projectUsers.get(p.id, u0.id)).toBeNull();
    });

    it("removing a user removes its memberships", async () => {
      const orgId = uid0();
      const u = user(orgId);
      await store().users.insert(u);
      await store().projectUsers.upsert({ projectId: "proj_a", userId: u.id, role: "member", addedAt: T0 });
      await store().users.delete(orgId, u.id);
      expect(await store().projectUsers.get("proj_a", u.id)).toBeNull();
      await store().users.insert(u);
      expect(await store().projectUsers.get("proj_a", u.id)).toBeNull();
    });
  });

  describe("serviceAccounts", () => {
    it("CRUD, project isolation, pagination", async () => {
      const orgId = uid0();
      const p = project(orgId);
      const sas = Array.from({ length: 5 }, () => serviceAccount(orgId, p.id));
      for (const sa of sas) await store().serviceAccounts.insert(sa);
      const s0 = sas[0] ?? serviceAccount(orgId, p.id);
      expect(await store().serviceAccounts.get(p.id, s0.id)).toEqual(s0);
      expect(await store().serviceAccounts.get("proj_other", s0.id)).toBeNull();
      expect(await store().serviceAccounts.update(p.id, s0.id, { name: "Renamed", role: "owner" })).toEqual({
        ...s0,
        name: "Renamed",
        role: "owner",
      });
      expect(await store().serviceAccounts.update("proj_other", s0.id, { name: "x" })).toBeNull();
      const all = await collect((after) => store().serviceAccounts.list(p.id, { limit: 2, after }));
      expect(all).toEqual({ ids: sas.map((s) => s.id), pages: 3 });
      expect(await store().serviceAccounts.delete("proj_other", s0.id)).toBe(false);
      expect(await store().serviceAccounts.delete(p.id, s0.id)).toBe(true);
      expect(await store().serviceAccounts.get(p.id, s0.id)).toBeNull();
    });
  });
}

/** A fresh org id (no row needed: repos scope by id, they do not check the parent exists). */
const uid0 = (): string => org().id;
