import type { RateLimitRecord } from "../../storage/records.js";
import type { Page, PageQuery } from "../../storage/store.js";
import { loadProject, requireRead, type ServiceCtx } from "../context.js";
import { policyOf } from "./policy-of.js";

/** OpenAI's project rate limits: one record per configured model, created on first use. */
export const listRateLimits = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { orgId: string; projectId: string; page: PageQuery & { before?: string } };
}): Promise<Page<RateLimitRecord>> => {
  requireRead(ctx);
  const project = await loadProject(ctx.store, input.orgId, input.projectId);
  await policyOf(ctx).ensureRateLimits(ctx.store, project.id);
  return ctx.store.rateLimits.list(project.id, input.page);
};
