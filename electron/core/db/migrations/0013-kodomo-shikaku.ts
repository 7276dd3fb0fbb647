import type { Migration } from '../migration-runner';
import { DOMAIN_COLUMNS } from './domain-columns';

/**
 * こども医療費助成 受給資格 (issue 15 §2, shared/domain/kodomo-shikaku.ts): one row per 認定, made in the same
 * transaction as the 決裁 of its 交付申請 (claims, kind kodomo_shikaku, claim_id). Holds 取得日・事由, the 保護者,
 * the 主保険 and the 交付方法; ends by 喪失 (lost_on is the first day not covered). Synced with the 事務 kodomo;
 * the central server accepts it only for a 認定 claim it holds, and its daily job writes the 喪失 of 18歳年度末,
 * 転出 and 死亡.
 *
 * The claims table is rebuilt first (SQLite's 12-step procedure, foreign keys off around it): its CHECKs gain the
 * kind kodomo_shikaku and the decision 認定; its columns, rows and indexes are as before.
 */
export const kodomoShikaku: Migration = {
  version: 13,
  name: 'kodomo-shikaku',
  rebuildsTables: true,
  up(db) {
    // claims is rebuilt (its CHECKs cannot be altered in place): the kind kodomo_shikaku (交付申請) and the decision 認定.
    db.exec(`
      CREATE TABLE claims_v13 (${DOMAIN_COLUMNS},
        claim_kind TEXT NOT NULL CHECK (claim_kind IN ('kodomo_shikaku','kodomo_shokan','kokuho_ryoyohi','kokuho_kogaku','kokuho_shussan',
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
        decision TEXT CHECK (decision IS NULL OR decision IN ('支給','不支給','交付','却下','認定')),
        decision_reason TEXT,
        override_reason TEXT,
        decided_at TEXT,
        notice_no TEXT,
        revision INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),
        -- 二重チェック and 決裁 are never the enterer's (and the approver is not the checker).
        CHECK (checked_by IS NULL OR checked_by <> entered_by),
        CHECK (decided_by IS NULL OR (decided_by <> entered_by AND decided_by <> checked_by))
      );
      INSERT INTO claims_v13 SELECT * FROM claims;
      DROP TABLE claims;
      ALTER TABLE claims_v13 RENAME TO claims;
      CREATE UNIQUE INDEX claims_no ON claims (claim_no);
      CREATE INDEX claims_resident ON claims (resident_id, application_date);
      CREATE INDEX claims_state ON claims (state, claim_kind) WHERE deleted = 0;

      CREATE TABLE kodomo_shikaku (${DOMAIN_COLUMNS},
        resident_id TEXT NOT NULL REFERENCES residents(id),
        atena_no TEXT NOT NULL,
        claim_id TEXT NOT NULL,
        guardian_id TEXT,
        acquired_on TEXT NOT NULL,
        acquire_reason TEXT NOT NULL,
        insurer_name TEXT NOT NULL,
        insurance_kind TEXT NOT NULL,
        insured_relation TEXT NOT NULL,
        insurance_symbol TEXT NOT NULL,
        insurance_number TEXT NOT NULL,
        insurance_branch TEXT NOT NULL,
        delivery_json TEXT NOT NULL,
        lost_on TEXT,
        lose_reason TEXT,
        lose_notified_on TEXT,
        CHECK (lost_on IS NULL OR lost_on >= acquired_on),
        CHECK ((lost_on IS NULL) = (lose_reason IS NULL))
      );
      CREATE INDEX kodomo_shikaku_resident ON kodomo_shikaku (resident_id, acquired_on) WHERE deleted = 0;
      CREATE UNIQUE INDEX kodomo_shikaku_claim ON kodomo_shikaku (claim_id) WHERE deleted = 0;
    `);
  },
};
