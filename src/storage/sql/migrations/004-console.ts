import { sql } from "kysely";
import type { DialectInfo } from "../dialect.js";
import type { Migration, MigrationDb } from "./types.js";

/** Dashboard sign-in: sessions, invites, one-time set-password tokens; email lookups across orgs. */
async function up(db: MigrationDb, d: DialectInfo): Promise<void> {
  const s = db.schema;
  const seq = (t: ReturnType<typeof s.createTable>) =>
    d.name === "sqlite"
      ? t.addColumn("seq", "integer", (c) => c.primaryKey().autoIncrement())
      : t.addColumn("seq", "bigserial", (c) => c.primaryKey());

  await s
    .createTable("sessions")
    .addColumn("digest", "text", (c) => c.primaryKey())
    .addColumn("org_id", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("user_ids", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("last_seen_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("ip_address", "text")
    .addColumn("user_agent", "text")
    .execute();
  await s.createIndex("sessions_user").on("sessions").column("user_id").execute();

  await seq(s.createTable("invites"))
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("org_id", "text", (c) => c.notNull())
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("projects", "text", (c) => c.notNull())
    .addColumn("token_digest", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("accepted_at", "bigint")
    .execute();
  await s.createIndex("invites_id").on("invites").column("id").unique().execute();
  await s.createIndex("invites_token").on("invites").column("token_digest").unique().execute();
  await s.createIndex("invites_org_seq").on("invites").columns(["org_id", "seq"]).execute();

  await s
    .createTable("password_tokens")
    .addColumn("digest", "text", (c) => c.primaryKey())
    .addColumn("org_id", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("used_at", "bigint")
    .execute();

  await s.createIndex("users_email_ci").on("users").expression(sql`lower(email)`).execute();
}

export const consoleAuth: Migration = { version: 4, name: "console", up };
