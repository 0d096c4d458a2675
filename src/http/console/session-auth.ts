import type { FastifyRequest } from "fastify";
import { AppError } from "../../domain/errors.js";
import { digestsEqual } from "../../domain/keys.js";
import type { ServiceCtx } from "../../services/context.js";
import type { ClientInfo, ConsoleDeps } from "../../services/sessions/console-deps.js";
import { type ActiveSession, sessionCtx } from "../../services/sessions/principal.js";
import { resolveSession } from "../../services/sessions/session.js";
import { csrfTokenFor } from "../../services/sessions/tokens.js";
import { CSRF_HEADER, readCookie, SESSION_COOKIE } from "./cookies.js";
import { assertSameOrigin, csrfRefused, isUnsafeMethod } from "./origin.js";

export interface SessionAuthDeps {
  console: ConsoleDeps;
  publicUrl: string | undefined;
}

export const clientOf = (req: FastifyRequest): ClientInfo => {
  const ua = req.headers["user-agent"];
  return { ip: req.ip ?? null, userAgent: typeof ua === "string" ? ua : null };
};

export const sessionEnded = (): AppError =>
  new AppError("invalid_api_key", {
    message: "Your session has ended. Sign in again.",
    wireCode: "session_expired",
  });

/**
 * Cookie → live session, or null when the request carries no session cookie. Every state-changing
 * request must also carry the session's CSRF token in X-CSRF-Token and come from this origin.
 */
export const readSession = async (
  deps: SessionAuthDeps,
  req: FastifyRequest,
): Promise<ActiveSession | null> => {
  const token = readCookie(req, SESSION_COOKIE);
  if (!token) return null;
  const active = await resolveSession(deps.console, token);
  if (!active) throw sessionEnded();
  if (isUnsafeMethod(req.method)) {
    assertSameOrigin(req, deps.publicUrl);
    const sent = req.headers[CSRF_HEADER];
    const expected = csrfTokenFor(deps.console.secret, token);
    if (typeof sent !== "string" || !digestsEqual(sent, expected))
      throw csrfRefused("Missing or wrong CSRF token; reload the page and try again.");
  }
  return active;
};

/** For the admin routes: a session acts with its user's organization role (see sessionPrincipal). */
export const authenticateSession =
  (deps: SessionAuthDeps) =>
  async (req: FastifyRequest): Promise<ServiceCtx | null> => {
    const active = await readSession(deps, req);
    return active ? sessionCtx(deps.console, active.user, clientOf(req)) : null;
  };
