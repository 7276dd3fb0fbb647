/** One server migration: its SQL runs in one transaction together with its `schema_migrations` row. */
export interface ServerMigration {
  version: number;
  name: string;
  sql: string;
}
