import { AppError } from "../../domain/errors.js";
import type { ProjectRole } from "../../storage/records.js";
import type { Page, PageQuery, ProjectUserView } from "../../storage/store.js";
import { audit, loadProject, requireActive, requireRead, requireWrite, type ServiceCtx } from "../context.js";

interface Target {
  orgId: string;
  projectId: string;
  userId: string;
}

export const listProjectUsers = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { orgId: string; projectId: string; page: PageQuery };
}): Promise<Page<ProjectUserView>> => {
  requireRead(ctx);
  await loadProject(ctx.store, input.orgId, input.projectId);
  return ctx.store.projectUsers.list(input.projectId, input.page);
};

export const getProjectUser = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: Target;
}): Promise<ProjectUserView> => {
  requireRead(ctx);
  await loadProject(ctx.store, input.orgId, input.projectId);
  const m = await ctx.store.projectUsers.get(input.projectId, input.userId);
  if (!m)
    throw new AppError("not_found", { message: `No such project user: ${input.userId}`, param: "user_id" });
  return m;
};

/** Adds an existing organization member (by id or email) to a project. */
export const addProjectUser = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: {
    orgId: string;
    projectId: string;
    userId?: string | null;
    email?: string | null;
    role: ProjectRole;
  };
}): Promise<ProjectUserView> => {
  requireWrite(ctx);
  return ctx.store.transaction(async (tx) => {
    const project = await loadProject(tx, input.orgId, input.projectId);
    requireActive(project);
    const user = input.userId
      ? await tx.users.get(input.orgId, input.userId)
      : input.email
        ? await tx.users.getByEmail(input.orgId, input.email)
        : null;
    if (!input.userId && !input.email) {
      throw new AppError("invalid_request", { message: "Provide user_id or email.", param: "user_id" });
    }
    if (!user) {
      throw new AppError("invalid_request", {
        message: "The user must already be a member of the organization; invite them first.",
        param: input.userId ? "user_id" : "email",
      });
    }
    if (await tx.projectUsers.get(project.id, user.id)) {
      throw new AppError("invalid_request", {
        message: `User ${user.id} is already a member of this project.`,
        param: "user_id",
      });
    }
    await tx.projectUsers.upsert({
      projectId: project.id,
      userId: user.id,
      role: input.role,
      addedAt: ctx.now(),
    });
    await audit(ctx, tx, {
      orgId: input.orgId,
      type: "user.added",
      project,
      resourceId: user.id,
      details: { id: user.id, data: { role: input.role } },
    });
    const m = await tx.projectUsers.get(project.id, user.id);
    if (!m) throw new AppError("internal", { message: "project user vanished" });
    return m;
  });
};

export const updateProjectUser = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: Target & { role: ProjectRole };
}): Promise<ProjectUserView> => {
  requireWrite(ctx);
  return ctx.store.transaction(async (tx) => {
    const project = await loadProject(tx, input.orgId, input.projectId);
    requireActive(project);
    if (!(await tx.projectUsers.updateRole(project.id, input.userId, input.role))) {
      throw new AppError("not_found", { message: `No such project user: ${input.userId}`, param: "user_id" });
    }
    await audit(ctx, tx, {
      orgId: input.orgId,
      type: "user.updated",
      project,
      resourceId: input.userId,
      details: { id: input.userId, changes_requested: { role: input.role } },
    });
    const m = await tx.projectUsers.get(project.id, input.userId);
    if (!m) throw new AppError("internal", { message: "project user vanished" });
    return m;
  });
};

export const removeProjectUser = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: Target;
}): Promise<{ id: string }> => {
  requireWrite(ctx);
  await ctx.store.transaction(async (tx) => {
    const project = await loadProject(tx, input.orgId, input.projectId);
    requireActive(project);
    if (!(await tx.projectUsers.delete(project.id, input.userId))) {
      throw new AppError("not_found", { message: `No such project user: ${input.userId}`, param: "user_id" });
    }
    await audit(ctx, tx, {
      orgId: input.orgId,
      type: "user.deleted",
      project,
      resourceId: input.userId,
      details: { id: input.userId },
    });
  });
  return { id: input.userId };
};
