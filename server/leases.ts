import { randomUUID } from 'node:crypto';
import { withTransaction, type Pool } from './db';
import type { Lease, LeaseRequest, LeaseReturn } from '../shared/sync/protocol';
import { jimuOfCertType } from '../shared/sync/scope';
import type { TerminalPeer } from './sync';

/** Serials below this are left for the blocks terminals receive at provisioning. */
export const FIRST_LEASED_SERIAL = 100_001;
export const LEASE_DAYS = 30;
/** Open (unreturned, unexpired) leases one terminal may hold per certificate type; more is refused. */
export const MAX_OPEN_LEASES = 4;

export type LeaseOutcome = { status: 'leased'; lease: Lease } | { status: 'forbidden' } | { status: 'quota'; open: number };

/**
 * Lease the next block of serials to a terminal. The counter row is locked, so blocks never overlap. `now` is the
 * server's clock: the lease expires LEASE_DAYS after it.
 */
export async function leaseBlock(pool: Pool, peer: TerminalPeer, req: LeaseRequest, now: Date): Promise<LeaseOutcome> {
  // Only a certificate type of a 事務 the terminal serves (its certificate's scope).
  const jimu = jimuOfCertType(req.certType);
  if (!jimu || !(peer.scope.jimu as string[]).includes(jimu)) return { status: 'forbidden' };
  const terminalId = peer.terminalId;
  return withTransaction(pool, async (client) => {
    await client.query('INSERT INTO number_counters (cert_type, next_serial) VALUES ($1, $2) ON CONFLICT (cert_type) DO NOTHING', [req.certType, FIRST_LEASED_SERIAL]);
    const { rows } = await client.query<{ next_serial: string }>('SELECT next_serial FROM number_counters WHERE cert_type = $1 FOR UPDATE', [req.certType]);
    // Counted under the counter row's lock: two requests of one terminal cannot both pass the quota.
    const open = await client.query<{ n: string }>(
      'SELECT count(*) AS n FROM number_leases WHERE terminal_id = $1 AND cert_type = $2 AND returned_from IS NULL AND expires_at > $3::timestamptz',
      [terminalId, req.certType, now.toISOString()],
    );
    if (Number(open.rows[0]!.n) >= MAX_OPEN_LEASES) return { status: 'quota', open: Number(open.rows[0]!.n) };
    const first = Number(rows[0]?.next_serial);
    const last = first + req.size - 1;
    await client.query('UPDATE number_counters SET next_serial = $2 WHERE cert_type = $1', [req.certType, last + 1]);
    const leaseId = randomUUID();
    const { rows: lease } = await client.query<{ expires_at: Date }>(
      `INSERT INTO number_leases (lease_id, terminal_id, cert_type, first_serial, last_serial, expires_at)
       VALUES ($1, $2, $3, $4, $5, $7::timestamptz + make_interval(days => $6)) RETURNING expires_at`,
      [leaseId, terminalId, req.certType, first, last, LEASE_DAYS, now.toISOString()],
    );
    return { status: 'leased', lease: { leaseId, certType: req.certType, first, last, expiresAt: new Date(lease[0]!.expires_at).toISOString() } };
  });
}

/** Record the unused rest of a terminal's own lease. Returns false for another terminal's or an unknown lease. */
export async function returnLease(pool: Pool, terminalId: string, req: LeaseReturn): Promise<boolean> {
  const r = await pool.query(
    `UPDATE number_leases SET returned_from = $3, returned_at = now()
      WHERE lease_id = $1 AND terminal_id = $2 AND returned_from IS NULL AND $3 BETWEEN first_serial AND last_serial + 1`,
    [req.leaseId, terminalId, req.unusedFrom],
  );
  return r.rowCount === 1;
}
