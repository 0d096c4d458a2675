import type { FastifyRequest } from "fastify";
import type { Config } from "../../config/schema.js";
import { nowSeconds } from "../../domain/ids.js";
import type { KeyVerifier } from "../../services/auth/key-verifier.js";
import type { ServiceCtx } from "../../services/context.js";
import type { ConsoleDeps } from "../../services/sessions/console-deps.js";
import { memoryThrottle } from "../../services/sessions/throttle.js";
import type { Store } from "../../storage/store.js";
import type { AdminDeps } from "../admin/auth.js";
import { registerInviteRoutes } from "../admin/invites-routes.js";
import type { RouteRegistrar } from "../app.js";
import { registerAuthRoutes } from "./auth-routes.js";
import { authenticateSession } from "./session-auth.js";
import { registerConsoleStatic } from "./static-routes.js";

export interface ConsoleWiring {
  /** For AdminDeps: lets every admin route accept a dashboard session. */
  sessionAuth: (req: FastifyRequest) => Promise<ServiceCtx | null>;
  /** Sign-in routes, invites, set-password links and the dashboard's static files. */
  registrars: (admin: AdminDeps) => RouteRegistrar[];
}

/** Everything the dashboard adds to the server, built once in the composition root. */
export const wireConsole = (
  config: Readonly<Config>,
  base: { store: Store; verifier: KeyVerifier; secret: string },
): ConsoleWiring => {
  const c = config.console;
  const consoleDeps: ConsoleDeps = {
    ...base,
    now: nowSeconds,
    policy: c,
    throttle: memoryThrottle({
      windowSeconds: c.signInWindowSeconds,
      maxFailuresPerEmail: c.signInMaxFailuresPerEmail,
      maxFailuresPerIp: c.signInMaxFailuresPerIp,
    }),
  };
  const sessionDeps = { console: consoleDeps, publicUrl: config.publicUrl };
  // Links in invites are built from the public URL when configured, else from the Host the caller used.
  const consoleUrl = (req: FastifyRequest): string =>
    config.publicUrl?.replace(/\/+$/, "") ??
    `${req.protocol}://${req.headers.host ?? `${config.host}:${config.port}`}`;
  return {
    sessionAuth: authenticateSession(sessionDeps),
    registrars: (admin) => [
      (a) => registerAuthRoutes(a, sessionDeps),
      (a) =>
        registerInviteRoutes(a, admin, {
          inviteTtlSeconds: c.inviteTtlSeconds,
          passwordLinkTtlSeconds: c.passwordLinkTtlSeconds,
          consoleUrl,
        }),
      (a) => registerConsoleStatic(a),
    ],
  };
};
