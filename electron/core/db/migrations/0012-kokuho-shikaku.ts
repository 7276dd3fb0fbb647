import type { Migration } from '../migration-runner';
import { DOMAIN_COLUMNS } from './domain-columns';

/**
 * 国保 被保険者資格 as the central server imported it from the 国保 system (issue 15, docs/interfaces/kokuho.md):
 * pulled by terminals serving 国保, read-only here (the server refuses a pushed one). One row per person and 資格
 * period; found by 宛名番号. Dates are ISO (YYYY-MM-DD); codes are the interface's code lists.
 */
export const kokuhoShikaku: Migration = {
  version: 12,
  name: 'kokuho-shikaku',
  up(db) {
    db.exec(`
      CREATE TABLE kokuho_shikaku (${DOMAIN_COLUMNS},
        atena_no TEXT NOT NULL,
        household_no TEXT NOT NULL,
        insurer_no TEXT NOT NULL,
        symbol TEXT NOT NULL,
        number TEXT NOT NULL,
        branch TEXT NOT NULL,
        acquired_on TEXT NOT NULL,
        acquire_reason TEXT NOT NULL,
        acquire_notified_on TEXT,
        lost_on TEXT,
        lose_reason TEXT,
        lose_notified_on TEXT,
        income_class TEXT,
        CHECK (lost_on IS NULL OR lost_on >= acquired_on)
      );
      CREATE INDEX kokuho_shikaku_atena ON kokuho_shikaku (atena_no, acquired_on) WHERE deleted = 0;
    `);
  },
};
