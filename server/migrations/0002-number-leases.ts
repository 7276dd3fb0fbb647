import type { ServerMigration } from './migration';

/**
 * Number leases (縮退運用): blocks of certificate serials leased to terminals in advance, never overlapping.
 */
export const numberLeases: ServerMigration = {
  version: 2,
  name: 'number-leases',
  sql: `
      -- The next serial per certificate type. Starts above the range terminals get at provisioning.
      CREATE TABLE number_counters (
        cert_type TEXT PRIMARY KEY,
        next_serial BIGINT NOT NULL CHECK (next_serial > 0)
      );
      CREATE TABLE number_leases (
        lease_id UUID PRIMARY KEY,
        terminal_id TEXT NOT NULL,
        cert_type TEXT NOT NULL,
        first_serial BIGINT NOT NULL,
        last_serial BIGINT NOT NULL CHECK (last_serial >= first_serial),
        leased_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        expires_at TIMESTAMPTZ NOT NULL,
        returned_from BIGINT,
        returned_at TIMESTAMPTZ,
        CHECK (returned_from IS NULL OR (returned_from >= first_serial AND returned_from <= last_serial + 1))
      );
      CREATE INDEX number_leases_terminal ON number_leases (terminal_id, cert_type);
    `,
};
