import { AppError } from "../../domain/errors.js";
import type { OrganizationRecord, UserRecord } from "../../storage/records.js";
import type { ConsoleDeps } from "./console-deps.js";
import type { ActiveSession } from "./principal.js";

export interface Membership {
  organization: OrganizationRecord;
  user: UserRecord;
}

/** The organizations this session may switch between (users its password proved). */
export const listMemberships = async (deps: ConsoleDeps, active: ActiveSession): Promise<Membership[]> => {
  const users = await deps.store.users.listByEmail(active.user.email);
  const out: Membership[] = [];
  for (const user of users) {
    if (!active.session.userIds.includes(user.id)) continue;
    const organization = await deps.store.organizations.get(user.orgId);
    if (organization) out.push({ organization, user });
  }
  return out;
};

/** Moves the session to another of its organizations; any other id answers 404 like an unknown one. */
export const switchOrganization = async ({
  deps,
  input,
}: {
  deps: ConsoleDeps;
  input: { active: ActiveSession; orgId: string };
}): Promise<ActiveSession> => {
  const target = (await listMemberships(deps, input.active)).find((m) => m.organization.id === input.orgId);
  if (!target)
    throw new AppError("not_found", {
      message: `No such organization: ${input.orgId}`,
      param: "organization_id",
    });
  await deps.store.sessions.update(input.active.session.digest, {
    orgId: target.user.orgId,
    userId: target.user.id,
  });
  return {
    ...input.active,
    session: { ...input.active.session, orgId: target.user.orgId, userId: target.user.id },
    user: target.user,
  };
};
