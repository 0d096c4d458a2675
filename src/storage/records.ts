/** Rows as the services see them. Timestamps are Unix seconds; money is integer micro-dollars. */

export interface OrganizationRecord {
  id: string;
  name: string;
  createdAt: number;
}

export type ProjectStatus = "active" | "archived";

export interface ProjectRecord {
  id: string;
  orgId: string;
  name: string;
  status: ProjectStatus;
  createdAt: number;
  archivedAt: number | null;
  externalKeyId: string | null;
  residency: string | null;
  /** Project-level model policy (OpenAI's model_permissions). null = every model. */
  modelMode: "allow_list" | "deny_list" | null;
  modelIds: string[];
}

export type OrgRole = "owner" | "reader";
export type ProjectRole = "owner" | "member";

export interface UserRecord {
  id: string;
  orgId: string;
  email: string;
  name: string;
  role: OrgRole;
  addedAt: number;
  /** argon2id hash for dashboard sign-in; null for users who never set a password. */
  passwordHash: string | null;
}

export interface ProjectUserRecord {
  projectId: string;
  userId: string;
  role: ProjectRole;
  addedAt: number;
}

export interface ServiceAccountRecord {
  id: string;
  orgId: string;
  projectId: string;
  name: string;
  role: "owner" | "member" | "none";
  createdAt: number;
}

/** Per-key limits (our extension). null fields = no limit at this level. */
export interface KeyLimits {
  rpm: number | null;
  rpd: number | null;
  tpm: number | null;
  tpd: number | null;
  maxConcurrent: number | null;
}

export interface ApiKeyRecord {
  id: string;
  orgId: string;
  /** null for admin keys. */
  projectId: string | null;
  kind: "project" | "service_account" | "admin";
  name: string;
  redactedValue: string;
  ownerUserId: string | null;
  ownerServiceAccountId: string | null;
  scopes: string[];
  /** Model allow-list; null = every model the project allows. */
  models: string[] | null;
  limits: KeyLimits | null;
  /** Hard budget for this key in micro-dollars per period; null = none. */
  budgetMicros: number | null;
  /** Admin keys only: may manage organizations across the instance. */
  instanceAdmin: boolean;
  createdAt: number;
  lastUsedAt: number | null;
  expiresAt: number | null;
  revokedAt: number | null;
}

/** One secret of a key. A rotated key has its old secret kept until `expiresAt`. */
export interface KeySecretRecord {
  digest: string;
  keyId: string;
  createdAt: number;
  expiresAt: number | null;
}

export interface AuditActor {
  type: "api_key" | "session";
  apiKey?: { id: string; type: "user" | "service_account" | "admin"; user?: { id: string; email: string } };
  session?: { user: { id: string; email: string }; ipAddress: string };
  ipAddress: string | null;
  userAgent: string | null;
}

export interface AuditEventRecord {
  id: string;
  orgId: string;
  projectId: string | null;
  projectName: string | null;
  type: string;
  effectiveAt: number;
  actor: AuditActor;
  resourceId: string | null;
  /** The details object OpenAI nests under a property named after the event type. */
  details: Record<string, unknown>;
}

export interface UsageEventRecord {
  /** Globally unique; inserting the same id twice is a no-op (replay safety). */
  id: string;
  orgId: string;
  projectId: string;
  keyId: string;
  model: string;
  endpoint: string;
  inputTokens: number;
  cachedTokens: number;
  outputTokens: number;
  status: number;
  latencyMs: number;
  bytes: number;
  estimated: boolean;
  costMicros: number;
  /** Unix milliseconds. */
  createdAtMs: number;
}

export interface RateLimitRecord {
  id: string;
  projectId: string;
  model: string;
  maxRequestsPer1Minute: number;
  maxTokensPer1Minute: number;
  maxRequestsPer1Day: number | null;
  maxImagesPer1Minute: number | null;
  maxAudioMegabytesPer1Minute: number | null;
  batch1DayMaxInputTokens: number | null;
}

/** How a budget's spend is counted: calendar months (OpenAI's `month`) or N-day windows (extension). */
export type SpendInterval = { kind: "month" } | { kind: "days"; days: number };

/** A hard spend limit of an organization (projectId null) or of one project. One per scope. */
export interface SpendLimitRecord {
  orgId: string;
  projectId: string | null;
  thresholdMicros: number;
  interval: SpendInterval;
  createdAt: number;
  updatedAt: number;
}

export interface SpendAlertChannel {
  type: "email";
  recipients: string[];
  subjectPrefix: string | null;
}

/** A spend alert of an organization (projectId null) or a project: fires once per period. */
export interface SpendAlertRecord {
  id: string;
  orgId: string;
  projectId: string | null;
  thresholdMicros: number;
  interval: SpendInterval;
  channel: SpendAlertChannel;
  /** Extension: deliver to this URL instead of the configured webhook URL. */
  webhookUrl: string | null;
  createdAt: number;
}
