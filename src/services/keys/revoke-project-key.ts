import { AppError } from "../../domain/errors.js";
import { audit, loadProject, requireWrite, type ServiceCtx } from "../context.js";
import { loadProjectKey } from "./key-view.js";

export interface RevokeInput {
  orgId: string;
  projectId: string;
  keyId: string;
  /** OpenAI refuses to delete a service account's key through the api_keys path. */
  refuseServiceAccountKeys: boolean;
}

/** Revokes a key: its secrets are deleted in the transaction and it drops out of the cache at once. */
export const revokeProjectKey = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: RevokeInput;
}): Promise<{ id: string }> => {
  requireWrite(ctx);
  await ctx.store.transaction(async (tx) => {
    const project = await loadProject(tx, input.orgId, input.projectId);
    const key = await loadProjectKey(tx, input.orgId, input.projectId, input.keyId);
    if (input.refuseServiceAccountKeys && key.kind === "service_account") {
      throw new AppError("invalid_request", {
        message: `API key ${key.id} belongs to a service account; delete the service account instead.`,
        param: "api_key_id",
      });
    }
    await tx.apiKeys.update(input.orgId, key.id, { revokedAt: ctx.now() });
    await tx.apiKeys.deleteSecrets(key.id);
    await audit(ctx, tx, {
      orgId: input.orgId,
      type: "api_key.deleted",
      project,
      resourceId: key.id,
      details: { id: key.id },
    });
  });
  ctx.verifier.evictKey(input.keyId);
  return { id: input.keyId };
};
