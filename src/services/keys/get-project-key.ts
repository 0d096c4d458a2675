import { loadProject, requireRead, type ServiceCtx } from "../context.js";
import { type KeyView, loadProjectKey, viewKey } from "./key-view.js";

export const getProjectKey = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { orgId: string; projectId: string; keyId: string };
}): Promise<KeyView> => {
  requireRead(ctx);
  await loadProject(ctx.store, input.orgId, input.projectId);
  return viewKey(ctx.store, await loadProjectKey(ctx.store, input.orgId, input.projectId, input.keyId));
};
