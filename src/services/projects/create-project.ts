import { newId } from "../../domain/ids.js";
import type { ProjectRecord } from "../../storage/records.js";
import { audit, requireWrite, type ServiceCtx } from "../context.js";

export interface CreateProjectInput {
  orgId: string;
  name: string;
  externalKeyId?: string | null;
  residency?: string | null;
}

export const createProject = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: CreateProjectInput;
}): Promise<ProjectRecord> => {
  requireWrite(ctx);
  return ctx.store.transaction(async (tx) => {
    const project: ProjectRecord = {
      id: newId.project(),
      orgId: input.orgId,
      name: input.name,
      status: "active",
      createdAt: ctx.now(),
      archivedAt: null,
      externalKeyId: input.externalKeyId ?? null,
      residency: input.residency ?? null,
      modelMode: null,
      modelIds: [],
    };
    await tx.projects.insert(project);
    // The creator's user becomes project owner, as in OpenAI's dashboard.
    if (ctx.principal.userId && (await tx.users.get(input.orgId, ctx.principal.userId))) {
      await tx.projectUsers.upsert({
        projectId: project.id,
        userId: ctx.principal.userId,
        role: "owner",
        addedAt: project.createdAt,
      });
    }
    await audit(ctx, tx, {
      orgId: input.orgId,
      type: "project.created",
      project,
      resourceId: project.id,
      details: { id: project.id, data: { name: project.name, title: project.name } },
    });
    return project;
  });
};
