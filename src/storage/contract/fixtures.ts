import type {
  ApiKeyRecord,
  AuditEventRecord,
  KeySecretRecord,
  OrganizationRecord,
  ProjectRecord,
  RateLimitRecord,
  ServiceAccountRecord,
  UsageEventRecord,
  UserRecord,
} from "../records.js";
import type { Page, Store } from "../store.js";

let counter = 0;
/** Ids unique across runs and parallel files sharing a database. */
export const uid = (prefix: string): string =>
  `${prefix}_${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 8)}`;

export const T0 = 1_700_000_000;

export const org = (over: Partial<OrganizationRecord> = {}): OrganizationRecord => ({
  id: uid("org"),
  name: "Org",
  createdAt: T0,
  ...over,
});

export const project = (orgId: string, over: Partial<ProjectRecord> = {}): ProjectRecord => ({
  id: uid("proj"),
  orgId,
  name: "Project",
  status: "active",
  createdAt: T0,
  archivedAt: null,
  externalKeyId: null,
  residency: null,
  modelMode: null,
  modelIds: [],
  ...over,
});

export const user = (orgId: string, over: Partial<UserRecord> = {}): UserRecord => ({
  id: uid("user"),
  orgId,
  email: `${uid("u")}@example.com`,
  name: "User",
  role: "reader",
  addedAt: T0,
  passwordHash: null,
  ...over,
});

export const serviceAccount = (
  orgId: string,
  projectId: string,
  over: Partial<ServiceAccountRecord> = {},
): ServiceAccountRecord => ({
  id: uid("svc_acct"),
  orgId,
  projectId,
  name: "Bot",
  role: "member",
  createdAt: T0,
  ...over,
});

export const apiKey = (
  orgId: string,
  projectId: string | null,
  over: Partial<ApiKeyRecord> = {},
): ApiKeyRecord => ({
  id: uid("key"),
  orgId,
  projectId,
  kind: projectId === null ? "admin" : "project",
  name: "Key",
  redactedValue: "sk-proj-abc***xyz",
  ownerUserId: null,
  ownerServiceAccountId: null,
  scopes: ["api.model.read"],
  models: null,
  limits: null,
  budgetMicros: null,
  instanceAdmin: false,
  createdAt: T0,
  lastUsedAt: null,
  expiresAt: null,
  revokedAt: null,
  ...over,
});

export const secret = (keyId: string, over: Partial<KeySecretRecord> = {}): KeySecretRecord => ({
  digest: uid("digest"),
  keyId,
  createdAt: T0,
  expiresAt: null,
  ...over,
});

export const auditEvent = (orgId: string, over: Partial<AuditEventRecord> = {}): AuditEventRecord => ({
  id: uid("audit"),
  orgId,
  projectId: null,
  projectName: null,
  type: "project.created",
  effectiveAt: T0,
  actor: {
    type: "session",
    session: { user: { id: "user_x", email: "x@example.com" }, ipAddress: "127.0.0.1" },
    ipAddress: "127.0.0.1",
    userAgent: null,
  },
  resourceId: null,
  details: {},
  ...over,
});

export const usageEvent = (orgId: string, over: Partial<UsageEventRecord> = {}): UsageEventRecord => ({
  id: uid("use"),
  orgId,
  projectId: "proj_x",
  keyId: "key_x",
  model: "gpt-4o-mini",
  endpoint: "/v1/chat/completions",
  inputTokens: 10,
  cachedTokens: 2,
  outputTokens: 5,
  status: 200,
  latencyMs: 12,
  bytes: 300,
  estimated: false,
  costMicros: 1234,
  createdAtMs: T0 * 1000,
  ...over,
});

export const rateLimit = (
  projectId: string,
  model: string,
  over: Partial<RateLimitRecord> = {},
): RateLimitRecord => ({
  id: uid("rl"),
  projectId,
  model,
  maxRequestsPer1Minute: 100,
  maxTokensPer1Minute: 10_000,
  maxRequestsPer1Day: null,
  maxImagesPer1Minute: null,
  maxAudioMegabytesPer1Minute: null,
  batch1DayMaxInputTokens: null,
  ...over,
});

/** Walks every page with `after` cursors; returns the ids in order and the page count. */
export async function collect<T extends { id: string }>(
  fetch: (after: string | undefined) => Promise<Page<T>>,
): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let after: string | undefined;
  let pages = 0;
  for (;;) {
    const page = await fetch(after);
    pages++;
    ids.push(...page.data.map((x) => x.id));
    const last = page.data.at(-1);
    if (!page.hasMore || last === undefined) return { ids, pages };
    after = last.id;
    if (pages > 100) throw new Error("pagination does not terminate");
  }
}

export type GetStore = () => Store;
