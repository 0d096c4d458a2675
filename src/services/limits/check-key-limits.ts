import { AppError } from "../../domain/errors.js";
import { checkKeyNarrowing, effectiveProjectLimits } from "../../domain/limit-policy.js";
import type { KeyLimits } from "../../storage/records.js";
import type { StoreRepos } from "../../storage/store.js";
import type { ServiceCtx } from "../context.js";

/**
 * A key's limits and budget may only narrow its project's: rates against the most generous model
 * of the project (see domain checkKeyNarrowing), the monthly budget against the project's monthly
 * hard limit, or the organization's when the project has none. A limit over N-day windows is not
 * comparable with a key's monthly budget and is not checked against it.
 */
export const checkKeyLimits = async (
  ctx: ServiceCtx,
  repos: StoreRepos,
  s: { orgId: string; projectId: string; limits: KeyLimits | null; budgetMicros: number | null },
): Promise<void> => {
  const policy = ctx.limits;
  if (!policy) return;
  if (s.limits) {
    const records = await repos.rateLimits.list(s.projectId, { limit: 10_000 });
    const byModel = new Map(records.data.map((r) => [r.model, r]));
    const models = new Set([...policy.models, ...byModel.keys()]);
    const perModel = [...models].map((m) =>
      effectiveProjectLimits(byModel.get(m) ?? null, policy.orgLimits(m)),
    );
    const denied = checkKeyNarrowing(s.limits, perModel);
    if (denied) throw denied;
  }
  if (s.budgetMicros !== null) {
    const cap =
      (await repos.spendLimits.get(s.orgId, s.projectId)) ?? (await repos.spendLimits.get(s.orgId, null));
    if (cap && cap.interval.kind === "month" && s.budgetMicros > cap.thresholdMicros)
      throw new AppError("invalid_request", {
        message: `budget_usd (${s.budgetMicros / 1_000_000}) exceeds the ${cap.projectId ? "project" : "organization"}'s monthly hard spend limit (${cap.thresholdMicros / 1_000_000}). A key budget may only narrow it.`,
        param: "budget_usd",
      });
  }
};
