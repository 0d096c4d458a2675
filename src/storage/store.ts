import type {
  ApiKeyRecord,
  AuditEventRecord,
  InviteRecord,
  KeySecretRecord,
  OrganizationRecord,
  PasswordTokenRecord,
  ProjectRecord,
  ProjectRole,
  ProjectUserRecord,
  RateLimitRecord,
  ServiceAccountRecord,
  SessionRecord,
  SpendAlertRecord,
  SpendLimitRecord,
  UsageEventRecord,
  UserRecord,
} from "./records.js";

/** OpenAI cursor pagination: `after` is the id of the last item of the previous page. */
export interface PageQuery {
  limit: number;
  after?: string | undefined;
  order?: "asc" | "desc" | undefined;
}

export interface Page<T> {
  data: T[];
  hasMore: boolean;
}

export interface AuditFilter {
  effectiveAt?: { gt?: number; gte?: number; lt?: number; lte?: number };
  eventTypes?: string[];
  projectIds?: string[];
  actorIds?: string[];
  resourceIds?: string[];
}

export type ProjectPatch = Partial<
  Pick<ProjectRecord, "name" | "status" | "archivedAt" | "externalKeyId" | "modelMode" | "modelIds">
>;
export type ApiKeyPatch = Partial<
  Pick<
    ApiKeyRecord,
    | "name"
    | "redactedValue"
    | "scopes"
    | "models"
    | "limits"
    | "budgetMicros"
    | "expiresAt"
    | "revokedAt"
    | "lastUsedAt"
  >
>;
export type UserPatch = Partial<Pick<UserRecord, "name" | "role" | "passwordHash">>;
export type RateLimitPatch = Partial<Omit<RateLimitRecord, "id" | "projectId" | "model">>;
export type SpendAlertPatch = Partial<
  Pick<SpendAlertRecord, "thresholdMicros" | "interval" | "channel" | "webhookUrl">
>;

export type SessionPatch = Partial<Pick<SessionRecord, "orgId" | "userId" | "lastSeenAt">>;

export type UsageGranularity = "minute" | "hour" | "day";
export type UsageDimension = "projectId" | "keyId" | "userId" | "model" | "endpoint";

/** A read of the rollups: sums per bucket, per the chosen dimensions, over bucket starts in [fromSec, toSec). */
export interface UsageAggregateQuery {
  orgId: string;
  granularity: UsageGranularity;
  fromSec: number;
  toSec: number;
  groupBy: readonly UsageDimension[];
  projectIds?: readonly string[];
  keyIds?: readonly string[];
  /** Matches keys owned by these users (service-account keys have no user). */
  userIds?: readonly string[];
  models?: readonly string[];
  endpoints?: readonly string[];
}

export interface UsageTotals {
  requests: number;
  /** Requests answered with status >= 400. */
  failed: number;
  inputTokens: number;
  cachedTokens: number;
  outputTokens: number;
  costMicros: number;
}

/** Dimensions not grouped by are null; so is userId for keys without a user owner. */
export interface UsageAggregateRow extends UsageTotals {
  bucketStart: number;
  projectId: string | null;
  keyId: string | null;
  userId: string | null;
  model: string | null;
  endpoint: string | null;
}

export interface UsagePruneInput {
  /** Raw events created before this time (Unix ms) are deleted. */
  rawBeforeMs: number;
  /** Minute rollup rows with buckets before this time (Unix seconds) are deleted. */
  minuteBeforeSec: number;
}

export interface ProjectUserView extends ProjectUserRecord {
  user: UserRecord;
}

