import type { Migration } from '../migration-runner';
import { DOMAIN_COLUMNS } from './domain-columns';

/**
 * The foundation (issue 1): terminal settings, staff, residents and their guardians and insurance, number blocks,
 * certificates and their events, the outbox, and the append-only, hash-chained audit log.
 */
export const foundation: Migration = {
  version: 1,
  name: 'foundation',
  up(db) {
    db.exec(`
      CREATE TABLE terminal_settings (
        key TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
      );

      CREATE TABLE staff (${DOMAIN_COLUMNS},
        staff_id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('clerk','checker','approver','supervisor','administrator')),
        can_reveal_my_number INTEGER NOT NULL DEFAULT 0 CHECK (can_reveal_my_number IN (0,1)),
        password_hash TEXT NOT NULL,
        password_changed_at TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0,1)),
        demo INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0,1))
      );

      CREATE TABLE residents (${DOMAIN_COLUMNS},
        atena_no TEXT NOT NULL UNIQUE,
        name_kanji TEXT NOT NULL,
        name_kana TEXT NOT NULL,
        name_kana_key TEXT NOT NULL,
        alias_name TEXT,
        birth_date TEXT NOT NULL CHECK (birth_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
        sex TEXT NOT NULL CHECK (sex IN ('1','2','9')),
        postal_code TEXT NOT NULL,
        address TEXT NOT NULL,
        katagaki TEXT NOT NULL DEFAULT '',
        household_no TEXT NOT NULL,
        my_number TEXT CHECK (my_number IS NULL OR (length(my_number) = 12 AND my_number NOT GLOB '*[^0-9]*')),
        dv_support INTEGER NOT NULL DEFAULT 0 CHECK (dv_support IN (0,1)),
        non_disclosure INTEGER NOT NULL DEFAULT 0 CHECK (non_disclosure IN (0,1)),
        view_suspended INTEGER NOT NULL DEFAULT 0 CHECK (view_suspended IN (0,1))
      );
      CREATE INDEX residents_kana ON residents (name_kana_key, birth_date);
      CREATE INDEX residents_birth ON residents (birth_date);
      CREATE INDEX residents_household ON residents (household_no);
      CREATE UNIQUE INDEX residents_my_number ON residents (my_number) WHERE my_number IS NOT NULL AND deleted = 0;

      CREATE TABLE resident_guardians (${DOMAIN_COLUMNS},
        child_id TEXT NOT NULL REFERENCES residents (id),
        guardian_id TEXT NOT NULL REFERENCES residents (id),
        relationship TEXT NOT NULL,
        CHECK (child_id <> guardian_id)
      );
      CREATE INDEX resident_guardians_child ON resident_guardians (child_id);
      CREATE INDEX resident_guardians_guardian ON resident_guardians (guardian_id);

      CREATE TABLE health_insurance (${DOMAIN_COLUMNS},
        resident_id TEXT NOT NULL REFERENCES residents (id),
        insurer_no TEXT NOT NULL CHECK (insurer_no NOT GLOB '*[^0-9]*' AND length(insurer_no) IN (6, 8)),
        symbol TEXT NOT NULL,
        number TEXT NOT NULL,
        branch TEXT NOT NULL DEFAULT ''
      );
      CREATE INDEX health_insurance_resident ON health_insurance (resident_id);

      CREATE TABLE number_blocks (${DOMAIN_COLUMNS},
        cert_type TEXT NOT NULL,
        next_serial INTEGER NOT NULL,
        last_serial INTEGER NOT NULL,
        source TEXT NOT NULL,
        expires_at TEXT,
        CHECK (next_serial <= last_serial + 1)
      );

      CREATE TABLE certificates (${DOMAIN_COLUMNS},
        resident_id TEXT NOT NULL REFERENCES residents (id),
        cert_type TEXT NOT NULL,
        certificate_no TEXT NOT NULL,
        public_payer_no TEXT NOT NULL,
        issue_kind TEXT NOT NULL CHECK (issue_kind IN ('new','reissue')),
        reissue_reason TEXT,
        issue_date TEXT NOT NULL,
        valid_from TEXT NOT NULL,
        valid_to TEXT NOT NULL CHECK (valid_to >= valid_from),
        guardian_id TEXT REFERENCES residents (id),
        status TEXT NOT NULL CHECK (status IN ('valid','superseded')),
        superseded_by TEXT REFERENCES certificates (id),
        UNIQUE (cert_type, certificate_no)
      );
      CREATE INDEX certificates_resident ON certificates (resident_id);
      -- One valid certificate of a type per person at a time.
      CREATE UNIQUE INDEX certificates_one_valid ON certificates (resident_id, cert_type)
        WHERE status = 'valid' AND deleted = 0;

      CREATE TABLE certificate_events (${DOMAIN_COLUMNS},
        certificate_id TEXT NOT NULL REFERENCES certificates (id),
        resident_id TEXT NOT NULL REFERENCES residents (id),
        event TEXT NOT NULL CHECK (event IN ('issue','reissue','supersede','print')),
        reason TEXT
      );
      CREATE INDEX certificate_events_resident ON certificate_events (resident_id);

      -- Every domain change writes its outbox row in the same transaction; the sync issue sends them.
      CREATE TABLE outbox (
        mutation_id INTEGER PRIMARY KEY AUTOINCREMENT,
        client_uuid TEXT NOT NULL UNIQUE,
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        op TEXT NOT NULL CHECK (op IN ('insert','update','delete')),
        payload TEXT NOT NULL CHECK (json_valid(payload)),
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        sent_at TEXT
      );

      -- Append-only audit log with a SHA-256 hash chain.
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        staff_id TEXT,
        terminal_id TEXT NOT NULL,
        action TEXT NOT NULL,
        target_atena_no TEXT,
        reason TEXT,
        outcome TEXT NOT NULL CHECK (outcome IN ('success','failure','rejected')),
        detail TEXT NOT NULL CHECK (json_valid(detail)),
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE
      );
      CREATE INDEX audit_log_at ON audit_log (at);
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    `);
  },
};
