import type { ServerMigration } from './migration';

/**
 * Seed 001 (Ⅲ-2「以前と異なる個人番号を紐付けようとした場合」): a 住基 line that would give a person who already has a
 * 個人番号 a different one, or none, is not applied to the number: the person keeps theirs and the change waits here
 * for a supervisor (`npm run server:job -- mynumber-confirmations` lists them). The rest of the line is applied.
 */
export const mynumberConfirmations: ServerMigration = {
  version: 15,
  name: 'mynumber-confirmations',
  sql: `
      CREATE TABLE mynumber_confirmations (
        confirmation_id BIGSERIAL PRIMARY KEY,
        municipality TEXT NOT NULL,
        atena_no TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        import_id BIGINT NOT NULL REFERENCES import_log (import_id),
        held_number TEXT NOT NULL,
        proposed_number TEXT,
        created_at TIMESTAMPTZ NOT NULL,
        resolved_at TIMESTAMPTZ,
        resolved_by TEXT
      );
      CREATE INDEX mynumber_confirmations_open ON mynumber_confirmations (municipality, created_at) WHERE resolved_at IS NULL;
    `,
};