/** Every read and write the services need. Implementations: storage/sql (SQLite and PostgreSQL). */
export interface StoreRepos {
  organizations: {
    insert(org: OrganizationRecord): Promise<void>;
    get(id: string): Promise<OrganizationRecord | null>;
    list(q: PageQuery): Promise<Page<OrganizationRecord>>;
  };
  projects: {
    insert(p: ProjectRecord): Promise<void>;
    get(orgId: string, id: string): Promise<ProjectRecord | null>;
    list(orgId: string, q: PageQuery & { includeArchived: boolean }): Promise<Page<ProjectRecord>>;
    update(orgId: string, id: string, patch: ProjectPatch): Promise<ProjectRecord | null>;
  };
  users: {
    insert(u: UserRecord): Promise<void>;
    get(orgId: string, id: string): Promise<UserRecord | null>;
    getByEmail(orgId: string, email: string): Promise<UserRecord | null>;
    list(orgId: string, q: PageQuery & { emails?: string[] }): Promise<Page<UserRecord>>;
    update(orgId: string, id: string, patch: UserPatch): Promise<UserRecord | null>;
    delete(orgId: string, id: string): Promise<boolean>;
    /** Every user with this email in any organization (case-insensitive), oldest first: sign-in. */
    listByEmail(email: string): Promise<UserRecord[]>;
  };
  projectUsers: {
    upsert(m: ProjectUserRecord): Promise<void>;
    get(projectId: string, userId: string): Promise<ProjectUserView | null>;
    list(projectId: string, q: PageQuery): Promise<Page<ProjectUserView>>;
    updateRole(projectId: string, userId: string, role: ProjectRole): Promise<boolean>;
    delete(projectId: string, userId: string): Promise<boolean>;
  };
  serviceAccounts: {
    insert(sa: ServiceAccountRecord): Promise<void>;
    get(projectId: string, id: string): Promise<ServiceAccountRecord | null>;
    list(projectId: string, q: PageQuery): Promise<Page<ServiceAccountRecord>>;
    update(
      projectId: string,
      id: string,
      patch: Partial<Pick<ServiceAccountRecord, "name" | "role">>,
    ): Promise<ServiceAccountRecord | null>;
    delete(projectId: string, id: string): Promise<boolean>;
  };
  apiKeys: {
    /** Inserts the key and its first secret together. */
    insert(key: ApiKeyRecord, secret: KeySecretRecord): Promise<void>;
    get(orgId: string, id: string): Promise<ApiKeyRecord | null>;
    /** Non-revoked keys. `projectId` null = admin keys of the org; a string = that project's keys. */
    list(
      orgId: string,
      projectId: string | null,
      q: PageQuery & { serviceAccountId?: string },
    ): Promise<Page<ApiKeyRecord>>;
    update(orgId: string, id: string, patch: ApiKeyPatch): Promise<ApiKeyRecord | null>;
    /** Hot-path miss: the key and the matched secret, or null. Revoked keys have no secrets. */
    findByDigest(digest: string): Promise<{ key: ApiKeyRecord; secret: KeySecretRecord } | null>;
    addSecret(secret: KeySecretRecord): Promise<void>;
    /** Sets expiry on every secret of the key that has none or a later one (rotation grace). */
    expireSecrets(keyId: string, expiresAt: number): Promise<void>;
    /** Removes every secret of the key (revoke); returns the digests removed, for cache eviction. */
    deleteSecrets(keyId: string): Promise<string[]>;
    /** Coalesced last-use updates; an older time never overwrites a newer one. */
    touchLastUsed(entries: { id: string; at: number }[]): Promise<void>;
  };
  audit: {
    insert(e: AuditEventRecord): Promise<void>;
    list(
      orgId: string,
      filter: AuditFilter,
      q: PageQuery & { before?: string },
    ): Promise<Page<AuditEventRecord>>;
  };
  usage: {
    /**
     * Idempotent by event id; returns how many were new. The minute, hour and day rollups grow by
     * exactly the new events, in the same transaction as the raw insert. (PostgreSQL recognises a
     * replay by id and created_at_ms together: its raw table is partitioned by time.)
     */
    insertMany(events: UsageEventRecord[]): Promise<number>;
    /** Events in [fromMs, toMs) of an org, oldest first (tests and exports). */
    listRange(orgId: string, fromMs: number, toMs: number): Promise<UsageEventRecord[]>;
    /** Rollup sums, ordered by bucket then by the grouped dimensions. Reads no raw events. */
    aggregate(q: UsageAggregateQuery): Promise<UsageAggregateRow[]>;
    /** Sums per key over whole days [fromSec, toSec) (day-aligned), from the day rollups; missing keys have none. */
    totalsByKey(
      orgId: string,
      keyIds: readonly string[],
      fromSec: number,
      toSec: number,
    ): Promise<Map<string, UsageTotals>>;
    /**
     * Retention: deletes old raw events and old minute rollups. On PostgreSQL whole monthly
     * partitions past the cutoff are dropped (listed, not counted in rawDeleted).
     */
    prune(
      input: UsagePruneInput,
    ): Promise<{ rawDeleted: number; partitionsDropped: string[]; minuteDeleted: number }>;
    /** PostgreSQL: creates the monthly raw partitions covering [fromMs, toMs]; SQLite: nothing. Returns names created. */
    ensurePartitions(fromMs: number, toMs: number): Promise<string[]>;
  };
  rateLimits: {
    /** Creates missing (project, model) records; existing ones are left as they are. */
    ensure(records: RateLimitRecord[]): Promise<void>;
    get(projectId: string, id: string): Promise<RateLimitRecord | null>;
    list(projectId: string, q: PageQuery & { before?: string }): Promise<Page<RateLimitRecord>>;
    update(projectId: string, id: string, patch: RateLimitPatch): Promise<RateLimitRecord | null>;
  };
  sessions: {
    insert(s: SessionRecord): Promise<void>;
    get(digest: string): Promise<SessionRecord | null>;
    update(digest: string, patch: SessionPatch): Promise<boolean>;
    delete(digest: string): Promise<boolean>;
    /** Sign-out everywhere: removes every session currently acting as one of these users. */
    deleteByUsers(userIds: string[]): Promise<number>;
  };
  invites: {
    insert(i: InviteRecord): Promise<void>;
    get(orgId: string, id: string): Promise<InviteRecord | null>;
    getByTokenDigest(digest: string): Promise<InviteRecord | null>;
    list(orgId: string, q: PageQuery): Promise<Page<InviteRecord>>;
    /** Single use: sets accepted_at only if it is still null; false when someone else won. */
    markAccepted(id: string, at: number): Promise<boolean>;
    delete(orgId: string, id: string): Promise<boolean>;
  };
  passwordTokens: {
    insert(t: PasswordTokenRecord): Promise<void>;
    /** Marks an unused, unexpired token used and returns it; null for unknown, used or expired. */
    consume(digest: string, now: number): Promise<PasswordTokenRecord | null>;
  };
  /** Hard spend limits; `projectId` null addresses the organization's own limit. */
  spendLimits: {
    get(orgId: string, projectId: string | null): Promise<SpendLimitRecord | null>;
    /** Creates or replaces the scope's limit (createdAt of an existing one is kept). */
    upsert(l: SpendLimitRecord): Promise<SpendLimitRecord>;
    delete(orgId: string, projectId: string | null): Promise<boolean>;
  };
  /** Spend alerts; `projectId` null = the organization's alerts (not its projects'). */
  spendAlerts: {
    insert(a: SpendAlertRecord): Promise<void>;
    get(orgId: string, projectId: string | null, id: string): Promise<SpendAlertRecord | null>;
    list(
      orgId: string,
      projectId: string | null,
      q: PageQuery & { before?: string },
    ): Promise<Page<SpendAlertRecord>>;
    /** Every alert of the scope, oldest first (the request path caches them). */
    listAll(orgId: string, projectId: string | null): Promise<SpendAlertRecord[]>;
    count(orgId: string, projectId: string | null): Promise<number>;
    update(
      orgId: string,
      projectId: string | null,
      id: string,
      patch: SpendAlertPatch,
    ): Promise<SpendAlertRecord | null>;
    delete(orgId: string, projectId: string | null, id: string): Promise<boolean>;
    /**
     * Records that something fired (an alert in a period); true for the first caller only, across
     * every instance sharing the database.
     */
    claimFiring(key: string, at: number): Promise<boolean>;
  };
  meta: {
    get(key: string): Promise<string | null>;
    set(key: string, value: string): Promise<void>;
  };
}

export interface MigrateOptions {
  /** Called before and after each migration this run applies (all run in one transaction). */
  onProgress?: (p: {
    version: number;
    name: string;
    index: number;
    total: number;
    phase: "start" | "done";
  }) => void;
}

export interface Store extends StoreRepos {
  readonly dialect: "sqlite" | "postgres";
  /** Runs `fn` in one database transaction; everything it writes commits or rolls back together. */
  transaction<T>(fn: (tx: StoreRepos) => Promise<T>): Promise<T>;
  migrate(opts?: MigrateOptions): Promise<void>;
  /** Versions of known migrations not yet applied (readiness: empty once migrate() ran). */
  pendingMigrations(): Promise<number[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
