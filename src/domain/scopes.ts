/**
 * Permissions as OpenAI models them: a key's `scopes` list. Empty = all permissions,
 * `["api.all.read"]` = read only, anything else = restricted to the listed scopes.
 */
export type PermissionMode = "all" | "read_only" | "restricted";

export const READ_ALL = "api.all.read";

/** Scope identifiers we recognise (OpenAI's names). Unknown scopes are rejected on write. */
export const KNOWN_SCOPES = [
  "api.all.read",
  "api.model.read",
  "api.model.request",
  "model.request",
  "api.responses.read",
  "api.responses.write",
  "api.files.read",
  "api.files.write",
  "api.fine_tuning.jobs.read",
  "api.fine_tuning.jobs.write",
  "api.assistants.read",
  "api.assistants.write",
  "api.threads.read",
  "api.threads.write",
  "api.vector_stores.read",
  "api.vector_stores.write",
  "api.batch.read",
  "api.batch.write",
  "api.evals.read",
  "api.evals.write",
  "api.management.read",
  "api.management.write",
  "api.usage.read",
] as const;

export const isKnownScope = (s: string): boolean => (KNOWN_SCOPES as readonly string[]).includes(s);

export const permissionMode = (scopes: readonly string[]): PermissionMode =>
  scopes.length === 0 ? "all" : scopes.length === 1 && scopes[0] === READ_ALL ? "read_only" : "restricted";

/** A route requires one scope; `alternatives` are equivalent names that also grant it. */
export interface RequiredScope {
  name: string;
  alternatives?: readonly string[];
}

const isRead = (scope: string): boolean => scope.endsWith(".read");

export const grants = (keyScopes: readonly string[], required: RequiredScope): boolean => {
  if (keyScopes.length === 0) return true;
  const names = [required.name, ...(required.alternatives ?? [])];
  for (const s of keyScopes) {
    if (names.includes(s)) return true;
    if (s === READ_ALL && isRead(required.name)) return true;
    // A write scope implies the matching read scope, as in OpenAI's restricted-key UI.
    if (s.endsWith(".write") && names.some((n) => isRead(n) && n.slice(0, -5) === s.slice(0, -6)))
      return true;
  }
  return false;
};

/** Model allow-list check: null or empty list = every model. Patterns may end with `*`. */
export const modelAllowed = (allowed: readonly string[] | null, model: string): boolean => {
  if (!allowed || allowed.length === 0) return true;
  return allowed.some((m) => (m.endsWith("*") ? model.startsWith(m.slice(0, -1)) : m === model));
};

export const SCOPES = {
  modelRead: { name: "api.model.read" },
  modelRequest: { name: "model.request", alternatives: ["api.model.request"] },
  responsesWrite: { name: "api.responses.write", alternatives: ["model.request", "api.model.request"] },
  managementRead: { name: "api.management.read" },
  managementWrite: { name: "api.management.write" },
  usageRead: { name: "api.usage.read", alternatives: ["api.management.read"] },
} as const satisfies Record<string, RequiredScope>;
