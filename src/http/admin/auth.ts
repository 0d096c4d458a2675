import type { FastifyRequest } from "fastify";
import { missingScope } from "../../domain/errors.js";
import { nowSeconds } from "../../domain/ids.js";
import { SCOPES } from "../../domain/scopes.js";
import type { KeyVerifier } from "../../services/auth/key-verifier.js";
import { type AdminPrincipal, requireScope, type ServiceCtx } from "../../services/context.js";
import type { LimitsPolicy } from "../../services/limits/limits-policy.js";
import type { Store } from "../../storage/store.js";

export interface AdminDeps {
  store: Store;
  verifier: KeyVerifier;
  secret: string;
  /** Dashboard sessions: a session cookie → the signed-in user's context; null = no cookie. */
  sessionAuth?: (req: FastifyRequest) => Promise<ServiceCtx | null>;
  limits?: LimitsPolicy;
}

const header = (req: FastifyRequest, name: string): string | null => {
  const v = req.headers[name];
  return typeof v === "string" ? v : null;
};

/**
 * Checked before the body is validated so a read-only caller learns nothing from a write's schema.
 * The services check again (they are the authority; this is only the early answer).
 */
const checkedEarly = (ctx: ServiceCtx, req: FastifyRequest): ServiceCtx => {
  requireScope(ctx, req.method === "GET" ? SCOPES.managementRead : SCOPES.managementWrite);
  return ctx;
};

/**
 * Admin routes accept sk-admin- keys (project keys get OpenAI's 401 "Missing scopes") and, without
 * an Authorization header, a dashboard session cookie: the console calls these same routes.
 */
export const authenticateAdmin =
  (deps: AdminDeps) =>
  async (req: FastifyRequest): Promise<ServiceCtx> => {
    if (req.headers.authorization === undefined && deps.sessionAuth) {
      const ctx = await deps.sessionAuth(req);
      if (ctx) return checkedEarly({ ...ctx, ...(deps.limits ? { limits: deps.limits } : {}) }, req);
    }
    const r = await deps.verifier.verify(req.headers.authorization);
    if (!r.ok) throw r.error;
    const { key, kind } = r.value;
    if (kind !== "admin")
      throw missingScope(req.method === "GET" ? "api.management.read" : "api.management.write");
    const principal: AdminPrincipal = {
      orgId: key.orgId,
      keyId: key.id,
      scopes: key.scopes,
      instanceAdmin: key.instanceAdmin,
      userId: key.ownerUserId,
      actor: {
        type: "api_key",
        apiKey: { id: key.id, type: "admin" },
        ipAddress: req.ip ?? null,
        userAgent: header(req, "user-agent"),
      },
    };
    const ctx: ServiceCtx = {
      store: deps.store,
      verifier: deps.verifier,
      principal,
      now: nowSeconds,
      secret: deps.secret,
      ...(deps.limits ? { limits: deps.limits } : {}),
    };
    return checkedEarly(ctx, req);
  };
