import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { missingScope } from "../domain/errors.js";
import { SCOPES } from "../domain/scopes.js";
import type { KeyVerifier, VerifiedKey } from "../services/auth/key-verifier.js";
import {
  type BindingLimit,
  type BudgetView,
  describeKeyLimits,
  type KeyLimitsDeps,
} from "../services/limits/describe-key-limits.js";
import { addRoute } from "./route.js";

export interface MeDeps extends KeyLimitsDeps {
  verifier: KeyVerifier;
}

const limitOut = (b: BindingLimit | undefined) =>
  b ? { limit: b.limit, remaining: b.remaining, reset_ms: b.resetMs, scope: b.scope } : null;

const usd = (micros: number): number => micros / 1_000_000;

const budgetOut = (b: BudgetView) => {
  const spent = b.usage?.spentMicros ?? 0;
  const reserved = b.usage?.reservedMicros ?? 0;
  return {
    scope: b.spec.scope.kind,
    limit_usd: b.limited ? usd(b.spec.limitMicros) : null,
    spent_usd: usd(spent),
    reserved_usd: usd(reserved),
    remaining_usd: b.limited ? usd(Math.max(0, b.spec.limitMicros - spent - reserved)) : null,
    period: {
      key: b.spec.periodKey,
      starts_at: b.startsAtMs === null ? null : Math.floor(b.startsAtMs / 1000),
      ends_at: b.endsAtMs === null ? null : Math.floor(b.endsAtMs / 1000),
    },
  };
};

/** `GET /v1/me`: the calling key's effective limits and what remains of them (our extension). */
export const registerMeRoutes = (app: FastifyInstance, deps: MeDeps): void => {
  addRoute(app, {
    method: "GET",
    url: "/v1/me",
    operationId: "retrieve-me",
    summary:
      "The calling project key's effective rate limits per model (the limit that binds first in each dimension and window, and what remains of it now), its concurrency cap, and its budgets' spend this period — so clients can throttle themselves",
    tag: "Limits",
    extension: true,
    security: "project",
    query: z.object({ model: z.string().min(1).max(256).optional() }),
    authenticate: async (req): Promise<VerifiedKey> => {
      const r = await deps.verifier.verify(req.headers.authorization);
      if (!r.ok) throw r.error;
      if (r.value.kind === "admin") throw missingScope(SCOPES.modelRead.name);
      return r.value;
    },
    handler: async ({ auth, query }) => {
      const view = await describeKeyLimits(deps, auth, { model: query.model ?? null, nowMs: Date.now() });
      return {
        object: "keyplane.me",
        api_key_id: auth.key.id,
        organization_id: auth.key.orgId,
        project_id: auth.key.projectId,
        models: view.models.map((m) => ({
          model: m.model,
          requests_per_minute: limitOut(m.binding["requests/minute"]),
          tokens_per_minute: limitOut(m.binding["tokens/minute"]),
          requests_per_day: limitOut(m.binding["requests/day"]),
          tokens_per_day: limitOut(m.binding["tokens/day"]),
        })),
        max_concurrent: view.maxConcurrent,
        budgets: view.budgets.map(budgetOut),
      };
    },
  });
};
