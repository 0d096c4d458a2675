// Generated from Keyplane's /openapi.json by `npm run sdk:generate`. Do not edit by hand:
// test/sdk/openapi-contract.test.ts regenerates it from a live server and fails on any difference.

export interface GeneratedOperations {
  "DELETE /v1/organization/admin_api_keys/{key_id}": {
    operationId: "admin-api-keys-delete";
    extension: false;
    params: {
      key_id: string;
    };
    query: Record<string, never>;
    body: undefined;
    response: unknown;
  };
  "DELETE /v1/organization/invites/{invite_id}": {
    operationId: "delete-invite";
    extension: false;
    params: {
      invite_id: string;
    };
    query: Record<string, never>;
    body: undefined;
    response: unknown;
  };
  "DELETE /v1/organization/projects/{project_id}/api_keys/{api_key_id}": {
    operationId: "delete-project-api-key";
    extension: false;
    params: {
      project_id: string;
      api_key_id: string;
    };
    query: Record<string, never>;
    body: undefined;
    response: unknown;
  };
  "DELETE /v1/organization/projects/{project_id}/service_accounts/{service_account_id}": {
    operationId: "delete-project-service-account";
    extension: false;
    params: {
      project_id: string;
      service_account_id: string;
    };
    query: Record<string, never>;
    body: undefined;
    response: unknown;
  };
  "DELETE /v1/organization/projects/{project_id}/spend_alerts/{alert_id}": {
    operationId: "delete-project-spend-alert";
    extension: false;
    params: {
      project_id: string;
      alert_id: string;
    };
    query: Record<string, never>;
    body: undefined;
    response: unknown;
  };
  "DELETE /v1/organization/projects/{project_id}/spend_limit": {
    operationId: "delete-project-spend-limit";
    extension: false;
    params: {
      project_id: string;
    };
    query: Record<string, never>;
    body: undefined;
    response: unknown;
  };
  "DELETE /v1/organization/projects/{project_id}/users/{user_id}": {
    operationId: "delete-project-user";
    extension: false;
    params: {
      project_id: string;
      user_id: string;
    };
    query: Record<string, never>;
    body: undefined;
    response: unknown;
  };
  "DELETE /v1/organization/spend_alerts/{alert_id}": {
    operationId: "delete-organization-spend-alert";
    extension: false;
    params: {
      alert_id: string;
    };
    query: Record<string, never>;
    body: undefined;
    response: unknown;
  };
  "DELETE /v1/organization/spend_limit": {
    operationId: "delete-organization-spend-limit";
    extension: false;
    params: Record<string, never>;
    query: Record<string, never>;
    body: undefined;
    response: unknown;
  };
  "DELETE /v1/organization/users/{user_id}": {
    operationId: "delete-user";
    extension: false;
    params: {
      user_id: string;
    };
    query: Record<string, never>;
    body: undefined;
    response: unknown;
  };
  "DELETE /v1/organizations/{organization_id}/projects/{project_id}/apikeys/{key_id}": {
    operationId: "revoke-org-project-api-key";
    extension: true;
    params: {
      organization_id: string;
      project_id: string;
      key_id: string;
    };
    query: Record<string, never>;
    body: undefined;
    response: unknown;
  };
  "GET /v1/organization/admin_api_keys": {
    operationId: "admin-api-keys-list";
    extension: false;
    params: Record<string, never>;
    query: {
      limit?: number;
      after?: string;
      order?: "asc" | "desc";
    };
    body: undefined;
    response: unknown;
  };
  "GET /v1/organization/admin_api_keys/{key_id}": {
    operationId: "admin-api-keys-get";
    extension: false;
    params: {
      key_id: string;
    };
    query: Record<string, never>;
    body: undefined;
    response: unknown;
  };
  "GET /v1/organization/audit_logs": {
    operationId: "list-audit-logs";
    extension: false;
    params: Record<string, never>;
    query: {
      limit?: number;
      after?: string;
      order?: "asc" | "desc";
      before?: string;
      effective_at?: {
        gt?: number;
        gte?: number;
        lt?: number;
        lte?: number;
      };
      event_types?: string[] | string;
      project_ids?: string[] | string;
      actor_ids?: string[] | string;
      actor_emails?: string[] | string;
      resource_ids?: string[] | string;
    };
    body: undefined;
    response: unknown;
  };
  "GET /v1/organization/costs": {
    operationId: "usage-costs";
    extension: false;
    params: Record<string, never>;
    query: {
      start_time: number;
      end_time?: number;
      limit?: number;
      page?: string;
      project_ids?: string[] | string;
      format?: "json" | "csv";
      bucket_width?: "1d";
      api_key_ids?: string[] | string;
      line_items?: string[] | string;
      group_by?: (Array<"project_id" | "line_item" | "api_key_id" | "user_id" | "api_source">) | ("project_id" | "line_item" | "api_key_id" | "user_id" | "api_source");
    };
    body: undefined;
    response: unknown;
  };
  "GET /v1/organization/invites": {
    operationId: "list-invites";
    extension: false;
    params: Record<string, never>;
    query: {
      limit?: number;
      after?: string;
      order?: "asc" | "desc";
    };
    body: undefined;
    response: unknown;
  };
  "GET /v1/organization/invites/{invite_id}": {
    operationId: "retrieve-invite";
    extension: false;
    params: {
      invite_id: string;
    };
    query: Record<string, never>;
    body: undefined;
    response: unknown;
  };
  "GET /v1/organization/projects": {
    operationId: "list-projects";
    extension: false;
    params: Record<string, never>;
    query: {
      limit?: number;
      after?: string;
      order?: "asc" | "desc";
      include_archived?: boolean | ("0" | "1" | "true" | "false");
    };
    body: undefined;
    response: unknown;
  };
  "GET /v1/organization/projects/{project_id}": {
    operationId: "retrieve-project";
    extension: false;
    params: {
      project_id: string;
    };
    query: Record<string, never>;
    body: undefined;
    response: unknown;
  };
  "GET /v1/organization/projects/{project_id}/api_keys": {
    operationId: "list-project-api-keys";
    extension: false;
    params: {
      project_id: string;
    };
    query: {
      limit?: number;
      after?: string;
      order?: "asc" | "desc";
      owner_project_access?: "active" | "inactive" | "any";
    };
    body: undefined;
    response: unknown;
  };
  "GET /v1/organization/projects/{project_id}/api_keys/{api_key_id}": {
    operationId: "retrieve-project-api-key";
    extension: false;
    params: {
      project_id: string;
      api_key_id: string;
    };
    query: Record<string, never>;
    body: undefined;
    response: unknown;
  };
  "GET /v1/organization/projects/{project_id}/rate_limits": {
    operationId: "list-project-rate-limits";
    extension: false;
    params: {
      project_id: string;
    };
    query: {
      limit?: number;
      after?: string;
      before?: string;
    };
    body: undefined;
    response: unknown;
  };
  "GET /v1/organization/projects/{project_id}/service_accounts": {
    operationId: "list-project-service-accounts";
    extension: false;
    params: {
      project_id: string;
    };
    query: {
      limit?: number;
      after?: string;
      order?: "asc" | "desc";
    };
    body: undefined;
    response: unknown;
  };
  "GET /v1/organization/projects/{project_id}/service_accounts/{service_account_id}": {
    operationId: "retrieve-project-service-account";
    extension: false;
    params: {
      project_id: string;
      service_account_id: string;
    };
    query: Record<string, never>;
    body: undefined;
    response: unknown;
  };
  "GET /v1/organization/projects/{project_id}/spend_alerts": {
    operationId: "list-project-spend-alerts";
    extension: false;
    params: {
      project_id: string;
    };
    query: {
      limit?: number;
      order?: "asc" | "desc";
      after?: string;
      before?: string;
    };
    body: undefined;
    response: unknown;
  };
  "GET /v1/organization/projects/{project_id}/spend_alerts/{alert_id}": {
    operationId: "retrieve-project-spend-alert";
    extension: false;
    params: {
      project_id: string;
      alert_id: string;
    };
    query: Record<string, never>;
    body: undefined;
    response: unknown;
  };
  "GET /v1/organization/projects/{project_id}/spend_limit": {
    operationId: "retrieve-project-spend-limit";
    extension: false;
    params: {
      project_id: string;
    };
    query: Record<string, never>;
    body: undefined;
    response: unknown;
  };
  "GET /v1/organization/projects/{project_id}/users": {
    operationId: "list-project-users";
    extension: false;
    params: {
      project_id: string;
    };
    query: {
      limit?: number;
      after?: string;
      order?: "asc" | "desc";
    };
    body: undefined;
    response: unknown;
  };
  "GET /v1/organization/projects/{project_id}/users/{user_id}": {
    operationId: "retrieve-project-user";
    extension: false;
    params: {
      project_id: string;
      user_id: string;
    };
    query: Record<string, never>;
    body: undefined;
    response: unknown;
  };
  "GET /v1/organization/spend_alerts": {
    operationId: "list-organization-spend-alerts";
    extension: false;
    params: Record<string, never>;
    query: {
      limit?: number;
      order?: "asc" | "desc";
      after?: string;
      before?: string;
    };
    body: undefined;
    response: unknown;
  };
  "GET /v1/organization/spend_alerts/{alert_id}": {
    operationId: "retrieve-organization-spend-alert";
    extension: false;
    params: {
      alert_id: string;
    };
    query: Record<string, never>;
    body: undefined;
    response: unknown;
  };
  "GET /v1/organization/spend_limit": {
    operationId: "retrieve-organization-spend-limit";
    extension: false;
    params: Record<string, never>;
    query: Record<string, never>;
    body: undefined;
    response: unknown;
  };
  "GET /v1/organization/usage/audio_speeches": {
    operationId: "usage-audio-speeches";
    extension: false;
    params: Record<string, never>;
    query: {
      start_time: number;
      end_time?: number;
      limit?: number;
      page?: string;
      project_ids?: string[] | string;
      format?: "json" | "csv";
      bucket_width?: "1m" | "1h" | "1d";
      user_ids?: string[] | string;
      api_key_ids?: string[] | string;
      models?: string[] | string;
      batch?: boolean | ("0" | "1" | "true" | "false");
      group_by?: (Array<"project_id" | "user_id" | "api_key_id" | "model" | "api_source">) | ("project_id" | "user_id" | "api_key_id" | "model" | "api_source");
    };
    body: undefined;
    response: unknown;
  };
  "GET /v1/organization/usage/audio_transcriptions": {
    operationId: "usage-audio-transcriptions";
    extension: false;
    params: Record<string, never>;
    query: {
      start_time: number;
      end_time?: number;
      limit?: number;
      page?: string;
      project_ids?: string[] | string;
      format?: "json" | "csv";
      bucket_width?: "1m" | "1h" | "1d";
      user_ids?: string[] | string;
      api_key_ids?: string[] | string;
      models?: string[] | string;
      batch?: boolean | ("0" | "1" | "true" | "false");
      group_by?: (Array<"project_id" | "user_id" | "api_key_id" | "model" | "api_source">) | ("project_id" | "user_id" | "api_key_id" | "model" | "api_source");
    };
    body: undefined;
    response: unknown;
  };
  "GET /v1/organization/usage/code_interpreter_sessions": {
    operationId: "usage-code-interpreter-sessions";
    extension: false;
    params: Record<string, never>;
    query: {
      start_time: number;
      end_time?: number;
      limit?: number;
      page?: string;
      project_ids?: string[] | string;
      format?: "json" | "csv";
      bucket_width?: "1m" | "1h" | "1d";
      user_ids?: string[] | string;
      api_key_ids?: string[] | string;
      models?: string[] | string;
      batch?: boolean | ("0" | "1" | "true" | "false");
      group_by?: (Array<"project_id" | "user_id" | "api_key_id" | "model" | "api_source">) | ("project_id" | "user_id" | "api_key_id" | "model" | "api_source");
    };
    body: undefined;
    response: unknown;
  };
  "GET /v1/organization/usage/completions": {
    operationId: "usage-completions";
    extension: false;
    params: Record<string, never>;
    query: {
      start_time: number;
      end_time?: number;
      limit?: number;
      page?: string;
      project_ids?: string[] | string;
      format?: "json" | "csv";
      bucket_width?: "1m" | "1h" | "1d";
      user_ids?: string[] | string;
      api_key_ids?: string[] | string;
      models?: string[] | string;
      batch?: boolean | ("0" | "1" | "true" | "false");
      group_by?: (Array<"project_id" | "user_id" | "api_key_id" | "model" | "batch" | "service_tier" | "api_source">) | ("project_id" | "user_id" | "api_key_id" | "model" | "batch" | "service_tier" | "api_source");
    };
    body: undefined;
    response: unknown;
  };
  "GET /v1/organization/usage/embeddings": {
    operationId: "usage-embeddings";
    extension: false;
    params: Record<string, never>;
    query: {
      start_time: number;
      end_time?: number;
      limit?: number;
      page?: string;
      project_ids?: string[] | string;
      format?: "json" | "csv";
      bucket_width?: "1m" | "1h" | "1d";
      user_ids?: string[] | string;
      api_key_ids?: string[] | string;
      models?: string[] | string;
      batch?: boolean | ("0" | "1" | "true" | "false");
      group_by?: (Array<"project_id" | "user_id" | "api_key_id" | "model" | "api_source">) | ("project_id" | "user_id" | "api_key_id" | "model" | "api_source");
    };
    body: undefined;
    response: unknown;
  };
  "GET /v1/organization/usage/file_search_calls": {
    operationId: "usage-file-search-calls";
    extension: false;
    params: Record<string, never>;
    query: {
      start_time: number;
      end_time?: number;
      limit?: number;
      page?: string;
      project_ids?: string[] | string;
      format?: "json" | "csv";
      bucket_width?: "1m" | "1h" | "1d";
      user_ids?: string[] | string;
      api_key_ids?: string[] | string;
      models?: string[] | string;
      batch?: boolean | ("0" | "1" | "true" | "false");
      group_by?: (Array<"project_id" | "user_id" | "api_key_id" | "model" | "api_source">) | ("project_id" | "user_id" | "api_key_id" | "model" | "api_source");
    };
    body: undefined;
    response: unknown;
  };
  "GET /v1/organization/usage/images": {
    operationId: "usage-images";
    extension: false;
    params: Record<string, never>;
    query: {
      start_time: number;
      end_time?: number;
      limit?: number;
      page?: string;
      project_ids?: string[] | string;
      format?: "json" | "csv";
      bucket_width?: "1m" | "1h" | "1d";
      user_ids?: string[] | string;
      api_key_ids?: string[] | string;
      models?: string[] | string;
      batch?: boolean | ("0" | "1" | "true" | "false");
      group_by?: (Array<"project_id" | "user_id" | "api_key_id" | "model" | "api_source">) | ("project_id" | "user_id" | "api_key_id" | "model" | "api_source");
    };
    body: undefined;
    response: unknown;
  };
  "GET /v1/organization/usage/moderations": {
    operationId: "usage-moderations";
    extension: false;
    params: Record<string, never>;
    query: {
      start_time: number;
      end_time?: number;
      limit?: number;
      page?: string;
      project_ids?: string[] | string;
      format?: "json" | "csv";
      bucket_width?: "1m" | "1h" | "1d";
      user_ids?: string[] | string;
      api_key_ids?: string[] | string;
      models?: string[] | string;
      batch?: boolean | ("0" | "1" | "true" | "false");
      group_by?: (Array<"project_id" | "user_id" | "api_key_id" | "model" | "api_source">) | ("project_id" | "user_id" | "api_key_id" | "model" | "api_source");
    };
    body: undefined;
    response: unknown;
  };
  "GET /v1/organization/usage/vector_stores": {
    operationId: "usage-vector-stores";
    extension: false;
    params: Record<string, never>;
    query: {
      start_time: number;
      end_time?: number;
      limit?: number;
      page?: string;
      project_ids?: string[] | string;
      format?: "json" | "csv";
      bucket_width?: "1m" | "1h" | "1d";
      user_ids?: string[] | string;
      api_key_ids?: string[] | string;
      models?: string[] | string;
      batch?: boolean | ("0" | "1" | "true" | "false");
      group_by?: (Array<"project_id" | "user_id" | "api_key_id" | "model" | "api_source">) | ("project_id" | "user_id" | "api_key_id" | "model" | "api_source");
    };
    body: undefined;
    response: unknown;
  };
  "GET /v1/organization/usage/web_search_calls": {
    operationId: "usage-web-search-calls";
    extension: false;
    params: Record<string, never>;
    query: {
      start_time: number;
      end_time?: number;
      limit?: number;
      page?: string;
      project_ids?: string[] | string;
      format?: "json" | "csv";
      bucket_width?: "1m" | "1h" | "1d";
      user_ids?: string[] | string;
      api_key_ids?: string[] | string;
      models?: string[] | string;
      batch?: boolean | ("0" | "1" | "true" | "false");
      group_by?: (Array<"project_id" | "user_id" | "api_key_id" | "model" | "api_source">) | ("project_id" | "user_id" | "api_key_id" | "model" | "api_source");
    };
    body: undefined;
    response: unknown;
  };
  "GET /v1/organization/users": {
    operationId: "list-users";
    extension: false;
    params: Record<string, never>;
    query: {
      limit?: number;
      after?: string;
      order?: "asc" | "desc";
      emails?: string[] | string;
    };
    body: undefined;
    response: unknown;
  };
  "GET /v1/organization/users/{user_id}": {
    operationId: "retrieve-user";
    extension: false;
    params: {
      user_id: string;
    };
    query: Record<string, never>;
    body: undefined;
    response: unknown;
  };
  "GET /v1/organizations": {
    operationId: "list-organizations";
    extension: true;
    params: Record<string, never>;
    query: {
      limit?: number;
      after?: string;
      order?: "asc" | "desc";
    };
    body: undefined;
    response: unknown;
  };
  "GET /v1/organizations/{organization_id}": {
    operationId: "retrieve-organization";
    extension: true;
    params: {
      organization_id: string;
    };
    query: Record<string, never>;
    body: undefined;
    response: unknown;
  };
  "GET /v1/organizations/{organization_id}/projects/{project_id}/apikeys": {
    operationId: "list-org-project-api-keys";
    extension: true;
    params: {
      organization_id: string;
      project_id: string;
    };
    query: {
      limit?: number;
      after?: string;
      order?: "asc" | "desc";
    };
    body: undefined;
    response: unknown;
  };
  "GET /v1/organizations/{organization_id}/projects/{project_id}/apikeys/{key_id}": {
    operationId: "retrieve-org-project-api-key";
    extension: true;
    params: {
      organization_id: string;
      project_id: string;
      key_id: string;
    };
    query: Record<string, never>;
    body: undefined;
    response: unknown;
  };
  "POST /v1/organization/admin_api_keys": {
    operationId: "admin-api-keys-create";
    extension: false;
    params: Record<string, never>;
    query: Record<string, never>;
    body: {
      name: string;
      expires_in_seconds?: number | null;
      read_only?: boolean;
    };
    response: unknown;
  };
  "POST /v1/organization/invites": {
    operationId: "invite-user";
    extension: false;
    params: Record<string, never>;
    query: Record<string, never>;
    body: {
      email: string;
      role: "owner" | "reader";
      projects?: Array<{
        id: string;
        role: "member" | "owner";
      }>;
      expires_in_seconds?: number;
    };
    response: unknown;
  };
  "POST /v1/organization/projects": {
    operationId: "create-project";
    extension: false;
    params: Record<string, never>;
    query: Record<string, never>;
    body: {
      name: string;
      residency?: ("GLOBAL" | "US_STORAGE_PROCESSING" | "EU_STORAGE_PROCESSING" | "JP_STORAGE" | "KR_STORAGE" | "CA_STORAGE" | "SG_STORAGE" | "IN_STORAGE" | "AU_STORAGE" | "GB_STORAGE" | "AE_STORAGE" | "AE_STORAGE_PROCESSING") | null;
      external_key_id?: string | null;
    };
    response: unknown;
  };
  "POST /v1/organization/projects/{project_id}": {
    operationId: "modify-project";
    extension: false;
    params: {
      project_id: string;
    };
    query: Record<string, never>;
    body: {
      name?: string | null;
      external_key_id?: string | null;
    };
    response: unknown;
  };
  "POST /v1/organization/projects/{project_id}/api_keys": {
    operationId: "create-project-api-key";
    extension: true;
    params: {
      project_id: string;
    };
    query: Record<string, never>;
    body: {
      name: string;
      owner_user_id?: string | null;
      service_account_id?: string | null;
      scopes?: string[];
      models?: string[] | null;
      limits?: {
        rpm?: number | null;
        rpd?: number | null;
        tpm?: number | null;
        tpd?: number | null;
        max_concurrent?: number | null;
      } | null;
      budget_usd?: number | null;
      expires_in_seconds?: number | null;
    };
    response: unknown;
  };
  "POST /v1/organization/projects/{project_id}/api_keys/{api_key_id}": {
    operationId: "update-project-api-key";
    extension: false;
    params: {
      project_id: string;
      api_key_id: string;
    };
    query: Record<string, never>;
    body: {
      name?: string;
      scopes?: string[];
      expires_in_seconds?: number | null;
      models?: string[] | null;
      limits?: {
        rpm?: number | null;
        rpd?: number | null;
        tpm?: number | null;
        tpd?: number | null;
        max_concurrent?: number | null;
      } | null;
      budget_usd?: number | null;
    };
    response: unknown;
  };
  "POST /v1/organization/projects/{project_id}/api_keys/{api_key_id}/rotate": {
    operationId: "rotate-project-api-key";
    extension: true;
    params: {
      project_id: string;
      api_key_id: string;
    };
    query: Record<string, never>;
    body: {
      grace_period_seconds?: number;
    };
    response: unknown;
  };
  "POST /v1/organization/projects/{project_id}/archive": {
    operationId: "archive-project";
    extension: false;
    params: {
      project_id: string;
    };
    query: Record<string, never>;
    body: undefined;
    response: unknown;
  };
  "POST /v1/organization/projects/{project_id}/rate_limits/{rate_limit_id}": {
    operationId: "update-project-rate-limits";
    extension: false;
    params: {
      project_id: string;
      rate_limit_id: string;
    };
    query: Record<string, never>;
    body: {
      max_requests_per_1_minute?: number;
      max_tokens_per_1_minute?: number;
      max_images_per_1_minute?: number | null;
      max_audio_megabytes_per_1_minute?: number | null;
      max_requests_per_1_day?: number | null;
      batch_1_day_max_input_tokens?: number | null;
    };
    response: unknown;
  };
  "POST /v1/organization/projects/{project_id}/service_accounts": {
    operationId: "create-project-service-account";
    extension: false;
    params: {
      project_id: string;
    };
    query: Record<string, never>;
    body: {
      name: string;
      create_service_account_only?: boolean | null;
    };
    response: unknown;
  };
  "POST /v1/organization/projects/{project_id}/service_accounts/{service_account_id}": {
    operationId: "modify-project-service-account";
    extension: false;
    params: {
      project_id: string;
      service_account_id: string;
    };
    query: Record<string, never>;
    body: {
      name?: string;
      role?: "owner" | "member";
    };
    response: unknown;
  };
  "POST /v1/organization/projects/{project_id}/service_accounts/{service_account_id}/api_keys": {
    operationId: "create-project-service-account-api-key";
    extension: false;
    params: {
      project_id: string;
      service_account_id: string;
    };
    query: Record<string, never>;
    body: {
      name?: string;
      scopes?: string[];
      expires_in_seconds?: number | null;
    };
    response: unknown;
  };
  "POST /v1/organization/projects/{project_id}/spend_alerts": {
    operationId: "create-project-spend-alert";
    extension: false;
    params: {
      project_id: string;
    };
    query: Record<string, never>;
    body: {
      threshold_amount: number;
      currency: "USD";
      interval: "month" | "days";
      interval_days?: number;
      notification_channel: {
        type: "email";
        recipients: string[];
        subject_prefix?: string | null;
      };
      webhook_url?: string | null;
    };
    response: unknown;
  };
  "POST /v1/organization/projects/{project_id}/spend_alerts/{alert_id}": {
    operationId: "update-project-spend-alert";
    extension: false;
    params: {
      project_id: string;
      alert_id: string;
    };
    query: Record<string, never>;
    body: {
      threshold_amount?: number;
      currency?: "USD";
      interval?: "month" | "days";
      interval_days?: number;
      notification_channel?: {
        type: "email";
        recipients: string[];
        subject_prefix?: string | null;
      };
      webhook_url?: string | null;
    };
    response: unknown;
  };
  "POST /v1/organization/projects/{project_id}/spend_limit": {
    operationId: "update-project-spend-limit";
    extension: false;
    params: {
      project_id: string;
    };
    query: Record<string, never>;
    body: {
      threshold_amount: number;
      currency: "USD";
      interval: "month" | "days";
      interval_days?: number;
    };
    response: unknown;
  };
  "POST /v1/organization/projects/{project_id}/users": {
    operationId: "create-project-user";
    extension: false;
    params: {
      project_id: string;
    };
    query: Record<string, never>;
    body: {
      role: "owner" | "member";
      user_id?: string | null;
      email?: string | null;
    };
    response: unknown;
  };
  "POST /v1/organization/projects/{project_id}/users/{user_id}": {
    operationId: "modify-project-user";
    extension: false;
    params: {
      project_id: string;
      user_id: string;
    };
    query: Record<string, never>;
    body: {
      role: "owner" | "member";
    };
    response: unknown;
  };
  "POST /v1/organization/spend_alerts": {
    operationId: "create-organization-spend-alert";
    extension: false;
    params: Record<string, never>;
    query: Record<string, never>;
    body: {
      threshold_amount: number;
      currency: "USD";
      interval: "month" | "days";
      interval_days?: number;
      notification_channel: {
        type: "email";
        recipients: string[];
        subject_prefix?: string | null;
      };
      webhook_url?: string | null;
    };
    response: unknown;
  };
  "POST /v1/organization/spend_alerts/{alert_id}": {
    operationId: "update-organization-spend-alert";
    extension: false;
    params: {
      alert_id: string;
    };
    query: Record<string, never>;
    body: {
      threshold_amount?: number;
      currency?: "USD";
      interval?: "month" | "days";
      interval_days?: number;
      notification_channel?: {
        type: "email";
        recipients: string[];
        subject_prefix?: string | null;
      };
      webhook_url?: string | null;
    };
    response: unknown;
  };
  "POST /v1/organization/spend_limit": {
    operationId: "update-organization-spend-limit";
    extension: false;
    params: Record<string, never>;
    query: Record<string, never>;
    body: {
      threshold_amount: number;
      currency: "USD";
      interval: "month" | "days";
      interval_days?: number;
    };
    response: unknown;
  };
  "POST /v1/organization/users/{user_id}": {
    operationId: "modify-user";
    extension: false;
    params: {
      user_id: string;
    };
    query: Record<string, never>;
    body: {
      role: "owner" | "reader";
      role_id?: string | null;
      technical_level?: string | null;
      developer_persona?: string | null;
    };
    response: unknown;
  };
  "POST /v1/organization/users/{user_id}/password_link": {
    operationId: "create-user-password-link";
    extension: true;
    params: {
      user_id: string;
    };
    query: Record<string, never>;
    body: undefined;
    response: unknown;
  };
  "POST /v1/organizations": {
    operationId: "create-organization";
    extension: true;
    params: Record<string, never>;
    query: Record<string, never>;
    body: {
      name: string;
      owner_email?: string;
      owner_name?: string;
      create_admin_key?: boolean;
    };
    response: unknown;
  };
  "POST /v1/organizations/{organization_id}/projects/{project_id}/apikeys": {
    operationId: "create-org-project-api-key";
    extension: true;
    params: {
      organization_id: string;
      project_id: string;
    };
    query: Record<string, never>;
    body: {
      name: string;
      owner_user_id?: string | null;
      service_account_id?: string | null;
      scopes?: string[];
      models?: string[] | null;
      limits?: {
        rpm?: number | null;
        rpd?: number | null;
        tpm?: number | null;
        tpd?: number | null;
        max_concurrent?: number | null;
      } | null;
      budget_usd?: number | null;
      expires_in_seconds?: number | null;
    };
    response: unknown;
  };
  "POST /v1/organizations/{organization_id}/projects/{project_id}/apikeys/{key_id}": {
    operationId: "update-org-project-api-key";
    extension: true;
    params: {
      organization_id: string;
      project_id: string;
      key_id: string;
    };
    query: Record<string, never>;
    body: {
      name?: string;
      scopes?: string[];
      expires_in_seconds?: number | null;
      models?: string[] | null;
      limits?: {
        rpm?: number | null;
        rpd?: number | null;
        tpm?: number | null;
        tpd?: number | null;
        max_concurrent?: number | null;
      } | null;
      budget_usd?: number | null;
    };
    response: unknown;
  };
  "POST /v1/organizations/{organization_id}/projects/{project_id}/apikeys/{key_id}/rotate": {
    operationId: "rotate-org-project-api-key";
    extension: true;
    params: {
      organization_id: string;
      project_id: string;
      key_id: string;
    };
    query: Record<string, never>;
    body: {
      grace_period_seconds?: number;
    };
    response: unknown;
  };
}
