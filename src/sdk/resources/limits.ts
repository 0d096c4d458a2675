import { type Body, type Query, type RequestOptions, Resource } from "./base.js";

const PROJECT = "/v1/organization/projects/{project_id}";
const RATE_LIMITS = `${PROJECT}/rate_limits` as const;
const ORG_LIMIT = "/v1/organization/spend_limit";
const PROJECT_LIMIT = `${PROJECT}/spend_limit` as const;
const ORG_ALERTS = "/v1/organization/spend_alerts";
const ORG_ALERT = `${ORG_ALERTS}/{alert_id}` as const;
const PROJECT_ALERTS = `${PROJECT}/spend_alerts` as const;
const PROJECT_ALERT = `${PROJECT_ALERTS}/{alert_id}` as const;

/** OpenAI's per-model project rate limits: list and update only, one record per model. */
export class RateLimits extends Resource {
  list(projectId: string, query?: Query<`GET ${typeof RATE_LIMITS}`>, ro?: RequestOptions) {
    return this.cursor(`GET ${RATE_LIMITS}`, { project_id: projectId }, query, ro);
  }
  update(
    projectId: string,
    rateLimitId: string,
    body: Body<`POST ${typeof RATE_LIMITS}/{rate_limit_id}`>,
    ro?: RequestOptions,
  ) {
    const params = { project_id: projectId, rate_limit_id: rateLimitId };
    return this.t.call(`POST ${RATE_LIMITS}/{rate_limit_id}`, { params, body }, ro);
  }
}

class OrganizationSpendLimit extends Resource {
  retrieve(ro?: RequestOptions) {
    return this.t.call(`GET ${ORG_LIMIT}`, {}, ro);
  }
  /** `threshold_amount` is in cents. */
  update(body: Body<`POST ${typeof ORG_LIMIT}`>, ro?: RequestOptions) {
    return this.t.call(`POST ${ORG_LIMIT}`, { body }, ro);
  }
  delete(ro?: RequestOptions) {
    return this.t.call(`DELETE ${ORG_LIMIT}`, {}, ro);
  }
}

class ProjectSpendLimit extends Resource {
  retrieve(projectId: string, ro?: RequestOptions) {
    return this.t.call(`GET ${PROJECT_LIMIT}`, { params: { project_id: projectId } }, ro);
  }
  update(projectId: string, body: Body<`POST ${typeof PROJECT_LIMIT}`>, ro?: RequestOptions) {
    return this.t.call(`POST ${PROJECT_LIMIT}`, { params: { project_id: projectId }, body }, ro);
  }
  delete(projectId: string, ro?: RequestOptions) {
    return this.t.call(`DELETE ${PROJECT_LIMIT}`, { params: { project_id: projectId } }, ro);
  }
}

/** Hard spend limits (budgets) for the organization and for each project. */
export class SpendLimits extends Resource {
  readonly organization = new OrganizationSpendLimit(this.t);
  readonly project = new ProjectSpendLimit(this.t);
}

class OrganizationSpendAlerts extends Resource {
  list(query?: Query<`GET ${typeof ORG_ALERTS}`>, ro?: RequestOptions) {
    return this.cursor(`GET ${ORG_ALERTS}`, {}, query, ro);
  }
  create(body: Body<`POST ${typeof ORG_ALERTS}`>, ro?: RequestOptions) {
    return this.t.call(`POST ${ORG_ALERTS}`, { body }, ro);
  }
  retrieve(alertId: string, ro?: RequestOptions) {
    return this.t.call(`GET ${ORG_ALERT}`, { params: { alert_id: alertId } }, ro);
  }
  update(alertId: string, body: Body<`POST ${typeof ORG_ALERT}`>, ro?: RequestOptions) {
    return this.t.call(`POST ${ORG_ALERT}`, { params: { alert_id: alertId }, body }, ro);
  }
  delete(alertId: string, ro?: RequestOptions) {
    return this.t.call(`DELETE ${ORG_ALERT}`, { params: { alert_id: alertId } }, ro);
  }
}

class ProjectSpendAlerts extends Resource {
  list(projectId: string, query?: Query<`GET ${typeof PROJECT_ALERTS}`>, ro?: RequestOptions) {
    return this.cursor(`GET ${PROJECT_ALERTS}`, { project_id: projectId }, query, ro);
  }
  create(projectId: string, body: Body<`POST ${typeof PROJECT_ALERTS}`>, ro?: RequestOptions) {
    return this.t.call(`POST ${PROJECT_ALERTS}`, { params: { project_id: projectId }, body }, ro);
  }
  retrieve(projectId: string, alertId: string, ro?: RequestOptions) {
    return this.t.call(`GET ${PROJECT_ALERT}`, { params: { project_id: projectId, alert_id: alertId } }, ro);
  }
  update(
    projectId: string,
    alertId: string,
    body: Body<`POST ${typeof PROJECT_ALERT}`>,
    ro?: RequestOptions,
  ) {
    const params = { project_id: projectId, alert_id: alertId };
    return this.t.call(`POST ${PROJECT_ALERT}`, { params, body }, ro);
  }
  delete(projectId: string, alertId: string, ro?: RequestOptions) {
    return this.t.call(
      `DELETE ${PROJECT_ALERT}`,
      { params: { project_id: projectId, alert_id: alertId } },
      ro,
    );
  }
}

export class SpendAlerts extends Resource {
  readonly organization = new OrganizationSpendAlerts(this.t);
  readonly project = new ProjectSpendAlerts(this.t);
}
