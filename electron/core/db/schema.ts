import type { Migration } from './migrations';

/**
 * Columns every domain table carries: UUIDv7 key, optimistic-lock version, who/when, soft delete.
 * Rows are never hard-deleted; `deleted = 1` hides them.
 */
const DOMAIN_COLUMNS = `
  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
  version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))`;

/** Tables that hold domain records (and therefore follow the DOMAIN_COLUMNS convention). */
export const DOMAIN_TABLES = [
  'staff',
  'residents',
  'resident_guardians',
  'health_insurance',
  'certificates',
  'certificate_events',
  'number_blocks',
  'staff_grants',
  'authenticators',
  'password_history',
] as const;

const v1: Migration = {
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

/** Identity and access: grants by 事務, authenticators (WebAuthn), password history, lockout, expiry. */
const v2: Migration = {
  version: 2,
  name: 'identity-and-access',
  up(db) {
    db.exec(`
      ALTER TABLE staff ADD COLUMN name_kana TEXT NOT NULL DEFAULT '';
      ALTER TABLE staff ADD COLUMN section TEXT NOT NULL DEFAULT '';
      ALTER TABLE staff ADD COLUMN failed_count INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE staff ADD COLUMN locked_until TEXT;
      ALTER TABLE staff ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0,1));
      -- Only the first administrator (provisioning) may register their own second factor at first login.
      ALTER TABLE staff ADD COLUMN may_self_enroll INTEGER NOT NULL DEFAULT 0 CHECK (may_self_enroll IN (0,1));
      ALTER TABLE staff DROP COLUMN can_reveal_my_number;

      CREATE TABLE staff_grants (${DOMAIN_COLUMNS},
        staff_id TEXT NOT NULL REFERENCES staff (staff_id),
        right_name TEXT NOT NULL,
        approved_by TEXT NOT NULL,
        reason TEXT NOT NULL,
        valid_from TEXT NOT NULL,
        expires_at TEXT,
        revoked_at TEXT,
        revoked_by TEXT,
        CHECK (expires_at IS NULL OR expires_at > valid_from)
      );
      CREATE INDEX staff_grants_staff ON staff_grants (staff_id);

      CREATE TABLE authenticators (${DOMAIN_COLUMNS},
        staff_id TEXT NOT NULL REFERENCES staff (staff_id),
        credential_id TEXT NOT NULL UNIQUE,
        public_key TEXT NOT NULL,
        counter INTEGER NOT NULL DEFAULT 0,
        transports TEXT NOT NULL DEFAULT '[]',
        label TEXT NOT NULL,
        registered_by TEXT NOT NULL,
        revoked_at TEXT,
        revoked_by TEXT,
        revoke_reason TEXT
      );
      CREATE INDEX authenticators_staff ON authenticators (staff_id);

      CREATE TABLE password_history (${DOMAIN_COLUMNS},
        staff_id TEXT NOT NULL REFERENCES staff (staff_id),
        password_hash TEXT NOT NULL
      );
      CREATE INDEX password_history_staff ON password_history (staff_id, created_at);
    `);
  },
};

/** Sync state: the pull cursor, last success, and permanent rejections shown to staff (never blocking). */
const v3: Migration = {
  version: 3,
  name: 'sync-state',
  up(db) {
    db.exec(`
      CREATE TABLE sync_state (
        key TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
      );
      CREATE TABLE sync_rejections (
        mutation_id INTEGER PRIMARY KEY REFERENCES outbox (mutation_id),
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        reason TEXT NOT NULL,
        rejected_at TEXT NOT NULL
      );
      CREATE INDEX outbox_unsent ON outbox (mutation_id) WHERE sent_at IS NULL;
      CREATE INDEX outbox_entity ON outbox (entity, entity_id) WHERE sent_at IS NULL;
    `);
  },
};

export const MIGRATIONS: readonly Migration[] = [v1, v2, v3];
