import { LRUCache } from "lru-cache";
import type { RequestLimits, RequestLimitsInput } from "../gateway/request-limits.js";
import { buildRequestLimits } from "./build-request-limits.js";
import type { LimitsPolicy, ScopePolicy } from "./limits-policy.js";

type Key = RequestLimitsInput["key"];

const sameLimits = (a: Key, b: Key): boolean => {
  const x = a.limits;
  const y = b.limits;
  return (
    a.budgetMicros === b.budgetMicros &&
    a.projectId === b.projectId &&
    (x === y ||
      (x !== null &&
        y !== null &&
        x.rpm === y.rpm &&
        x.rpd === y.rpd &&
        x.tpm === y.tpm &&
        x.tpd === y.tpd &&
        x.maxConcurrent === y.maxConcurrent))
  );
};

interface Entry {
  /** The objects the result was built from; any of them replaced means a rebuild. */
  key: Key;
  org: ScopePolicy;
  project: ScopePolicy;
  validUntilMs: number;
  result: RequestLimits;
}

export interface ResolverOptions {
  /** Keys whose results are kept (each with one entry per model it used). */
  maxKeys?: number;
}

/**
 * The limits and budgets of a request, as the gateway reserves them. The common case returns the
 * cached result synchronously without allocating: the key record (the verifier's cached object)
 * and both scope policies are the same objects the result was built from, and no budget period
 * has rolled over. A key updated here gets a new record from the verifier (evicted on update);
 * policies are replaced on invalidation or after their TTL (see LimitsPolicy).
 */
export class RequestLimitsResolver {
  private readonly entries: LRUCache<string, Map<string, Entry>>;

  constructor(
    private readonly policy: LimitsPolicy,
    opts: ResolverOptions = {},
  ) {
    this.entries = new LRUCache({ max: opts.maxKeys ?? 100_000 });
  }

  /** The gateway's `LimitsResolver`. */
  readonly resolveRequestLimits = (input: RequestLimitsInput): RequestLimits | Promise<RequestLimits> => {
    const org = this.policy.peekOrg(input.orgId, input.nowMs);
    const project = this.policy.peekProject(input.orgId, input.projectId, input.nowMs);
    if (org !== undefined && project !== undefined) {
      const e = this.entries.get(input.key.id)?.get(input.model);
      if (e !== undefined && e.org === org && e.project === project && input.nowMs < e.validUntilMs) {
        if (e.key === input.key) return e.result;
        // The verifier reloads key records on its TTL; a reloaded record with the same limits and
        // budget needs no rebuild.
        if (sameLimits(e.key, input.key)) {
          e.key = input.key;
          return e.result;
        }
      }
      return this.build(input, org, project);
    }
    return this.resolveSlow(input);
  };

  private async resolveSlow(input: RequestLimitsInput): Promise<RequestLimits> {
    const [org, project] = await Promise.all([
      this.policy.loadOrg(input.orgId),
      this.policy.loadProject(input.orgId, input.projectId),
    ]);
    return this.build(input, org, project);
  }

  private build(input: RequestLimitsInput, org: ScopePolicy, project: ScopePolicy): RequestLimits {
    const { result, validUntilMs } = buildRequestLimits(this.policy, org, project, input);
    let byModel = this.entries.get(input.key.id);
    if (byModel === undefined) {
      byModel = new Map();
      this.entries.set(input.key.id, byModel);
    }
    // Bounded per key too: a client cycling through made-up model names must not grow memory.
    if (byModel.size >= 64 && !byModel.has(input.model)) byModel.clear();
    byModel.set(input.model, { key: input.key, org, project, validUntilMs, result });
    return result;
  }
}
