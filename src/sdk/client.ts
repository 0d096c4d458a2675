import type { Body, Params, Query, ResponseOf, RouteKey } from "./operations.js";
import { RateLimits, SpendAlerts, SpendLimits } from "./resources/limits.js";
import { AdminKeys, AuditLogs, Invites, Organizations, Users } from "./resources/organization.js";
import { ProjectKeys, Projects, ProjectUsers, ServiceAccounts } from "./resources/projects.js";
import { Costs, Usage } from "./resources/usage.js";
import { type ClientOptions, type RequestOptions, Transport } from "./transport.js";

/**
 * Typed client for Keyplane's admin API (OpenAI's /v1/organization surface plus Keyplane's
 * extensions). Uses only fetch, URL, Headers and AbortController, so it runs in Node, Deno, Bun
 * and browsers.
 *
 * @example
 * const kp = new KeyplaneClient({ baseURL: "http://127.0.0.1:8787", adminKey: process.env.KEYPLANE_ADMIN_KEY });
 * for await (const key of kp.keys.list("proj_…")) console.log(key.id, key.name);
 */
export class KeyplaneClient {
  readonly projects: Projects;
  /** Project API keys (OpenAI's path). */
  readonly keys: ProjectKeys;
  readonly serviceAccounts: ServiceAccounts;
  readonly projectUsers: ProjectUsers;
  readonly users: Users;
  readonly invites: Invites;
  readonly adminKeys: AdminKeys;
  readonly auditLogs: AuditLogs;
  /** The multi-organization form, including `organizations.keys`. */
  readonly organizations: Organizations;
  readonly rateLimits: RateLimits;
  readonly spendLimits: SpendLimits;
  readonly spendAlerts: SpendAlerts;
  readonly usage: Usage;
  readonly costs: Costs;
  private readonly transport: Transport;

  constructor(opts: ClientOptions) {
    const t = new Transport(opts);
    this.transport = t;
    this.projects = new Projects(t);
    this.keys = new ProjectKeys(t);
    this.serviceAccounts = new ServiceAccounts(t);
    this.projectUsers = new ProjectUsers(t);
    this.users = new Users(t);
    this.invites = new Invites(t);
    this.adminKeys = new AdminKeys(t);
    this.auditLogs = new AuditLogs(t);
    this.organizations = new Organizations(t);
    this.rateLimits = new RateLimits(t);
    this.spendLimits = new SpendLimits(t);
    this.spendAlerts = new SpendAlerts(t);
    this.usage = new Usage(t);
    this.costs = new Costs(t);
  }

  get baseURL(): string {
    return this.transport.baseURL;
  }

  /** Low-level escape hatch: every route by its key, e.g. `request("GET /v1/organization/projects")`. */
  request<K extends RouteKey>(
    route: K,
    args: { params?: Params<K>; query?: Query<K>; body?: Body<K> } = {},
    ro?: RequestOptions,
  ): Promise<ResponseOf<K>> {
    return this.transport.call(route, args, ro);
  }
}
