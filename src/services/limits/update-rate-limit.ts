import { AppError } from "../../domain/errors.js";
import { checkProjectNarrowing } from "../../domain/limit-policy.js";
import type { RateLimitRecord } from "../../storage/records.js";
import type { RateLimitPatch } from "../../storage/store.js";
import { audit, loadProject, requireActive, requireWrite, type ServiceCtx } from "../context.js";
import { policyOf } from "./policy-of.js";

export interface UpdateRateLimitInput {
  orgId: string;
  projectId: string;
  rateLimitId: string;
  patch: RateLimitPatch;
}

const WIRE: Record<keyof RateLimitPatch, string> = {
  maxRequestsPer1Minute: "max_requests_per_1_minute",
  maxTokensPer1Minute: "max_tokens_per_1_minute",
  maxRequestsPer1Day: "max_requests_per_1_day",
  maxImagesPer1Minute: "max_images_per_1_minute",
  maxAudioMegabytesPer1Minute: "max_audio_megabytes_per_1_minute",
  batch1DayMaxInputTokens: "batch_1_day_max_input_tokens",
};

/**
 * Changes a project's limits for one model. The new values may only narrow the organization's
 * limits for that model (400 naming the field otherwise). Lowering a project limit below a key's
 * limit is allowed: every level is enforced, so the lowest one binds.
 */
export const updateRateLimit = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: UpdateRateLimitInput;
}): Promise<RateLimitRecord> => {
  requireWrite(ctx);
  const policy = policyOf(ctx);
  await policy.ensureRateLimits(ctx.store, (await loadProject(ctx.store, input.orgId, input.projectId)).id);
  const updated = await ctx.store.transaction(async (tx) => {
    const project = await loadProject(tx, input.orgId, input.projectId);
    requireActive(project);
    const current = await tx.rateLimits.get(project.id, input.rateLimitId);
    if (!current)
      throw new AppError("not_found", {
        message: `No such rate limit: ${input.rateLimitId}`,
        param: "rate_limit_id",
      });
    const changes = Object.entries(input.patch).filter(([, v]) => v !== undefined);
    if (changes.length === 0) return current;
    const denied = checkProjectNarrowing(
      current.model,
      { ...current, ...input.patch },
      policy.orgLimits(current.model),
    );
    if (denied) throw denied;
    const next = (await tx.rateLimits.update(project.id, current.id, input.patch)) ?? current;
    await audit(ctx, tx, {
      orgId: input.orgId,
      type: "rate_limit.updated",
      project,
      resourceId: current.id,
      details: {
        id: current.id,
        changes_requested: Object.fromEntries(changes.map(([k, v]) => [WIRE[k as keyof RateLimitPatch], v])),
      },
    });
    return next;
  });
  policy.invalidateProject(input.projectId);
  return updated;
};
