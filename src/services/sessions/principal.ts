import type { SessionRecord, UserRecord } from "../../storage/records.js";
import type { AdminPrincipal, ServiceCtx } from "../context.js";
import type { ClientInfo, ConsoleDeps } from "./console-deps.js";

/**
 * A signed-in person acts with their organization role: owners get every permission (scopes []),
 * readers `api.management.read`. The services decide what each may do, exactly as for keys.
 */
export const scopesForRole = (role: UserRecord["role"]): string[] =>
  role === "owner" ? [] : ["api.management.read"];

export const sessionPrincipal = (user: UserRecord, client: ClientInfo): AdminPrincipal => ({
  orgId: user.orgId,
  keyId: null,
  scopes: scopesForRole(user.role),
  instanceAdmin: false,
  userId: user.id,
  actor: {
    type: "session",
    session: { user: { id: user.id, email: user.email }, ipAddress: client.ip ?? "" },
    ipAddress: client.ip,
    userAgent: client.userAgent,
  },
});

export const sessionCtx = (deps: ConsoleDeps, user: UserRecord, client: ClientInfo): ServiceCtx => ({
  store: deps.store,
  verifier: deps.verifier,
  principal: sessionPrincipal(user, client),
  now: deps.now,
  secret: deps.secret,
});

export interface ActiveSession {
  session: SessionRecord;
  user: UserRecord;
  /** The cookie token (needed to derive the CSRF token). */
  token: string;
}
