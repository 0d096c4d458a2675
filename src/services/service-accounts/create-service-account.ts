import { newId } from "../../domain/ids.js";
import type { ServiceAccountRecord } from "../../storage/records.js";
import { audit, loadProject, requireActive, requireWrite, type ServiceCtx } from "../context.js";
import { createProjectKey } from "../keys/create-project-key.js";
import type { KeyView } from "../keys/key-view.js";

/** Creates a service account and, unless asked not to, its first key (returned once). */
export const createServiceAccount = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { orgId: string; projectId: string; name: string; withoutKey: boolean };
}): Promise<{ sa: ServiceAccountRecord; key: KeyView | null }> => {
  requireWrite(ctx);
  const sa = await ctx.store.transaction(async (tx) => {
    const project = await loadProject(tx, input.orgId, input.projectId);
    requireActive(project);
    const rec: ServiceAccountRecord = {
      id: newId.serviceAccount(),
      orgId: input.orgId,
      projectId: project.id,
      name: input.name,
      role: input.withoutKey ? "none" : "member",
      createdAt: ctx.now(),
    };
    await tx.serviceAccounts.insert(rec);
    await audit(ctx, tx, {
      orgId: input.orgId,
      type: "service_account.created",
      project,
      resourceId: rec.id,
      details: { id: rec.id, data: { role: rec.role } },
    });
    return rec;
  });
  if (input.withoutKey) return { sa, key: null };
  const key = await createProjectKey({
    ctx,
    input: {
      orgId: input.orgId,
      projectId: input.projectId,
      name: "Secret Key",
      serviceAccountId: sa.id,
      scopes: [],
      models: null,
      limits: null,
      budgetMicros: null,
      expiresInSeconds: null,
    },
  });
  return { sa, key };
};
