import type { UserRecord } from "../../storage/records.js";
import type { StoreRepos } from "../../storage/store.js";
import type { ClientInfo, ConsoleDeps } from "./console-deps.js";
import type { ActiveSession } from "./principal.js";
import { digestToken, newToken } from "./tokens.js";

/** lastSeenAt is written at most this often, so reads do not turn into writes on every click. */
const TOUCH_EVERY_SECONDS = 60;

export const startSession = async (
  deps: ConsoleDeps,
  tx: StoreRepos,
  user: UserRecord,
  client: ClientInfo,
  /** Users of other organizations proven by the same password (see SessionRecord.userIds). */
  alsoUserIds: string[] = [],
): Promise<ActiveSession> => {
  const token = newToken();
  const now = deps.now();
  const session = {
    digest: digestToken(deps.secret, "session", token),
    orgId: user.orgId,
    userId: user.id,
    userIds: [user.id, ...alsoUserIds.filter((id) => id !== user.id)],
    createdAt: now,
    lastSeenAt: now,
    expiresAt: now + deps.policy.sessionMaxSeconds,
    ipAddress: client.ip,
    userAgent: client.userAgent?.slice(0, 512) ?? null,
  };
  await tx.sessions.insert(session);
  return { session, user, token };
};

/**
 * Cookie token → live session and its user, or null. Expired sessions and sessions of users who
 * were removed from the organization are deleted on sight.
 */
export const resolveSession = async (deps: ConsoleDeps, token: string): Promise<ActiveSession | null> => {
  if (token.length < 20 || token.length > 100) return null;
  const digest = digestToken(deps.secret, "session", token);
  const session = await deps.store.sessions.get(digest);
  if (!session) return null;
  const now = deps.now();
  const idle = now - session.lastSeenAt >= deps.policy.sessionIdleSeconds;
  const user =
    idle || now >= session.expiresAt ? null : await deps.store.users.get(session.orgId, session.userId);
  if (!user || !session.userIds.includes(user.id)) {
    await deps.store.sessions.delete(digest);
    return null;
  }
  if (now - session.lastSeenAt >= TOUCH_EVERY_SECONDS) {
    await deps.store.sessions.update(digest, { lastSeenAt: now });
    session.lastSeenAt = now;
  }
  return { session, user, token };
};
