import type { GeneratedOperations } from "./generated/operations.js";
import type { PendingOperations } from "./pending-operations.js";
import type {
  AdminApiKey,
  AuditLog,
  CompletionsUsageResult,
  CostResult,
  Deleted,
  EmbeddingsUsageResult,
  Invite,
  InviteCreated,
  ListPage,
  ModerationsUsageResult,
  Organization,
  OrganizationCreated,
  OtherUsageResult,
  Project,
  ProjectApiKey,
  ProjectApiKeyWithSecret,
  ProjectRateLimit,
  ProjectUser,
  ServiceAccount,
  ServiceAccountApiKey,
  ServiceAccountCreated,
  SpendAlert,
  SpendLimit,
  UsagePage,
  User,
  UserPasswordLink,
} from "./types.js";

/** Served routes come from the live document; pending ones only until they land (see that file). */
export type Operations = GeneratedOperations & Omit<PendingOperations, keyof GeneratedOperations>;
export type RouteKey = keyof Operations;

export type Params<K extends RouteKey> = Operations[K]["params"];
export type Query<K extends RouteKey> = Operations[K]["query"];
export type Body<K extends RouteKey> = Operations[K]["body"];

/** What each route answers. Every route key must be listed (checked below). */
export interface Responses {
  "GET /v1/organization/projects": ListPage<Project>;
  "POST /v1/organization/projects": Project;
  "GET /v1/organization/projects/{project_id}": Project;
  "POST /v1/organization/projects/{project_id}": Project;
  "POST /v1/organization/projects/{project_id}/archive": Project;

  "GET /v1/organization/projects/{project_id}/api_keys": ListPage<ProjectApiKey>;
  "POST /v1/organization/projects/{project_id}/api_keys": ProjectApiKeyWithSecret;
  "GET /v1/organization/projects/{project_id}/api_keys/{api_key_id}": ProjectApiKey;
  "POST /v1/organization/projects/{project_id}/api_keys/{api_key_id}": ProjectApiKey;
  "DELETE /v1/organization/projects/{project_id}/api_keys/{api_key_id}": Deleted<"organization.project.api_key.deleted">;
  "POST /v1/organization/projects/{project_id}/api_keys/{api_key_id}/rotate": ProjectApiKeyWithSecret;

  "GET /v1/organization/projects/{project_id}/service_accounts": ListPage<ServiceAccount>;
  "POST /v1/organization/projects/{project_id}/service_accounts": ServiceAccountCreated;
  "GET /v1/organization/projects/{project_id}/service_accounts/{service_account_id}": ServiceAccount;
  "POST /v1/organization/projects/{project_id}/service_accounts/{service_account_id}": ServiceAccount;
  "DELETE /v1/organization/projects/{project_id}/service_accounts/{service_account_id}": Deleted<"organization.project.service_account.deleted">;
  "POST /v1/organization/projects/{project_id}/service_accounts/{service_account_id}/api_keys": ServiceAccountApiKey;

  "GET /v1/organization/projects/{project_id}/users": ListPage<ProjectUser>;
  "POST /v1/organization/projects/{project_id}/users": ProjectUser;
  "GET /v1/organization/projects/{project_id}/users/{user_id}": ProjectUser;
  "POST /v1/organization/projects/{project_id}/users/{user_id}": ProjectUser;
  "DELETE /v1/organization/projects/{project_id}/users/{user_id}": Deleted<"organization.project.user.deleted">;

  "GET /v1/organization/users": ListPage<User>;
  "GET /v1/organization/users/{user_id}": User;
  "POST /v1/organization/users/{user_id}": User;
  "DELETE /v1/organization/users/{user_id}": Deleted<"organization.user.deleted">;
  "POST /v1/organization/users/{user_id}/password_link": UserPasswordLink;

  "GET /v1/organization/invites": ListPage<Invite>;
  "POST /v1/organization/invites": InviteCreated;
  "GET /v1/organization/invites/{invite_id}": Invite;
  "DELETE /v1/organization/invites/{invite_id}": Deleted<"organization.invite.deleted">;

  "GET /v1/organization/admin_api_keys": ListPage<AdminApiKey>;
  "POST /v1/organization/admin_api_keys": AdminApiKey & { value: string };
  "GET /v1/organization/admin_api_keys/{key_id}": AdminApiKey;
  "DELETE /v1/organization/admin_api_keys/{key_id}": Deleted<"organization.admin_api_key.deleted">;

