import type { ColumnType, Generated } from "kysely";

/**
 * Kysely's view of the tables (snake_case, as stored). JSON fields are text on both dialects;
 * booleans are 0/1 on SQLite and boolean on PostgreSQL, so reads accept either.
 * 64-bit integers come back as numbers on both (the pg pool parses int8; values stay < 2^53).
 */
type Bool = ColumnType<number | boolean, number | boolean, number | boolean>;
type Seq = Generated<number>;

export interface OrganizationsTable {
  seq: Seq;
  id: string;
  name: string;
  created_at: number;
}

export interface ProjectsTable {
  seq: Seq;
  id: string;
  org_id: string;
  name: string;
  status: string;
  created_at: number;
  archived_at: number | null;
  external_key_id: string | null;
  residency: string | null;
  model_mode: string | null;
  /** JSON array of model ids. */
  model_ids: string;
}

export interface UsersTable {
  seq: Seq;
  id: string;
  org_id: string;
  email: string;
  name: string;
  role: string;
  added_at: number;
  password_hash: string | null;
}

export interface ProjectUsersTable {
  seq: Seq;
  project_id: string;
  user_id: string;
  role: string;
  added_at: number;
}

export interface ServiceAccountsTable {
  seq: Seq;
  id: string;
  org_id: string;
  project_id: string;
  name: string;
  role: string;
  created_at: number;
}

export interface ApiKeysTable {
  seq: Seq;
  id: string;
  org_id: string;
  project_id: string | null;
  kind: string;
  name: string;
  redacted_value: string;
  owner_user_id: string | null;
  owner_service_account_id: string | null;
  /** JSON array. */
  scopes: string;
  /** JSON array or null. */
  models: string | null;
  /** JSON KeyLimits or null. */
  limits: string | null;
  budget_micros: number | null;
  instance_admin: Bool;
  created_at: number;
  last_used_at: number | null;
  expires_at: number | null;
  revoked_at: number | null;
}

export interface ApiKeySecretsTable {
  digest: string;
  key_id: string;
  created_at: number;
  expires_at: number | null;
}

export interface AuditEventsTable {
  seq: Seq;
  id: string;
  org_id: string;
  project_id: string | null;
  project_name: string | null;
  type: string;
  effective_at: number;
  /** JSON AuditActor. */
  actor: string;
  /** Denormalised from `actor` so actor_ids filters can use plain column comparisons. */
  actor_key_id: string | null;
  actor_user_id: string | null;
  resource_id: string | null;
  /** JSON object. */
  details: string;
}

export interface UsageEventsTable {
  id: string;
  org_id: string;
  project_id: string;
  key_id: string;
  model: string;
  endpoint: string;
  input_tokens: number;
  cached_tokens: number;
  output_tokens: number;
  status: number;
  latency_ms: number;
  bytes: number;
  estimated: Bool;
  cost_micros: number;
  created_at_ms: number;
}

/** usage_rollup_minute / _hour / _day: sums per (org, bucket, project, key, model, endpoint). */
export interface UsageRollupTable {
  org_id: string;
  /** Unix seconds, a multiple of the table's bucket width. */
  bucket_start: number;
  project_id: string;
  key_id: string;
  model: string;
  endpoint: string;
  requests: number;
  /** Requests answered with status >= 400. */
  failed: number;
  input_tokens: number;
  cached_tokens: number;
  output_tokens: number;
  cost_micros: number;
  bytes: number;
  latency_ms: number;
  /** Requests whose token counts were estimated. */
  estimated: number;
}

export interface RateLimitsTable {
  seq: Seq;
  id: string;
  project_id: string;
  model: string;
  max_requests_per_1_minute: number;
  max_tokens_per_1_minute: number;
  max_requests_per_1_day: number | null;
  max_images_per_1_minute: number | null;
  max_audio_megabytes_per_1_minute: number | null;
  batch_1_day_max_input_tokens: number | null;
}

export interface SpendLimitsTable {
  org_id: string;
  /** The project id, or the organization id for the organization's own limit. */
  scope_id: string;
  project_id: string | null;
  threshold_micros: number;
  /** "month" | "days" */
  interval: string;
  interval_days: number | null;
  created_at: number;
  updated_at: number;
}

export interface SpendAlertsTable {
  seq: Seq;
  id: string;
  org_id: string;
  scope_id: string;
  project_id: string | null;
  threshold_micros: number;
  interval: string;
  interval_days: number | null;
  /** JSON SpendAlertChannel. */
  channel: string;
  webhook_url: string | null;
  created_at: number;
}

export interface SpendAlertFiringsTable {
  key: string;
  fired_at: number;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface MigrationsTable {
  version: number;
  name: string;
  applied_at: number;
}

export interface Database {
  organizations: OrganizationsTable;
  projects: ProjectsTable;
  users: UsersTable;
  project_users: ProjectUsersTable;
  service_accounts: ServiceAccountsTable;
  api_keys: ApiKeysTable;
  api_key_secrets: ApiKeySecretsTable;
  audit_events: AuditEventsTable;
  usage_events: UsageEventsTable;
  usage_rollup_minute: UsageRollupTable;
  usage_rollup_hour: UsageRollupTable;
  usage_rollup_day: UsageRollupTable;
  rate_limits: RateLimitsTable;
  spend_limits: SpendLimitsTable;
  spend_alerts: SpendAlertsTable;
  spend_alert_firings: SpendAlertFiringsTable;
  meta: MetaTable;
  kp_migrations: MigrationsTable;
}
