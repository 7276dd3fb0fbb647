import type { Migration } from '../migration-runner';
import { DOMAIN_COLUMNS } from './domain-columns';

/** Rule profiles published centrally and pulled (server/profiles.ts); used at the next start when valid. */
export const ruleProfiles: Migration = {
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
