import { AppError } from "../../domain/errors.js";
import type { ProjectRecord } from "../../storage/records.js";
import type { ProjectPatch } from "../../storage/store.js";
import { audit, loadProject, requireActive, requireWrite, type ServiceCtx } from "../context.js";

export interface UpdateProjectInput {
  orgId: string;
  projectId: string;
  name?: string | null;
  externalKeyId?: string | null;
}

export const updateProject = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: UpdateProjectInput;
}): Promise<ProjectRecord> => {
  requireWrite(ctx);
  return ctx.store.transaction(async (tx) => {
    const project = await loadProject(tx, input.orgId, input.projectId);
    requireActive(project);
    const patch: ProjectPatch = {};
    if (input.name !== undefined && input.name !== null) patch.name = input.name;
    if (input.externalKeyId !== undefined) patch.externalKeyId = input.externalKeyId;
    const updated = (await tx.projects.update(input.orgId, project.id, patch)) ?? project;
    await audit(ctx, tx, {
      orgId: input.orgId,
      type: "project.updated",
      project: updated,
      resourceId: project.id,
      details: { id: project.id, changes_requested: { title: patch.name, name: patch.name } },
    });
    return updated;
  });
};

/** Archiving cannot be undone (as at OpenAI); every key of the project stops at once. */
export const archiveProject = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { orgId: string; projectId: string };
}): Promise<ProjectRecord> => {
  requireWrite(ctx);
  const archived = await ctx.store.transaction(async (tx) => {
    const project = await loadProject(tx, input.orgId, input.projectId);
    if (project.status === "archived") return project;
    const updated = await tx.projects.update(input.orgId, project.id, {
      status: "archived",
      archivedAt: ctx.now(),
    });
    if (!updated)
      throw new AppError("not_found", { message: `No such project: ${project.id}`, param: "project_id" });
    await audit(ctx, tx, {
      orgId: input.orgId,
      type: "project.archived",
      project: updated,
      resourceId: project.id,
      details: { id: project.id },
    });
    return updated;
  });
  ctx.verifier.evictProject(input.projectId);
  return archived;
};
