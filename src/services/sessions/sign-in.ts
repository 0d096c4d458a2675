import type { UserRecord } from "../../storage/records.js";
import { audit } from "../context.js";
import type { ClientInfo, ConsoleDeps } from "./console-deps.js";
import { burnVerification, verifyPassword } from "./passwords.js";
import { type ActiveSession, sessionCtx } from "./principal.js";
import { startSession } from "./session.js";
import { normalizeEmail } from "./tokens.js";

export type SignInResult =
  | { ok: true; active: ActiveSession }
  | { ok: false; reason: "invalid_credentials" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/**
 * Email + password. The same email may be a user in several organizations; the session opens the
 * first whose password matches and the org switcher offers the others that match. Failures are counted
 * per email and per client address before any hash is checked.
 */
export const signIn = async ({
  deps,
  input,
}: {
  deps: ConsoleDeps;
  input: { email: string; password: string; client: ClientInfo };
}): Promise<SignInResult> => {
  const email = normalizeEmail(input.email);
  const ip = input.client.ip ?? "unknown";
  const now = deps.now();
  const gate = deps.throttle.check(email, ip, now);
  if (!gate.allowed) return { ok: false, reason: "throttled", retryAfterSeconds: gate.retryAfterSeconds };

  const candidates = (await deps.store.users.listByEmail(email)).filter(
    (u): u is UserRecord & { passwordHash: string } => u.passwordHash !== null,
  );
  // Every candidate is checked, so the session can switch to each organization this password opens.
  const matched: UserRecord[] = [];
  if (candidates.length === 0) await burnVerification(input.password);
  for (const u of candidates) if (await verifyPassword(u.passwordHash, input.password)) matched.push(u);
  const user = matched[0];
  if (!user) {
    deps.throttle.fail(email, ip, now);
    const first = candidates[0];
    if (first) {
      await deps.store.transaction((tx) =>
        audit(sessionCtx(deps, first, input.client), tx, {
          orgId: first.orgId,
          type: "login.failed",
          resourceId: first.id,
          details: { error_code: "invalid_credentials", error_message: "Incorrect email or password." },
        }),
      );
    }
    return { ok: false, reason: "invalid_credentials" };
  }
  deps.throttle.succeed(email);
  const active = await deps.store.transaction(async (tx) => {
    const a = await startSession(
      deps,
      tx,
      user,
      input.client,
      matched.map((u) => u.id),
    );
    await audit(sessionCtx(deps, user, input.client), tx, {
      orgId: user.orgId,
      type: "login.succeeded",
      resourceId: user.id,
      details: {},
    });
    return a;
  });
  return { ok: true, active };
};
