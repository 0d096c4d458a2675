/**
 * Wire objects the admin API returns. Hand-written because the routes do not declare response
 * schemas yet; request types come from /openapi.json (generated/operations.ts). OpenAI's fields
 * keep OpenAI's names; fields marked "extension" are Keyplane's.
 */

/** OpenAI's list envelope (shape A). */
export interface ListPage<T> {
  object: "list";
  data: T[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

export interface Deleted<O extends string = string> {
  object: O;
  id: string;
  deleted: true;
}

export interface Project {
  object: "organization.project";
  id: string;
  name: string;
  created_at: number;
  archived_at: number | null;
  status: "active" | "archived";
  external_key_id?: string | null;
  residency?: string;
}

export interface ServiceAccount {
  object: "organization.project.service_account";
  id: string;
  name: string;
  role: "owner" | "member";
  created_at: number;
}

export interface ProjectUser {
  object: "organization.project.user";
  id: string;
  name: string;
  email: string;
  role: "owner" | "member";
  added_at: number;
  created_at?: number;
}

export interface User {
  object: "organization.user";
  id: string;
  name: string;
  email: string;
  role: "owner" | "reader";
  added_at: number;
}

/** Per-key limits (extension). Null fields are unlimited. */
export interface KeyLimits {
  rpm: number | null;
  rpd: number | null;
  tpm: number | null;
  tpd: number | null;
  max_concurrent: number | null;
}

export interface ProjectApiKey {
  object: "organization.project.api_key";
  id: string;
  name: string;
  redacted_value: string;
  created_at: number;
  last_used_at: number | null;
  expires_at: number | null;
  owner_project_access: "active" | "inactive";
  owner: { type: "user"; user?: ProjectUser } | { type: "service_account"; service_account: ServiceAccount };
  /** Extensions. */
  project_id: string;
  scopes: string[];
  models: string[] | null;
  limits: KeyLimits | null;
  budget_usd: number | null;
}

/** Create and rotate answers: the secret, shown once. */
export interface ProjectApiKeyWithSecret extends ProjectApiKey {
  value: string;
}

export interface AdminApiKey {
  object: "organization.admin_api_key";
  id: string;
  name: string;
  redacted_value: string;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  owner: { type: string; object: string; id: string; name: string; created_at: number; role: string };
  scopes: string[];
  value?: string;
}

export interface ServiceAccountApiKey {
  object: "organization.project.service_account.api_key";
  id: string;
  name: string;
  created_at: number;
  expires_at?: number | null;
  value: string;
}

export interface ServiceAccountCreated extends ServiceAccount {
  api_key: ServiceAccountApiKey | null;
}

export interface Organization {
  object: "organization";
  id: string;
  name: string;
  created_at: number;
}

export interface OrganizationCreated extends Organization {
  default_project_id: string;
  owner_user_id: string;
  admin_key: { id: string; value: string } | null;
}

export interface AuditLog {
  id: string;
  type: string;
  effective_at: number;
  project?: { id: string; name: string };
  actor?: {
    type: "session" | "api_key";
    session?: { user: { id: string; email: string }; ip_address: string | null };
    api_key?: { id: string; type: "user" | "service_account"; user?: { id: string; email: string } };
  };
  ip_address?: string | null;
  user_agent?: string | null;
  /** The details live under a property named after `type`, e.g. `"api_key.created": {...}`. */
  [detail: string]: unknown;
}

export interface Invite {
  object: "organization.invite";
  id: string;
  email: string;
  role: "owner" | "reader";
  status: "accepted" | "expired" | "pending";
  created_at: number;
  expires_at?: number | null;
  accepted_at?: number | null;
  projects: { id: string; role: "member" | "owner" }[];
}

/** The create response also carries the single-use accept link (Keyplane extension, shown once). */
export interface InviteCreated extends Invite {
  accept_url: string;
}

/** A one-time dashboard set-password link (Keyplane extension, shown once). */
export interface UserPasswordLink {
  object: "organization.user.password_link";
  user_id: string;
  url: string;
  expires_at: number;
}

export interface ProjectRateLimit {
  object: "project.rate_limit";
  id: string;
  model: string;
  max_requests_per_1_minute: number;
  max_tokens_per_1_minute: number;
  max_images_per_1_minute?: number;
  max_audio_megabytes_per_1_minute?: number;
  max_requests_per_1_day?: number;
  batch_1_day_max_input_tokens?: number;
}

/** A hard spend limit; `threshold_amount` is in cents, as OpenAI has it. */
export interface SpendLimit {
  object: "organization.spend_limit" | "project.spend_limit";
  threshold_amount: number;
  currency: "USD";
  interval: "month";
  enforcement: { status: "inactive" | "enforcing" };
}

export interface SpendAlertChannel {
  type: "email";
  recipients: string[];
  subject_prefix?: string | null;
}

export interface SpendAlert {
  id: string;
  object: "organization.spend_alert" | "project.spend_alert";
  threshold_amount: number;
  currency: "USD";
  interval: "month";
  notification_channel: SpendAlertChannel;
}

export interface UsageBucket<R> {
  object: "bucket";
  start_time: number;
  end_time: number;
  results: R[];
}

/** OpenAI's usage/costs envelope (shape C): the next page is `page=<next_page>`. */
export interface UsagePage<R> {
  object: "page";
  data: UsageBucket<R>[];
  has_more: boolean;
  next_page: string | null;
}

interface UsageGroupKeys {
  project_id?: string | null;
  user_id?: string | null;
  api_key_id?: string | null;
  model?: string | null;
}

export interface CompletionsUsageResult extends UsageGroupKeys {
  object: "organization.usage.completions.result";
  input_tokens: number;
  output_tokens: number;
  num_model_requests: number;
  input_cached_tokens?: number;
  input_audio_tokens?: number;
  output_audio_tokens?: number;
  batch?: boolean | null;
  service_tier?: string | null;
}

export interface EmbeddingsUsageResult extends UsageGroupKeys {
  object: "organization.usage.embeddings.result";
  input_tokens: number;
  num_model_requests: number;
}

export interface CostResult {
  object: "organization.costs.result";
  amount?: { value: number; currency: string };
  line_item?: string | null;
  project_id?: string | null;
  api_key_id?: string | null;
  quantity?: number | null;
  quantity_unit?: string | null;
}

export interface ModerationsUsageResult extends UsageGroupKeys {
  object: "organization.usage.moderations.result";
  input_tokens: number;
  num_model_requests: number;
}

/** Results of the other usage pages (moderations, images, audio, vector stores, tools). */
export interface OtherUsageResult extends UsageGroupKeys {
  object: string;
  num_model_requests?: number;
  input_tokens?: number;
  [field: string]: unknown;
}
