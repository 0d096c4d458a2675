import { type Body, type Query, type RequestOptions, Resource } from "./base.js";

const PROJECTS = "/v1/organization/projects";
const PROJECT = "/v1/organization/projects/{project_id}";
const KEYS = `${PROJECT}/api_keys` as const;
const KEY = `${KEYS}/{api_key_id}` as const;
const SAS = `${PROJECT}/service_accounts` as const;
const SA = `${SAS}/{service_account_id}` as const;
const USERS = `${PROJECT}/users` as const;
const USER = `${USERS}/{user_id}` as const;

export class Projects extends Resource {
  list(query?: Query<`GET ${typeof PROJECTS}`>, ro?: RequestOptions) {
    return this.cursor(`GET ${PROJECTS}`, {}, query, ro);
  }
  create(body: Body<`POST ${typeof PROJECTS}`>, ro?: RequestOptions) {
    return this.t.call(`POST ${PROJECTS}`, { body }, ro);
  }
  retrieve(projectId: string, ro?: RequestOptions) {
    return this.t.call(`GET ${PROJECT}`, { params: { project_id: projectId } }, ro);
  }
  update(projectId: string, body: Body<`POST ${typeof PROJECT}`>, ro?: RequestOptions) {
    return this.t.call(`POST ${PROJECT}`, { params: { project_id: projectId }, body }, ro);
  }
  /** Cannot be undone; the project's keys stop working at once. */
  archive(projectId: string, ro?: RequestOptions) {
    return this.t.call(`POST ${PROJECT}/archive`, { params: { project_id: projectId } }, ro);
  }
}

/** A project's API keys on OpenAI's path, plus Keyplane's create and rotate. */
export class ProjectKeys extends Resource {
  list(projectId: string, query?: Query<`GET ${typeof KEYS}`>, ro?: RequestOptions) {
    return this.cursor(`GET ${KEYS}`, { project_id: projectId }, query, ro);
  }
  /** The answer's `value` is the secret; it is never shown again. */
  create(projectId: string, body: Body<`POST ${typeof KEYS}`>, ro?: RequestOptions) {
    return this.t.call(`POST ${KEYS}`, { params: { project_id: projectId }, body }, ro);
  }
  retrieve(projectId: string, keyId: string, ro?: RequestOptions) {
    return this.t.call(`GET ${KEY}`, { params: { project_id: projectId, api_key_id: keyId } }, ro);
  }
  update(projectId: string, keyId: string, body: Body<`POST ${typeof KEY}`>, ro?: RequestOptions) {
    return this.t.call(`POST ${KEY}`, { params: { project_id: projectId, api_key_id: keyId }, body }, ro);
  }
  /** OpenAI's DELETE; a service account's key answers 400 here (use organizations.keys.revoke). */
  revoke(projectId: string, keyId: string, ro?: RequestOptions) {
    return this.t.call(`DELETE ${KEY}`, { params: { project_id: projectId, api_key_id: keyId } }, ro);
  }
  /** New secret for the same key id; the old one keeps working for `grace_period_seconds`. */
  rotate(
    projectId: string,
    keyId: string,
    body: Body<`POST ${typeof KEY}/rotate`> = {},
    ro?: RequestOptions,
  ) {
    return this.t.call(
      `POST ${KEY}/rotate`,
      { params: { project_id: projectId, api_key_id: keyId }, body },
      ro,
    );
  }
}

export class ServiceAccounts extends Resource {
  list(projectId: string, query?: Query<`GET ${typeof SAS}`>, ro?: RequestOptions) {
    return this.cursor(`GET ${SAS}`, { project_id: projectId }, query, ro);
  }
  /** Also mints the account's first key (`api_key.value`) unless `create_service_account_only`. */
  create(projectId: string, body: Body<`POST ${typeof SAS}`>, ro?: RequestOptions) {
    return this.t.call(`POST ${SAS}`, { params: { project_id: projectId }, body }, ro);
  }
  retrieve(projectId: string, serviceAccountId: string, ro?: RequestOptions) {
    const params = { project_id: projectId, service_account_id: serviceAccountId };
    return this.t.call(`GET ${SA}`, { params }, ro);
  }
  update(projectId: string, serviceAccountId: string, body: Body<`POST ${typeof SA}`>, ro?: RequestOptions) {
    const params = { project_id: projectId, service_account_id: serviceAccountId };
    return this.t.call(`POST ${SA}`, { params, body }, ro);
  }
  delete(projectId: string, serviceAccountId: string, ro?: RequestOptions) {
    const params = { project_id: projectId, service_account_id: serviceAccountId };
    return this.t.call(`DELETE ${SA}`, { params }, ro);
  }
  createKey(
    projectId: string,
    serviceAccountId: string,
    body: Body<`POST ${typeof SA}/api_keys`> = {},
    ro?: RequestOptions,
  ) {
    const params = { project_id: projectId, service_account_id: serviceAccountId };
    return this.t.call(`POST ${SA}/api_keys`, { params, body }, ro);
  }
}

export class ProjectUsers extends Resource {
  list(projectId: string, query?: Query<`GET ${typeof USERS}`>, ro?: RequestOptions) {
    return this.cursor(`GET ${USERS}`, { project_id: projectId }, query, ro);
  }
  add(projectId: string, body: Body<`POST ${typeof USERS}`>, ro?: RequestOptions) {
    return this.t.call(`POST ${USERS}`, { params: { project_id: projectId }, body }, ro);
  }
  retrieve(projectId: string, userId: string, ro?: RequestOptions) {
    return this.t.call(`GET ${USER}`, { params: { project_id: projectId, user_id: userId } }, ro);
  }
  update(projectId: string, userId: string, body: Body<`POST ${typeof USER}`>, ro?: RequestOptions) {
    return this.t.call(`POST ${USER}`, { params: { project_id: projectId, user_id: userId }, body }, ro);
  }
  remove(projectId: string, userId: string, ro?: RequestOptions) {
    return this.t.call(`DELETE ${USER}`, { params: { project_id: projectId, user_id: userId } }, ro);
  }
}
