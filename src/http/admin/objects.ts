import type { KeyView } from "../../services/keys/key-view.js";
import type {
  AuditEventRecord,
  OrganizationRecord,
  ProjectRecord,
  ServiceAccountRecord,
  UserRecord,
} from "../../storage/records.js";
import type { ProjectUserView } from "../../storage/store.js";

/** Records → OpenAI's wire objects. Fields beyond OpenAI's are our documented extensions. */

export const projectObject = (p: ProjectRecord) => ({
  object: "organization.project" as const,
  id: p.id,
  name: p.name,
  created_at: p.createdAt,
  archived_at: p.archivedAt,
  status: p.status,
  external_key_id: p.externalKeyId,
  ...(p.residency ? { residency: p.residency } : {}),
});

const keyExtensions = (v: KeyView) => ({
  project_id: v.key.projectId,
  scopes: v.key.scopes,
  models: v.key.models,
  limits: v.key.limits
    ? {
        rpm: v.key.limits.rpm,
        rpd: v.key.limits.rpd,
        tpm: v.key.limits.tpm,
        tpd: v.key.limits.tpd,
        max_concurrent: v.key.limits.maxConcurrent,
      }
    : null,
  budget_usd: v.key.budgetMicros === null ? null : v.key.budgetMicros / 1_000_000,
  ...(v.usage
    ? {
        usage: {
          period: v.usage.period,
          requests: v.usage.requests,
          input_tokens: v.usage.inputTokens,
          output_tokens: v.usage.outputTokens,
          cost_usd: v.usage.costMicros / 1_000_000,
        },
      }
    : {}),
});

export const projectKeyObject = (v: KeyView) => {
  const { key, owner } = v;
  const u = owner.user;
  const sa = owner.serviceAccount;
  return {
    object: "organization.project.api_key" as const,
    id: key.id,
    name: key.name,
    redacted_value: key.redactedValue,
    created_at: key.createdAt,
    last_used_at: key.lastUsedAt,
    expires_at: key.expiresAt,
    owner_project_access: (sa || u?.projectRole ? "active" : "inactive") as "active" | "inactive",
    owner: sa
      ? {
          type: "service_account" as const,
          service_account: {
            object: "organization.project.service_account",
            id: sa.id,
            name: sa.name,
            role: sa.role,
            created_at: sa.createdAt,
          },
        }
      : {
          type: "user" as const,
          ...(u
            ? {
                user: {
                  object: "organization.project.user",
                  id: u.id,
                  name: u.name,
                  email: u.email,
                  role: u.projectRole ?? "member",
                  created_at: u.addedAt,
                  added_at: u.addedAt,
                },
              }
            : {}),
        },
    ...keyExtensions(v),
    ...(v.value ? { value: v.value } : {}),
  };
};

export const adminKeyObject = (v: KeyView) => ({
  object: "organization.admin_api_key" as const,
  id: v.key.id,
  name: v.key.name,
  redacted_value: v.key.redactedValue,
  created_at: v.key.createdAt,
  expires_at: v.key.expiresAt,
  last_used_at: v.key.lastUsedAt,
  owner: v.owner.user
    ? {
        type: "user",
        object: "organization.user",
        id: v.owner.user.id,
        name: v.owner.user.name,
        created_at: v.owner.user.addedAt,
        role: v.owner.user.role,
      }
    : {
        type: "user",
        object: "organization.user",
        id: "",
        name: "",
        created_at: v.key.createdAt,
        role: "owner",
      },
  scopes: v.key.scopes,
  ...(v.value ? { value: v.value } : {}),
});

export const serviceAccountObject = (sa: ServiceAccountRecord) => ({
  object: "organization.project.service_account" as const,
  id: sa.id,
  name: sa.name,
  role: sa.role,
  created_at: sa.createdAt,
});

export const userObject = (u: UserRecord) => ({
  object: "organization.user" as const,
  id: u.id,
  name: u.name,
  email: u.email,
  role: u.role,
  added_at: u.addedAt,
});

export const projectUserObject = (m: ProjectUserView) => ({
  object: "organization.project.user" as const,
  id: m.user.id,
  name: m.user.name,
  email: m.user.email,
  role: m.role,
  added_at: m.addedAt,
});

export const organizationObject = (o: OrganizationRecord) => ({
  object: "organization" as const,
  id: o.id,
  name: o.name,
  created_at: o.createdAt,
});

export const auditLogObject = (e: AuditEventRecord) => {
  const a = e.actor;
  const actor =
    a.type === "session" && a.session
      ? { type: "session", session: { user: a.session.user, ip_address: a.session.ipAddress } }
      : {
          type: "api_key",
          api_key: {
            id: a.apiKey?.id ?? "",
            // OpenAI's enum has user | service_account; an admin key acts for the user who owns it.
            type: a.apiKey?.type === "service_account" ? "service_account" : "user",
            ...(a.apiKey?.user ? { user: a.apiKey.user } : {}),
          },
        };
  return {
    id: e.id,
    type: e.type,
    effective_at: e.effectiveAt,
    ...(e.projectId ? { project: { id: e.projectId, name: e.projectName ?? "" } } : {}),
    actor,
    [e.type]: e.details,
    ip_address: a.ipAddress,
    user_agent: a.userAgent,
  };
};
