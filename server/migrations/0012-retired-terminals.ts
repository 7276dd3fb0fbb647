import type { ServerMigration } from './migration';

/**
 * Retired terminals (issue 16 §4): a terminal that reported its retirement (`POST /v1/terminals/retire`, after it
 * had sent everything) is recorded here, and the server answers none of its later requests (push, pull, …).
 * What the terminal had sent when it retired is kept with it; the time is the server's clock.
 */
export const retiredTerminals: ServerMigration = {
  version: 12,
  name: 'retired-terminals',
  sql: `
      CREATE TABLE retired_terminals (
        terminal_id TEXT PRIMARY KEY,
        municipality TEXT NOT NULL,
        last_mutation_id BIGINT NOT NULL CHECK (last_mutation_id >= 0),
        audit_seq BIGINT NOT NULL CHECK (audit_seq >= 0),
        retired_at TIMESTAMPTZ NOT NULL
      );
    `,
};
