import type { Page, PageQuery } from "../../storage/store.js";
import { loadProject, requireRead, type ServiceCtx } from "../context.js";
import { withPeriodUsage } from "../usage/key-period-usage.js";
import { type KeyView, viewKeys } from "./key-view.js";

export const listProjectKeys = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { orgId: string; projectId: string; page: PageQuery; withUsage?: boolean };
}): Promise<Page<KeyView>> => {
  requireRead(ctx);
  await loadProject(ctx.store, input.orgId, input.projectId);
  const page = await ctx.store.apiKeys.list(input.orgId, input.projectId, input.page);
  const views = await viewKeys(ctx.store, page.data);
  return {
    data: input.withUsage ? await withPeriodUsage(ctx.store, input.orgId, views, ctx.now()) : views,
    hasMore: page.hasMore,
  };
};
