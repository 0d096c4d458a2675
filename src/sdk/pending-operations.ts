/**
 * Admin routes the SDK already speaks (OpenAI's shapes, from shared/spec) that this server does
 * not serve yet. When one lands, `npm run sdk:generate` adds it to generated/operations.ts, which
 * shadows the entry here; the contract test then fails until the entry is deleted from this file.
 */

type None = Record<string, never>;
type Page = { limit?: number; after?: string };

interface Op<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  response: unknown;
}

interface UsageQuery {
  start_time: number;
  end_time?: number;
  bucket_width?: "1m" | "1h" | "1d";
  project_ids?: string[];
  user_ids?: string[];
  api_key_ids?: string[];
  models?: string[];
  limit?: number;
  page?: string;
}

type UsageGroup = "project_id" | "user_id" | "api_key_id" | "model";

export interface InviteBody {
  email: string;
  role: "reader" | "owner";
  projects?: { id: string; role: "member" | "owner" }[];
}

export interface PendingOperations {
  "GET /v1/organization/invites": Op<None, Page, undefined>;
  "POST /v1/organization/invites": Op<None, None, InviteBody>;
  "GET /v1/organization/invites/{invite_id}": Op<{ invite_id: string }, None, undefined>;
  "DELETE /v1/organization/invites/{invite_id}": Op<{ invite_id: string }, None, undefined>;

  "GET /v1/organization/usage/completions": Op<
    None,
    UsageQuery & {
      batch?: boolean;
      group_by?: ("project_id" | "user_id" | "api_key_id" | "model" | "batch" | "service_tier")[];
    },
    undefined
  >;
  "GET /v1/organization/usage/embeddings": Op<
    None,
    UsageQuery & { group_by?: ("project_id" | "user_id" | "api_key_id" | "model")[] },
    undefined
  >;
  "GET /v1/organization/usage/moderations": Op<None, UsageQuery & { group_by?: UsageGroup[] }, undefined>;
  "GET /v1/organization/usage/images": Op<
    None,
    UsageQuery & { group_by?: (UsageGroup | "size" | "source")[]; sources?: string[]; sizes?: string[] },
    undefined
  >;
  "GET /v1/organization/usage/audio_speeches": Op<None, UsageQuery & { group_by?: UsageGroup[] }, undefined>;
  "GET /v1/organization/usage/audio_transcriptions": Op<
    None,
    UsageQuery & { group_by?: UsageGroup[] },
    undefined
  >;
  "GET /v1/organization/usage/vector_stores": Op<None, UsageQuery & { group_by?: "project_id"[] }, undefined>;
  "GET /v1/organization/usage/code_interpreter_sessions": Op<
    None,
    UsageQuery & { group_by?: "project_id"[] },
    undefined
  >;
  "GET /v1/organization/usage/file_search_calls": Op<
    None,
    UsageQuery & { group_by?: (UsageGroup | "vector_store_id")[]; vector_store_ids?: string[] },
    undefined
  >;
  "GET /v1/organization/usage/web_search_calls": Op<
    None,
    UsageQuery & {
      group_by?: (UsageGroup | "context_level")[];
      context_levels?: ("low" | "medium" | "high")[];
    },
    undefined
  >;
  "GET /v1/organization/costs": Op<
    None,
    Omit<UsageQuery, "bucket_width" | "user_ids" | "models"> & {
      bucket_width?: "1d";
      group_by?: ("project_id" | "line_item" | "api_key_id")[];
    },
    undefined
  >;
}

/** Runtime list of the same keys, for the contract test (checked exhaustive below). */
export const PENDING_ROUTES = [
  "GET /v1/organization/invites",
  "POST /v1/organization/invites",
  "GET /v1/organization/invites/{invite_id}",
  "DELETE /v1/organization/invites/{invite_id}",
  "GET /v1/organization/usage/completions",
  "GET /v1/organization/usage/embeddings",
  "GET /v1/organization/usage/moderations",
  "GET /v1/organization/usage/images",
  "GET /v1/organization/usage/audio_speeches",
  "GET /v1/organization/usage/audio_transcriptions",
  "GET /v1/organization/usage/vector_stores",
  "GET /v1/organization/usage/code_interpreter_sessions",
  "GET /v1/organization/usage/file_search_calls",
  "GET /v1/organization/usage/web_search_calls",
  "GET /v1/organization/costs",
] as const satisfies readonly (keyof PendingOperations)[];

type MissingPending = Exclude<keyof PendingOperations, (typeof PENDING_ROUTES)[number]>;
export const PENDING_EXHAUSTIVE: [MissingPending] extends [never] ? true : MissingPending = true;
