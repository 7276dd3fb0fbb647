import type { Migration } from '../migration-runner';

/**
 * Fewer index pages per audit append (issue 16 §5). Every search, view and login appends an entry in its own
 * transaction, and every index of audit_log is one more page written to the WAL, which under SQLCipher is
 * encrypted and authenticated (HMAC) page by page. Two of migration 7's indexes now hold only the entries their
 * queries can ask for:
 *   - audit_log_outcome: only entries that did not succeed (the review's outcome filter for 失敗/拒否 names the same
 *     term, electron/core/audit/audit-review.ts); a filter on 'success' walks the log newest first, as nearly every
 *     entry matches;
 *   - audit_log_staff_at: only entries with a resident (the "many residents within an hour" highlight counts
 *     distinct residents and names the same term); a search, a login or a review has none.
 * audit_log_staff gains `at`, so the review's staff + date filter checks the date in the index, not in each row.
 * A search entry writes 7 pages instead of 9 (table, sqlite_sequence, the hash's unique index, at, staff, action,
 * terminal: read from the WAL's frame headers). The review's plans are tested in
 * electron/core/audit/__tests__/audit-plans.test.ts.
 */
export const auditAppendIndexes: Migration = {
  version: 18,
  name: 'audit-append-indexes',
  up(db) {
    db.exec(`
      DROP INDEX audit_log_outcome;
      CREATE INDEX audit_log_outcome ON audit_log (outcome, seq) WHERE outcome <> 'success';
      DROP INDEX audit_log_staff_at;
      CREATE INDEX audit_log_staff_at ON audit_log (staff_id, at, action, target_atena_no) WHERE target_atena_no IS NOT NULL;
      DROP INDEX audit_log_staff;
      CREATE INDEX audit_log_staff ON audit_log (staff_id, seq, at);
    `);
  },
};
