/**
 * Checkpoint upload: a terminal's signed audit checkpoint is stored only if its Ed25519 signature verifies
 * with the key registered for that terminal (the first one seen), and its RFC 9162 root equals the root the
 * server computes over the entries it already holds for that terminal (1 … treeSize). So a checkpoint can
 * only extend what the server holds; a terminal that rewrote its log cannot get a checkpoint over it accepted.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import { Rollback, withTransaction, type Pool } from './db';
import { checkpointSignedText } from '../shared/audit/checkpoint-format';
import { MerkleHasher, MerkleRootBuilder, fromHex, toHex } from '../shared/audit/merkle';
import type { CheckpointUploadRequest, CheckpointUploadResponse, CheckpointWire } from '../shared/sync/audit-protocol';

const hasher = new MerkleHasher((b) => new Uint8Array(createHash('sha256').update(b).digest()));

function keyIdOf(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return `ed25519:${createHash('sha256').update(der).digest('hex').slice(0, 32)}`;
}

function signatureOk(c: CheckpointWire): boolean {
  try {
    const key = createPublicKey(c.publicKeyPem);
    if (key.asymmetricKeyType !== 'ed25519') return false;
    return verify(null, Buffer.from(checkpointSignedText(c), 'utf8'), key, Buffer.from(c.signature, 'base64'));
  } catch {
    return false;
  }
}

export async function uploadCheckpoints(pool: Pool, terminalId: string, req: CheckpointUploadRequest): Promise<CheckpointUploadResponse> {
  return withTransaction<CheckpointUploadResponse>(pool, async (c) => {
    await c.query(`INSERT INTO audit_keys (terminal_id, key_id, public_key_pem) VALUES ($1, '', '') ON CONFLICT DO NOTHING`, [terminalId]);
    const keyRow = (await c.query<{ key_id: string; public_key_pem: string }>('SELECT key_id, public_key_pem FROM audit_keys WHERE terminal_id = $1 FOR UPDATE', [terminalId])).rows[0]!;
    const held = await c.query<{ m: string | null }>('SELECT max(checkpoint_id) AS m FROM audit_checkpoints WHERE terminal_id = $1', [terminalId]);
    let through = Number(held.rows[0]!.m ?? 0);
    // A refusal rolls back everything of this request, including a key registered by it.
    const reject = (reason: string) => new Rollback<CheckpointUploadResponse>({ terminalId, status: 'rejected', acceptedThroughId: through, reason });
    let registered = keyRow.key_id;
    for (const cp of req.checkpoints) {
      if (cp.terminalId !== terminalId) return reject(`端末IDの不一致: チェックポイント ${cp.id} は端末 ${cp.terminalId} のものです`);
      if (cp.id <= through) continue; // already held (a resend)
      let computedKeyId: string;
      try {
        computedKeyId = keyIdOf(cp.publicKeyPem);
      } catch {
        return reject(`チェックポイント ${cp.id} の公開鍵を読み取れません`);
      }
      if (computedKeyId !== cp.keyId || !signatureOk(cp)) return reject(`署名の不一致: チェックポイント ${cp.id} の署名を検証できません`);
      if (registered === '') {
        await c.query('UPDATE audit_keys SET key_id = $2, public_key_pem = $3, registered_at = now() WHERE terminal_id = $1', [terminalId, cp.keyId, cp.publicKeyPem]);
        registered = cp.keyId;
      } else if (registered !== cp.keyId) {
        return reject(`鍵の不一致: チェックポイント ${cp.id} は登録済みの鍵（${registered}）と異なる鍵で署名されています`);
      }
      const hashes = await c.query<{ seq: string; hash: string }>('SELECT seq, hash FROM audit_entries WHERE terminal_id = $1 AND seq <= $2 ORDER BY seq', [terminalId, cp.treeSize]);
      if (hashes.rows.length !== cp.treeSize) return reject(`未受領: チェックポイント ${cp.id}（${cp.treeSize} 件）の監査ログをサーバはまだ ${hashes.rows.length} 件しか保持していません`);
      const builder = new MerkleRootBuilder(hasher);
      for (const r of hashes.rows) builder.addLeaf(fromHex(r.hash));
      if (toHex(builder.root()) !== cp.rootHash) return reject(`改ざんまたは分岐: チェックポイント ${cp.id} の根ハッシュがサーバの保持する監査ログと一致しません`);
      await c.query(
        `INSERT INTO audit_checkpoints (terminal_id, checkpoint_id, tree_size, root_hash, created_at, key_id, signature) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [terminalId, cp.id, cp.treeSize, cp.rootHash, cp.createdAt, cp.keyId, cp.signature],
      );
      through = cp.id;
    }
    return { terminalId, status: 'ok', acceptedThroughId: through };
  });
}
