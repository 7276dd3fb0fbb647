import { createHash } from 'node:crypto';
import {
  CHECKSUM_MODULUS,
  ChecksumResponseSchema,
  MAX_BATCH,
  PullResponseSchema,
  PushResponseSchema,
  SYNC_ENTITIES,
  SYNC_ENTITY_FIELDS,
  isSyncEntity,
  type Change,
  type Mutation,
} from '../../../shared/sync/protocol';
import type { AuditLog } from '../audit/audit-log';
import type { Db } from '../db/database';
import type { Clock } from '../platform';
import { maintainLeases } from './leases';

import type { SyncTransport } from './transport';

export type { SyncTransport };

export interface SyncStatus {
  pending: number;
  failed: number;
  lastSuccessAt: string | null;
  cursor: number;
}

interface OutboxRow {
  mutation_id: number;
  client_uuid: string;
  entity: string;
  entity_id: string;
  op: 'insert' | 'update' | 'delete';
  payload: string;
}

/** Why the terminal rebuilds its copy: the server's reasons, or a checksum that did not match. */
export type ResetReason = 'cursor_ahead' | 'pruned' | 'scope_changed' | 'checksum' | 'rejected';

/**
 * Children before parents, so that dropping records a snapshot did not contain never breaks a reference
 * (foreign keys stay immediate; a record still referenced by something local stops the sweep instead).
 */
const SWEEP_ORDER = [
  'claim_events', 'claims', 'vaccination_records', 'certificate_events', 'certificates', 'resident_guardians', 'health_insurance',
  'number_blocks', 'password_history', 'authenticators', 'staff_grants', 'residents', 'staff', 'rule_profiles',
] as const;

/** md5("entity:id:version") → first 13 hex digits as an integer (see ChecksumResponseSchema). */
export function checksumTerm(entity: string, id: string, version: number): bigint {
  return BigInt('0x' + createHash('md5').update(`${entity}:${id}:${version}`).digest('hex').slice(0, 13));
}

export class SyncError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SyncError';
  }
}

/**
 * The terminal side of sync. Push sends the outbox in order; the server applies each mutation at most once
 * (per-terminal mutation IDs), so a retried or duplicated batch changes nothing. A permanent rejection is
 * stored for staff and never blocks the queue. Pull applies server changes in one local transaction and
 * never overwrites a record that still has unsent local changes.
 */
