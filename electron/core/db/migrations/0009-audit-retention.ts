import type { Migration } from '../migration-runner';

/**
 * Retention (issue 8 §5): entries older than the policy's retention are purged once the central server has
 * acknowledged them. Their content goes; their chain values (seq, prev_hash, hash) stay in
 * audit_purged_hashes, so the remaining chain and every signed checkpoint stay verifiable. audit_leaves is
 * what checkpoints and proofs read. Only the purge (flag in sync_state, inside its transaction) may delete.
 */
export const auditRetention: Migration = {
  version: 9,
  name: 'audit-retention',
  up(db) {
    db.exec(`
      CREATE TABLE audit_purged_hashes (
        seq INTEGER PRIMARY KEY,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE TRIGGER audit_purged_hashes_no_update BEFORE UPDATE ON audit_purged_hashes
        BEGIN SELECT RAISE(ABORT, 'audit_purged_hashes is append-only'); END;
      CREATE TRIGGER audit_purged_hashes_no_delete BEFORE DELETE ON audit_purged_hashes
        BEGIN SELECT RAISE(ABORT, 'audit_purged_hashes is append-only'); END;
      CREATE TABLE audit_purges (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        purged_through_seq INTEGER NOT NULL,
        cutoff TEXT NOT NULL,
        entries INTEGER NOT NULL,
        checkpoint_id INTEGER NOT NULL REFERENCES audit_checkpoints (id),
        at TEXT NOT NULL
      );
      CREATE VIEW audit_leaves AS
        SELECT seq, prev_hash, hash FROM audit_purged_hashes
        UNION ALL
        SELECT seq, prev_hash, hash FROM audit_log;
      DROP TRIGGER audit_log_no_delete;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        WHEN (SELECT value FROM sync_state WHERE key = 'audit_purge') IS NOT '1'
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    `);
  },
};
