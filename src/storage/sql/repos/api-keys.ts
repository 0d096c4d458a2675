import {
  type CompiledQuery,
  type InferResult,
  type Kysely,
  type Selectable,
  sql,
  type Updateable,
} from "kysely";
import type { ApiKeyRecord, KeyLimits } from "../../records.js";
import type { ApiKeyPatch, StoreRepos } from "../../store.js";
import { fromJson, fromJsonOrNull, patchColumns, toJson } from "../codec.js";
import { finishPage, planPage } from "../page.js";
import type { ApiKeysTable, Database } from "../schema.js";
import { atomic, type RepoCtx } from "./types.js";

const toKey = (r: Selectable<ApiKeysTable>): ApiKeyRecord => ({
  id: r.id,
  orgId: r.org_id,
  projectId: r.project_id,
  kind: r.kind as ApiKeyRecord["kind"],
  name: r.name,
  redactedValue: r.redacted_value,
  ownerUserId: r.owner_user_id,
  ownerServiceAccountId: r.owner_service_account_id,
  scopes: fromJson<string[]>(r.scopes),
  models: fromJsonOrNull<string[]>(r.models),
  limits: fromJsonOrNull<KeyLimits>(r.limits),
  budgetMicros: r.budget_micros,
  instanceAdmin: Boolean(r.instance_admin),
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
});

const jsonOrNull = (v: unknown): string | null => (v === null ? null : toJson(v));

/** Bounded so one statement stays well under both dialects' bind-parameter limits. */
const TOUCH_CHUNK = 200;

/** The hot-path cache-miss query: one probe of the digest primary key, one of api_keys_id. */
const findByDigestQuery = (db: Kysely<Database>, digest: string) =>
  db
    .selectFrom("api_key_secrets as s")
    .innerJoin("api_keys as k", "k.id", "s.key_id")
    .selectAll("k")
    .select([
      "s.digest as s_digest",
      "s.key_id as s_key_id",
      "s.created_at as s_created_at",
      "s.expires_at as s_expires_at",
    ])
    .where("s.digest", "=", digest)
    .where("k.revoked_at", "is", null);

type FindRow = InferResult<ReturnType<typeof findByDigestQuery>>[number];

export function apiKeysRepo({ db, d }: RepoCtx): StoreRepos["apiKeys"] {
  // Compiled once per repo and re-run with the digest as its only parameter: building the query
  // each time cost as much as running it.
  let findQuery: CompiledQuery<FindRow> | undefined;
  const get = async (orgId: string, id: string): Promise<ApiKeyRecord | null> => {
    const r = await db
      .selectFrom("api_keys")
      .selectAll()
      .where("id", "=", id)
      .where("org_id", "=", orgId)
      .executeTakeFirst();
    return r ? toKey(r) : null;
  };
  return {
    async insert(key, secret) {
      await atomic(db, async (db) => {
        await db
          .insertInto("api_keys")
          .values({
            id: key.id,
            org_id: key.orgId,
            project_id: key.projectId,
            kind: key.kind,
            name: key.name,
            redacted_value: key.redactedValue,
            owner_user_id: key.ownerUserId,
            owner_service_account_id: key.ownerServiceAccountId,
            scopes: toJson(key.scopes),
            models: jsonOrNull(key.models),
            limits: jsonOrNull(key.limits),
            budget_micros: key.budgetMicros,
            instance_admin: d.bool(key.instanceAdmin),
            created_at: key.createdAt,
            last_used_at: key.lastUsedAt,
            expires_at: key.expiresAt,
            revoked_at: key.revokedAt,
          })
          .execute();
        await db
          .insertInto("api_key_secrets")
          .values({
            digest: secret.digest,
            key_id: secret.keyId,
            created_at: secret.createdAt,
            expires_at: secret.expiresAt,
          })
          .execute();
      });
    },
    get,
    async list(orgId, projectId, q) {
      const p = planPage(q);
      let qb = db
        .selectFrom("api_keys")
        .selectAll()
        .where("org_id", "=", orgId)
        .where("revoked_at", "is", null)
        .where("project_id", projectId === null ? "is" : "=", projectId);
      if (q.serviceAccountId !== undefined) {
        qb = qb.where("owner_service_account_id", "=", q.serviceAccountId);
      }
      if (q.after !== undefined) {
        qb = qb.where("seq", p.afterOp, db.selectFrom("api_keys").select("seq").where("id", "=", q.after));
      }
      const rows = await qb.orderBy("seq", p.dir).limit(p.fetch).execute();
      return finishPage(rows, p, toKey);
    },
    async update(orgId, id, patch) {
      const set = patchColumns<ApiKeyPatch, Updateable<ApiKeysTable>>(patch, {
        name: (v) => ({ name: v }),
        redactedValue: (v) => ({ redacted_value: v }),
        scopes: (v) => ({ scopes: toJson(v) }),
        models: (v) => ({ models: jsonOrNull(v) }),
        limits: (v) => ({ limits: jsonOrNull(v) }),
        budgetMicros: (v) => ({ budget_micros: v }),
        expiresAt: (v) => ({ expires_at: v }),
        revokedAt: (v) => ({ revoked_at: v }),
        lastUsedAt: (v) => ({ last_used_at: v }),
      });
      if (Object.keys(set).length === 0) return get(orgId, id);
      const r = await db
        .updateTable("api_keys")
        .set(set)
        .where("id", "=", id)
        .where("org_id", "=", orgId)
        .returningAll()
        .executeTakeFirst();
      return r ? toKey(r) : null;
    },
    async findByDigest(digest) {
      findQuery ??= findByDigestQuery(db, "").compile();
      const { rows } = await db.executeQuery<FindRow>({ ...findQuery, parameters: [digest] });
      const r = rows[0];
      if (!r) return null;
      return {
        key: toKey(r),
        secret: {
          digest: r.s_digest,
          keyId: r.s_key_id,
          createdAt: r.s_created_at,
          expiresAt: r.s_expires_at,
        },
      };
    },
    async addSecret(secret) {
      await db
        .insertInto("api_key_secrets")
        .values({
          digest: secret.digest,
          key_id: secret.keyId,
          created_at: secret.createdAt,
          expires_at: secret.expiresAt,
        })
        .execute();
    },
    async expireSecrets(keyId, expiresAt) {
      await db
        .updateTable("api_key_secrets")
        .set({ expires_at: expiresAt })
        .where("key_id", "=", keyId)
        .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", expiresAt)]))
        .execute();
    },
    async deleteSecrets(keyId) {
      const rows = await db
        .deleteFrom("api_key_secrets")
        .where("key_id", "=", keyId)
        .returning("digest")
        .execute();
      return rows.map((r) => r.digest);
    },
    async touchLastUsed(entries) {
      const latest = new Map<string, number>();
      for (const e of entries) latest.set(e.id, Math.max(e.at, latest.get(e.id) ?? e.at));
      const all = [...latest];
      for (let i = 0; i < all.length; i += TOUCH_CHUNK) {
        const chunk = all.slice(i, i + TOUCH_CHUNK);
        // The cast keeps PostgreSQL from typing the CASE result as text.
        const at = sql<number>`case id ${sql.join(
          chunk.map(([id, t]) => sql`when ${id} then cast(${t} as bigint)`),
          sql` `,
        )} end`;
        await db
          .updateTable("api_keys")
          .set({ last_used_at: at })
          .where(
            "id",
            "in",
            chunk.map(([id]) => id),
          )
          .where((eb) => eb.or([eb("last_used_at", "is", null), eb("last_used_at", "<", at)]))
          .execute();
      }
    },
  };
}
