import type { ServerMigration } from './migration';

/**
 * Seed 001: a supervisor's decision on a held 個人番号 change (`npm run server:job -- mynumber-confirm`, server/mynumber.ts
 * decideMyNumberConfirmation): apply writes the proposed number (or the blank) onto the resident, dismiss keeps the
 * held one; either records the decision and the supervisor's reason with resolved_at and resolved_by.
 */
export const mynumberConfirmationDecisions: ServerMigration = {
  version: 17,
  name: 'mynumber-confirmation-decisions',
  sql: `
      ALTER TABLE mynumber_confirmations
        ADD COLUMN decision TEXT CHECK (decision IN ('apply', 'dismiss')),
        ADD COLUMN reason TEXT,
        ADD CONSTRAINT mynumber_confirmations_decided CHECK ((resolved_at IS NULL) = (decision IS NULL) AND (decision IS NULL) = (reason IS NULL));
    `,
};
