import type { Migration } from '../migration-runner';
import { DOMAIN_COLUMNS } from './domain-columns';

/**
 * こども医療費助成 受給資格 (issue 15 §2, shared/domain/kodomo-shikaku.ts): one row per 認定, made in the same
 * transaction as the 決裁 of its 交付申請 (claims, kind kodomo_shikaku, claim_id). Holds 取得日・事由, the 保護者,
 * the 主保険 and the 交付方法; ends by 喪失 (lost_on is the first day not covered). Synced with the 事務 kodomo;
 * the central server accepts it only for a 認定 claim it holds, and its daily job writes the 喪失 of 18歳年度末,
 * 転出 and 死亡.
 */
export const kodomoShikaku: Migration = {
  version: 13,
  name: 'kodomo-shikaku',
  up(db) {
    db.exec(`
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
