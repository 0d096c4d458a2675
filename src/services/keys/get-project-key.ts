import { loadProject, requireRead, type ServiceCtx } from "../context.js";
import { withPeriodUsage } from "../usage/key-period-usage.js";
import { type KeyView, loadProjectKey, viewKey } from "./key-view.js";

export const getProjectKey = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { orgId: string; projectId: string; keyId: string; withUsage?: boolean };
}): Promise<KeyView> => {
  requireRead(ctx);
  await loadProject(ctx.store, input.orgId, input.projectId);
  const view = await viewKey(
    ctx.store,
    await loadProjectKey(ctx.store, input.orgId, input.projectId, input.keyId),
  );
  if (!input.withUsage) return view;
  const [withUsage] = await withPeriodUsage(ctx.store, input.orgId, [view], ctx.now());
  return withUsage ?? view;
};
