import { AppError } from "../../domain/errors.js";
import type { KeyLimits } from "../../storage/records.js";
import type { ApiKeyPatch } from "../../storage/store.js";
import { audit, loadProject, requireActive, requireWrite, type ServiceCtx } from "../context.js";
import { checkKeyLimits } from "../limits/check-key-limits.js";
import { type KeyView, loadProjectKey, viewKey } from "./key-view.js";

export interface UpdateProjectKeyInput {
  orgId: string;
  projectId: string;
  keyId: string;
  name?: string;
  scopes?: string[];
  /** null = no expiry; a number = expires that many seconds from now. */
  expiresInSeconds?: number | null;
  models?: string[] | null;
  limits?: KeyLimits | null;
  budgetMicros?: number | null;
}

/** OpenAI's key update (scopes, expires_in_seconds) plus our name, models, limits and budget. */
export const updateProjectKey = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: UpdateProjectKeyInput;
}): Promise<KeyView> => {
  requireWrite(ctx);
  const view = await ctx.store.transaction(async (tx) => {
    const project = await loadProject(tx, input.orgId, input.projectId);
    requireActive(project);
    const key = await loadProjectKey(tx, input.orgId, input.projectId, input.keyId);
    const patch: ApiKeyPatch = {};
    if (input.name !== undefined) patch.name = input.name;
    if (input.scopes !== undefined) patch.scopes = input.scopes;
    if (input.models !== undefined) patch.models = input.models;
    if (input.limits !== undefined) patch.limits = input.limits;
    if (input.budgetMicros !== undefined) patch.budgetMicros = input.budgetMicros;
    if (input.expiresInSeconds !== undefined) {
      patch.expiresAt = input.expiresInSeconds === null ? null : ctx.now() + input.expiresInSeconds;
    }
    if (Object.keys(patch).length === 0) {
      throw new AppError("invalid_request", {
        message: "Nothing to update: send at least one field.",
        param: null,
      });
    }
    if (patch.limits !== undefined || patch.budgetMicros !== undefined)
      await checkKeyLimits(ctx, tx, {
        orgId: input.orgId,
        projectId: project.id,
        limits: patch.limits !== undefined ? patch.limits : null,
        budgetMicros: patch.budgetMicros !== undefined ? patch.budgetMicros : null,
      });
    const updated = await tx.apiKeys.update(input.orgId, key.id, patch);
    if (!updated)
      throw new AppError("not_found", { message: `No such API key: ${key.id}`, param: "api_key_id" });
    await audit(ctx, tx, {
      orgId: input.orgId,
      type: "api_key.updated",
      project,
      resourceId: key.id,
      details: { id: key.id, changes_requested: changesOf(patch) },
    });
    return viewKey(tx, updated);
  });
  ctx.verifier.evictKey(input.keyId);
  return view;
};

const changesOf = (p: ApiKeyPatch): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  if (p.name !== undefined) out.name = p.name;
  if (p.scopes !== undefined) out.scopes = p.scopes;
  if (p.models !== undefined) out.models = p.models;
  if (p.limits !== undefined) out.limits = p.limits;
  if (p.budgetMicros !== undefined) out.budget_micros = p.budgetMicros;
  if (p.expiresAt !== undefined) out.expires_at = p.expiresAt;
  return out;
};
