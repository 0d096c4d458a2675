import type { Page, PageQuery } from "../../storage/store.js";
import { loadProject, requireRead, type ServiceCtx } from "../context.js";
import { type KeyView, viewKeys } from "./key-view.js";

export const listProjectKeys = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { orgId: string; projectId: string; page: PageQuery };
}): Promise<Page<KeyView>> => {
  requireRead(ctx);
  await loadProject(ctx.store, input.orgId, input.projectId);
  const page = await ctx.store.apiKeys.list(input.orgId, input.projectId, input.page);
  return { data: await viewKeys(ctx.store, page.data), hasMore: page.hasMore };
};
