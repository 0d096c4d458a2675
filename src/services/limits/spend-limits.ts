import { AppError } from "../../domain/errors.js";
import type { SpendInterval, SpendLimitRecord } from "../../storage/records.js";
import type { StoreRepos } from "../../storage/store.js";
import { audit, loadProject, requireActive, requireRead, requireWrite, type ServiceCtx } from "../context.js";
import { policyOf } from "./policy-of.js";
import { intervalWire, sameInterval } from "./spend-interval.js";

/** `projectId` null = the organization's own hard limit. */
export interface SpendScopeInput {
  orgId: string;
  projectId: string | null;
}

const missing = (s: SpendScopeInput): AppError =>
  new AppError("not_found", {
    message: s.projectId
      ? `No hard spend limit is set for project ${s.projectId}.`
      : "No hard spend limit is set for this organization.",
    param: null,
  });

const scopeProject = async (repos: StoreRepos, s: SpendScopeInput) =>
  s.projectId === null ? null : loadProject(repos, s.orgId, s.projectId);

export const getSpendLimit = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: SpendScopeInput;
}): Promise<SpendLimitRecord> => {
  requireRead(ctx);
  await scopeProject(ctx.store, input);
  const l = await ctx.store.spendLimits.get(input.orgId, input.projectId);
  if (!l) throw missing(input);
  return l;
};

/**
 * Creates or replaces a hard limit. A project's limit may not exceed its organization's limit
 * over the same interval (with different intervals the two are not comparable and both apply).
 */
export const setSpendLimit = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: SpendScopeInput & { thresholdMicros: number; interval: SpendInterval };
}): Promise<SpendLimitRecord> => {
  requireWrite(ctx);
  policyOf(ctx);
  const saved = await ctx.store.transaction(async (tx) => {
    const project = await scopeProject(tx, input);
    if (project) {
      requireActive(project);
      const above = await tx.spendLimits.get(input.orgId, null);
      if (
        above &&
        sameInterval(above.interval, input.interval) &&
        input.thresholdMicros > above.thresholdMicros
      )
        throw new AppError("invalid_request", {
          message: `threshold_amount exceeds the organization's hard spend limit (${above.thresholdMicros / 10_000} cents). A project limit may only narrow the organization's.`,
          param: "threshold_amount",
        });
    }
    const now = ctx.now();
    const l = await tx.spendLimits.upsert({
      orgId: input.orgId,
      projectId: input.projectId,
      thresholdMicros: input.thresholdMicros,
      interval: input.interval,
      createdAt: now,
      updatedAt: now,
    });
    await audit(ctx, tx, {
      orgId: input.orgId,
      type: "spend_limit.updated",
      project,
      resourceId: input.projectId ?? input.orgId,
      details: {
        id: input.projectId ?? input.orgId,
        changes_requested: {
          threshold_amount: input.thresholdMicros / 10_000,
          currency: "USD",
          ...intervalWire(input.interval),
        },
      },
    });
    return l;
  });
  invalidate(ctx, input);
  return saved;
};

export const deleteSpendLimit = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: SpendScopeInput;
}): Promise<void> => {
  requireWrite(ctx);
  policyOf(ctx);
  await ctx.store.transaction(async (tx) => {
    const project = await scopeProject(tx, input);
    if (project) requireActive(project);
    if (!(await tx.spendLimits.delete(input.orgId, input.projectId))) throw missing(input);
    await audit(ctx, tx, {
      orgId: input.orgId,
      type: "spend_limit.deleted",
      project,
      resourceId: input.projectId ?? input.orgId,
      details: { id: input.projectId ?? input.orgId },
    });
  });
  invalidate(ctx, input);
};

export const invalidate = (ctx: ServiceCtx, s: SpendScopeInput): void => {
  const policy = policyOf(ctx);
  if (s.projectId === null) policy.invalidateOrg(s.orgId);
  else policy.invalidateProject(s.projectId);
};
