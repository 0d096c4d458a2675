import { AppError } from "../../domain/errors.js";
import type { InviteRecord } from "../../storage/records.js";
import type { Page, PageQuery } from "../../storage/store.js";
import { audit, requireRead, requireWrite, type ServiceCtx } from "../context.js";
import { loadInvite } from "./invite-status.js";

export const listInvites = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { orgId: string; page: PageQuery };
}): Promise<Page<InviteRecord>> => {
  requireRead(ctx);
  return ctx.store.invites.list(input.orgId, input.page);
};

export const getInvite = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { orgId: string; inviteId: string };
}): Promise<InviteRecord> => {
  requireRead(ctx);
  return loadInvite(ctx.store, input.orgId, input.inviteId);
};

/** Withdraws an invite; its link stops working. An accepted invite cannot be deleted (OpenAI). */
export const deleteInvite = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { orgId: string; inviteId: string };
}): Promise<{ id: string }> => {
  requireWrite(ctx);
  return ctx.store.transaction(async (tx) => {
    const invite = await loadInvite(tx, input.orgId, input.inviteId);
    if (invite.acceptedAt !== null)
      throw new AppError("invalid_request", {
        message: "An accepted invite cannot be deleted.",
        param: "invite_id",
      });
    await tx.invites.delete(input.orgId, invite.id);
    await audit(ctx, tx, {
      orgId: input.orgId,
      type: "invite.deleted",
      resourceId: invite.id,
      details: { id: invite.id },
    });
    return { id: invite.id };
  });
};