export class SyncEngine {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    readonly clock: Clock,
    private readonly terminalId: string,
  ) {}

  private state(key: string): string | null {
    return this.db.prepare<[string], { value: string }>('SELECT value FROM sync_state WHERE key = ?').get(key)?.value ?? null;
  }

  private setState(key: string, value: string): void {
    this.db.prepare('INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  status(): SyncStatus {
    const pending = (this.db.prepare('SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL').get() as { n: number }).n;
    const failed = (this.db.prepare('SELECT count(*) AS n FROM sync_rejections').get() as { n: number }).n;
    return { pending, failed, lastSuccessAt: this.state('last_success_at'), cursor: Number(this.state('pull_cursor') ?? 0) };
  }

  /** 縮退運用: keep leased certificate numbers above the low-water mark; return expired leftovers. */
  maintainLeases(transport: SyncTransport, certType: string): Promise<{ leased: number; returned: number }> {
    return maintainLeases(this.db, this.audit, this.clock, transport, certType);
  }

  rejections(): { mutationId: number; entity: string; entityId: string; reason: string; rejectedAt: string }[] {
    return this.db
      .prepare<[], { mutation_id: number; entity: string; entity_id: string; reason: string; rejected_at: string }>('SELECT * FROM sync_rejections ORDER BY mutation_id DESC LIMIT 500')
      .all()
      .map((r) => ({ mutationId: r.mutation_id, entity: r.entity, entityId: r.entity_id, reason: r.reason, rejectedAt: r.rejected_at }));
  }

  /** Push one batch of the outbox. Returns how many mutations the server now holds from this batch. */
  async pushOnce(transport: SyncTransport): Promise<{ sent: number; rejected: number }> {
    const rows = this.db
      .prepare<[number], OutboxRow>('SELECT mutation_id, client_uuid, entity, entity_id, op, payload FROM outbox WHERE sent_at IS NULL ORDER BY mutation_id LIMIT ?')
      .all(MAX_BATCH);
    if (rows.length === 0) return { sent: 0, rejected: 0 };
    const mutations: Mutation[] = rows.map((r) => ({
      mutationId: r.mutation_id,
      clientUuid: r.client_uuid,
      entity: r.entity,
      entityId: r.entity_id,
      op: r.op,
      payload: JSON.parse(r.payload) as Mutation['payload'],
    }));
    const res = await transport.request('POST', '/v1/push', { terminalId: this.terminalId, mutations });
    if (res.status !== 200) throw new SyncError(`中央サーバが送信を受け付けませんでした（HTTP ${res.status}）。`);
    const parsed = PushResponseSchema.safeParse(res.json);
    if (!parsed.success || parsed.data.terminalId !== this.terminalId) throw new SyncError('中央サーバの応答の形式が正しくありません。');
    const byId = new Map(rows.map((r) => [r.mutation_id, r]));
    const at = this.clock.now().toISOString();
    let sent = 0;
    let rejected = 0;
    this.db.transaction(() => {
      const markSent = this.db.prepare('UPDATE outbox SET sent_at = ? WHERE mutation_id = ? AND sent_at IS NULL');
      const reject = this.db.prepare('INSERT OR IGNORE INTO sync_rejections (mutation_id, entity, entity_id, reason, rejected_at) VALUES (?, ?, ?, ?, ?)');
      for (const r of parsed.data.results) {
        const row = byId.get(r.mutationId);
        if (!row) continue;
        if (r.status === 'applied' || r.status === 'duplicate') {
          sent += markSent.run(at, r.mutationId).changes;
        } else if (r.status === 'rejected') {
          reject.run(r.mutationId, row.entity, row.entity_id, r.reason ?? '理由不明', at);
          markSent.run(at, r.mutationId);
          rejected++;
        }
        // 'gap': the server is missing an earlier mutation; it stays unsent and goes again next time.
      }
      if (rejected > 0) this.audit.append({ staffId: null, action: 'sync.rejected', outcome: 'rejected', detail: { count: rejected } });
      this.setState('last_success_at', at);
    })();
    // A refused change (a conflict, or a record the server will not take) leaves this terminal's copy
    // different from the server's, possibly at the same version number: rebuild the copy from the server.
    if (rejected > 0 && this.state('snapshot') !== '1') this.beginSnapshot('rejected', null);
    return { sent, rejected };
  }

  /**
   * Pull one page of changes and apply it in one transaction. When the server says the cursor cannot be
   * continued, a snapshot starts from cursor 0; when its last page has been applied, records it did not contain
   * (and that have no unsent local change) are dropped — the server is the system of record.
   */
  async pullOnce(transport: SyncTransport, limit = 1000): Promise<{ applied: number; skipped: number; more: boolean; reset?: ResetReason; swept?: number }> {
    const cursor = Number(this.state('pull_cursor') ?? 0);
    const key = this.state('scope_key');
    const snapshot = this.state('snapshot') === '1';
    const res = await transport.request('GET', `/v1/pull?cursor=${cursor}&limit=${limit}${key ? `&scopeKey=${encodeURIComponent(key)}` : ''}${snapshot ? '&snapshot=1' : ''}`);
    if (res.status !== 200) throw new SyncError(`中央サーバから変更を受け取れませんでした（HTTP ${res.status}）。`);
    const parsed = PullResponseSchema.safeParse(res.json);
    if (!parsed.success) throw new SyncError('中央サーバの応答の形式が正しくありません。');
    const data = parsed.data;
    if (data.reset) {
      this.beginSnapshot(data.reset, data.scopeKey);
      return { applied: 0, skipped: 0, more: true, reset: data.reset };
    }
    let applied = 0;
    let skipped = 0;
    let swept: number | undefined;
    const problems: { entity: string; entityId: string; why: string }[] = [];
    this.db.transaction(() => {
      const seen = this.db.prepare('INSERT OR IGNORE INTO sync_snapshot_seen (entity, entity_id) VALUES (?, ?)');
      for (const c of data.changes) {
        if (snapshot) seen.run(c.entity, c.entityId);
        if (this.hasUnsentLocalChange(c)) {
          skipped++;
          continue;
        }
        // Each change in its own savepoint: one that breaks a local constraint (a record it refers to is not
        // here yet) is reported and skipped instead of failing the whole page for ever.
        try {
          if (this.db.transaction(() => this.applyChange(c, snapshot))()) applied++;
        } catch (e) {
          skipped++;
          problems.push({ entity: c.entity, entityId: c.entityId, why: (e as { code?: string }).code ?? 'error' });
        }
      }
      if (problems.length > 0) this.audit.append({ staffId: null, action: 'sync.pullProblem', outcome: 'failure', detail: { count: problems.length, first: problems.slice(0, 5) } });
      this.setState('pull_cursor', String(data.cursor));
      this.setState('scope_key', data.scopeKey);
      this.setState('last_success_at', this.clock.now().toISOString());
      if (snapshot && !data.more) swept = this.finishSnapshot();
    })();
    return { applied, skipped, more: data.more, ...(swept !== undefined ? { swept } : {}) };
  }

  /** Start over from cursor 0; what the snapshot delivers is recorded so the rest can be dropped at its end. */
  private beginSnapshot(reason: ResetReason, scopeKeyValue: string | null): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM sync_snapshot_seen').run();
      this.setState('snapshot', '1');
      this.setState('pull_cursor', '0');
      if (scopeKeyValue) this.setState('scope_key', scopeKeyValue);
      this.audit.append({ staffId: null, action: 'sync.reset', outcome: 'success', detail: { reason } });
    })();
  }

  /**
   * Drop local records the snapshot did not deliver, unless they have unsent changes. Runs in a savepoint:
   * if something local still refers to such a record, nothing is dropped, the snapshot stays open and the
   * sweep is tried again after the next pull. Returns the number dropped, or -1 when it had to wait.
   */
  private finishSnapshot(): number {
    try {
      return this.db.transaction(() => {
        let dropped = 0;
        this.setState('snapshot_sweep', '1'); // lets the 接種歴 no-delete trigger through, in this savepoint only
        for (const table of SWEEP_ORDER) {
          dropped += this.db
            .prepare(
              `DELETE FROM ${table} WHERE id NOT IN (SELECT entity_id FROM sync_snapshot_seen WHERE entity = ?)
                 AND id NOT IN (SELECT entity_id FROM outbox WHERE entity = ? AND sent_at IS NULL)`,
            )
            .run(table, table).changes;
        }
        this.db.prepare('DELETE FROM sync_snapshot_seen').run();
        this.setState('snapshot_sweep', '0');
        this.setState('snapshot', '0');
        this.audit.append({ staffId: null, action: 'sync.snapshotDone', outcome: 'success', detail: { dropped } });
        return dropped;
      })();
    } catch (e) {
      this.audit.append({ staffId: null, action: 'sync.snapshotDone', outcome: 'failure', detail: { why: (e as { code?: string }).code ?? 'error' } });
      return -1;
    }
  }

  /** The local digest comparable with the server's (live records of every synced entity). */
  localChecksum(): { count: number; sum: string } {
    let count = 0;
    let sum = 0n;
    for (const entity of SYNC_ENTITIES) {
      for (const r of this.db.prepare<[], { id: string; version: number }>(`SELECT id, version FROM ${entity} WHERE deleted = 0`).iterate()) {
        count++;
        sum = (sum + checksumTerm(entity, r.id, r.version)) % CHECKSUM_MODULUS;
      }
    }
    return { count, sum: sum.toString() };
  }

  /**
   * Compare this copy with the server's when both stand at the same cursor and nothing is unsent; a mismatch
   * starts a snapshot. 'skipped' when the comparison would not mean anything right now.
   */
  async verifyChecksum(transport: SyncTransport): Promise<'match' | 'mismatch' | 'skipped'> {
    if (this.state('snapshot') === '1' || this.status().pending > 0) return 'skipped';
    const res = await transport.request('GET', '/v1/pull/checksum');
    if (res.status !== 200) throw new SyncError(`中央サーバで照合値を計算できませんでした（HTTP ${res.status}）。`);
    const parsed = ChecksumResponseSchema.safeParse(res.json);
    if (!parsed.success) throw new SyncError('中央サーバの応答の形式が正しくありません。');
    if (parsed.data.cursor !== Number(this.state('pull_cursor') ?? 0)) return 'skipped';
    const local = this.localChecksum();
    if (local.count === parsed.data.count && local.sum === parsed.data.sum) return 'match';
    this.beginSnapshot('checksum', null);
    return 'mismatch';
  }

  private hasUnsentLocalChange(c: Change): boolean {
    return this.db.prepare('SELECT 1 FROM outbox WHERE entity = ? AND entity_id = ? AND sent_at IS NULL LIMIT 1').get(c.entity, c.entityId) !== undefined;
  }

  /** Upsert the server's version of a record unless the local copy is already as new. Fields are whitelisted. */
  private applyChange(c: Change, snapshot: boolean): boolean {
    if (!isSyncEntity(c.entity)) return false;
    const allowed = new Set(SYNC_ENTITY_FIELDS[c.entity]);
    const local = this.db.prepare<[string], { version: number }>(`SELECT version FROM ${c.entity} WHERE id = ?`).get(c.entityId);
    // In a snapshot the server's copy always wins (a restored server may hold an older version; a refused
    // edit may have left a different record under the same version number).
    if (local && !snapshot && local.version >= c.version) return false;
    const row: Record<string, unknown> = { ...Object.fromEntries(Object.entries(c.payload).filter(([k]) => allowed.has(k))), id: c.entityId, version: c.version, deleted: c.deleted ? 1 : 0 };
    const cols = Object.keys(row);
    if (local) {
      this.db.prepare(`UPDATE ${c.entity} SET ${cols.filter((k) => k !== 'id').map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id`).run(row);
    } else {
      this.db.prepare(`INSERT INTO ${c.entity} (${cols.join(', ')}) VALUES (${cols.map((k) => '@' + k).join(', ')})`).run(row);
    }
    return true;
  }
}
