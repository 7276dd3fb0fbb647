import { isRight, withinCeiling, type Right, type Role } from '../../../shared/domain/rights';
import type { Db } from '../db/database';

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
}

/** Grants in force at `now`: not revoked, started, not expired. */
export function activeGrants(db: Db, staffId: string, now: string): GrantRow[] {
  return db
    .prepare<[string, string, string], GrantRow>(
      `SELECT * FROM staff_grants WHERE staff_id = ? AND deleted = 0 AND revoked_at IS NULL
         AND valid_from <= ? AND (expires_at IS NULL OR expires_at > ?) ORDER BY right_name`,
    )
    .all(staffId, now, now);
}

/** Effective rights: active grants that lie within the role's ceiling. */
export function effectiveRights(db: Db, staffId: string, role: Role, now: string): Right[] {
  const out = new Set<Right>();
  for (const g of activeGrants(db, staffId, now)) if (isRight(g.right_name) && withinCeiling(role, g.right_name)) out.add(g.right_name);
  return [...out].sort();
}
