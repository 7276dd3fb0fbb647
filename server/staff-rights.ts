/**
 * What the server's own records say a member of staff may do (entities 'staff' and 'staff_grants' of the
 * municipality): the one check behind 個人番号 on request (server/mynumber.ts) and the 扶助 steps a terminal pushes
 * (server/fujo.ts).
 */
import type { Pool, PoolClient } from './db';
import { approvalInForce } from '../shared/identity/approval';
import { ROLES, withinCeiling, type Right, type Role } from '../shared/domain/rights';

/**
 * Why the member of staff does not hold `right` at `now` according to the server's records (no_staff, staff_disabled,
 * outside_role, no_grant), or null when they do. `now` may be a past moment (a 扶助 step pushed later, server/fujo.ts):
 * a grant counts when it had started, had not expired and had not been revoked by then.
 */
export async function rightProblem(pool: Pool | PoolClient, municipality: string, staffId: string, right: Right, now: string): Promise<string | null> {
  const staff = await pool.query<{ role: string; disabled: unknown }>(
    `SELECT payload->>'role' AS role, payload->'disabled' AS disabled FROM entities
      WHERE entity = 'staff' AND municipality = $1 AND NOT deleted AND payload->>'staff_id' = $2`,
    [municipality, staffId],
  );
  if (staff.rows.length === 0) return 'no_staff';
  if (staff.rows.some((s) => s.disabled === 1 || s.disabled === true)) return 'staff_disabled';
  const roles = staff.rows.map((s) => s.role).filter((r): r is Role => (ROLES as readonly string[]).includes(r));
  if (roles.length !== staff.rows.length || !roles.every((r) => withinCeiling(r, right))) return 'outside_role';
  const grants = await pool.query<{ payload: Record<string, unknown> }>(
    `SELECT payload FROM entities
      WHERE entity = 'staff_grants' AND municipality = $1 AND NOT deleted AND payload->>'staff_id' = $2 AND payload->>'right_name' = $3`,
    [municipality, staffId, right],
  );
  const held = grants.rows.some(({ payload: g }) =>
    approvalInForce(g.approval_status) && (!g.revoked_at || (typeof g.revoked_at === 'string' && g.revoked_at > now)) && typeof g.valid_from === 'string' && g.valid_from <= now &&
    (g.expires_at === null || g.expires_at === undefined || (typeof g.expires_at === 'string' && g.expires_at > now)));
  return held ? null : 'no_grant';
}
