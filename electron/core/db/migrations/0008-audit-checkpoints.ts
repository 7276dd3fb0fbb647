import type { Migration } from '../migration-runner';

/**
 * The checkpoint table, append-only like audit_log. The `IF NOT EXISTS` is as shipped: until the schema split,
 * electron/core/audit/checkpoint.ts also ran this text before every read and write.
 */
const AUDIT_CHECKPOINTS_SQL = `
CREATE TABLE IF NOT EXISTS audit_checkpoints (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  terminal_id TEXT NOT NULL,
  tree_size INTEGER NOT NULL CHECK (tree_size >= 0),
  root_hash TEXT NOT NULL CHECK (length(root_hash) = 64),
  created_at TEXT NOT NULL,
  key_id TEXT NOT NULL,
  public_key_pem TEXT NOT NULL,
  signature TEXT NOT NULL,
  -- The tree's compact range (JSON array of hex hashes, largest subtree first): lets the next checkpoint
  -- hash only the entries added since. Not signed; checked against the signed root before use.
  frontier TEXT NOT NULL CHECK (json_valid(frontier))
);
CREATE INDEX IF NOT EXISTS audit_checkpoints_tree_size ON audit_checkpoints (tree_size);
CREATE TRIGGER IF NOT EXISTS audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
  BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
  BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;
`;

/** Signed RFC 9162 checkpoints over the audit log (electron/core/audit/checkpoint.ts), append-only. */
export const auditCheckpoints: Migration = {
  version: 8,
  name: 'audit-checkpoints',
  up(db) {
    db.exec(AUDIT_CHECKPOINTS_SQL);
  },
};
