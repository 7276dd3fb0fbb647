/**
 * Audit upload: each terminal's hash-chained audit log is copied to the server. A batch is accepted only if it
 * extends what the server already holds for that terminal — contiguous seqs, every hash recomputing from the
 * entry's fields, the first new entry linking to the stored head, and entries the server already has sent again
 * unchanged. Anything else (an edited entry, a fork, a gap) is refused and changes nothing.
 */
import { createHash } from 'node:crypto';
import { Rollback, withTransaction, type Pool } from './db';
import { GENESIS_HASH, entryHashInput } from '../shared/audit/audit-entry';
import { canonicalJson } from '../shared/audit/canonical-json';
import type { AuditEntryWire, AuditUploadRequest, AuditUploadResponse } from '../shared/sync/audit-protocol';

interface StoredEntry {
  seq: string;
  at: string;
  staff_id: string | null;
  action: string;
  target_atena_no: string | null;
  reason: string | null;
  outcome: string;
  detail: string;
  prev_hash: string;
  hash: string;
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** The checks that need nothing from the database. Returns a reason or null. */
function checkBatch(terminalId: string, entries: readonly AuditEntryWire[]): string | null {
  const first = entries[0]!.seq;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.terminalId !== terminalId) return `端末IDの不一致: 監査ログ ${e.seq} 番は端末 ${e.terminalId} のものです（証明書は ${terminalId}）`;
    if (e.seq !== first + i) return `順序の不正: 監査ログ ${first + i} 番の位置に ${e.seq} 番が届きました（連番でありません）`;
    if (i > 0 && e.prevHash !== entries[i - 1]!.hash) return `連鎖の不一致: 監査ログ ${e.seq} 番が直前の項目とつながっていません`;
    if (sha256(entryHashInput(e)) !== e.hash) return `改ざん: 監査ログ ${e.seq} 番の内容がハッシュと一致しません`;
  }
  return null;
}

function sameAsStored(e: AuditEntryWire, s: StoredEntry): boolean {
  return (
    Number(s.seq) === e.seq &&
    s.at === e.at &&
    s.staff_id === e.staffId &&
    s.action === e.action &&
    s.target_atena_no === e.targetAtenaNo &&
    s.reason === e.reason &&
    s.outcome === e.outcome &&
    s.detail === canonicalJson(e.detail) &&
    s.prev_hash === e.prevHash &&
    s.hash === e.hash
  );
}

/**
 * Takes one audit batch from `terminalId` (already checked against the client certificate), in one transaction
 * holding the terminal's audit head row (`SELECT … FOR UPDATE`), so concurrent uploads for one terminal — on one
 * or several app servers — are serialised. A rejected batch is rolled back whole.
 */
export async function uploadAudit(pool: Pool, terminalId: string, req: AuditUploadRequest): Promise<AuditUploadResponse> {
  const entries = req.entries;
  return withTransaction<AuditUploadResponse>(pool, async (c) => {
    await c.query('INSERT INTO audit_heads (terminal_id) VALUES ($1) ON CONFLICT (terminal_id) DO NOTHING', [terminalId]);
    const head = await c.query<{ head_seq: string; head_hash: string }>('SELECT head_seq, head_hash FROM audit_heads WHERE terminal_id = $1 FOR UPDATE', [terminalId]);
    const headSeq = Number(head.rows[0]!.head_seq);
    const headHash = head.rows[0]!.head_hash;
    // A refused batch is rolled back whole.
    const reject = (reason: string) => new Rollback<AuditUploadResponse>({ terminalId, acceptedThroughSeq: headSeq, status: 'rejected', reason });

    const invalid = checkBatch(terminalId, entries);
    if (invalid) return reject(invalid);

    const first = entries[0]!.seq;
    const last = entries[entries.length - 1]!.seq;
    if (first > headSeq + 1) return reject(`欠落: 中央サーバは監査ログ ${headSeq} 番まで保持しています。${headSeq + 1} 番から送ってください（${first} 番から届きました）`);

    // Entries the server already holds must come again byte for byte (an idempotent resend); anything else is
    // an edited entry or a chain that forked from the one the server has.
    if (first <= headSeq) {
      const held = await c.query<StoredEntry>(
        `SELECT seq, at, staff_id, action, target_atena_no, reason, outcome, detail, prev_hash, hash
           FROM audit_entries WHERE terminal_id = $1 AND seq BETWEEN $2 AND $3 ORDER BY seq`,
        [terminalId, first, Math.min(last, headSeq)],
      );
      const bySeq = new Map(held.rows.map((r) => [Number(r.seq), r]));
      for (const e of entries) {
        if (e.seq > headSeq) break;
        const stored = bySeq.get(e.seq);
        if (!stored || !sameAsStored(e, stored)) return reject(`改ざんまたは分岐: 監査ログ ${e.seq} 番が中央サーバの保持する内容と一致しません`);
      }
    }

    const fresh = entries.filter((e) => e.seq > headSeq);
    if (fresh.length === 0) return new Rollback<AuditUploadResponse>({ terminalId, acceptedThroughSeq: headSeq, status: 'ok' });
    const expectedPrev = headSeq === 0 ? GENESIS_HASH : headHash;
    if (fresh[0]!.prevHash !== expectedPrev) {
      return reject(`改ざんまたは分岐: 監査ログ ${fresh[0]!.seq} 番が中央サーバの保持する ${headSeq} 番とつながっていません`);
    }

    await c.query(
      `INSERT INTO audit_entries (terminal_id, seq, at, staff_id, action, target_atena_no, reason, outcome, detail, prev_hash, hash)
       SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])`,
      [
        terminalId,
        fresh.map((e) => e.seq),
        fresh.map((e) => e.at),
        fresh.map((e) => e.staffId),
        fresh.map((e) => e.action),
        fresh.map((e) => e.targetAtenaNo),
        fresh.map((e) => e.reason),
        fresh.map((e) => e.outcome),
        fresh.map((e) => canonicalJson(e.detail)),
        fresh.map((e) => e.prevHash),
        fresh.map((e) => e.hash),
      ],
    );
    const newHead = fresh[fresh.length - 1]!;
    await c.query('UPDATE audit_heads SET head_seq = $2, head_hash = $3, updated_at = now() WHERE terminal_id = $1', [terminalId, newHead.seq, newHead.hash]);
    return { terminalId, acceptedThroughSeq: newHead.seq, status: 'ok' };
  });
}
