import { LRUCache } from "lru-cache";
import { type OrgLimitsConfig, type OrgModelLimits, orgLimitsFor } from "../../domain/limit-policy.js";
import type { RateLimitRecord, SpendAlertRecord, SpendLimitRecord } from "../../storage/records.js";
import type { Store, StoreRepos } from "../../storage/store.js";

export interface LimitsPolicyConfig {
  /** Models that get project rate-limit records (config.models). */
  models: readonly string[];
  limits: OrgLimitsConfig & { keyBudgetAlertPercents: readonly number[]; policyTtlMs: number };
}

/** What the request path needs to know about an organization or a project, loaded together. */
export interface ScopePolicy {
  readonly spendLimit: SpendLimitRecord | null;
  readonly alerts: readonly SpendAlertRecord[];
  /** Projects only: the project's rate-limit records by model. */
  readonly rateLimits: ReadonlyMap<string, RateLimitRecord>;
  /** Extended in place when a reload finds nothing changed (see LimitsPolicy.load). */
  expiresAtMs: number;
  /** The loaded records, serialised: equal fingerprints = same policy. */
  readonly fingerprint: string;
}

export interface LimitsPolicyOptions {
  store: Store;
  config: LimitsPolicyConfig;
  now?: () => number;
  /** Background refresh failures (the stale policy keeps serving meanwhile). */
  onError?: (err: unknown) => void;
  maxScopes?: number;
}

const NO_RATE_LIMITS: ReadonlyMap<string, RateLimitRecord> = new Map();

/** A project's record for a model as OpenAI creates it: the organization's limits at that time. */
export const defaultRateLimit = (projectId: string, model: string, org: OrgModelLimits): RateLimitRecord => ({
  id: `rl-${model}`,
  projectId,
  model,
  maxRequestsPer1Minute: org.rpm,
  maxTokensPer1Minute: org.tpm,
  maxRequestsPer1Day: org.rpd,
  maxImagesPer1Minute: null,
  maxAudioMegabytesPer1Minute: null,
  batch1DayMaxInputTokens: null,
});

/**
 * Organization and project limits as the request path sees them, cached per scope. A change made
 * through this instance invalidates at once (services call invalidateOrg / invalidateProject);
 * changes made by other instances are picked up after `policyTtlMs`: an expired entry keeps
 * serving while one background reload replaces it, so no request waits on the database for it.
 */
export class LimitsPolicy {
  readonly models: readonly string[];
  readonly keyBudgetAlertPercents: readonly number[];
  private readonly store: Store;
  private readonly cfg: LimitsPolicyConfig["limits"];
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly onError: (err: unknown) => void;
  /** Separate caches keyed by the plain id: the hit path builds no key strings. */
  private readonly orgs: LRUCache<string, ScopePolicy>;
  private readonly projects: LRUCache<string, ScopePolicy>;
  private readonly loading = new Map<string, Promise<ScopePolicy>>();
  /** Bumped on invalidation so a load that started before it cannot store what it read. */
  private readonly epochs = new Map<string, number>();
  private readonly orgLimitsCache = new Map<string, OrgModelLimits>();
  private readonly ensured = new Set<string>();

  constructor(opts: LimitsPolicyOptions) {
    this.store = opts.store;
    this.models = opts.config.models;
    this.cfg = opts.config.limits;
    this.keyBudgetAlertPercents = opts.config.limits.keyBudgetAlertPercents;
    this.ttlMs = opts.config.limits.policyTtlMs;
    this.now = opts.now ?? Date.now;
    this.onError = opts.onError ?? (() => {});
    this.orgs = new LRUCache({ max: opts.maxScopes ?? 100_000 });
    this.projects = new LRUCache({ max: opts.maxScopes ?? 100_000 });
  }

  orgLimits(model: string): OrgModelLimits {
    let l = this.orgLimitsCache.get(model);
    if (l === undefined) {
      l = orgLimitsFor(this.cfg, model);
      if (this.orgLimitsCache.size < 10_000) this.orgLimitsCache.set(model, l);
    }
    return l;
  }

  /**
   * The cached policy, possibly stale (a reload is then started); undefined when never loaded.
   * `nowMs`: the caller's clock reading, so the hit path reads no clock of its own.
   */
  peekOrg(orgId: string, nowMs = this.now()): ScopePolicy | undefined {
    const p = this.orgs.get(orgId);
    if (p !== undefined && p.expiresAtMs <= nowMs)
      this.refresh(`o:${orgId}`, this.orgs, orgId, () => this.readOrg(orgId));
    return p;
  }

