import type { Db } from '../db/database';
import type { Clock } from '../platform';
import { auditAckedSeq } from './acknowledged';
import type { AuditLog } from './audit-log';
import { createCheckpoint, type TerminalSigningKey } from './checkpoint';

/** Default retention of audit entries on the terminal (the assessments: 5 years). */
export const DEFAULT_AUDIT_RETENTION_YEARS = 5;

export interface PurgeResult {
  purged: number;
  throughSeq: number | null;
  checkpointId: number | null;
  /** Why nothing (more) was purged, when that is the case. */
  note: string | null;
}

/**
 * Retention purge: entries older than the retention period are removed only when the central server has
 * acknowledged them (audit upload, `audit_acked_seq`). In one transaction: a signed checkpoint over every
 * entry first (so the remainder stays verifiable), the purged entries' chain values kept, the content
 * deleted, the purge recorded and audited. Nothing is purged without a server acknowledgement.
 */
export function purgeExpiredAudit(db: Db, audit: AuditLog, clock: Clock, signer: TerminalSigningKey, years = DEFAULT_AUDIT_RETENTION_YEARS): PurgeResult {
  const now = clock.now();
  const cutoffDate = new Date(now);
  cutoffDate.setUTCFullYear(cutoffDate.getUTCFullYear() - years);
  const cutoff = cutoffDate.toISOString();
  const acked = auditAckedSeq(db);
  // The oldest entries up to the first one still within the retention period (seq order is time order;
  // an entry out of order never lets a newer one go).
  const firstKept = db.prepare<[string], { m: number | null }>('SELECT min(seq) AS m FROM audit_log WHERE at >= ?').get(cutoff)?.m ?? null;
  const expired = firstKept === null ? (db.prepare<[], { m: number | null }>('SELECT max(seq) AS m FROM audit_log').get()?.m ?? 0) : firstKept - 1;
  const through = Math.min(acked, expired);
  if (expired === 0) return { purged: 0, throughSeq: null, checkpointId: null, note: '保存期間を過ぎた監査ログはありません。' };
  if (through === 0) return { purged: 0, throughSeq: null, checkpointId: null, note: '中央サーバの受領確認がないため、保存期間を過ぎた監査ログも削除しません。' };
  return db.transaction(() => {
    const cp = createCheckpoint(db, signer, clock);
    db.prepare('INSERT INTO audit_purged_hashes (seq, prev_hash, hash) SELECT seq, prev_hash, hash FROM audit_log WHERE seq <= ? ORDER BY seq').run(through);
    db.prepare(`INSERT INTO sync_state (key, value) VALUES ('audit_purge', '1') ON CONFLICT (key) DO UPDATE SET value = '1'`).run();
    const purged = db.prepare('DELETE FROM audit_log WHERE seq <= ?').run(through).changes;
    db.prepare(`UPDATE sync_state SET value = '0' WHERE key = 'audit_purge'`).run();
    db.prepare('INSERT INTO audit_purges (purged_through_seq, cutoff, entries, checkpoint_id, at) VALUES (?, ?, ?, ?, ?)').run(through, cutoff, purged, cp.id, now.toISOString());
    audit.append({ staffId: null, action: 'audit.retentionPurge', outcome: 'success', detail: { purged, throughSeq: through, cutoff, years, checkpointId: cp.id, treeSize: cp.treeSize } });
    return { purged, throughSeq: through, checkpointId: cp.id, note: expired > acked ? '一部は中央サーバの受領確認待ちのため残しました。' : null };
  })();
}
