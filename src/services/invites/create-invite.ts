import { AppError, invalidRequest } from "../../domain/errors.js";
import { newId } from "../../domain/ids.js";
import type { InviteProject, InviteRecord, OrgRole } from "../../storage/records.js";
import type { StoreRepos } from "../../storage/store.js";
import { audit, loadProject, requireActive, requireWrite, type ServiceCtx } from "../context.js";
import { digestToken, newToken, normalizeEmail } from "../sessions/tokens.js";
import { inviteStatus } from "./invite-status.js";

export interface CreateInviteInput {
  orgId: string;
  email: string;
  role: OrgRole;
  /** undefined = the organization's first (default) project as member, as OpenAI does; [] = none. */
  projects?: InviteProject[];
  expiresInSeconds: number;
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+$/;

const defaultProjects = async (tx: StoreRepos, orgId: string): Promise<InviteProject[]> => {
  const first = (await tx.projects.list(orgId, { limit: 1, order: "asc", includeArchived: false })).data[0];
  return first ? [{ id: first.id, role: "member" }] : [];
};

/** Finds a pending invite for the email, paging through the organization's invites. */
const pendingFor = async (tx: StoreRepos, orgId: string, email: string, now: number) => {
  let after: string | undefined;
  do {
    const page = await tx.invites.list(orgId, { limit: 100, after });
    const hit = page.data.find((i) => i.email === email && inviteStatus(i, now) === "pending");
    if (hit) return hit;
    after = page.hasMore ? page.data[page.data.length - 1]?.id : undefined;
  } while (after);
  return null;
};

/**
 * Invites a person by email. The accept token is returned once (the caller builds the link);
 * only its digest is stored. Keyplane sends no email: the inviter passes the link on.
 */
export const createInvite = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: CreateInviteInput;
}): Promise<{ invite: InviteRecord; token: string }> => {
  requireWrite(ctx);
  const email = normalizeEmail(input.email);
  if (!EMAIL_RE.test(email) || email.length > 320) throw invalidRequest("Invalid email address.", "email");
  return ctx.store.transaction(async (tx) => {
    const now = ctx.now();
    if (await tx.users.getByEmail(input.orgId, email))
      throw new AppError("conflict", {
        message: `${email} is already a member of this organization.`,
        param: "email",
      });
    if (await pendingFor(tx, input.orgId, email, now))
      throw new AppError("conflict", { message: `${email} already has a pending invite.`, param: "email" });
    const projects = input.projects ?? (await defaultProjects(tx, input.orgId));
    for (const p of projects) requireActive(await loadProject(tx, input.orgId, p.id));
    const token = newToken();
    const invite: InviteRecord = {
      id: newId.invite(),
      orgId: input.orgId,
      email,
      role: input.role,
      projects,
      tokenDigest: digestToken(ctx.secret, "invite", token),
      createdAt: now,
      expiresAt: now + input.expiresInSeconds,
      acceptedAt: null,
    };
    await tx.invites.insert(invite);
    await audit(ctx, tx, {
      orgId: input.orgId,
      type: "invite.sent",
      resourceId: invite.id,
      details: { id: invite.id, data: { email, role: invite.role } },
    });
    return { invite, token };
  });
};
