import type { ServerMigration } from './migration';

/**
 * Staff IDs are a municipality's own (D1001 in 大阪市 is not D1001 in 熊本市): the one-session claim is per
 * municipality and staff ID. Claims taken before this migration keep an empty municipality and lapse with their
 * TTL (SESSION_CLAIM_TTL_HOURS); new claims carry the terminal certificate's municipality.
 */
export const staffSessionsPerMunicipality: ServerMigration = {
  version: 7,
  name: 'staff-sessions-per-municipality',
  sql: `
      ALTER TABLE staff_sessions ADD COLUMN municipality TEXT NOT NULL DEFAULT '';
      ALTER TABLE staff_sessions DROP CONSTRAINT staff_sessions_pkey;
      ALTER TABLE staff_sessions ADD CONSTRAINT staff_sessions_pkey PRIMARY KEY (municipality, staff_id);
    `,
};
