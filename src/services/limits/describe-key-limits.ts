import { parseBudgetId, periodOfKey, UNLIMITED_MICROS } from "../../domain/budget-policy.js";
import type { BudgetSpec, BudgetUsage } from "../../domain/budgets.js";
import type {
  BucketSnapshot,
  LimitDimension,
  LimitScopeKind,
  LimitSpec,
  LimitWindow,
} from "../../domain/rate-limits.js";
import { modelAllowed } from "../../domain/scopes.js";
import type { RateLimiter } from "../../limits/rate-limiter.js";
import type { SpendLedger } from "../../limits/spend-ledger.js";
import type { VerifiedKey } from "../auth/key-verifier.js";
import type { LimitsPolicy } from "./limits-policy.js";
import type { RequestLimitsResolver } from "./resolve-request-limits.js";

export interface KeyLimitsDeps {
  policy: LimitsPolicy;
  resolver: RequestLimitsResolver;
  limiter: RateLimiter;
  ledger: SpendLedger;
}

/** The bucket that binds first for one dimension and window, across every level. */
export interface BindingLimit extends BucketSnapshot {
  scope: LimitScopeKind;
}

export interface ModelLimitsView {
  model: string;
  /** Keyed `requests/minute`, `tokens/minute`, `requests/day`, `tokens/day`; absent = no such limit. */
  binding: Partial<Record<`${LimitDimension}/${LimitWindow}`, BindingLimit>>;
}

export interface BudgetView {
  spec: BudgetSpec;
  usage: BudgetUsage | null;
  limited: boolean;
  startsAtMs: number | null;
  endsAtMs: number | null;
}

export interface KeyLimitsView {
  models: ModelLimitsView[];
  maxConcurrent: number | null;
  budgets: BudgetView[];
}

/** Models a key may call, from the configured list (key allow-list and project policy applied). */
const modelsOf = (v: VerifiedKey, policy: LimitsPolicy): string[] =>
  policy.models.filter((m) => {
    const p = v.project;
    if (p?.modelMode === "allow_list" && !modelAllowed(p.modelIds, m)) return false;
    if (p?.modelMode === "deny_list" && p.modelIds.length > 0 && modelAllowed(p.modelIds, m)) return false;
    return modelAllowed(v.key.models, m);
  });

const tighter = (a: BindingLimit | undefined, b: BindingLimit): boolean =>
  a === undefined || b.remaining < a.remaining || (b.remaining === a.remaining && b.resetMs > a.resetMs);

/**
 * What `GET /v1/me` reports: per model the limit that binds first in each dimension and window with
 * what remains of it now, the concurrency cap, and each budget's spend in its current period. Reads
 * only (peek / usage); nothing is reserved.
 */
export const describeKeyLimits = async (
  deps: KeyLimitsDeps,
  v: VerifiedKey,
  input: { model: string | null; nowMs: number },
): Promise<KeyLimitsView> => {
  const orgId = v.key.orgId;
  const projectId = v.key.projectId ?? "";
  const models = input.model !== null ? [input.model] : modelsOf(v, deps.policy);
  const resolved = await Promise.all(
    (models.length > 0 ? models : [""]).map((model) =>
      deps.resolver.resolveRequestLimits({ orgId, projectId, key: v.key, model, nowMs: input.nowMs }),
    ),
  );
  const specs = new Map<string, LimitSpec>();
  for (const r of resolved) for (const l of r.limits) specs.set(l.id, l);
  const unique = [...specs.values()];
  const snaps = await deps.limiter.peek({ tenant: orgId, limits: unique });
  const byId = new Map(snaps.map((s) => [s.id, s]));

  const views: ModelLimitsView[] = models.map((model, i) => {
    const binding: ModelLimitsView["binding"] = {};
    for (const l of resolved[i]?.limits ?? []) {
      const s = byId.get(l.id);
      if (!s) continue;
      const k = `${l.dimension}/${l.window}` as const;
      const candidate: BindingLimit = { ...s, scope: l.scope.kind };
      if (tighter(binding[k], candidate)) binding[k] = candidate;
    }
    return { model, binding };
  });

  const first = resolved[0];
  const budgets = first?.budgets ?? [];
  const usage = budgets.length > 0 ? await deps.ledger.usage({ tenant: orgId, budgets }) : [];
  return {
    models: views,
    maxConcurrent: first?.concurrency[0]?.max ?? null,
    budgets: budgets.map((spec, i) => {
      const parsed = parseBudgetId(spec.id);
      const period = parsed ? periodOfKey(parsed.period, spec.periodKey) : null;
      return {
        spec,
        usage: usage[i] ?? null,
        limited: spec.limitMicros !== UNLIMITED_MICROS,
        startsAtMs: period?.startsAtMs ?? null,
        endsAtMs: period?.endsAtMs ?? null,
      };
    }),
  };
};
