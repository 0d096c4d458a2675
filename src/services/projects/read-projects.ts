import type { ProjectRecord } from "../../storage/records.js";
import type { Page, PageQuery } from "../../storage/store.js";
import { loadProject, requireRead, type ServiceCtx } from "../context.js";

export const listProjects = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { orgId: string; page: PageQuery; includeArchived: boolean };
}): Promise<Page<ProjectRecord>> => {
  requireRead(ctx);
  return ctx.store.projects.list(input.orgId, { ...input.page, includeArchived: input.includeArchived });
};

export const getProject = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { orgId: string; projectId: string };
}): Promise<ProjectRecord> => {
  requireRead(ctx);
  return loadProject(ctx.store, input.orgId, input.projectId);
};
