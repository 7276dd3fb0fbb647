import type { ServerMigration } from './migration';

/**
 * Approvals of widening identity changes (issue 13 §2/§3, server/identity.ts). Grants and authenticators the
 * server held before are marked `legacy` (in force, as before) so that terminals pulling them see the same status;
 * `identity_approvals_used` remembers each role-change approval the server accepted, so the same assertion cannot
 * raise a role again after it was lowered.
 */
export const identityApprovals: ServerMigration = {
  version: 8,
  name: 'identity-approvals',
  sql: `
      UPDATE entities SET payload = payload || '{"approval_status": "legacy"}'::jsonb
       WHERE entity IN ('staff_grants', 'authenticators') AND NOT (payload ? 'approval_status');
      CREATE TABLE identity_approvals_used (
        hash TEXT PRIMARY KEY,
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        terminal_id TEXT NOT NULL,
        used_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
    `,
};
