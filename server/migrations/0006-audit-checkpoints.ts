import type { ServerMigration } from './migration';

/**
 * Checkpoint upload (§8): the key each terminal signs with, and its signed checkpoints.
 */
export const auditCheckpoints: ServerMigration = {
  version: 6,
  name: 'audit-checkpoints',
  sql: `
      -- Signed checkpoints (RFC 9162 roots over each terminal's audit entry hashes), checked against the
      -- entries the server holds before they are stored. The first key a terminal uses is registered; a
      -- checkpoint signed with another key is refused (a re-enrolled terminal's key is reset by an operator).
      CREATE TABLE audit_keys (
        terminal_id TEXT PRIMARY KEY,
        key_id TEXT NOT NULL,
        public_key_pem TEXT NOT NULL,
        registered_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
      CREATE TABLE audit_checkpoints (
        terminal_id TEXT NOT NULL,
        checkpoint_id BIGINT NOT NULL,
        tree_size BIGINT NOT NULL,
        root_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        key_id TEXT NOT NULL,
        signature TEXT NOT NULL,
        received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (terminal_id, checkpoint_id)
      );
    `,
};
