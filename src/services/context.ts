import { AppError, missingScope } from "../domain/errors.js";
import { newId } from "../domain/ids.js";
import { grants, type RequiredScope, SCOPES } from "../domain/scopes.js";
import type { AuditActor, ProjectRecord } from "../storage/records.js";
import type { Store, StoreRepos } from "../storage/store.js";
import type { KeyVerifier } from "./auth/key-verifier.js";
import type { LimitsPolicy } from "./limits/limits-policy.js";

/** Who is calling the admin API: an admin key (or, for the dashboard, a signed-in user). */
export interface AdminPrincipal {
  orgId: string;
  /** Admin key id, or null for a dashboard session. */
  keyId: string | null;
  scopes: readonly string[];
  instanceAdmin: boolean;
  userId: string | null;
  actor: AuditActor;
}

export interface ServiceCtx {
  store: Store;
  verifier: KeyVerifier;
  principal: AdminPrincipal;
  /** Unix seconds. */
  now: () => number;
  /** HMAC secret for key digests. */
  secret: string;
  /** Rate-limit and budget policy (org defaults, caches to invalidate); absent in bare contexts. */
  limits?: LimitsPolicy;
}

export const requireScope = (ctx: ServiceCtx, scope: RequiredScope): void => {
  if (!grants(ctx.principal.scopes, scope)) throw missingScope(scope.name);
};
export const requireRead = (ctx: ServiceCtx): void => requireScope(ctx, SCOPES.managementRead);
export const requireWrite = (ctx: ServiceCtx): void => requireScope(ctx, SCOPES.managementWrite);

/** Finds a project of the caller's org; a project of another org is indistinguishable from a missing one. */
export const loadProject = async (
  repos: StoreRepos,
  orgId: string,
  projectId: string,
): Promise<ProjectRecord> => {
  const p = await repos.projects.get(orgId, projectId);
  if (!p) throw new AppError("not_found", { message: `No such project: ${projectId}`, param: "project_id" });
  return p;
};

export const requireActive = (p: ProjectRecord): void => {
  if (p.status !== "active") {
    throw new AppError("invalid_request", {
      message: `Project ${p.id} is archived and cannot be modified.`,
      param: "project_id",
    });
  }
};

export interface AuditInput {
  orgId: string;
  type: string;
  project?: ProjectRecord | null;
  resourceId: string | null;
  details: Record<string, unknown>;
}

/** Writes the audit event in the caller's transaction. Callers pass details with secrets stripped. */
export const audit = async (ctx: ServiceCtx, tx: StoreRepos, e: AuditInput): Promise<void> => {
  await tx.audit.insert({
    id: newId.auditLog(),
    orgId: e.orgId,
    projectId: e.project?.id ?? null,
    projectName: e.project?.name ?? null,
    type: e.type,
    effectiveAt: ctx.now(),
    actor: ctx.principal.actor,
    resourceId: e.resourceId,
    details: e.details,
  });
};
