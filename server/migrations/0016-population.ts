import type { ServerMigration } from './migration';

/**
 * Issue 16 §1: who each 事務's terminals hold. `population` is the server's answer, per municipality and 事務, kept
 * by server/population.ts from the rule profile's `population` settings and the records; pull, checksum and
 * conflicts send a person's own records (residents, health_insurance, resident_guardians) only to terminals of a
 * 事務 whose population holds them. `population_refresh` remembers the day and the rules of the last full
 * refresh per municipality. The indexes serve the population queries and the re-drawing of server_seq for people
 * who enter or leave it.
 */
export const population: ServerMigration = {
  version: 16,
  name: 'population',
  sql: `
      CREATE TABLE population (
        municipality TEXT NOT NULL,
        resident_id TEXT NOT NULL,
        jimu TEXT NOT NULL,
        PRIMARY KEY (municipality, resident_id, jimu)
      );
      CREATE TABLE population_refresh (
        municipality TEXT PRIMARY KEY,
        refreshed_on DATE NOT NULL,
        rules TEXT NOT NULL,
        members INTEGER NOT NULL,
        refreshed_at TIMESTAMPTZ NOT NULL
      );
      CREATE INDEX entities_resident_birth ON entities (municipality, (payload->>'birth_date')) WHERE entity = 'residents';
      CREATE INDEX entities_resident_household ON entities (municipality, (payload->>'household_no')) WHERE entity = 'residents';
      CREATE INDEX entities_person_resident ON entities ((payload->>'resident_id')) WHERE entity IN ('health_insurance', 'claims', 'vaccination_records', 'certificate_events');
      CREATE INDEX entities_person_applicant ON entities ((payload->>'applicant_id')) WHERE entity = 'claims';
      CREATE INDEX entities_person_guardian ON entities ((payload->>'guardian_id')) WHERE entity IN ('resident_guardians', 'certificates', 'kodomo_shikaku');
      CREATE INDEX entities_guardian_child ON entities ((payload->>'child_id')) WHERE entity = 'resident_guardians';
    `,
};
