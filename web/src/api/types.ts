/** Wire shapes the dashboard reads (OpenAI's admin objects plus Keyplane's documented extensions). */

export interface List<T> {
  object: "list";
  data: T[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

export interface Session {
  user: { id: string; email: string; name: string; role: "owner" | "reader" };
  organization: { id: string; name: string };
  organizations: { id: string; name: string; role: string }[];
  permissions: { read: boolean; write: boolean };
  csrf_token: string;
  expires_at: number;
}

export interface Project {
  id: string;
  name: string;
  created_at: number;
  archived_at: number | null;
  status: "active" | "archived";
}

export interface KeyLimits {
  rpm: number | null;
  rpd: number | null;
  tpm: number | null;
  tpd: number | null;
  max_concurrent: number | null;
}

export interface ApiKey {
  id: string;
  name: string;
  redacted_value: string;
  created_at: number;
  last_used_at: number | null;
  expires_at: number | null;
  owner: {
    type: "user" | "service_account";
    user?: { id: string; name: string; email: string };
    service_account?: { id: string; name: string };
  };
  scopes: string[];
  models: string[] | null;
  limits: KeyLimits | null;
  budget_usd: number | null;
  /** Present only in create and rotate responses. */
  value?: string;
}

export interface ServiceAccount {
  id: string;
  name: string;
  role: string;
  created_at: number;
  api_key?: { id: string; name: string; value: string; created_at: number } | null;
}

export interface User {
  id: string;
  name: string;
  email: string;
  role: "owner" | "reader";
  added_at: number;
}

export interface ProjectUser {
  id: string;
  name: string;
  email: string;
  role: "owner" | "member";
  added_at: number;
}

export interface Invite {
  id: string;
  email: string;
  role: "owner" | "reader";
  status: "pending" | "accepted" | "expired";
  created_at: number;
  expires_at: number;
  accepted_at: number | null;
  projects: { id: string; role: string }[];
  accept_url?: string;
}

export interface AuditLog {
  id: string;
  type: string;
  effective_at: number;
  project?: { id: string; name: string };
  actor?: {
    type: "session" | "api_key";
    session?: { user: { id: string; email: string }; ip_address: string };
    api_key?: { id: string; type: string; user?: { id: string; email: string } };
  };
  ip_address?: string | null;
  [k: string]: unknown;
}

export interface RateLimit {
  id: string;
  model: string;
  max_requests_per_1_minute: number;
  max_tokens_per_1_minute: number;
  max_requests_per_1_day?: number | null;
}

/** OpenAI Usage API: /v1/organization/usage/completions. */
export interface UsageResult {
  input_tokens: number;
  output_tokens: number;
  input_cached_tokens?: number;
  num_model_requests: number;
  project_id?: string | null;
  api_key_id?: string | null;
  model?: string | null;
}

/** OpenAI Costs API: /v1/organization/costs. */
export interface CostResult {
  amount: { value: number; currency: string };
  line_item?: string | null;
  project_id?: string | null;
  api_key_id?: string | null;
}

export interface Bucket<R> {
  start_time: number;
  end_time: number;
  results: R[];
}

export interface BucketPage<R> {
  object: "page";
  data: Bucket<R>[];
  has_more: boolean;
  next_page: string | null;
}
