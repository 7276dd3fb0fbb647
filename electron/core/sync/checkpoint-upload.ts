import { CheckpointUploadResponseSchema, type CheckpointUploadRequest, type CheckpointWire } from '../../../shared/sync/audit-protocol';
import { listCheckpoints } from '../audit/checkpoint';
import type { Db } from '../db/database';
import { CHECKPOINT_ACKED_KEY } from './audit-upload';
import { auditAckedSeq } from '../audit/acknowledged';
import { refusedByServer, SyncError, type SyncTransport } from './sync-engine';

const KEY = CHECKPOINT_ACKED_KEY;

export function checkpointAckedId(db: Db): number {
  return Number((db.prepare<[string], { value: string }>('SELECT value FROM sync_state WHERE key = ?').get(KEY) ?? { value: '0' }).value);
}

/**
 * Upload signed checkpoints after the entries they cover (the server checks each root against the entries it
 * holds). Returns the refusal reason, or null; network failures throw.
 */
export async function uploadCheckpointsOnce(db: Db, transport: SyncTransport, terminalId: string): Promise<{ sent: number; reason: string | null }> {
  const acked = checkpointAckedId(db);
  const entriesAcked = auditAckedSeq(db);
  const pending: CheckpointWire[] = listCheckpoints(db)
    .filter((c) => c.id > acked && c.treeSize > 0 && c.treeSize <= entriesAcked && c.terminalId === terminalId)
    .slice(0, 50)
    .map((c) => ({ id: c.id, terminalId: c.terminalId, treeSize: c.treeSize, rootHash: c.rootHash, createdAt: c.createdAt, keyId: c.keyId, publicKeyPem: c.publicKeyPem, signature: c.signature }));
  if (pending.length === 0) return { sent: 0, reason: null };
  const body: CheckpointUploadRequest = { terminalId, checkpoints: pending };
  const res = await transport.request('POST', '/v1/audit/checkpoints', body);
  if (res.status !== 200 && res.status !== 409) throw refusedByServer('中央サーバが監査ログの検証点を受け付けませんでした。', res.status);
  const parsed = CheckpointUploadResponseSchema.safeParse(res.json);
  if (!parsed.success || parsed.data.terminalId !== terminalId) throw new SyncError('中央サーバの応答の形式が正しくありません。');
  const through = Math.min(parsed.data.acceptedThroughId, pending[pending.length - 1]!.id);
  if (through > acked) db.prepare(`INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(KEY, String(through));
  return { sent: pending.length, reason: parsed.data.status === 'ok' ? null : (parsed.data.reason ?? '理由不明') };
}
