import { type Body, type Query, type RequestOptions, Resource } from "./base.js";

const USERS = "/v1/organization/users";
const USER = `${USERS}/{user_id}` as const;
const INVITES = "/v1/organization/invites";
const INVITE = `${INVITES}/{invite_id}` as const;
const ADMIN_KEYS = "/v1/organization/admin_api_keys";
const ADMIN_KEY = `${ADMIN_KEYS}/{key_id}` as const;
const AUDIT = "/v1/organization/audit_logs";
const ORGS = "/v1/organizations";
const ORG = `${ORGS}/{organization_id}` as const;
const ORG_KEYS = `${ORG}/projects/{project_id}/apikeys` as const;
const ORG_KEY = `${ORG_KEYS}/{key_id}` as const;

export class Users extends Resource {
  list(query?: Query<`GET ${typeof USERS}`>, ro?: RequestOptions) {
    return this.cursor(`GET ${USERS}`, {}, query, ro);
  }
  retrieve(userId: string, ro?: RequestOptions) {
    return this.t.call(`GET ${USER}`, { params: { user_id: userId } }, ro);
  }
  update(userId: string, body: Body<`POST ${typeof USER}`>, ro?: RequestOptions) {
    return this.t.call(`POST ${USER}`, { params: { user_id: userId }, body }, ro);
  }
  delete(userId: string, ro?: RequestOptions) {
    return this.t.call(`DELETE ${USER}`, { params: { user_id: userId } }, ro);
  }
  /** A one-time dashboard set-password link for the user (shown once). */
  passwordLink(userId: string, ro?: RequestOptions) {
    return this.t.call(`POST ${USER}/password_link`, { params: { user_id: userId } }, ro);
  }
}

export class Invites extends Resource {
  list(query?: Query<`GET ${typeof INVITES}`>, ro?: RequestOptions) {
    return this.cursor(`GET ${INVITES}`, {}, query, ro);
  }
  create(body: Body<`POST ${typeof INVITES}`>, ro?: RequestOptions) {
    return this.t.call(`POST ${INVITES}`, { body }, ro);
  }
  retrieve(inviteId: string, ro?: RequestOptions) {
    return this.t.call(`GET ${INVITE}`, { params: { invite_id: inviteId } }, ro);
  }
  delete(inviteId: string, ro?: RequestOptions) {
    return this.t.call(`DELETE ${INVITE}`, { params: { invite_id: inviteId } }, ro);
  }
}

export class AdminKeys extends Resource {
  list(query?: Query<`GET ${typeof ADMIN_KEYS}`>, ro?: RequestOptions) {
    return this.cursor(`GET ${ADMIN_KEYS}`, {}, query, ro);
  }
  create(body: Body<`POST ${typeof ADMIN_KEYS}`>, ro?: RequestOptions) {
    return this.t.call(`POST ${ADMIN_KEYS}`, { body }, ro);
  }
  retrieve(keyId: string, ro?: RequestOptions) {
    return this.t.call(`GET ${ADMIN_KEY}`, { params: { key_id: keyId } }, ro);
  }
  delete(keyId: string, ro?: RequestOptions) {
    return this.t.call(`DELETE ${ADMIN_KEY}`, { params: { key_id: keyId } }, ro);
  }
}

export class AuditLogs extends Resource {
  list(query?: Query<`GET ${typeof AUDIT}`>, ro?: RequestOptions) {
    return this.cursor(`GET ${AUDIT}`, {}, query, ro);
  }
}

/** Project keys on the multi-organization path; an instance admin key may address any organization. */
export class OrganizationKeys extends Resource {
  list(
    organizationId: string,
    projectId: string,
    query?: Query<`GET ${typeof ORG_KEYS}`>,
    ro?: RequestOptions,
  ) {
    return this.cursor(
      `GET ${ORG_KEYS}`,
      { organization_id: organizationId, project_id: projectId },
      query,
      ro,
    );
  }
  create(
    organizationId: string,
    projectId: string,
    body: Body<`POST ${typeof ORG_KEYS}`>,
    ro?: RequestOptions,
  ) {
    const params = { organization_id: organizationId, project_id: projectId };
    return this.t.call(`POST ${ORG_KEYS}`, { params, body }, ro);
  }
  retrieve(organizationId: string, projectId: string, keyId: string, ro?: RequestOptions) {
    const params = { organization_id: organizationId, project_id: projectId, key_id: keyId };
    return this.t.call(`GET ${ORG_KEY}`, { params }, ro);
  }
  update(
    organizationId: string,
    projectId: string,
    keyId: string,
    body: Body<`POST ${typeof ORG_KEY}`>,
    ro?: RequestOptions,
  ) {
    const params = { organization_id: organizationId, project_id: projectId, key_id: keyId };
    return this.t.call(`POST ${ORG_KEY}`, { params, body }, ro);
  }
  /** Revokes service-account keys too (OpenAI's path refuses those). */
  revoke(organizationId: string, projectId: string, keyId: string, ro?: RequestOptions) {
    const params = { organization_id: organizationId, project_id: projectId, key_id: keyId };
    return this.t.call(`DELETE ${ORG_KEY}`, { params }, ro);
  }
  rotate(
    organizationId: string,
    projectId: string,
    keyId: string,
    body: Body<`POST ${typeof ORG_KEY}/rotate`> = {},
    ro?: RequestOptions,
  ) {
    const params = { organization_id: organizationId, project_id: projectId, key_id: keyId };
    return this.t.call(`POST ${ORG_KEY}/rotate`, { params, body }, ro);
  }
}

export class Organizations extends Resource {
  readonly keys = new OrganizationKeys(this.t);

  list(query?: Query<`GET ${typeof ORGS}`>, ro?: RequestOptions) {
    return this.cursor(`GET ${ORGS}`, {}, query, ro);
  }
  /** Instance admin key only; `admin_key.value` is the new organization's first admin key. */
  create(body: Body<`POST ${typeof ORGS}`>, ro?: RequestOptions) {
    return this.t.call(`POST ${ORGS}`, { body }, ro);
  }
  retrieve(organizationId: string, ro?: RequestOptions) {
    return this.t.call(`GET ${ORG}`, { params: { organization_id: organizationId } }, ro);
  }
}
