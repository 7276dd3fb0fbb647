import type { Migration } from '../migration-runner';

/**
 * A resident search's audit entry writes 3 pages instead of 7 (issue 16 §5). Every search appends its entry in its
 * own transaction, and under SQLCipher each page written to the WAL is encrypted and authenticated on its own
 * (AES-256-CBC + HMAC-SHA512, ≈ 20–25 µs a page on the bench machine, most of it SHA-512): that was most of what an
 * encrypted search costs more than a plaintext one. Counted from the WAL's frame headers (audit-pages.test.ts):
 *   - `seq INTEGER PRIMARY KEY` without AUTOINCREMENT: seq is never chosen by SQLite (AuditLog gives it from the
 *     chain: the last entry's, or the last purged hash's), so sqlite_sequence was one more page per entry for nothing;
 *   - no UNIQUE(hash): its automatic index was another page per entry; the hash chain itself (each entry names its
 *     predecessor's hash, verify() walks it, signed checkpoints cover it) is what detects a copied or reordered
 *     entry, never the index;
 *   - the action index leaves out 'residents.search', the most frequent entry: the review names the same term for
 *     any other action, so it still reads that index, and a filter on searches walks the log newest first, where
 *     searches are dense (audit-review.ts; audit-plans.test.ts);
 *   - no terminal index: a terminal's own log holds only the entries this terminal wrote (AuditLog stamps the
 *     terminal's ID; the central server keeps every terminal's log keyed by terminal), so on a terminal that filter
 *     matches nearly everything or nothing. It walks the log newest first; for an ID the log does not hold that is
 *     the whole log (bench/audit.bench.ts prints the time at 1,000,000 entries).
 * What a search still writes: the table and the `at` and `staff` indexes.
 *
 * SQLite cannot drop a column constraint in place, so the table is rebuilt (the documented procedure): the view that
 * reads it, the old table's indexes and triggers are dropped, the old table is renamed aside, every entry is copied
 * with its seq into the new one (inside the migration's one transaction: a failure leaves the old log as it was),
 * and the other indexes, the append-only triggers and the view are made again as before. The hash chain is untouched (the hashes are over the entries'
 * values, not over how the table stores them). bench/audit.bench.ts prints how long the rebuild takes on a log of
 * 1,000,000 entries.
 */
export const auditLogLean: Migration = {
  version: 21,
  name: 'audit-log-lean',
  up(db) {
    db.exec(`
      DROP VIEW audit_leaves;
      DROP TRIGGER audit_log_no_update;
      DROP TRIGGER audit_log_no_delete;
      DROP INDEX audit_log_at;
      DROP INDEX audit_log_staff;
      DROP INDEX audit_log_staff_at;
      DROP INDEX audit_log_outcome;
      DROP INDEX audit_log_target;
      DROP INDEX audit_log_action;
      DROP INDEX audit_log_terminal;
      ALTER TABLE audit_log RENAME TO audit_log_before_21;
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        staff_id TEXT,
        terminal_id TEXT NOT NULL,
        action TEXT NOT NULL,
        target_atena_no TEXT,
        reason TEXT,
        outcome TEXT NOT NULL CHECK (outcome IN ('success','failure','rejected')),
        detail TEXT NOT NULL CHECK (json_valid(detail)),
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      INSERT INTO audit_log (seq, at, staff_id, terminal_id, action, target_atena_no, reason, outcome, detail, prev_hash, hash)
        SELECT seq, at, staff_id, terminal_id, action, target_atena_no, reason, outcome, detail, prev_hash, hash
        FROM audit_log_before_21 ORDER BY seq;
      DROP TABLE audit_log_before_21;

      CREATE INDEX audit_log_at ON audit_log (at);
      CREATE INDEX audit_log_staff ON audit_log (staff_id, seq, at);
      CREATE INDEX audit_log_staff_at ON audit_log (staff_id, at, action, target_atena_no) WHERE target_atena_no IS NOT NULL;
      CREATE INDEX audit_log_outcome ON audit_log (outcome, seq) WHERE outcome <> 'success';
      CREATE INDEX audit_log_target ON audit_log (target_atena_no, seq) WHERE target_atena_no IS NOT NULL;
      CREATE INDEX audit_log_action ON audit_log (action, seq) WHERE action <> 'residents.search';

      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        WHEN (SELECT value FROM sync_state WHERE key = 'audit_purge') IS NOT '1'
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

      CREATE VIEW audit_leaves AS
        SELECT seq, prev_hash, hash FROM audit_purged_hashes
        UNION ALL
        SELECT seq, prev_hash, hash FROM audit_log;
    `);
  },
};
