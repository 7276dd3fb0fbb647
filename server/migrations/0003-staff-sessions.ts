import type { ServerMigration } from './migration';

/**
 * One session per member of staff across all terminals (the global session claim).
 */
export const staffSessions: ServerMigration = {
  version: 3,
  name: 'staff-sessions',
  sql: `
      -- One session per member of staff across all terminals.
      CREATE TABLE staff_sessions (
        staff_id TEXT PRIMARY KEY,
        terminal_id TEXT NOT NULL,
        claimed_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
    `,
};