  "GET /v1/organization/audit_logs": ListPage<AuditLog>;

  "GET /v1/organizations": ListPage<Organization>;
  "POST /v1/organizations": OrganizationCreated;
  "GET /v1/organizations/{organization_id}": Organization;
  "GET /v1/organizations/{organization_id}/projects/{project_id}/apikeys": ListPage<ProjectApiKey>;
  "POST /v1/organizations/{organization_id}/projects/{project_id}/apikeys": ProjectApiKeyWithSecret;
  "GET /v1/organizations/{organization_id}/projects/{project_id}/apikeys/{key_id}": ProjectApiKey;
  "POST /v1/organizations/{organization_id}/projects/{project_id}/apikeys/{key_id}": ProjectApiKey;
  "DELETE /v1/organizations/{organization_id}/projects/{project_id}/apikeys/{key_id}": Deleted<"organization.project.api_key.deleted">;
  "POST /v1/organizations/{organization_id}/projects/{project_id}/apikeys/{key_id}/rotate": ProjectApiKeyWithSecret;

  "GET /v1/organization/projects/{project_id}/rate_limits": ListPage<ProjectRateLimit>;
  "POST /v1/organization/projects/{project_id}/rate_limits/{rate_limit_id}": ProjectRateLimit;

  "GET /v1/organization/spend_limit": SpendLimit;
  "POST /v1/organization/spend_limit": SpendLimit;
  "DELETE /v1/organization/spend_limit": { object: "organization.spend_limit.deleted"; deleted: true };
  "GET /v1/organization/projects/{project_id}/spend_limit": SpendLimit;
  "POST /v1/organization/projects/{project_id}/spend_limit": SpendLimit;
  "DELETE /v1/organization/projects/{project_id}/spend_limit": {
    object: "project.spend_limit.deleted";
    deleted: true;
  };

  "GET /v1/organization/spend_alerts": ListPage<SpendAlert>;
  "POST /v1/organization/spend_alerts": SpendAlert;
  "GET /v1/organization/spend_alerts/{alert_id}": SpendAlert;
  "POST /v1/organization/spend_alerts/{alert_id}": SpendAlert;
  "DELETE /v1/organization/spend_alerts/{alert_id}": Deleted<"organization.spend_alert.deleted">;
  "GET /v1/organization/projects/{project_id}/spend_alerts": ListPage<SpendAlert>;
  "POST /v1/organization/projects/{project_id}/spend_alerts": SpendAlert;
  "GET /v1/organization/projects/{project_id}/spend_alerts/{alert_id}": SpendAlert;
  "POST /v1/organization/projects/{project_id}/spend_alerts/{alert_id}": SpendAlert;
  "DELETE /v1/organization/projects/{project_id}/spend_alerts/{alert_id}": Deleted<"project.spend_alert.deleted">;

  "GET /v1/organization/usage/completions": UsagePage<CompletionsUsageResult>;
  "GET /v1/organization/usage/embeddings": UsagePage<EmbeddingsUsageResult>;
  "GET /v1/organization/usage/moderations": UsagePage<ModerationsUsageResult>;
  "GET /v1/organization/usage/images": UsagePage<OtherUsageResult>;
  "GET /v1/organization/usage/audio_speeches": UsagePage<OtherUsageResult>;
  "GET /v1/organization/usage/audio_transcriptions": UsagePage<OtherUsageResult>;
  "GET /v1/organization/usage/vector_stores": UsagePage<OtherUsageResult>;
  "GET /v1/organization/usage/code_interpreter_sessions": UsagePage<OtherUsageResult>;
  "GET /v1/organization/usage/file_search_calls": UsagePage<OtherUsageResult>;
  "GET /v1/organization/usage/web_search_calls": UsagePage<OtherUsageResult>;
  "GET /v1/organization/costs": UsagePage<CostResult>;
}

/** A route whose schema documents its answer uses that type; the others use `Responses`. */
export type ResponseOf<K extends RouteKey> = unknown extends Operations[K]["response"]
  ? K extends keyof Responses
    ? Responses[K]
    : never
  : Operations[K]["response"];

// Compile-time contract: a route added to or removed from /openapi.json without this map fails tsc.
type Unanswered = Exclude<RouteKey, keyof Responses>;
type Stale = Exclude<keyof Responses, RouteKey>;
export const RESPONSES_COMPLETE: [Unanswered, Stale] extends [never, never] ? true : [Unanswered, Stale] =
  true;
