import { AppError } from "../../domain/errors.js";
import type { OrgRole, UserRecord } from "../../storage/records.js";
import type { Page, PageQuery, StoreRepos } from "../../storage/store.js";
import { audit, requireRead, requireWrite, type ServiceCtx } from "../context.js";

export const loadUser = async (repos: StoreRepos, orgId: string, userId: string): Promise<UserRecord> => {
  const u = await repos.users.get(orgId, userId);
  if (!u) throw new AppError("not_found", { message: `No such user: ${userId}`, param: "user_id" });
  return u;
};

export const listUsers = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { orgId: string; page: PageQuery; emails?: string[] };
}): Promise<Page<UserRecord>> => {
  requireRead(ctx);
  return ctx.store.users.list(input.orgId, {
    ...input.page,
    ...(input.emails ? { emails: input.emails } : {}),
  });
};

export const getUser = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { orgId: string; userId: string };
}): Promise<UserRecord> => {
  requireRead(ctx);
  return loadUser(ctx.store, input.orgId, input.userId);
};

/** Keeps at least one owner: an organization nobody can administer is unrecoverable. */
const assertNotLastOwner = async (repos: StoreRepos, orgId: string, user: UserRecord): Promise<void> => {
  if (user.role !== "owner") return;
  let owners = 0;
  let after: string | undefined;
  do {
    const page = await repos.users.list(orgId, { limit: 100, after });
    owners += page.data.filter((u) => u.role === "owner").length;
    after = page.hasMore ? page.data[page.data.length - 1]?.id : undefined;
  } while (after && owners < 2);
  if (owners < 2)
    throw new AppError("invalid_request", {
      message: "An organization must keep at least one owner.",
      param: "user_id",
    });
};

export const updateUserRole = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { orgId: string; userId: string; role: OrgRole };
}): Promise<UserRecord> => {
  requireWrite(ctx);
  return ctx.store.transaction(async (tx) => {
    const user = await loadUser(tx, input.orgId, input.userId);
    if (input.role !== "owner") await assertNotLastOwner(tx, input.orgId, user);
    const updated = (await tx.users.update(input.orgId, user.id, { role: input.role })) ?? user;
    await audit(ctx, tx, {
      orgId: input.orgId,
      type: "user.updated",
      resourceId: user.id,
      details: { id: user.id, changes_requested: { role: input.role } },
    });
    return updated;
  });
};

export const deleteUser = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { orgId: string; userId: string };
}): Promise<{ id: string }> => {
  requireWrite(ctx);
  await ctx.store.transaction(async (tx) => {
    const user = await loadUser(tx, input.orgId, input.userId);
    await assertNotLastOwner(tx, input.orgId, user);
    await tx.users.delete(input.orgId, user.id);
    await audit(ctx, tx, {
      orgId: input.orgId,
      type: "user.deleted",
      resourceId: user.id,
      details: { id: user.id },
    });
  });
  return { id: input.userId };
};