  peekProject(orgId: string, projectId: string, nowMs = this.now()): ScopePolicy | undefined {
    const p = this.projects.get(projectId);
    if (p !== undefined && p.expiresAtMs <= nowMs)
      this.refresh(`p:${projectId}`, this.projects, projectId, () => this.readProject(orgId, projectId));
    return p;
  }

  loadOrg(orgId: string): Promise<ScopePolicy> {
    return this.load(`o:${orgId}`, this.orgs, orgId, () => this.readOrg(orgId));
  }

  loadProject(orgId: string, projectId: string): Promise<ScopePolicy> {
    return this.load(`p:${projectId}`, this.projects, projectId, () => this.readProject(orgId, projectId));
  }

  invalidateOrg(orgId: string): void {
    this.invalidate(`o:${orgId}`);
    this.orgs.delete(orgId);
  }

  invalidateProject(projectId: string): void {
    this.invalidate(`p:${projectId}`);
    this.projects.delete(projectId);
  }

  /** Creates the project's missing per-model records (once per project and process). */
  async ensureRateLimits(repos: StoreRepos, projectId: string): Promise<void> {
    if (this.ensured.has(projectId)) return;
    await repos.rateLimits.ensure(this.models.map((m) => defaultRateLimit(projectId, m, this.orgLimits(m))));
    if (this.ensured.size > 100_000) this.ensured.clear();
    this.ensured.add(projectId);
  }

  private refresh(
    id: string,
    cache: LRUCache<string, ScopePolicy>,
    key: string,
    read: () => Promise<ScopePolicy>,
  ): void {
    if (!this.loading.has(id)) this.load(id, cache, key, read).catch(this.onError);
  }

  /** `id` names the scope in the bookkeeping maps; `key` is its entry in `cache`. */
  private load(
    id: string,
    cache: LRUCache<string, ScopePolicy>,
    key: string,
    read: () => Promise<ScopePolicy>,
  ): Promise<ScopePolicy> {
    const inFlight = this.loading.get(id);
    if (inFlight) return inFlight;
    const epoch = this.epochs.get(id) ?? 0;
    const p = read()
      .then((policy) => {
        if ((this.epochs.get(id) ?? 0) !== epoch) return policy;
        // An unchanged policy keeps its object, so results built from it stay cached (the resolver
        // compares by identity); only a real change makes every key of the scope rebuild.
        const prev = cache.get(key);
        if (prev !== undefined && prev.fingerprint === policy.fingerprint) {
          prev.expiresAtMs = policy.expiresAtMs;
          return prev;
        }
        cache.set(key, policy);
        return policy;
      })
      .finally(() => {
        if (this.loading.get(id) === p) this.loading.delete(id);
      });
    this.loading.set(id, p);
    return p;
  }

  private invalidate(id: string): void {
    this.epochs.set(id, (this.epochs.get(id) ?? 0) + 1);
    if (this.epochs.size > 100_000) this.epochs.clear();
    this.loading.delete(id);
  }

  private async readOrg(orgId: string): Promise<ScopePolicy> {
    const [spendLimit, alerts] = await Promise.all([
      this.store.spendLimits.get(orgId, null),
      this.store.spendAlerts.listAll(orgId, null),
    ]);
    return this.scopePolicy(spendLimit, alerts, NO_RATE_LIMITS);
  }

  private async readProject(orgId: string, projectId: string): Promise<ScopePolicy> {
    const [spendLimit, alerts, records] = await Promise.all([
      this.store.spendLimits.get(orgId, projectId),
      this.store.spendAlerts.listAll(orgId, projectId),
      this.store.rateLimits.list(projectId, { limit: 10_000 }),
    ]);
    const rateLimits = new Map<string, RateLimitRecord>();
    for (const r of records.data) rateLimits.set(r.model, r);
    return this.scopePolicy(spendLimit, alerts, rateLimits);
  }

  private scopePolicy(
    spendLimit: SpendLimitRecord | null,
    alerts: SpendAlertRecord[],
    rateLimits: ReadonlyMap<string, RateLimitRecord>,
  ): ScopePolicy {
    const fingerprint = JSON.stringify([spendLimit, alerts, [...rateLimits.values()]]);
    return { spendLimit, alerts, rateLimits, expiresAtMs: this.now() + this.ttlMs, fingerprint };
  }
}
