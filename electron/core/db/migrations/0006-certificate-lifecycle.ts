import type { Migration } from '../migration-runner';
import { DOMAIN_COLUMNS } from './domain-columns';

/**
 * Certificate lifecycle (issue 7): every type the three 事務 issue. The certificates and certificate_events
 * tables are rebuilt (their CHECKs cannot be altered in place) with: 更新/訂正 issue kinds, 取消 status,
 * type-specific details, 通称名/本名 and 性別 printing choices, the 回収 list, and the lifecycle events.
 */
export const certificateLifecycle: Migration = {
  version: 6,
  name: 'certificate-lifecycle',
  rebuildsTables: true,
  up(db) {
    db.exec(`
      CREATE TABLE certificates_v6 (${DOMAIN_COLUMNS},
        resident_id TEXT NOT NULL REFERENCES residents (id),
        cert_type TEXT NOT NULL,
        certificate_no TEXT NOT NULL,
        public_payer_no TEXT,
        issue_kind TEXT NOT NULL CHECK (issue_kind IN ('new','renew','reissue','correct')),
        reissue_reason TEXT,
        issue_date TEXT NOT NULL,
        valid_from TEXT NOT NULL,
        valid_to TEXT CHECK (valid_to IS NULL OR valid_to >= valid_from),
        guardian_id TEXT REFERENCES residents (id),
        status TEXT NOT NULL CHECK (status IN ('valid','superseded','cancelled')),
        superseded_by TEXT REFERENCES certificates (id),
        details_json TEXT NOT NULL DEFAULT '{}',
        name_choice TEXT NOT NULL DEFAULT 'real' CHECK (name_choice IN ('real','alias')),
        print_sex INTEGER NOT NULL DEFAULT 1 CHECK (print_sex IN (0,1)),
        end_reason TEXT,
        recall_status TEXT NOT NULL DEFAULT 'none' CHECK (recall_status IN ('none','pending','recalled','not_returned')),
        recall_date TEXT,
        recall_kind TEXT,
        UNIQUE (cert_type, certificate_no)
      );
      INSERT INTO certificates_v6 (id, version, created_at, created_by, updated_at, updated_by, deleted, resident_id, cert_type,
        certificate_no, public_payer_no, issue_kind, reissue_reason, issue_date, valid_from, valid_to, guardian_id, status, superseded_by,
        recall_status)
      SELECT id, version, created_at, created_by, updated_at, updated_by, deleted, resident_id, cert_type, certificate_no,
        public_payer_no, issue_kind, reissue_reason, issue_date, valid_from, valid_to, guardian_id, status, superseded_by,
        CASE WHEN status = 'superseded' THEN 'pending' ELSE 'none' END
      FROM certificates;
      DROP TABLE certificates;
      ALTER TABLE certificates_v6 RENAME TO certificates;
      CREATE INDEX certificates_resident ON certificates (resident_id);
      CREATE UNIQUE INDEX certificates_one_valid ON certificates (resident_id, cert_type) WHERE status = 'valid' AND deleted = 0;
      CREATE INDEX certificates_recall ON certificates (cert_type, recall_status) WHERE recall_status = 'pending';

      CREATE TABLE certificate_events_v6 (${DOMAIN_COLUMNS},
        certificate_id TEXT NOT NULL REFERENCES certificates (id),
        resident_id TEXT NOT NULL REFERENCES residents (id),
        event TEXT NOT NULL CHECK (event IN ('issue','renew','reissue','correct','supersede','recall','cancel','print','dv_release','mail')),
        reason TEXT
      );
      INSERT INTO certificate_events_v6 SELECT * FROM certificate_events;
      DROP TABLE certificate_events;
      ALTER TABLE certificate_events_v6 RENAME TO certificate_events;
      CREATE INDEX certificate_events_resident ON certificate_events (resident_id);
      CREATE INDEX certificate_events_certificate ON certificate_events (certificate_id, event);

      -- Batch mailings (勧奨はがき, 資格確認書の一斉更新): local runs that survive a restart and resume.
      CREATE TABLE mailing_runs (
        id TEXT PRIMARY KEY NOT NULL,
        title TEXT NOT NULL,
        cert_type TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('selected','validated','printing','done'))
      );
      CREATE TABLE mailing_items (
        run_id TEXT NOT NULL REFERENCES mailing_runs (id),
        seq INTEGER NOT NULL,
        resident_id TEXT NOT NULL REFERENCES residents (id),
        certificate_id TEXT REFERENCES certificates (id),
        snapshot_json TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending','changed','held','printed')),
        message TEXT,
        PRIMARY KEY (run_id, seq)
      ) WITHOUT ROWID;
    `);
  },
};
