import { grants, SCOPES } from "../../domain/scopes.js";
import type { ConsoleDeps } from "../../services/sessions/console-deps.js";
import { listMemberships } from "../../services/sessions/organizations.js";
import { type ActiveSession, scopesForRole } from "../../services/sessions/principal.js";
import { csrfTokenFor } from "../../services/sessions/tokens.js";

/** What the SPA learns about itself: who, where, where else it may go, and its CSRF token. */
export const sessionPayload = async (deps: ConsoleDeps, active: ActiveSession) => {
  const memberships = await listMemberships(deps, active);
  const scopes = scopesForRole(active.user.role);
  const current = memberships.find((m) => m.organization.id === active.user.orgId);
  return {
    object: "console.session" as const,
    user: {
      id: active.user.id,
      email: active.user.email,
      name: active.user.name,
      role: active.user.role,
    },
    organization: { id: active.user.orgId, name: current?.organization.name ?? active.user.orgId },
    organizations: memberships.map((m) => ({
      id: m.organization.id,
      name: m.organization.name,
      role: m.user.role,
    })),
    // Derived from the same scopes the services check, so the UI never re-implements role rules.
    permissions: {
      read: grants(scopes, SCOPES.managementRead),
      write: grants(scopes, SCOPES.managementWrite),
    },
    csrf_token: csrfTokenFor(deps.secret, active.token),
    expires_at: active.session.expiresAt,
  };
};
