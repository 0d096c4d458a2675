import type { ColumnDefinitionBuilder } from "kysely";
import type { DialectInfo } from "../dialect.js";
import type { Migration, MigrationDb } from "./types.js";

const notNull = (c: ColumnDefinitionBuilder) => c.notNull();

/**
 * Hard spend limits and spend alerts (OpenAI's spend_limit / spend_alerts), the record of which
 * alert fired in which period, and rate-limit ids scoped to their project: OpenAI names a
 * project's record after its model (`rl-gpt-4o`), so the same id exists in every project.
 */
async function up(db: MigrationDb, d: DialectInfo): Promise<void> {
  const s = db.schema;
  await s.dropIndex("rate_limits_id").execute();
  await s
    .createIndex("rate_limits_project_id")
    .on("rate_limits")
    .columns(["project_id", "id"])
    .unique()
    .execute();

  // scope_id: the project id, or the organization id for the organization's own limit.
  await s
    .createTable("spend_limits")
    .addColumn("org_id", "text", notNull)
    .addColumn("scope_id", "text", notNull)
    .addColumn("project_id", "text")
    .addColumn("threshold_micros", "bigint", notNull)
    .addColumn("interval", "text", notNull)
    .addColumn("interval_days", "integer")
    .addColumn("created_at", "bigint", notNull)
    .addColumn("updated_at", "bigint", notNull)
    .addPrimaryKeyConstraint("spend_limits_pk", ["org_id", "scope_id"])
    .execute();

  const alerts = s.createTable("spend_alerts");
  await (d.name === "sqlite"
    ? alerts.addColumn("seq", "integer", (c) => c.primaryKey().autoIncrement())
    : alerts.addColumn("seq", "bigserial", (c) => c.primaryKey())
  )
    .addColumn("id", "text", notNull)
    .addColumn("org_id", "text", notNull)
    .addColumn("scope_id", "text", notNull)
    .addColumn("project_id", "text")
    .addColumn("threshold_micros", "bigint", notNull)
    .addColumn("interval", "text", notNull)
    .addColumn("interval_days", "integer")
    .addColumn("channel", "text", notNull)
    .addColumn("webhook_url", "text")
    .addColumn("created_at", "bigint", notNull)
    .execute();
  await s.createIndex("spend_alerts_id").on("spend_alerts").columns(["id"]).unique().execute();
  await s
    .createIndex("spend_alerts_scope_seq")
    .on("spend_alerts")
    .columns(["org_id", "scope_id", "seq"])
    .execute();

  await s
    .createTable("spend_alert_firings")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("fired_at", "bigint", notNull)
    .execute();
}

export const spend: Migration = { version: 2, name: "spend", up };
