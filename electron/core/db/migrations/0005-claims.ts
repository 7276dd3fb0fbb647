import type { Migration } from '../migration-runner';
import { DOMAIN_COLUMNS } from './domain-columns';

/**
 * Claims (issue 6): one row per claim with its input, the computed breakdown and the workflow state;
 * every transition an event; drafts kept per member of staff (local only); 接種歴 that is never deleted.
 */
export const claims: Migration = {
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
