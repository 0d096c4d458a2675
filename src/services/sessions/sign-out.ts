import { audit } from "../context.js";
import type { ClientInfo, ConsoleDeps } from "./console-deps.js";
import { type ActiveSession, sessionCtx } from "./principal.js";

/** Ends this session, or (everywhere) every session of the users this sign-in proved. */
export const signOut = async ({
  deps,
  input,
}: {
  deps: ConsoleDeps;
  input: { active: ActiveSession; everywhere: boolean; client: ClientInfo };
}): Promise<{ ended: number }> => {
  const { session, user } = input.active;
  return deps.store.transaction(async (tx) => {
    const ended = input.everywhere
      ? await tx.sessions.deleteByUsers(session.userIds)
      : Number(await tx.sessions.delete(session.digest));
    await audit(sessionCtx(deps, user, input.client), tx, {
      orgId: user.orgId,
      type: "logout.succeeded",
      resourceId: user.id,
      details: { everywhere: input.everywhere, sessions_ended: ended },
    });
    return { ended };
  });
};
