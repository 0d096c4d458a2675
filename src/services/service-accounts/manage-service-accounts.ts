import { AppError } from "../../domain/errors.js";
import type { ServiceAccountRecord } from "../../storage/records.js";
import type { Page, PageQuery, StoreRepos } from "../../storage/store.js";
import { audit, loadProject, requireActive, requireRead, requireWrite, type ServiceCtx } from "../context.js";

interface Target {
  orgId: string;
  projectId: string;
  serviceAccountId: string;
}

const loadSa = async (repos: StoreRepos, projectId: string, id: string): Promise<ServiceAccountRecord> => {
  const sa = await repos.serviceAccounts.get(projectId, id);
  if (!sa)
    throw new AppError("not_found", {
      message: `No such service account: ${id}`,
      param: "service_account_id",
    });
  return sa;
};

export const listServiceAccounts = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { orgId: string; projectId: string; page: PageQuery };
}): Promise<Page<ServiceAccountRecord>> => {
  requireRead(ctx);
  await loadProject(ctx.store, input.orgId, input.projectId);
  return ctx.store.serviceAccounts.list(input.projectId, input.page);
};

export const getServiceAccount = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: Target;
}): Promise<ServiceAccountRecord> => {
  requireRead(ctx);
  await loadProject(ctx.store, input.orgId, input.projectId);
  return loadSa(ctx.store, input.projectId, input.serviceAccountId);
};

export const updateServiceAccount = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: Target & { name?: string; role?: "owner" | "member" };
}): Promise<ServiceAccountRecord> => {
  requireWrite(ctx);
  return ctx.store.transaction(async (tx) => {
    const project = await loadProject(tx, input.orgId, input.projectId);
    requireActive(project);
    const sa = await loadSa(tx, input.projectId, input.serviceAccountId);
    const patch: { name?: string; role?: "owner" | "member" } = {};
    if (input.name !== undefined) patch.name = input.name;
    if (input.role !== undefined) patch.role = input.role;
    const updated = (await tx.serviceAccounts.update(project.id, sa.id, patch)) ?? sa;
    await audit(ctx, tx, {
      orgId: input.orgId,
      type: "service_account.updated",
      project,
      resourceId: sa.id,
      details: { id: sa.id, changes_requested: patch },
    });
    return updated;
  });
};

/** Deleting a service account revokes every key it owns, in the same transaction. */
export const deleteServiceAccount = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: Target;
}): Promise<{ id: string }> => {
  requireWrite(ctx);
  const revoked = await ctx.store.transaction(async (tx) => {
    const project = await loadProject(tx, input.orgId, input.projectId);
    requireActive(project);
    const sa = await loadSa(tx, input.projectId, input.serviceAccountId);
    const keyIds: string[] = [];
    // Revoked keys drop out of the list, so re-reading the first page walks them all.
    for (;;) {
      const page = await tx.apiKeys.list(input.orgId, project.id, { limit: 100, serviceAccountId: sa.id });
      for (const k of page.data) {
        await tx.apiKeys.update(input.orgId, k.id, { revokedAt: ctx.now() });
        await tx.apiKeys.deleteSecrets(k.id);
        keyIds.push(k.id);
      }
      if (!page.hasMore) break;
    }
    await tx.serviceAccounts.delete(project.id, sa.id);
    await audit(ctx, tx, {
      orgId: input.orgId,
      type: "service_account.deleted",
      project,
      resourceId: sa.id,
      details: { id: sa.id },
    });
    return keyIds;
  });
  for (const id of revoked) ctx.verifier.evictKey(id);
  return { id: input.serviceAccountId };
};
