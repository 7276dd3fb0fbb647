import type { Migration } from '../migration-runner';
import { DOMAIN_COLUMNS } from './domain-columns';

/**
 * 保護受給 as the central server imported it from the 生活保護 system (issue 17, docs/interfaces/seiho.md): pulled by
 * terminals serving 生活保護 (the 事務 seikatsu), read-only here (the server refuses a pushed one). One row per
 * ケース番号, 世帯員 and 保護開始年月日; names its person (resident_id), so the person is on the terminal too. Dates are
 * ISO (YYYY-MM-DD); 扶助の種類 is the interface's space-separated codes. No 個人番号 (seed 001).
 */
export const seihoJukyu: Migration = {
  version: 17,
  name: 'seiho-jukyu',
  up(db) {
    db.exec(`
      CREATE TABLE seiho_jukyu (${DOMAIN_COLUMNS},
        resident_id TEXT NOT NULL REFERENCES residents (id),
        case_no TEXT NOT NULL,
        atena_no TEXT NOT NULL,
        household_no TEXT NOT NULL,
        head_flag TEXT NOT NULL CHECK (head_flag IN ('1', '2')),
        started_on TEXT NOT NULL,
        changed_on TEXT,
        ended_on TEXT,
        change_reason TEXT NOT NULL,
        caseworker TEXT NOT NULL,
        aid_kinds TEXT NOT NULL,
        CHECK (ended_on IS NULL OR ended_on > started_on)
      );
      CREATE INDEX seiho_jukyu_resident ON seiho_jukyu (resident_id, started_on) WHERE deleted = 0;
      CREATE INDEX seiho_jukyu_case ON seiho_jukyu (case_no) WHERE deleted = 0;
    `);
  },
};
