import { AppError } from "../../domain/errors.js";
import type { ApiKeyRecord, ProjectRole, ServiceAccountRecord, UserRecord } from "../../storage/records.js";
import type { StoreRepos } from "../../storage/store.js";
import type { KeyPeriodUsage } from "../usage/key-period-usage.js";

export interface KeyOwnerView {
  user?: UserRecord & { projectRole: ProjectRole | null };
  serviceAccount?: ServiceAccountRecord;
}

/** A key as the admin API shows it; `value` is present only in create and rotate responses. */
export interface KeyView {
  key: ApiKeyRecord;
  owner: KeyOwnerView;
  value?: string;
  /** Present where the listing asks for it (the multi-organization path). */
  usage?: KeyPeriodUsage;
}

/** Resolves owners for a batch of keys, looking each owner up once. */
export const viewKeys = async (repos: StoreRepos, keys: ApiKeyRecord[]): Promise<KeyView[]> => {
  const users = new Map<string, KeyOwnerView["user"] | undefined>();
  const sas = new Map<string, ServiceAccountRecord | undefined>();
  const out: KeyView[] = [];
  for (const key of keys) {
    const owner: KeyOwnerView = {};
    if (key.ownerUserId) {
      const cacheKey = `${key.projectId ?? ""}:${key.ownerUserId}`;
      if (!users.has(cacheKey)) {
        const u = await repos.users.get(key.orgId, key.ownerUserId);
        const m = u && key.projectId ? await repos.projectUsers.get(key.projectId, u.id) : null;
        users.set(cacheKey, u ? { ...u, projectRole: m?.role ?? null } : undefined);
      }
      const u = users.get(cacheKey);
      if (u) owner.user = u;
    }
    if (key.ownerServiceAccountId && key.projectId) {
      if (!sas.has(key.ownerServiceAccountId)) {
        sas.set(
          key.ownerServiceAccountId,
          (await repos.serviceAccounts.get(key.projectId, key.ownerServiceAccountId)) ?? undefined,
        );
      }
      const sa = sas.get(key.ownerServiceAccountId);
      if (sa) owner.serviceAccount = sa;
    }
    out.push({ key, owner });
  }
  return out;
};

export const viewKey = async (repos: StoreRepos, key: ApiKeyRecord): Promise<KeyView> => {
  const [v] = await viewKeys(repos, [key]);
  if (!v) throw new AppError("internal", { message: "key view failed" });
  return v;
};

/** Loads a non-revoked project key of a project; anything else is a 404 like a missing id. */
export const loadProjectKey = async (
  repos: StoreRepos,
  orgId: string,
  projectId: string,
  keyId: string,
): Promise<ApiKeyRecord> => {
  const k = await repos.apiKeys.get(orgId, keyId);
  if (!k || k.projectId !== projectId || k.revokedAt !== null || k.kind === "admin") {
    throw new AppError("not_found", { message: `No such API key: ${keyId}`, param: "api_key_id" });
  }
  return k;
};
