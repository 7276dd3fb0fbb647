import type { Migration } from '../migration-runner';

/**
 * Audit trail (issue 8): indexes that keep the supervisor's filtered review fast at 1M entries, and the
 * export requests with the two-person rule (requested by a 監督者, approved by another 管理責任者).
 */
export const auditReviewExport: Migration = {
  version: 7,
  name: 'audit-review-export',
  up(db) {
    db.exec(`
      CREATE INDEX audit_log_staff ON audit_log (staff_id, seq);
      -- The review's highlight "many distinct residents within an hour" looks back by time per member of staff
      -- (covering: the count reads the index only).
      CREATE INDEX audit_log_staff_at ON audit_log (staff_id, at, action, target_atena_no);
      CREATE INDEX audit_log_outcome ON audit_log (outcome, seq);
      CREATE INDEX audit_log_target ON audit_log (target_atena_no, seq) WHERE target_atena_no IS NOT NULL;
      CREATE INDEX audit_log_action ON audit_log (action, seq);
      CREATE INDEX audit_log_terminal ON audit_log (terminal_id, seq);

      CREATE TABLE audit_exports (
        id TEXT PRIMARY KEY NOT NULL,
        requested_by TEXT NOT NULL,
        requested_at TEXT NOT NULL,
        reason TEXT NOT NULL,
        filter_json TEXT NOT NULL CHECK (json_valid(filter_json)),
        csv_encoding TEXT NOT NULL CHECK (csv_encoding IN ('utf8bom','cp932')),
        status TEXT NOT NULL CHECK (status IN ('requested','approved','rejected','written')),
        decided_by TEXT,
        decided_at TEXT,
        decision_reason TEXT,
        written_at TEXT,
        destination TEXT,
        manifest_sha256 TEXT,
        entries INTEGER,
        CHECK (decided_by IS NULL OR decided_by <> requested_by)
      );
    `);
  },
};
