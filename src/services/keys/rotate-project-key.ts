import { audit, loadProject, requireActive, requireWrite, type ServiceCtx } from "../context.js";
import { type KeyView, loadProjectKey, viewKey } from "./key-view.js";
import { mintKey } from "./mint.js";

/** Seven days: long enough to roll a secret through any deploy pipeline. */
export const MAX_GRACE_SECONDS = 7 * 24 * 3600;

/**
 * Issues a new secret for the same key id. Old secrets keep working for `graceSeconds`
 * (0 = they stop now). Extension: OpenAI has no rotation endpoint.
 */
export const rotateProjectKey = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { orgId: string; projectId: string; keyId: string; graceSeconds: number };
}): Promise<KeyView> => {
  requireWrite(ctx);
  const view = await ctx.store.transaction(async (tx) => {
    const project = await loadProject(tx, input.orgId, input.projectId);
    requireActive(project);
    const key = await loadProjectKey(tx, input.orgId, input.projectId, input.keyId);
    const now = ctx.now();
    await tx.apiKeys.expireSecrets(key.id, now + input.graceSeconds);
    const minted = mintKey(key.kind === "service_account" ? "service_account" : "project", ctx.secret);
    await tx.apiKeys.addSecret({ digest: minted.digest, keyId: key.id, createdAt: now, expiresAt: null });
    const updated = (await tx.apiKeys.update(input.orgId, key.id, { redactedValue: minted.redacted })) ?? key;
    await audit(ctx, tx, {
      orgId: input.orgId,
      type: "api_key.updated",
      project,
      resourceId: key.id,
      details: { id: key.id, changes_requested: { rotated: true, grace_period_seconds: input.graceSeconds } },
    });
    return { ...(await viewKey(tx, updated)), value: minted.value };
  });
  ctx.verifier.evictKey(input.keyId);
  return view;
};
