import { AppError } from "../../domain/errors.js";
import type { InviteRecord } from "../../storage/records.js";
import type { StoreRepos } from "../../storage/store.js";

export type InviteStatus = "pending" | "accepted" | "expired";

export const inviteStatus = (i: InviteRecord, now: number): InviteStatus =>
  i.acceptedAt !== null ? "accepted" : now >= i.expiresAt ? "expired" : "pending";

export const loadInvite = async (repos: StoreRepos, orgId: string, id: string): Promise<InviteRecord> => {
  const i = await repos.invites.get(orgId, id);
  if (!i) throw new AppError("not_found", { message: `No such invite: ${id}`, param: "invite_id" });
  return i;
};
