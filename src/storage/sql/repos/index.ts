import type { StoreRepos } from "../../store.js";
import { apiKeysRepo } from "./api-keys.js";
import { auditRepo } from "./audit.js";
import { metaRepo } from "./meta.js";
import { organizationsRepo } from "./organizations.js";
import { projectUsersRepo } from "./project-users.js";
import { projectsRepo } from "./projects.js";
import { rateLimitsRepo } from "./rate-limits.js";
import { serviceAccountsRepo } from "./service-accounts.js";
import { spendAlertsRepo } from "./spend-alerts.js";
import { spendLimitsRepo } from "./spend-limits.js";
import type { RepoCtx } from "./types.js";
import { usageRepo } from "./usage.js";
import { usersRepo } from "./users.js";

export function makeRepos(ctx: RepoCtx): StoreRepos {
  return {
    organizations: organizationsRepo(ctx),
    projects: projectsRepo(ctx),
    users: usersRepo(ctx),
    projectUsers: projectUsersRepo(ctx),
    serviceAccounts: serviceAccountsRepo(ctx),
    apiKeys: apiKeysRepo(ctx),
    audit: auditRepo(ctx),
    usage: usageRepo(ctx),
    rateLimits: rateLimitsRepo(ctx),
    spendLimits: spendLimitsRepo(ctx),
    spendAlerts: spendAlertsRepo(ctx),
    meta: metaRepo(ctx),
  };
}
