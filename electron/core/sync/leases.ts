import { LeaseSchema, type LeaseRequest } from '../../../shared/sync/protocol';
import type { AuditLog } from '../audit/audit-log';
import { addNumberBlock } from '../certificates/numbering';
import type { Db } from '../db/database';
import { updateRecord } from '../db/records';
import type { Clock } from '../platform';
import { refusedByServer, SyncError, type SyncTransport } from './transport';

/** Refill below this many unused serials; lease this many at a time (profile data later). */
export const LOW_WATER = 50;
export const LEASE_SIZE = 200;
const LEASE_SOURCE = /^lease:([0-9a-f-]{36})$/;

interface BlockRow {
  id: string;
  version: number;
  next_serial: number;
  last_serial: number;
  source: string;
  expires_at: string | null;
}

/** Serials still usable in valid (not expired) blocks of a certificate type. */
export function remainingSerials(db: Db, certType: string, now: string): number {
  const r = db
    .prepare<[string, string], { n: number | null }>(
      `SELECT sum(last_serial - next_serial + 1) AS n FROM number_blocks
        WHERE cert_type = ? AND deleted = 0 AND next_serial <= last_serial AND (expires_at IS NULL OR expires_at > ?)`,
    )
    .get(certType, now);
  return r?.n ?? 0;
}

/**
 * Keep enough certificate numbers on the terminal for 縮退運用: below the low-water mark, lease a new block
 * from the server (blocks never overlap across terminals). Expired leased blocks report their unused rest
 * back and are closed. Returns what it did.
 */
export async function maintainLeases(db: Db, audit: AuditLog, clock: Clock, transport: SyncTransport, certType: string): Promise<{ leased: number; returned: number; notServed?: true }> {
  const now = clock.now().toISOString();
  let returned = 0;
  const expired = db
    .prepare<[string, string], BlockRow>(`SELECT id, version, next_serial, last_serial, source, expires_at FROM number_blocks WHERE cert_type = ? AND deleted = 0 AND expires_at IS NOT NULL AND expires_at <= ?`)
    .all(certType, now);
  for (const b of expired) {
    const m = LEASE_SOURCE.exec(b.source);
    if (!m) continue;
    const res = await transport.request('POST', '/v1/leases/return', { leaseId: m[1], unusedFrom: b.next_serial });
    if (res.status !== 200 && res.status !== 404) continue; // try again next round
    db.transaction(() => {
      updateRecord(db, 'number_blocks', b.id, b.version, { deleted: 1 }, { by: 'SYNC', at: now });
      audit.append({ staffId: null, action: 'sync.leaseReturned', outcome: 'success', detail: { leaseId: m[1], unusedFrom: b.next_serial, last: b.last_serial } });
    })();
    returned++;
  }
  if (remainingSerials(db, certType, now) >= LOW_WATER) return { leased: 0, returned };
  const req: LeaseRequest = { certType, size: LEASE_SIZE };
  const res = await transport.request('POST', '/v1/leases', req);
  // 403: a type outside this terminal's 事務 (it never issues it); 429: its quota of open blocks is used up. Neither
  // is an error of the round: the blocks it has go on serving, and the next round asks again.
  if (res.status === 403) return { leased: 0, returned, notServed: true };
  if (res.status === 429) return { leased: 0, returned };
  const lease = LeaseSchema.safeParse(res.json);
  const refused = '中央サーバから番号の払出しを受けられませんでした。';
  if (res.status !== 200) throw refusedByServer(refused, res.status);
  if (!lease.success || lease.data.certType !== certType) throw new SyncError(refused, '応答の形式が正しくありません');
  db.transaction(() => {
    addNumberBlock(db, certType, lease.data.first, lease.data.last, `lease:${lease.data.leaseId}`, { by: 'SYNC', at: now }, lease.data.expiresAt);
    audit.append({ staffId: null, action: 'sync.leaseReceived', outcome: 'success', detail: { leaseId: lease.data.leaseId, first: lease.data.first, last: lease.data.last } });
  })();
  return { leased: lease.data.last - lease.data.first + 1, returned };
}
