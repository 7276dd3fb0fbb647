/**
 * The global session claim (`staff_sessions`): one session per member of staff across the terminals of a
 * municipality, claimed by a terminal at login and released at logout (POST /v1/sessions/claim|release, server/app.ts).
 * A claim not renewed for SESSION_CLAIM_TTL_HOURS is abandoned (a terminal that crashed without releasing): another
 * terminal may take it, and it no longer counts as a login (server/mynumber.ts asks sessionProblem).
 */
import type { Pool } from './db';
import type { TerminalPeer } from './sync';
import { SESSION_CLAIM_TTL_HOURS } from '../shared/sync/protocol';

/** SQL: the claim whose claimed_at is `column` has lapsed (by the database's clock, which stamps claimed_at). */
export function claimLapsedSql(column: string): string {
  return `${column} < now() - make_interval(hours => ${Number(SESSION_CLAIM_TTL_HOURS)})`;
}

/** Takes the claim for the asking terminal if it is free, its own (renewed) or lapsed; otherwise names the holder. */
export async function claimSession(pool: Pool, peer: TerminalPeer, staffId: string): Promise<{ claimed: true } | { claimed: false; heldBy: string | null }> {
  const municipality = peer.scope.municipality;
  // Atomic: take the claim if free, ours, or abandoned; otherwise report who holds it.
  const r = await pool.query<{ terminal_id: string }>(
    `INSERT INTO staff_sessions (municipality, staff_id, terminal_id) VALUES ($3, $1, $2)
     ON CONFLICT (municipality, staff_id) DO UPDATE SET terminal_id = excluded.terminal_id, claimed_at = now()
       WHERE staff_sessions.terminal_id = excluded.terminal_id OR ${claimLapsedSql('staff_sessions.claimed_at')}
     RETURNING terminal_id`,
    [staffId, peer.terminalId, municipality],
  );
  if (r.rowCount === 1) return { claimed: true };
  const holder = await pool.query<{ terminal_id: string }>('SELECT terminal_id FROM staff_sessions WHERE municipality = $1 AND staff_id = $2', [municipality, staffId]);
  return { claimed: false, heldBy: holder.rows[0]?.terminal_id ?? null };
}

export async function releaseSession(pool: Pool, peer: TerminalPeer, staffId: string): Promise<void> {
  await pool.query('DELETE FROM staff_sessions WHERE municipality = $1 AND staff_id = $2 AND terminal_id = $3', [peer.scope.municipality, staffId, peer.terminalId]);
}

/** Why the member of staff is not logged in at the asking terminal by the server's claims, or null when they are. */
export type SessionProblem = 'no_session' | 'session_elsewhere' | 'session_expired';

export async function sessionProblem(pool: Pool, peer: TerminalPeer, staffId: string): Promise<SessionProblem | null> {
  const r = await pool.query<{ terminal_id: string; lapsed: boolean }>(
    `SELECT terminal_id, ${claimLapsedSql('claimed_at')} AS lapsed FROM staff_sessions WHERE municipality = $1 AND staff_id = $2`,
    [peer.scope.municipality, staffId],
  );
  const claim = r.rows[0];
  if (!claim) return 'no_session';
  // A lapsed claim is no login anywhere: another terminal may take it.
  if (claim.lapsed) return claim.terminal_id === peer.terminalId ? 'session_expired' : 'no_session';
  return claim.terminal_id === peer.terminalId ? null : 'session_elsewhere';
}
