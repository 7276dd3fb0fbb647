import type { ServerMigration } from './migration';

/**
 * The server's own record of every 個人番号 request from a terminal (issue 16 §2, server/mynumber.ts): who asked,
 * from which terminal, for which resident, with which 処理事由, and what the server answered. Never the number.
 */
export const mynumberAccess: ServerMigration = {
  version: 14,
  name: 'mynumber-access',
  sql: `
      CREATE TABLE mynumber_access (
        access_id BIGSERIAL PRIMARY KEY,
        at TIMESTAMPTZ NOT NULL,
        municipality TEXT NOT NULL,
        terminal_id TEXT NOT NULL,
        staff_id TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('reveal', 'search')),
        resident_id TEXT,
        atena_no TEXT,
        reason TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('success', 'refused')),
        why TEXT
      );
      CREATE INDEX mynumber_access_staff ON mynumber_access (municipality, staff_id, at);
      CREATE INDEX mynumber_access_resident ON mynumber_access (municipality, atena_no, at);
    `,
};
