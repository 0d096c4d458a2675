import type { QueryExecutorProvider, SchemaModule } from "kysely";
import type { DialectInfo } from "../dialect.js";

/**
 * What a migration may use: the schema builder, and the connection itself for raw `sql`.
 * Deliberately untyped by table: a migration describes the schema as it was at its version.
 */
export interface MigrationDb extends QueryExecutorProvider {
  readonly schema: SchemaModule;
}

export interface Migration {
  version: number;
  name: string;
  up(db: MigrationDb, d: DialectInfo): Promise<void>;
}
