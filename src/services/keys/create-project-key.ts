import { AppError } from "../../domain/errors.js";
import { newId } from "../../domain/ids.js";
import type { ApiKeyRecord, KeyLimits } from "../../storage/records.js";
import { audit, loadProject, requireActive, requireWrite, type ServiceCtx } from "../context.js";
import { checkKeyLimits } from "../limits/check-key-limits.js";
import { type KeyView, viewKey } from "./key-view.js";
import { mintKey } from "./mint.js";

export interface CreateProjectKeyInput {
  orgId: string;
  projectId: string;
  name: string;
  /** Owner: a user (default: the caller's user) or a service account of the project. */
  ownerUserId?: string | null;
  serviceAccountId?: string | null;
  scopes: string[];
  models: string[] | null;
  limits: KeyLimits | null;
  budgetMicros: number | null;
  expiresInSeconds: number | null;
}

/** Creates a project key and returns its secret once. Extension: OpenAI only mints keys in its UI. */
export const createProjectKey = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: CreateProjectKeyInput;
}): Promise<KeyView> => {
  requireWrite(ctx);
  return ctx.store.transaction(async (tx) => {
    const project = await loadProject(tx, input.orgId, input.projectId);
    requireActive(project);
    await checkKeyLimits(ctx, tx, { ...input, projectId: project.id });
    let ownerUserId: string | null = null;
    let saId: string | null = null;
    if (input.serviceAccountId) {
      const sa = await tx.serviceAccounts.get(project.id, input.serviceAccountId);
      if (!sa)
        throw new AppError("not_found", {
          message: `No such service account: ${input.serviceAccountId}`,
          param: "service_account_id",
        });
      saId = sa.id;
    } else {
      ownerUserId = input.ownerUserId ?? ctx.principal.userId;
      if (!ownerUserId)
        throw new AppError("invalid_request", {
          message: "owner_user_id is required for this caller.",
          param: "owner_user_id",
        });
      const user = await tx.users.get(input.orgId, ownerUserId);
      if (!user)
        throw new AppError("not_found", { message: `No such user: ${ownerUserId}`, param: "owner_user_id" });
      // OpenAI keys belong to project members; an org owner creating a key joins the project as owner.
      if (!(await tx.projectUsers.get(project.id, user.id))) {
        if (user.role !== "owner") {
          throw new AppError("invalid_request", {
            message: `User ${user.id} is not a member of project ${project.id}.`,
            param: "owner_user_id",
          });
        }
        await tx.projectUsers.upsert({
          projectId: project.id,
          userId: user.id,
          role: "owner",
          addedAt: ctx.now(),
        });
      }
    }
    const minted = mintKey(saId ? "service_account" : "project", ctx.secret);
    const now = ctx.now();
    const key: ApiKeyRecord = {
      id: newId.apiKey(),
      orgId: input.orgId,
      projectId: project.id,
      kind: saId ? "service_account" : "project",
      name: input.name,
      redactedValue: minted.redacted,
      ownerUserId,
      ownerServiceAccountId: saId,
      scopes: input.scopes,
      models: input.models,
      limits: input.limits,
      budgetMicros: input.budgetMicros,
      instanceAdmin: false,
      createdAt: now,
      lastUsedAt: null,
      expiresAt: input.expiresInSeconds ? now + input.expiresInSeconds : null,
      revokedAt: null,
    };
    await tx.apiKeys.insert(key, { digest: minted.digest, keyId: key.id, createdAt: now, expiresAt: null });
    await audit(ctx, tx, {
      orgId: input.orgId,
      type: "api_key.created",
      project,
      resourceId: key.id,
      details: {
        id: key.id,
        data: { scopes: key.scopes, name: key.name, models: key.models, expires_at: key.expiresAt },
      },
    });
    const view = await viewKey(tx, key);
    return { ...view, value: minted.value };
  });
};
