import type { ServerMigration } from './migration';

/**
 * Pull scope: who may see each record (municipality, 事務, owning terminal), and server-wide facts such as the
 * highest pruned tombstone.
 */
export const pullScope: ServerMigration = {
  version: 4,
  name: 'pull-scope',
  sql: `
      -- Who may see a record (shared/sync/scope.ts): its municipality always; its 事務 for certificates and
      -- their events; the owning terminal for leased number blocks. Set when the record is first pushed.
      ALTER TABLE entities ADD COLUMN municipality TEXT;
      ALTER TABLE entities ADD COLUMN jimu TEXT;
      ALTER TABLE entities ADD COLUMN owner_terminal TEXT;
      CREATE INDEX entities_scope_seq ON entities (municipality, server_seq);

      -- Server-wide facts, e.g. the highest server_seq whose tombstone was pruned: a terminal whose cursor is
      -- below it may have missed a deletion and must take a fresh snapshot.
      CREATE TABLE server_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
};
