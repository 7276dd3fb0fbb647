import type { Db } from '../db/database';

/**
 * How far the central server has confirmed this terminal's audit log (sync_state `audit_acked_seq`). Written by the
 * audit upload (sync), read by retention: only entries at or below it may ever be purged.
 */
export const AUDIT_ACKED_KEY = 'audit_acked_seq';

/** The highest local audit seq the central server has confirmed holding (0: none). */
export function auditAckedSeq(db: Db): number {
  const v = db.prepare<[string], { value: string }>('SELECT value FROM sync_state WHERE key = ?').get(AUDIT_ACKED_KEY)?.value;
  const n = Number(v ?? 0);
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}

/** Local audit entries not yet confirmed by the central server. */
export function auditPending(db: Db): number {
  return (db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM audit_log WHERE seq > ?').get(auditAckedSeq(db)) ?? { n: 0 }).n;
}

export function setAuditAcked(db: Db, seq: number): void {
  db.prepare('INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(AUDIT_ACKED_KEY, String(seq));
}

