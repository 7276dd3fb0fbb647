/**
 * 個人番号 on request (issue 16 §2): terminals hold none; a member of staff with the right `mynumber.reveal` reveals
 * one, or searches by one, through this server. The server decides on its own records — the staff member of the
 * terminal's municipality (not disabled, role), their grant of the right (in force, within the role's ceiling, not
 * revoked, started, not expired), the member's live session claim at the asking terminal (server/sessions.ts: the
 * staff ID a terminal names must be logged in there), the resident in the terminal's municipality — and records every
 * request in mynumber_access (never the number).
 */
import type { Pool } from './db';
import type { TerminalPeer } from './sync';
import { approvalInForce } from '../shared/identity/approval';
import { ROLES, withinCeiling, type CommonRight, type Role } from '../shared/domain/rights';
import { sessionProblem, type SessionProblem } from './sessions';
import type { MyNumberRevealRequest, MyNumberSearchRequest } from '../shared/sync/mynumber-protocol';

export type MyNumberOutcome<T> = { status: 'ok'; body: T } | { status: 'forbidden' | 'no_session' | 'not_found' | 'not_registered'; message: string };

/**
 * Why the member of staff does not hold `right` according to the server's records (no_staff, staff_disabled,
 * outside_role, no_grant), or null when they do.
 */
export async function rightProblem(pool: Pool, municipality: string, staffId: string, right: CommonRight, now: string): Promise<string | null> {
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
    approvalInForce(g.approval_status) && !g.revoked_at && typeof g.valid_from === 'string' && g.valid_from <= now &&
    (g.expires_at === null || g.expires_at === undefined || (typeof g.expires_at === 'string' && g.expires_at > now)));
  return held ? null : 'no_grant';
}

