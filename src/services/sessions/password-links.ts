import { AppError, invalidRequest } from "../../domain/errors.js";
import type { StoreRepos } from "../../storage/store.js";
import { audit, requireWrite, type ServiceCtx } from "../context.js";
import { loadUser } from "../users/org-users.js";
import type { ClientInfo, ConsoleDeps } from "./console-deps.js";
import { assertPasswordAcceptable, hashPassword, verifyPassword } from "./passwords.js";
import { type ActiveSession, sessionCtx } from "./principal.js";
import { startSession } from "./session.js";
import { digestToken, newToken } from "./tokens.js";

/** Writes a one-time set-password token for a user; the token is returned once, only its digest kept. */
export const insertPasswordToken = async (
  tx: StoreRepos,
  secret: string,
  input: { orgId: string; userId: string; now: number; ttlSeconds: number },
): Promise<{ token: string; expiresAt: number }> => {
  const token = newToken();
  const expiresAt = input.now + input.ttlSeconds;
  await tx.passwordTokens.insert({
    digest: digestToken(secret, "password", token),
    orgId: input.orgId,
    userId: input.userId,
    createdAt: input.now,
    expiresAt,
    usedAt: null,
  });
  return { token, expiresAt };
};

/** An owner (or admin key) issues a set-password link for a member who has none or forgot it. */
export const createPasswordLink = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { orgId: string; userId: string; ttlSeconds: number };
}): Promise<{ token: string; expiresAt: number }> => {
  requireWrite(ctx);
  return ctx.store.transaction(async (tx) => {
    const user = await loadUser(tx, input.orgId, input.userId);
    const link = await insertPasswordToken(tx, ctx.secret, { ...input, now: ctx.now() });
    await audit(ctx, tx, {
      orgId: input.orgId,
      type: "user.updated",
      resourceId: user.id,
      details: { id: user.id, changes_requested: { password_link_issued: true } },
    });
    return link;
  });
};

/**
 * Redeems a set-password link: sets the hash, ends every other session of the email and signs in.
 * A used, expired or unknown token is refused with the same message.
 */
export const setPasswordWithToken = async ({
  deps,
  input,
}: {
  deps: ConsoleDeps;
  input: { token: string; password: string; client: ClientInfo };
}): Promise<ActiveSession> => {
  assertPasswordAcceptable(input.password);
  const passwordHash = await hashPassword(input.password);
  const digest = digestToken(deps.secret, "password", input.token);
  return deps.store.transaction(async (tx) => {
    const t = await tx.passwordTokens.consume(digest, deps.now());
    const user = t ? await tx.users.get(t.orgId, t.userId) : null;
    if (!user)
      throw new AppError("invalid_request", {
        message: "This link is invalid, expired or already used. Ask an owner for a new one.",
        param: "token",
        wireCode: "invalid_token",
      });
    const updated = (await tx.users.update(user.orgId, user.id, { passwordHash })) ?? user;
    await tx.sessions.deleteByUsers([updated.id]);
    const active = await startSession(deps, tx, updated, input.client);
    await audit(sessionCtx(deps, updated, input.client), tx, {
      orgId: updated.orgId,
      type: "login.succeeded",
      resourceId: updated.id,
      details: { method: "set_password_link" },
    });
    return active;
  });
};

/**
 * Settings → change password: needs the current one. Applies to every organization this session
 * signed into with it (they share the password) and ends their other sessions.
 */
export const changePassword = async ({
  deps,
  input,
}: {
  deps: ConsoleDeps;
  input: { active: ActiveSession; currentPassword: string; newPassword: string; client: ClientInfo };
}): Promise<void> => {
  const { user, session } = input.active;
  assertPasswordAcceptable(input.newPassword, "new_password");
  if (!user.passwordHash || !(await verifyPassword(user.passwordHash, input.currentPassword)))
    throw invalidRequest("The current password is not correct.", "current_password");
  const passwordHash = await hashPassword(input.newPassword);
  const users = (await deps.store.users.listByEmail(user.email)).filter((u) =>
    session.userIds.includes(u.id),
  );
  await deps.store.transaction(async (tx) => {
    for (const u of users) await tx.users.update(u.orgId, u.id, { passwordHash });
    await tx.sessions.deleteByUsers(session.userIds);
    await tx.sessions.insert(session);
    await audit(sessionCtx(deps, user, input.client), tx, {
      orgId: user.orgId,
      type: "user.updated",
      resourceId: user.id,
      details: { id: user.id, changes_requested: { password: "changed" } },
    });
  });
};
