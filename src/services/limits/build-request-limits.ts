import { budgetSpecsFor, MONTHLY } from "../../domain/budget-policy.js";
import type { BudgetPeriodPolicy, BudgetSpec } from "../../domain/budgets.js";
import { bucketIds, limitFamilyOf } from "../../domain/limit-policy.js";
import type { ConcurrencySpec, LimitScope, LimitSpec } from "../../domain/rate-limits.js";
import type {
  ApiKeyRecord,
  SpendAlertRecord,
  SpendInterval,
  SpendLimitRecord,
} from "../../storage/records.js";
import type { RequestLimits } from "../gateway/request-limits.js";
import type { LimitsPolicy, ScopePolicy } from "./limits-policy.js";

export const periodPolicyOf = (i: SpendInterval): BudgetPeriodPolicy =>
  i.kind === "month" ? MONTHLY : { kind: "days", days: i.days };

export interface BuildInput {
  orgId: string;
  projectId: string;
  key: ApiKeyRecord;
  model: string;
  nowMs: number;
}

const scopeBudget = (limit: SpendLimitRecord | null, alerts: readonly SpendAlertRecord[]) => ({
  limit: limit ? { micros: limit.thresholdMicros, period: periodPolicyOf(limit.interval) } : null,
  alerts: alerts.map((a) => ({ thresholdMicros: a.thresholdMicros, period: periodPolicyOf(a.interval) })),
});

/**
 * Every limit and budget of one request. Organization buckets always apply (config defaults,
 * shared by the org's projects); a project bucket only where the project's record is narrower than
 * the organization's (an equal or larger one could never refuse a request the organization's bucket
 * admits, since the project's traffic is a subset of the organization's); key buckets where set.
 * `validUntilMs`: when the budgets' periods roll over and the result must be rebuilt.
 */
export const buildRequestLimits = (
  policy: LimitsPolicy,
  org: ScopePolicy,
  project: ScopePolicy,
  input: BuildInput,
): { result: RequestLimits; validUntilMs: number } => {
  const { orgId, projectId, key } = input;
  const model = limitFamilyOf(policy.models, input.model) ?? input.model;
  const o = policy.orgLimits(model);
  const orgScope: LimitScope = { kind: "organization", id: orgId };
  const projScope: LimitScope = { kind: "project", id: projectId };
  const keyScope: LimitScope = { kind: "key", id: key.id };
  const limits: LimitSpec[] = [
    {
      id: bucketIds.org(orgId, model, "rpm"),
      dimension: "requests",
      window: "minute",
      capacity: o.rpm,
      scope: orgScope,
      model,
    },
    {
      id: bucketIds.org(orgId, model, "tpm"),
      dimension: "tokens",
      window: "minute",
      capacity: o.tpm,
      scope: orgScope,
      model,
    },
  ];
  if (o.rpd !== null)
    limits.push({
      id: bucketIds.org(orgId, model, "rpd"),
      dimension: "requests",
      window: "day",
      capacity: o.rpd,
      scope: orgScope,
      model,
    });
  const r = project.rateLimits.get(model);
  if (r) {
    if (r.maxRequestsPer1Minute < o.rpm)
      limits.push({
        id: bucketIds.project(projectId, model, "rpm"),
        dimension: "requests",
        window: "minute",
        capacity: r.maxRequestsPer1Minute,
        scope: projScope,
        model,
      });
    if (r.maxTokensPer1Minute < o.tpm)
      limits.push({
        id: bucketIds.project(projectId, model, "tpm"),
        dimension: "tokens",
        window: "minute",
        capacity: r.maxTokensPer1Minute,
        scope: projScope,
        model,
      });
    const rpd = r.maxRequestsPer1Day;
    if (rpd !== null && (o.rpd === null || rpd < o.rpd))
      limits.push({
        id: bucketIds.project(projectId, model, "rpd"),
        dimension: "requests",
        window: "day",
        capacity: rpd,
        scope: projScope,
        model,
      });
  }
  const kl = key.limits;
  if (kl) {
    if (kl.rpm !== null)
      limits.push({
        id: bucketIds.key(key.id, "rpm"),
        dimension: "requests",
        window: "minute",
        capacity: kl.rpm,
        scope: keyScope,
      });
    if (kl.rpd !== null)
      limits.push({
        id: bucketIds.key(key.id, "rpd"),
        dimension: "requests",
        window: "day",
        capacity: kl.rpd,
        scope: keyScope,
      });
    if (kl.tpm !== null)
      limits.push({
        id: bucketIds.key(key.id, "tpm"),
        dimension: "tokens",
        window: "minute",
        capacity: kl.tpm,
        scope: keyScope,
      });
    if (kl.tpd !== null)
      limits.push({
        id: bucketIds.key(key.id, "tpd"),
        dimension: "tokens",
        window: "day",
        capacity: kl.tpd,
        scope: keyScope,
      });
  }
  const concurrency: ConcurrencySpec[] =
    kl?.maxConcurrent != null
      ? [{ id: bucketIds.concurrency(key.id), max: kl.maxConcurrent, scope: keyScope }]
      : [];

  // Most specific first: the ledger names the first budget that refuses.
  const budgets: BudgetSpec[] = [
    ...(key.budgetMicros !== null
      ? budgetSpecsFor(
          {
            scope: { kind: "key", orgId, projectId, keyId: key.id },
            limit: { micros: key.budgetMicros, period: MONTHLY },
            alerts: [],
            limitAlertPercents: policy.keyBudgetAlertPercents,
          },
          input.nowMs,
        )
      : []),
    ...budgetSpecsFor(
      { scope: { kind: "project", orgId, projectId }, ...scopeBudget(project.spendLimit, project.alerts) },
      input.nowMs,
    ),
    ...budgetSpecsFor(
      { scope: { kind: "organization", orgId }, ...scopeBudget(org.spendLimit, org.alerts) },
      input.nowMs,
    ),
  ];
  let validUntilMs = Number.POSITIVE_INFINITY;
  for (const b of budgets)
    if (b.periodEndsAtMs !== undefined && b.periodEndsAtMs < validUntilMs) validUntilMs = b.periodEndsAtMs;
  return { result: { limits, concurrency, budgets }, validUntilMs };
};