async function record(
  pool: Pool, peer: TerminalPeer, at: Date, action: 'reveal' | 'search', staffId: string, reason: string,
  resident: { id: string; atenaNo: string | null } | null, why: string | null, outcome: 'success' | 'refused' = why ? 'refused' : 'success',
): Promise<void> {
  await pool.query(
    `INSERT INTO mynumber_access (at, municipality, terminal_id, staff_id, action, resident_id, atena_no, reason, outcome, why)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [at, peer.scope.municipality, peer.terminalId, staffId, action, resident?.id ?? null, resident?.atenaNo ?? null, reason, outcome, why],
  );
}

const FORBIDDEN = '中央サーバの記録では、この職員に個人番号の閲覧権限がありません。';

/** What the screen says when the member of staff is not logged in at the asking terminal by the server's claims. */
export const NO_SESSION_MESSAGES: Record<SessionProblem, string> = {
  no_session: '中央サーバの記録では、この職員はこの端末にログインしていません。ログインし直してから操作してください。',
  session_elsewhere: '中央サーバの記録では、この職員は別の端末でログイン中です。この端末では個人番号を扱えません。',
  session_expired: '中央サーバの記録では、この職員のこの端末でのログインは期限を過ぎています。ログインし直してから操作してください。',
};

/**
 * Why the request may not be answered, recorded as mynumber_access.why: the right by the server's staff and grant
 * records, then the session — the staff ID the terminal names must be logged in at that terminal (its live claim).
 */
async function staffProblem(pool: Pool, peer: TerminalPeer, staffId: string, at: Date): Promise<{ why: string; refusal: MyNumberOutcome<never> } | null> {
  const right = await rightProblem(pool, peer.scope.municipality, staffId, 'mynumber.reveal', at.toISOString());
  if (right) return { why: right, refusal: { status: 'forbidden', message: FORBIDDEN } };
  const session = await sessionProblem(pool, peer, staffId);
  if (session) return { why: session, refusal: { status: 'no_session', message: NO_SESSION_MESSAGES[session] } };
  return null;
}

/** The 個人番号 of a resident of the terminal's municipality, for a member of staff the server knows holds the right. */
export async function revealMyNumber(pool: Pool, peer: TerminalPeer, req: MyNumberRevealRequest, at: Date): Promise<MyNumberOutcome<{ myNumber: string }>> {
  const municipality = peer.scope.municipality;
  const r = await pool.query<{ atena_no: string | null; my_number: string | null }>(
    `SELECT payload->>'atena_no' AS atena_no, payload->>'my_number' AS my_number FROM entities
      WHERE entity = 'residents' AND entity_id = $1 AND municipality = $2 AND NOT deleted`,
    [req.residentId, municipality],
  );
  const row = r.rows[0];
  const resident = row ? { id: req.residentId, atenaNo: row.atena_no } : { id: req.residentId, atenaNo: null };
  const problem = await staffProblem(pool, peer, req.staffId, at);
  if (problem) {
    await record(pool, peer, at, 'reveal', req.staffId, req.reason, resident, problem.why);
    return problem.refusal;
  }
  if (!row) {
    await record(pool, peer, at, 'reveal', req.staffId, req.reason, resident, 'not_found');
    return { status: 'not_found', message: 'この端末の団体の住民として中央サーバに見つかりません。' };
  }
  if (!row.my_number) {
    await record(pool, peer, at, 'reveal', req.staffId, req.reason, resident, 'not_registered');
    return { status: 'not_registered', message: 'この住民には個人番号が登録されていません。' };
  }
  await record(pool, peer, at, 'reveal', req.staffId, req.reason, resident, null);
  return { status: 'ok', body: { myNumber: row.my_number } };
}

/** The resident of the terminal's municipality holding a 個人番号 (null for none), for a member of staff with the right. */
export async function searchByMyNumber(pool: Pool, peer: TerminalPeer, req: MyNumberSearchRequest, at: Date): Promise<MyNumberOutcome<{ residentId: string | null }>> {
  const municipality = peer.scope.municipality;
  const problem = await staffProblem(pool, peer, req.staffId, at);
  if (problem) {
    await record(pool, peer, at, 'search', req.staffId, req.reason, null, problem.why);
    return problem.refusal;
  }
  const r = await pool.query<{ entity_id: string; atena_no: string | null }>(
    `SELECT entity_id, payload->>'atena_no' AS atena_no FROM entities
      WHERE entity = 'residents' AND municipality = $1 AND NOT deleted AND payload->>'my_number' = $2 LIMIT 1`,
    [municipality, req.myNumber],
  );
  const row = r.rows[0];
  await record(pool, peer, at, 'search', req.staffId, req.reason, row ? { id: row.entity_id, atenaNo: row.atena_no } : null, row ? null : 'no_match', 'success');
  return { status: 'ok', body: { residentId: row?.entity_id ?? null } };
}

/** An open confirmation (seed 001) as a supervisor's list shows it: what would change, never the numbers. */
export interface MyNumberConfirmation {
  confirmationId: number;
  municipality: string;
  atenaNo: string;
  importId: number;
  /** 別の個人番号: the line brought a different number; 空欄: it brought none. */
  change: '別の個人番号' | '空欄';
  createdAt: string;
}

/**
 * The 住基 lines held back because they would link a different 個人番号 to a person who has one, or blank it
 * (server/import/import.ts applyJuki; the person kept their number), oldest first.
 */
export async function openMyNumberConfirmations(pool: Pool): Promise<MyNumberConfirmation[]> {
  const r = await pool.query<{ confirmation_id: string; municipality: string; atena_no: string; import_id: string; blank: boolean; created_at: Date }>(
    `SELECT confirmation_id, municipality, atena_no, import_id, proposed_number IS NULL AS blank, created_at
       FROM mynumber_confirmations WHERE resolved_at IS NULL ORDER BY created_at, confirmation_id`,
  );
  return r.rows.map((x) => ({
    confirmationId: Number(x.confirmation_id), municipality: x.municipality, atenaNo: x.atena_no, importId: Number(x.import_id),
    change: x.blank ? '空欄' : '別の個人番号', createdAt: new Date(x.created_at).toISOString(),
  }));
}
