import { AppError } from "../../domain/errors.js";
import { newId } from "../../domain/ids.js";
import type { InviteRecord, OrganizationRecord, UserRecord } from "../../storage/records.js";
import { audit } from "../context.js";
import type { ClientInfo, ConsoleDeps } from "../sessions/console-deps.js";
import { assertPasswordAcceptable, hashPassword } from "../sessions/passwords.js";
import { type ActiveSession, sessionCtx } from "../sessions/principal.js";
import { startSession } from "../sessions/session.js";
import { digestToken } from "../sessions/tokens.js";
import { inviteStatus } from "./invite-status.js";

const fail = (wireCode: string, message: string): never => {
  throw new AppError("invalid_request", { message, param: "token", wireCode });
};

const usable = (invite: InviteRecord | null, now: number): InviteRecord => {
  if (!invite) return fail("invite_invalid", "This invite link is not valid. Ask for a new one.");
  const status = inviteStatus(invite, now);
  if (status === "accepted") return fail("invite_used", "This invite link has already been used.");
  if (status === "expired") return fail("invite_expired", "This invite has expired. Ask for a new one.");
  return invite;
};

/** What the accept page shows before the person picks a password. The token is the only credential. */
export const lookupInvite = async ({
  deps,
  input,
}: {
  deps: ConsoleDeps;
  input: { token: string };
}): Promise<{ invite: InviteRecord; organization: OrganizationRecord | null }> => {
  const invite = usable(
    await deps.store.invites.getByTokenDigest(digestToken(deps.secret, "invite", input.token)),
    deps.now(),
  );
  return { invite, organization: await deps.store.organizations.get(invite.orgId) };
};

/**
 * Redeems an invite exactly once: creates the user with the invite's role and project
 * memberships, marks it accepted (a concurrent second redemption loses) and signs the person in.
 */
export const acceptInvite = async ({
  deps,
  input,
}: {
  deps: ConsoleDeps;
  input: { token: string; name: string; password: string; client: ClientInfo };
}): Promise<ActiveSession> => {
  assertPasswordAcceptable(input.password);
  const passwordHash = await hashPassword(input.password);
  const digest = digestToken(deps.secret, "invite", input.token);
  return deps.store.transaction(async (tx) => {
    const now = deps.now();
    const invite = usable(await tx.invites.getByTokenDigest(digest), now);
    if (!(await tx.invites.markAccepted(invite.id, now)))
      fail("invite_used", "This invite link has already been used.");
    if (await tx.users.getByEmail(invite.orgId, invite.email))
      throw new AppError("conflict", {
        message: `${invite.email} is already a member of this organization.`,
        param: "token",
      });
    const user: UserRecord = {
      id: newId.user(),
      orgId: invite.orgId,
      email: invite.email,
      name: input.name.trim() || invite.email,
      role: invite.role,
      addedAt: now,
      passwordHash,
    };
    await tx.users.insert(user);
    for (const p of invite.projects) {
      const project = await tx.projects.get(invite.orgId, p.id);
      if (project?.status === "active")
        await tx.projectUsers.upsert({ projectId: p.id, userId: user.id, role: p.role, addedAt: now });
    }
    const ctx = sessionCtx(deps, user, input.client);
    await audit(ctx, tx, {
      orgId: invite.orgId,
      type: "invite.accepted",
      resourceId: invite.id,
      details: { id: invite.id },
    });
    await audit(ctx, tx, {
      orgId: invite.orgId,
      type: "user.added",
      resourceId: user.id,
      details: { id: user.id, data: { role: user.role } },
    });
    return startSession(deps, tx, user, input.client);
  });
};
