import type { ServerMigration } from './migration';

/**
 * Issue 16 §1, staff: which staff records each 事務's terminals hold (the rule is shared/sync/staff-scope.ts, kept by
 * server/staff-population.ts). One row per identity record (staff, staff_grants, authenticators, password_history)
 * and 事務 whose ordinary terminals receive it; administration terminals receive every staff record regardless.
 * Empty after this migration: the rules tag of the population refresh changed with it, so the server refreshes
 * every municipality in full at its next start (server/population.ts).
 */
export const staffPopulation: ServerMigration = {
  version: 19,
  name: 'staff-population',
  sql: `
      CREATE TABLE staff_population (
        municipality TEXT NOT NULL,
        staff_id TEXT NOT NULL,
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        jimu TEXT NOT NULL,
        PRIMARY KEY (entity, entity_id, jimu)
      );
      CREATE INDEX staff_population_staff ON staff_population (municipality, staff_id);
      CREATE INDEX entities_staff_id ON entities (municipality, (payload->>'staff_id'))
        WHERE entity IN ('staff', 'staff_grants', 'authenticators', 'password_history');
    `,
};
