import { type ColumnDefinitionBuilder, type CreateTableBuilder, sql } from "kysely";
import type { DialectInfo } from "../dialect.js";
import type { Migration, MigrationDb } from "./types.js";

type Table = CreateTableBuilder<string, never>;

/** `seq`: the monotonically increasing paging key (rowid alias on SQLite, bigserial on PostgreSQL). */
function withSeq(t: Table, d: DialectInfo): Table {
  return d.name === "sqlite"
    ? t.addColumn("seq", "integer", (c) => c.primaryKey().autoIncrement())
    : t.addColumn("seq", "bigserial", (c) => c.primaryKey());
}

const notNull = (c: ColumnDefinitionBuilder) => c.notNull();

async function index(db: MigrationDb, name: string, table: string, cols: string[], unique = false) {
  let b = db.schema.createIndex(name).on(table).columns(cols);
  if (unique) b = b.unique();
  await b.execute();
}

async function up(db: MigrationDb, d: DialectInfo): Promise<void> {
  const bool = d.name === "sqlite" ? "integer" : "boolean";
  const s = db.schema;

  await withSeq(s.createTable("organizations"), d)
    .addColumn("id", "text", notNull)
    .addColumn("name", "text", notNull)
    .addColumn("created_at", "bigint", notNull)
    .execute();
  await index(db, "organizations_id", "organizations", ["id"], true);

  await withSeq(s.createTable("projects"), d)
    .addColumn("id", "text", notNull)
    .addColumn("org_id", "text", notNull)
    .addColumn("name", "text", notNull)
    .addColumn("status", "text", notNull)
    .addColumn("created_at", "bigint", notNull)
    .addColumn("archived_at", "bigint")
    .addColumn("external_key_id", "text")
    .addColumn("residency", "text")
    .addColumn("model_mode", "text")
    .addColumn("model_ids", "text", notNull)
    .execute();
  await index(db, "projects_id", "projects", ["id"], true);
  await index(db, "projects_org_seq", "projects", ["org_id", "seq"]);

  await withSeq(s.createTable("users"), d)
    .addColumn("id", "text", notNull)
    .addColumn("org_id", "text", notNull)
    .addColumn("email", "text", notNull)
    .addColumn("name", "text", notNull)
    .addColumn("role", "text", notNull)
    .addColumn("added_at", "bigint", notNull)
    .addColumn("password_hash", "text")
    .execute();
  await index(db, "users_id", "users", ["id"], true);
  await index(db, "users_org_email", "users", ["org_id", "email"], true);
  await index(db, "users_org_seq", "users", ["org_id", "seq"]);

  await withSeq(s.createTable("project_users"), d)
    .addColumn("project_id", "text", notNull)
    .addColumn("user_id", "text", notNull)
    .addColumn("role", "text", notNull)
    .addColumn("added_at", "bigint", notNull)
    .execute();
  await index(db, "project_users_pk", "project_users", ["project_id", "user_id"], true);
  await index(db, "project_users_project_seq", "project_users", ["project_id", "seq"]);
  await index(db, "project_users_user", "project_users", ["user_id"]);

  await withSeq(s.createTable("service_accounts"), d)
    .addColumn("id", "text", notNull)
    .addColumn("org_id", "text", notNull)
    .addColumn("project_id", "text", notNull)
    .addColumn("name", "text", notNull)
    .addColumn("role", "text", notNull)
    .addColumn("created_at", "bigint", notNull)
    .execute();
  await index(db, "service_accounts_id", "service_accounts", ["id"], true);
  await index(db, "service_accounts_project_seq", "service_accounts", ["project_id", "seq"]);

  await withSeq(s.createTable("api_keys"), d)
    .addColumn("id", "text", notNull)
    .addColumn("org_id", "text", notNull)
    .addColumn("project_id", "text")
    .addColumn("kind", "text", notNull)
    .addColumn("name", "text", notNull)
    .addColumn("redacted_value", "text", notNull)
    .addColumn("owner_user_id", "text")
    .addColumn("owner_service_account_id", "text")
    .addColumn("scopes", "text", notNull)
    .addColumn("models", "text")
    .addColumn("limits", "text")
    .addColumn("budget_micros", "bigint")
    .addColumn("instance_admin", bool, notNull)
    .addColumn("created_at", "bigint", notNull)
    .addColumn("last_used_at", "bigint")
    .addColumn("expires_at", "bigint")
    .addColumn("revoked_at", "bigint")
    .execute();
  await index(db, "api_keys_id", "api_keys", ["id"], true);
  await index(db, "api_keys_org_project_seq", "api_keys", ["org_id", "project_id", "seq"]);

  // The digest is the primary key: findByDigest is one probe here plus one on api_keys_id.
  // WITHOUT ROWID on SQLite stores the row in the primary-key b-tree itself (no second lookup).
  const secrets = s
    .createTable("api_key_secrets")
    .addColumn("digest", "text", (c) => c.primaryKey())
    .addColumn("key_id", "text", notNull)
    .addColumn("created_at", "bigint", notNull)
    .addColumn("expires_at", "bigint");
  await (d.name === "sqlite" ? secrets.modifyEnd(sql`without rowid`) : secrets).execute();
  await index(db, "api_key_secrets_key", "api_key_secrets", ["key_id"]);

  await withSeq(s.createTable("audit_events"), d)
    .addColumn("id", "text", notNull)
    .addColumn("org_id", "text", notNull)
    .addColumn("project_id", "text")
    .addColumn("project_name", "text")
    .addColumn("type", "text", notNull)
    .addColumn("effective_at", "bigint", notNull)
    .addColumn("actor", "text", notNull)
    .addColumn("actor_key_id", "text")
    .addColumn("actor_user_id", "text")
    .addColumn("resource_id", "text")
    .addColumn("details", "text", notNull)
    .execute();
  await index(db, "audit_events_id", "audit_events", ["id"], true);
  await index(db, "audit_events_org_seq", "audit_events", ["org_id", "seq"]);

  await s
    .createTable("usage_events")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("org_id", "text", notNull)
    .addColumn("project_id", "text", notNull)
    .addColumn("key_id", "text", notNull)
    .addColumn("model", "text", notNull)
    .addColumn("endpoint", "text", notNull)
    .addColumn("input_tokens", "bigint", notNull)
    .addColumn("cached_tokens", "bigint", notNull)
    .addColumn("output_tokens", "bigint", notNull)
    .addColumn("status", "integer", notNull)
    .addColumn("latency_ms", "integer", notNull)
    .addColumn("bytes", "bigint", notNull)
    .addColumn("estimated", bool, notNull)
    .addColumn("cost_micros", "bigint", notNull)
    .addColumn("created_at_ms", "bigint", notNull)
    .execute();
  await index(db, "usage_events_org_time", "usage_events", ["org_id", "created_at_ms"]);

  await withSeq(s.createTable("rate_limits"), d)
    .addColumn("id", "text", notNull)
    .addColumn("project_id", "text", notNull)
    .addColumn("model", "text", notNull)
    .addColumn("max_requests_per_1_minute", "bigint", notNull)
    .addColumn("max_tokens_per_1_minute", "bigint", notNull)
    .addColumn("max_requests_per_1_day", "bigint")
    .addColumn("max_images_per_1_minute", "bigint")
    .addColumn("max_audio_megabytes_per_1_minute", "bigint")
    .addColumn("batch_1_day_max_input_tokens", "bigint")
    .execute();
  await index(db, "rate_limits_id", "rate_limits", ["id"], true);
  await index(db, "rate_limits_project_model", "rate_limits", ["project_id", "model"], true);
  await index(db, "rate_limits_project_seq", "rate_limits", ["project_id", "seq"]);

  await s
    .createTable("meta")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", notNull)
    .execute();
}

export const initial: Migration = { version: 1, name: "initial", up };
