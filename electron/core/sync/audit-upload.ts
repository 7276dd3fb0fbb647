import { AuditUploadRequestSchema, AuditUploadResponseSchema, MAX_AUDIT_BATCH, type AuditEntryWire, type AuditUploadRequest } from '../../../shared/sync/audit-protocol';
import type { Db } from '../db/database';
import { fromRow, type AuditRow } from '../audit/audit-log';
import { auditAckedSeq, auditPending, setAuditAcked } from '../audit/acknowledged';

import { refusedByServer, SyncError } from './sync-engine';
import type { SyncTransport } from './transport';

/**
 * Audit upload: the local audit log is its own outbox. Entries after `audit_acked_seq` (sync_state) go to the
 * central server in seq order; the server keeps them only if they extend, unchanged, the chain it already holds
 * for this terminal. The acknowledged seq advances only on the server's 'ok', and only as far as this terminal
 * sent — so the retention of the audit-trail issue may purge exactly the entries at or below it.
 */

/** sync_state: the highest checkpoint id the server confirmed (checkpoint-upload.ts). */
export const CHECKPOINT_ACKED_KEY = 'checkpoint_acked_id';
/** Stay well below the server's 8 MiB body limit even when details are large. */
export const MAX_AUDIT_BATCH_BYTES = 4 * 1024 * 1024;

export interface AuditUploadResult {
  status: 'ok' | 'rejected';
  /** Entries in the request (0: nothing to send). */
  sent: number;
  /** audit_acked_seq after the call. */
  ackedSeq: number;
  /** Local entries still above audit_acked_seq. */
  pending: number;
  /** The server's (or the local schema check's) reason, with 'rejected'. */
  reason?: string;
  /**
   * The server holds less than this terminal thought (e.g. its database was restored): audit_acked_seq was
   * lowered to what the server holds, and the next call sends the missing entries again.
   */
  rewound?: boolean;
}

/**
 * Send the next batch (up to MAX_AUDIT_BATCH entries, MAX_AUDIT_BATCH_BYTES) after audit_acked_seq. Network and
 * protocol failures throw (the runner counts them like other sync errors); a refusal by the server returns
 * 'rejected' with its reason and leaves audit_acked_seq where it was.
 */
export async function uploadAuditOnce(db: Db, transport: SyncTransport, terminalId: string): Promise<AuditUploadResult> {
  const acked = auditAckedSeq(db);
  const rows = db.prepare<[number, number], AuditRow>('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?').all(acked, MAX_AUDIT_BATCH);
  if (rows.length === 0) return { status: 'ok', sent: 0, ackedSeq: acked, pending: 0 };
  const entries: AuditEntryWire[] = [];
  let bytes = 0;
  for (const r of rows) {
    const e = fromRow(r) as AuditEntryWire; // detail was parsed from JSON text, so it is JSON
    bytes += Buffer.byteLength(JSON.stringify(e));
    if (entries.length > 0 && bytes > MAX_AUDIT_BATCH_BYTES) break;
    entries.push(e);
  }
  const body: AuditUploadRequest = { terminalId, entries };
  // The same schema the server applies: an entry it would refuse is reported here instead of failing every round.
  const checked = AuditUploadRequestSchema.safeParse(body);
  if (!checked.success) {
    const at = checked.error.issues[0]?.path;
    const seq = at?.[0] === 'entries' && typeof at[1] === 'number' ? entries[at[1]]?.seq : undefined;
    return {
      status: 'rejected',
      sent: 0,
      ackedSeq: acked,
      pending: auditPending(db),
      reason: seq === undefined ? '監査ログを送信の形式にできません。' : `監査ログ ${seq} 番が送信の形式に合わないため、中央サーバへ送れません。`,
    };
  }

  const res = await transport.request('POST', '/v1/audit', body);
  if (res.status !== 200 && res.status !== 409) throw refusedByServer('中央サーバが監査ログを受け付けませんでした。', res.status);
  const parsed = AuditUploadResponseSchema.safeParse(res.json);
  if (!parsed.success || parsed.data.terminalId !== terminalId || (parsed.data.status === 'ok') !== (res.status === 200)) {
    throw new SyncError('中央サーバの応答の形式が正しくありません。');
  }
  const last = entries[entries.length - 1]!.seq;
  if (parsed.data.status === 'ok') {
    // Only as far as this terminal sent: a server that holds more (this terminal's database restored from an
    // older backup) must still compare the entries written since, which would otherwise never be sent.
    const next = Math.max(acked, Math.min(parsed.data.acceptedThroughSeq, last));
    if (next !== acked) setAuditAcked(db, next);
    return { status: 'ok', sent: entries.length, ackedSeq: next, pending: auditPending(db) };
  }
  const reason = parsed.data.reason ?? '理由不明';
  if (parsed.data.acceptedThroughSeq < acked) {
    setAuditAcked(db, parsed.data.acceptedThroughSeq);
    // The server lost entries, so it lost the checkpoints sent after them too: send them all again (the server
    // skips those it still holds).
    db.prepare('DELETE FROM sync_state WHERE key = ?').run(CHECKPOINT_ACKED_KEY);
    return { status: 'rejected', sent: entries.length, ackedSeq: parsed.data.acceptedThroughSeq, pending: auditPending(db), reason, rewound: true };
  }
  return { status: 'rejected', sent: entries.length, ackedSeq: acked, pending: auditPending(db), reason };
}
