import type { Migration } from '../migration-runner';

/**
 * Approvals of widening identity changes (issue 13 §2, shared/identity/approval.ts): grants and authenticators
 * carry their approval status and the stored 所属長 assertion; an authenticator names its approver; a staff row
 * holds a requested role change and its approval. New rows default to `pending` (never in force by accident);
 * rows that existed before are marked `legacy` and stay in force (the 権限点検表 shows them as such).
 */
export const identityApprovals: Migration = {
  version: 11,
  name: 'identity-approvals',
  up(db) {
    db.exec(`
      ALTER TABLE staff_grants ADD COLUMN approval_status TEXT NOT NULL DEFAULT 'pending'
        CHECK (approval_status IN ('pending', 'approved', 'bootstrap', 'legacy'));
      ALTER TABLE staff_grants ADD COLUMN approval_json TEXT CHECK (approval_json IS NULL OR json_valid(approval_json));
      UPDATE staff_grants SET approval_status = 'legacy';
      ALTER TABLE authenticators ADD COLUMN approver TEXT;
      ALTER TABLE authenticators ADD COLUMN approval_status TEXT NOT NULL DEFAULT 'pending'
        CHECK (approval_status IN ('pending', 'approved', 'bootstrap', 'legacy'));
      ALTER TABLE authenticators ADD COLUMN approval_json TEXT CHECK (approval_json IS NULL OR json_valid(approval_json));
      UPDATE authenticators SET approval_status = 'legacy';
      ALTER TABLE staff ADD COLUMN role_request TEXT CHECK (role_request IS NULL OR json_valid(role_request));
      ALTER TABLE staff ADD COLUMN role_approval_json TEXT CHECK (role_approval_json IS NULL OR json_valid(role_approval_json));
    `);
  },
};
