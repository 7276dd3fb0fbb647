import { isRight, withinCeiling, type Right, type Role } from '../../../shared/domain/rights';
import { approvalInForce, type ApprovalStatus } from '../../../shared/identity/approval';
import type { Db } from '../db/database';
import { updateRecord, type Stamp } from '../db/records';

export interface GrantRow {
  id: string;
  version: number;
  staff_id: string;
  right_name: string;
  approved_by: string;
  reason: string;
  valid_from: string;
  expires_at: string | null;
  revoked_at: string | null;
  revoked_by: string | null;
  created_by: string;
  created_at: string;
  approval_status: ApprovalStatus;
  approval_json: string | null;
}

/** Grants at `now` that are not revoked, started and not expired — approved or still waiting for the 所属長. */
export function activeGrants(db: Db, staffId: string, now: string): GrantRow[] {
  return db
    .prepare<[string, string, string], GrantRow>(
      `SELECT * FROM staff_grants WHERE staff_id = ? AND deleted = 0 AND revoked_at IS NULL
         AND valid_from <= ? AND (expires_at IS NULL OR expires_at > ?) ORDER BY right_name`,
    )
    .all(staffId, now, now);
}

/** Effective rights: active grants in force (approved by the named 所属長, or bootstrap/legacy) within the role's ceiling. */
export function effectiveRights(db: Db, staffId: string, role: Role, now: string): Right[] {
  const out = new Set<Right>();
  for (const g of activeGrants(db, staffId, now)) if (approvalInForce(g.approval_status) && isRight(g.right_name) && withinCeiling(role, g.right_name)) out.add(g.right_name);
  return [...out].sort();
}

/** Revoke the person's grants that are not revoked or expired (including future-dated ones) and match. */
export function revokeGrantsWhere(db: Db, staffId: string, revoke: (right: string) => boolean, s: Stamp): string[] {
  const grants = db
    .prepare<[string, string], { id: string; version: number; right_name: string }>(
      `SELECT id, version, right_name FROM staff_grants
        WHERE staff_id = ? AND deleted = 0 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?) ORDER BY right_name`,
    )
    .all(staffId, s.at);
  const out: string[] = [];
  for (const g of grants) {
    if (!revoke(g.right_name)) continue;
    updateRecord(db, 'staff_grants', g.id, g.version, { revoked_at: s.at, revoked_by: s.by }, s);
    out.push(g.right_name);
  }
  return out;
}
