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
  limits?: LimitsPolicy;
}

const header = (req: FastifyRequest, name: string): string | null => {
  const v = req.headers[name];
  return typeof v === "string" ? v : null;
};

/** Admin routes accept only sk-admin- keys; project keys get OpenAI's 401 "Missing scopes". */
export const authenticateAdmin =
  (deps: AdminDeps) =>
  async (req: FastifyRequest): Promise<ServiceCtx> => {
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
    // Checked before the body is validated so a read-only key learns nothing from a write's schema.
    // Services check again: the dashboard calls them with session principals.
    requireScope(ctx, req.method === "GET" ? SCOPES.managementRead : SCOPES.managementWrite);
    return ctx;
  };
