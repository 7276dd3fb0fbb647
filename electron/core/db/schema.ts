import type { Migration } from './migrations';
import { CHECKPOINT_TABLE_SQL } from '../audit/checkpoint-schema';

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
  'claims',
  'claim_events',
  'vaccination_records',
  'rule_profiles',
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

/** Snapshot pulls (a reset by the server): the records the snapshot delivered, to drop the rest at its end. */
const v4: Migration = {
  version: 4,
  name: 'sync-snapshot',
  up(db) {
    db.exec(`
      CREATE TABLE sync_snapshot_seen (
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        PRIMARY KEY (entity, entity_id)
      ) WITHOUT ROWID;
    `);
  },
};

/**
 * Claims (issue 6): one row per claim with its input, the computed breakdown and the workflow state;
 * every transition an event; drafts kept per member of staff (local only); 接種歴 that is never deleted.
 */
const v5: Migration = {
  version: 5,
  name: 'claims',
  up(db) {
    db.exec(`
      CREATE TABLE claims (${DOMAIN_COLUMNS},
        claim_kind TEXT NOT NULL CHECK (claim_kind IN ('kodomo_shokan','kokuho_ryoyohi','kokuho_kogaku','kokuho_shussan',
                                                      'kokuho_sousai','yobou_genmen','yobou_kyusai')),
        claim_no TEXT NOT NULL,
        resident_id TEXT NOT NULL REFERENCES residents (id),
        applicant_id TEXT REFERENCES residents (id),
        application_date TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('received','checked','decided','withdrawn')),
        input_json TEXT NOT NULL,
        identity_json TEXT NOT NULL,
        bank_json TEXT,
        calc_json TEXT NOT NULL,
        amount_yen INTEGER CHECK (amount_yen IS NULL OR amount_yen >= 0),
        deadline TEXT,
        deadline_expired INTEGER NOT NULL DEFAULT 0 CHECK (deadline_expired IN (0,1)),
        entered_by TEXT NOT NULL,
        checked_by TEXT,
        decided_by TEXT,
        decision TEXT CHECK (decision IS NULL OR decision IN ('支給','不支給','交付','却下')),
        decision_reason TEXT,
        override_reason TEXT,
        decided_at TEXT,
        notice_no TEXT,
        revision INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),
        -- 二重チェック and 決裁 are never the enterer's (and the approver is not the checker).
        CHECK (checked_by IS NULL OR checked_by <> entered_by),
        CHECK (decided_by IS NULL OR (decided_by <> entered_by AND decided_by <> checked_by))
      );
      CREATE UNIQUE INDEX claims_no ON claims (claim_no);
      CREATE INDEX claims_resident ON claims (resident_id, application_date);
      CREATE INDEX claims_state ON claims (state, claim_kind) WHERE deleted = 0;

      CREATE TABLE claim_events (${DOMAIN_COLUMNS},
        claim_id TEXT NOT NULL REFERENCES claims (id),
        event TEXT NOT NULL,
        reason TEXT,
        detail_json TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX claim_events_claim ON claim_events (claim_id, created_at);

      -- Unsaved entry forms, kept across a lock or a restart. Local to this terminal, never synced.
      CREATE TABLE claim_drafts (
        staff_id TEXT NOT NULL,
        draft_key TEXT NOT NULL,
        data TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (staff_id, draft_key)
      );

      -- 接種歴: never deleted. A correction marks the old row invalid and adds a new one.
      CREATE TABLE vaccination_records (${DOMAIN_COLUMNS},
        resident_id TEXT NOT NULL REFERENCES residents (id),
        vaccine TEXT NOT NULL,
        stage TEXT,
        dose_number INTEGER NOT NULL CHECK (dose_number >= 1),
        administered_on TEXT NOT NULL,
        lot_number TEXT,
        institution TEXT NOT NULL,
        overseas INTEGER NOT NULL CHECK (overseas IN (0,1)),
        source TEXT NOT NULL,
        invalid INTEGER NOT NULL DEFAULT 0 CHECK (invalid IN (0,1)),
        invalidated_reason TEXT,
        invalidated_at TEXT,
        replaces TEXT REFERENCES vaccination_records (id),
        replaced_by TEXT REFERENCES vaccination_records (id)
      );
      CREATE INDEX vaccination_records_resident ON vaccination_records (resident_id, administered_on);
      -- Only the sync snapshot sweep (a record the server, the system of record, does not hold) may remove one.
      CREATE TRIGGER vaccination_records_no_delete BEFORE DELETE ON vaccination_records
        WHEN (SELECT value FROM sync_state WHERE key = 'snapshot_sweep') IS NOT '1'
        BEGIN SELECT RAISE(ABORT, '接種歴は削除できません'); END;
    `);
  },
};

/**
 * Certificate lifecycle (issue 7): every type the three 事務 issue. The certificates and certificate_events
 * tables are rebuilt (their CHECKs cannot be altered in place) with: 更新/訂正 issue kinds, 取消 status,
 * type-specific details, 通称名/本名 and 性別 printing choices, the 回収 list, and the lifecycle events.
 */
const v6: Migration = {
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

/**
 * Audit trail (issue 8): indexes that keep the supervisor's filtered review fast at 1M entries, and the
 * export requests with the two-person rule (requested by a 監督者, approved by another 管理責任者).
 */
const v7: Migration = {
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

/** Signed RFC 9162 checkpoints over the audit log (electron/core/audit/checkpoint.ts), append-only. */
const v8: Migration = {
  version: 8,
  name: 'audit-checkpoints',
  up(db) {
    db.exec(CHECKPOINT_TABLE_SQL);
  },
};

/**
 * Retention (issue 8 §5): entries older than the policy's retention are purged once the central server has
 * acknowledged them. Their content goes; their chain values (seq, prev_hash, hash) stay in
 * audit_purged_hashes, so the remaining chain and every signed checkpoint stay verifiable. audit_leaves is
 * what checkpoints and proofs read. Only the purge (flag in sync_state, inside its transaction) may delete.
 */
const v9: Migration = {
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

/** Rule profiles published centrally and pulled (server/profiles.ts); used at the next start when valid. */
const v10: Migration = {
  version: 10,
  name: 'rule-profiles',
  up(db) {
    db.exec(`
      CREATE TABLE rule_profiles (${DOMAIN_COLUMNS},
        municipality_code TEXT NOT NULL,
        profile_json TEXT NOT NULL CHECK (json_valid(profile_json)),
        published_at TEXT NOT NULL
      );
      CREATE UNIQUE INDEX rule_profiles_municipality ON rule_profiles (municipality_code) WHERE deleted = 0;
    `);
  },
};

export const MIGRATIONS: readonly Migration[] = [v1, v2, v3, v4, v5, v6, v7, v8, v9, v10];
