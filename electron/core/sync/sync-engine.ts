import { createHash } from 'node:crypto';
import {
  CHECKSUM_MODULUS,
  ChecksumResponseSchema,
  MAX_BATCH,
  OUTBOX_RETENTION_DAYS,
  ChangeSchema,
  EntityIdSchema,
  PullEnvelopeSchema,
  PushResponseSchema,
  PushStateResponseSchema,
  SYNC_ENTITIES,
  SYNC_ENTITY_FIELDS,
  isSyncEntity,
  type Change,
  type LostMutation,
  type Mutation,
} from '../../../shared/sync/protocol';
import type { AuditLog } from '../audit/audit-log';
import type { Db } from '../db/database';
import type { Clock } from '../platform';
import { maintainLeases } from './leases';
import { PERSON_ENTITIES } from '../../../shared/domain/population';
import { STAFF_ENTITIES } from '../../../shared/sync/staff-scope';

import { refusedByServer, SyncError, type SyncTransport } from './transport';

export { refusedByServer, SyncError, type SyncTransport };

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

/**
 * Why the terminal rebuilds its copy: the server's reasons, a checksum that did not match, a refused change, or
 * a server that holds fewer of this terminal's mutations than it confirmed (its database was restored).
 */
export type ResetReason = 'cursor_ahead' | 'pruned' | 'scope_changed' | 'checksum' | 'rejected' | 'server_restored';

/** sync_state: the server's lastMutationId for this terminal, as the server last reported it. */
const CONFIRMED_KEY = 'push_confirmed_id';
/** sync_state: outbox rows up to this ID that go again are replays (the server lost them after taking them). */
const REPLAY_KEY = 'push_replay_through';
/** sync_state: '1' once the snapshot in progress has compared this terminal's pushes with the current server. */
const SNAPSHOT_CONFIRMED_KEY = 'snapshot_confirmed';

/** What a comparison with the server's lastMutationId found (reconcile). */
export interface RestoreCheck {
  /** Outbox rows marked unsent again, to go with the next push (as replays). */
  resent: number;
  /** Mutations the server lost that this terminal no longer holds (pruned): declared lost with the next push. */
  lost: number;
}

/**
 * Children before parents, so that dropping records a snapshot did not contain never breaks a reference
 * (foreign keys stay immediate; a record still referenced by something local stops the sweep instead).
 */
const SWEEP_ORDER = [
  'fujo_flows', 'seiho_jukyu', 'kokuho_shikaku', 'kodomo_shikaku', 'claim_events', 'claims', 'vaccination_records', 'certificate_events', 'certificates', 'resident_guardians', 'health_insurance',
  'number_blocks', 'password_history', 'authenticators', 'staff_grants', 'residents', 'staff', 'rule_profiles',
] as const;

/** Entities a pulled `dropped` may remove: a person's own records and staff records (issue 16 §1); nothing else. */
const DROPPABLE: readonly string[] = [...PERSON_ENTITIES, ...STAFF_ENTITIES];

/** The highest mutation ID the server confirmed holding (before the first report: the highest one sent). */
export function confirmedMutationId(db: Db): number {
  const v = db.prepare<[string], { value: string }>('SELECT value FROM sync_state WHERE key = ?').get(CONFIRMED_KEY)?.value ?? null;
  if (v !== null) return Number(v);
  return db.prepare<[], { m: number | null }>('SELECT max(mutation_id) AS m FROM outbox WHERE sent_at IS NOT NULL').get()?.m ?? 0;
}

/** md5("entity:id:version") → first 13 hex digits as an integer (see ChecksumResponseSchema). */
export function checksumTerm(entity: string, id: string, version: number): bigint {
  return BigInt('0x' + createHash('md5').update(`${entity}:${id}:${version}`).digest('hex').slice(0, 13));
}

/** Entity and ID of a change that did not parse, as far as they can be read (for the report). */
function identify(raw: unknown): { entity: string; entityId: string } {
  const r = (raw ?? {}) as { entity?: unknown; entityId?: unknown };
  return { entity: typeof r.entity === 'string' ? r.entity.slice(0, 64) : '?', entityId: typeof r.entityId === 'string' ? r.entityId.slice(0, 64) : '?' };
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
    readonly audit: AuditLog,
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
  maintainLeases(transport: SyncTransport, certType: string): Promise<{ leased: number; returned: number; notServed?: true }> {
    return maintainLeases(this.db, this.audit, this.clock, transport, certType);
  }

  rejections(): { mutationId: number; entity: string; entityId: string; reason: string; rejectedAt: string }[] {
    return this.db
      .prepare<[], { mutation_id: number; entity: string; entity_id: string; reason: string; rejected_at: string }>('SELECT * FROM sync_rejections ORDER BY mutation_id DESC LIMIT 500')
      .all()
      .map((r) => ({ mutationId: r.mutation_id, entity: r.entity, entityId: r.entity_id, reason: r.reason, rejectedAt: r.rejected_at }));
  }

  /** The highest mutation ID the server confirmed holding (before the first report: the highest one sent). */
  private confirmedThrough(): number {
    return confirmedMutationId(this.db);
  }

  /**
   * Push one batch of the outbox. Returns how many mutations the server now holds from this batch, and what the
   * comparison with the server's lastMutationId found (a restored server: rows to send again, rows lost).
   */
  async pushOnce(transport: SyncTransport): Promise<{ sent: number; rejected: number } & RestoreCheck> {
    const rows = this.db
      .prepare<[number], OutboxRow>('SELECT mutation_id, client_uuid, entity, entity_id, op, payload FROM outbox WHERE sent_at IS NULL ORDER BY mutation_id LIMIT ?')
      .all(MAX_BATCH);
    if (rows.length === 0) return { sent: 0, rejected: 0, resent: 0, lost: 0 };
    // Mutations the server lost (restore) that were pruned here after OUTBOX_RETENTION_DAYS: declared lost, so
    // the server does not wait for them for ever (each is recorded there as rejected `lost: …`).
    const confirmed = this.confirmedThrough();
    const first = rows[0]!.mutation_id;
    const lost: LostMutation[] = [];
    const held = this.db.prepare<[number, number], { n: number }>('SELECT count(*) AS n FROM outbox WHERE mutation_id BETWEEN ? AND ?');
    if (first > confirmed + 1 && held.get(confirmed + 1, first - 1)?.n === 0) {
      for (let id = confirmed + 1; id < first && lost.length < MAX_BATCH - 1; id++) lost.push({ mutationId: id, lost: true });
    }
    const replayThrough = Number(this.state(REPLAY_KEY) ?? 0);
    const batch = rows.slice(0, MAX_BATCH - lost.length);
    const mutations: Mutation[] = batch.map((r) => this.toWire(r, replayThrough));
    const res = await transport.request('POST', '/v1/push', { terminalId: this.terminalId, mutations: [...lost, ...mutations] });
    if (res.status !== 200) throw refusedByServer('中央サーバが送信を受け付けませんでした。', res.status);
    const parsed = PushResponseSchema.safeParse(res.json);
    if (!parsed.success || parsed.data.terminalId !== this.terminalId) throw new SyncError('中央サーバの応答の形式が正しくありません。');
    const byId = new Map(batch.map((r) => [r.mutation_id, r]));
    const at = this.clock.now().toISOString();
    let sent = 0;
    let rejected = 0;
    const check = this.db.transaction(() => {
      const markSent = this.db.prepare('UPDATE outbox SET sent_at = ? WHERE mutation_id = ? AND sent_at IS NULL');
      const reject = this.db.prepare(
        `INSERT INTO sync_rejections (mutation_id, entity, entity_id, reason, rejected_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (mutation_id) DO UPDATE SET reason = excluded.reason, rejected_at = excluded.rejected_at`,
      );
      // A replay refused before the restore and taken now: it is no longer a failure.
      const unreject = this.db.prepare('DELETE FROM sync_rejections WHERE mutation_id = ?');
      for (const r of parsed.data.results) {
        const row = byId.get(r.mutationId);
        if (!row) continue;
        if (r.status === 'applied' || r.status === 'duplicate') {
          sent += markSent.run(at, r.mutationId).changes;
          if (r.status === 'applied') unreject.run(r.mutationId);
        } else if (r.status === 'rejected') {
          reject.run(r.mutationId, row.entity, row.entity_id, r.reason ?? '理由不明', at);
          markSent.run(at, r.mutationId);
          rejected++;
        }
        // 'gap': the server is missing an earlier mutation; it stays unsent and goes again next time.
      }
      if (rejected > 0) this.audit.append({ staffId: null, action: 'sync.rejected', outcome: 'rejected', detail: { count: rejected } });
      this.setState('last_success_at', at);
      // The server tells what it holds; less than this terminal sent means its database was restored.
      return this.reconcile(parsed.data.lastMutationId);
    })();
    // A refused change (a conflict, or a record the server will not take) leaves this terminal's copy
    // different from the server's, possibly at the same version number: rebuild the copy from the server.
    if (rejected > 0 && this.state('snapshot') !== '1') this.beginSnapshot('rejected', null);
    return { sent, rejected, ...check };
  }

  /**
   * Asks the server where this terminal's next push must start (`GET /v1/push/state`) and compares it with what
   * the server confirmed before (reconcile). The runner calls it when nothing is pending; pullOnce calls it
   * before applying a snapshot, so a snapshot never overwrites or sweeps changes a restored server lost.
   */
  async confirmWithServer(transport: SyncTransport): Promise<RestoreCheck> {
    const res = await transport.request('GET', '/v1/push/state');
    if (res.status !== 200) throw refusedByServer('中央サーバに送信済みの変更を確認できませんでした。', res.status);
    const parsed = PushStateResponseSchema.safeParse(res.json);
    if (!parsed.success || parsed.data.terminalId !== this.terminalId) throw new SyncError('中央サーバの応答の形式が正しくありません。');
    return this.db.transaction(() => this.reconcile(parsed.data.lastMutationId))();
  }

  /**
   * The server holds this terminal's mutations up to `serverLast`. If it confirmed more before (its database was
   * restored from a backup), the rows after `serverLast` that are still kept (OUTBOX_RETENTION_DAYS) are marked
   * unsent, to go again as replays; those already pruned are counted lost (declared with the next push). The
   * terminal's copy is then rebuilt from the server (snapshot) — rows waiting to go again protect their records.
   */
  private reconcile(serverLast: number): RestoreCheck {
    const sentThrough = Math.max(this.confirmedThrough(), this.db.prepare<[], { m: number | null }>('SELECT max(mutation_id) AS m FROM outbox WHERE sent_at IS NOT NULL').get()?.m ?? 0);
    this.setState(CONFIRMED_KEY, String(serverLast));
    let check: RestoreCheck = { resent: 0, lost: 0 };
    if (serverLast < sentThrough) {
      const resent = this.db.prepare('UPDATE outbox SET sent_at = NULL WHERE mutation_id > ? AND sent_at IS NOT NULL').run(serverLast).changes;
      const kept = this.db.prepare<[number, number], { n: number }>('SELECT count(*) AS n FROM outbox WHERE mutation_id > ? AND mutation_id <= ?').get(serverLast, sentThrough)?.n ?? 0;
      check = { resent, lost: sentThrough - serverLast - kept };
      this.setState(REPLAY_KEY, String(Math.max(sentThrough, Number(this.state(REPLAY_KEY) ?? 0))));
      // A snapshot already under way started over too: its pages may come from before the restore.
      this.beginSnapshot('server_restored', null, { reason: 'server_restored', serverHolds: serverLast, sentThrough, ...check }, check.lost > 0 ? 'failure' : 'success');
    }
    this.setState(SNAPSHOT_CONFIRMED_KEY, '1');
    return check;
  }

  /** The outbox row as it goes on the wire; a replay is marked, and an edit replayed last for its record is sent whole. */
  private toWire(r: OutboxRow, replayThrough: number): Mutation {
    let payload = JSON.parse(r.payload) as Mutation['payload'];
    // A row refused before the restore goes again under the plain rules (it was never part of the server's history).
    const replay = r.mutation_id <= replayThrough && this.db.prepare('SELECT 1 FROM sync_rejections WHERE mutation_id = ?').get(r.mutation_id) === undefined;
    if (replay && r.op !== 'insert') payload = this.wholeRow(r, payload) ?? payload;
    return { mutationId: r.mutation_id, clientUuid: r.client_uuid, entity: r.entity, entityId: r.entity_id, op: r.op, payload, ...(replay ? { replay: true as const } : {}) };
  }

  /**
   * The record as this terminal holds it, when this row is its last change here and the record is still at the
   * row's version: a replayed edit then carries what the terminal saw, including another terminal's edit it
   * was built on that the restored server lost as well (docs/sync-protocol.md, replays).
   */
  private wholeRow(r: OutboxRow, payload: Mutation['payload']): Mutation['payload'] | null {
    if (!isSyncEntity(r.entity)) return null;
    const last = this.db.prepare<[string, string], { m: number }>('SELECT max(mutation_id) AS m FROM outbox WHERE entity = ? AND entity_id = ?').get(r.entity, r.entity_id)?.m;
    const row = this.db.prepare<[string], Record<string, unknown>>(`SELECT * FROM ${r.entity} WHERE id = ?`).get(r.entity_id);
    if (last !== r.mutation_id || !row || row.version !== payload.version) return null;
    const whole: Mutation['payload'] = {};
    for (const k of SYNC_ENTITY_FIELDS[r.entity]) {
      const v = row[k];
      if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') whole[k] = v;
    }
    return whole;
  }

  /**
   * Drop outbox rows the server confirmed more than OUTBOX_RETENTION_DAYS ago (kept until then so they can go
   * again to a server restored from a backup). Rows behind a stored rejection stay (the 同期の状態 screen shows
   * them). Returns how many went.
   */
  pruneOutbox(): number {
    const cutoff = new Date(this.clock.now().getTime() - OUTBOX_RETENTION_DAYS * 86_400_000).toISOString();
    return this.db
      .prepare(
        `DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < ? AND mutation_id <= ?
           AND mutation_id NOT IN (SELECT mutation_id FROM sync_rejections)`,
      )
      .run(cutoff, this.confirmedThrough()).changes;
  }

  /**
   * Pull one page of changes and apply it in one transaction. When the server says the cursor cannot be
   * continued, a snapshot starts from cursor 0; when its last page has been applied, records it did not contain
   * (and that have no unsent local change) are dropped — the server is the system of record.
   */
  async pullOnce(transport: SyncTransport, limit = 1000): Promise<{ applied: number; skipped: number; more: boolean; reset?: ResetReason; swept?: number }> {
    // Before a snapshot overwrites or sweeps anything, learn what the current server holds of this terminal's
    // changes: after a restore, those it lost are marked unsent first, which keeps their records.
    if (this.state('snapshot') === '1' && this.state(SNAPSHOT_CONFIRMED_KEY) !== '1') await this.confirmWithServer(transport);
    const cursor = Number(this.state('pull_cursor') ?? 0);
    const key = this.state('scope_key');
    const snapshot = this.state('snapshot') === '1';
    const res = await transport.request('GET', `/v1/pull?cursor=${cursor}&limit=${limit}${key ? `&scopeKey=${encodeURIComponent(key)}` : ''}${snapshot ? '&snapshot=1' : ''}`);
    if (res.status !== 200) throw refusedByServer('中央サーバから変更を受け取れませんでした。', res.status);
    const parsed = PullEnvelopeSchema.safeParse(res.json);
    if (!parsed.success) throw new SyncError('中央サーバの応答の形式が正しくありません。');
    const data = parsed.data;
    // Each change on its own: one this terminal cannot take (a character its database could not give back …) is
    // reported and skipped; the page and the cursor go on.
    const changes: Change[] = [];
    const refused: { entity: string; entityId: string }[] = [];
    for (const raw of data.changes) {
      const c = ChangeSchema.safeParse(raw);
      if (c.success) changes.push(c.data);
      else refused.push(identify(raw));
    }
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
      for (const r of refused) {
        skipped++;
        problems.push({ ...r, why: 'invalid' });
        // A snapshot keeps the local copy of a record whose server version could not be read, rather than drop it.
        if (snapshot && isSyncEntity(r.entity) && EntityIdSchema.safeParse(r.entityId).success) seen.run(r.entity, r.entityId);
      }
      for (const c of changes) {
        if (snapshot) seen.run(c.entity, c.entityId);
        if (this.hasUnsentLocalChange(c)) {
          skipped++;
          continue;
        }
        // Each change in its own savepoint: one that breaks a local constraint (a record it refers to is not
        // here yet) is reported and skipped instead of failing the whole page for ever.
        // A newer version of a record that was waiting replaces it.
        this.db.prepare('DELETE FROM sync_waiting WHERE entity = ? AND entity_id = ? AND version <= ?').run(c.entity, c.entityId, c.version);
        try {
          if (this.db.transaction(() => this.applyChange(c, snapshot))()) applied++;
        } catch (e) {
          const code = (e as { code?: string }).code ?? 'error';
          if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY' && !c.dropped) {
            // It refers to a record that comes later in the server's order: it waits for it (applyWaiting).
            this.db
              .prepare('INSERT INTO sync_waiting (entity, entity_id, version, change_json, since) VALUES (?, ?, ?, ?, ?) ON CONFLICT (entity, entity_id) DO UPDATE SET version = excluded.version, change_json = excluded.change_json WHERE excluded.version >= sync_waiting.version')
              .run(c.entity, c.entityId, c.version, JSON.stringify(c), this.clock.now().toISOString());
            skipped++;
            problems.push({ entity: c.entity, entityId: c.entityId, why: 'waiting' });
            continue;
          }
          skipped++;
          problems.push({ entity: c.entity, entityId: c.entityId, why: code });
        }
      }
      applied += this.applyWaiting(snapshot);
      if (problems.length > 0) this.audit.append({ staffId: null, action: 'sync.pullProblem', outcome: 'failure', detail: { count: problems.length, first: problems.slice(0, 5) } });
      this.setState('pull_cursor', String(data.cursor));
      this.setState('scope_key', data.scopeKey);
      this.setState('last_success_at', this.clock.now().toISOString());
      if (snapshot && !data.more) swept = this.finishSnapshot();
    })();
    return { applied, skipped, more: data.more, ...(swept !== undefined ? { swept } : {}) };
  }

  /**
   * Applies the waiting changes whose referenced records have arrived, each in its own savepoint, until none more
   * can be (one may enable another). Returns how many were applied.
   */
  private applyWaiting(snapshot: boolean): number {
    let applied = 0;
    for (let progress = true; progress; ) {
      progress = false;
      for (const w of this.db.prepare<[], { entity: string; entity_id: string; change_json: string }>('SELECT entity, entity_id, change_json FROM sync_waiting ORDER BY since, entity, entity_id').all()) {
        const c = ChangeSchema.safeParse(JSON.parse(w.change_json));
        if (!c.success || this.hasUnsentLocalChange(c.data)) continue;
        try {
          this.db.transaction(() => {
            this.applyChange(c.data, snapshot);
            this.db.prepare('DELETE FROM sync_waiting WHERE entity = ? AND entity_id = ?').run(w.entity, w.entity_id);
          })();
          applied++;
          progress = true;
        } catch {
          /* still waiting */
        }
      }
    }
    return applied;
  }

  /** How many pulled changes wait for a record they refer to. */
  waitingCount(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM sync_waiting').get() as { n: number }).n;
  }

  /** Start over from cursor 0; what the snapshot delivers is recorded so the rest can be dropped at its end. */
  private beginSnapshot(reason: ResetReason, scopeKeyValue: string | null, detail: Record<string, string | number> = { reason }, outcome: 'success' | 'failure' = 'success'): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM sync_snapshot_seen').run();
      this.setState('snapshot', '1');
      this.setState('pull_cursor', '0');
      this.setState(SNAPSHOT_CONFIRMED_KEY, '0');
      if (scopeKeyValue) this.setState('scope_key', scopeKeyValue);
      this.audit.append({ staffId: null, action: 'sync.reset', outcome, detail });
    })();
  }

  /**
   * Drop local records the snapshot did not deliver, unless they have changes the server has not confirmed
   * (unsent, or after its lastMutationId — pullOnce compared it with the current server before the snapshot
   * was applied, so after a restore the lost changes are unsent again by now). Runs in a savepoint:
   * if something local still refers to such a record, nothing is dropped, the snapshot stays open and the
   * sweep is tried again after the next pull. Returns the number dropped, or -1 when it had to wait.
   */
  private finishSnapshot(): number {
    try {
      const confirmed = this.confirmedThrough();
      return this.db.transaction(() => {
        let dropped = 0;
        this.setState('snapshot_sweep', '1'); // lets the 接種歴 no-delete trigger through, in this savepoint only
        for (const table of SWEEP_ORDER) {
          dropped += this.db
            .prepare(
              `DELETE FROM ${table} WHERE id NOT IN (SELECT entity_id FROM sync_snapshot_seen WHERE entity = ?)
                 AND id NOT IN (SELECT entity_id FROM outbox WHERE entity = ? AND (sent_at IS NULL OR mutation_id > ?))`,
            )
            .run(table, table, confirmed).changes;
        }
        // A record purged here past its retention stays purged through a snapshot (applyChange does not bring it
        // back); one the snapshot no longer delivers is gone from the server too, so its entry goes.
        this.db
          .prepare('DELETE FROM retention_purged WHERE NOT EXISTS (SELECT 1 FROM sync_snapshot_seen s WHERE s.entity = retention_purged.entity AND s.entity_id = retention_purged.entity_id)')
          .run();
        // A change still waiting that the snapshot did not deliver again is no longer the server's.
        this.db.prepare('DELETE FROM sync_waiting WHERE NOT EXISTS (SELECT 1 FROM sync_snapshot_seen s WHERE s.entity = sync_waiting.entity AND s.entity_id = sync_waiting.entity_id)').run();
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
    // Records purged here past their retention are still the server's: counted with the version last seen.
    for (const r of this.db.prepare<[], { entity: string; entity_id: string; version: number }>('SELECT entity, entity_id, version FROM retention_purged').iterate()) {
      if (!isSyncEntity(r.entity)) continue;
      count++;
      sum = (sum + checksumTerm(r.entity, r.entity_id, r.version)) % CHECKSUM_MODULUS;
    }
    return { count, sum: sum.toString() };
  }

  /**
   * Compare this copy with the server's when both stand at the same cursor and nothing is unsent; a mismatch
   * starts a snapshot. 'skipped' when the comparison would not mean anything right now.
   */
  async verifyChecksum(transport: SyncTransport): Promise<'match' | 'mismatch' | 'skipped'> {
    // Changes waiting for a record they refer to are the server's but not yet in the tables: no comparison until they land.
    if (this.state('snapshot') === '1' || this.status().pending > 0 || this.waitingCount() > 0) return 'skipped';
    const res = await transport.request('GET', '/v1/pull/checksum');
    if (res.status !== 200) throw refusedByServer('中央サーバで照合値を計算できませんでした。', res.status);
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

  /**
   * The record's person left this terminal's population (issue 16 §1): its copy goes, not kept as a tombstone. A
   * resident's links and 保険 go with them (the server drops those too, in whatever order its page lists them). A
   * record something local still refers to (a certificate, a mailing) fails its savepoint and stays, reported.
   * Likewise a member of staff who left the terminal's staff population (shared/sync/staff-scope.ts): their grants,
   * authenticators and password history go with the staff row.
   */
  private dropRecord(c: Change): boolean {
    this.db.prepare('DELETE FROM retention_purged WHERE entity = ? AND entity_id = ?').run(c.entity, c.entityId);
    this.db.prepare('DELETE FROM sync_waiting WHERE entity = ? AND entity_id = ?').run(c.entity, c.entityId);
    if (c.entity === 'residents') {
      this.db.prepare('DELETE FROM resident_guardians WHERE child_id = ? OR guardian_id = ?').run(c.entityId, c.entityId);
      this.db.prepare('DELETE FROM health_insurance WHERE resident_id = ?').run(c.entityId);
    }
    if (c.entity === 'staff') {
      const staffId = this.db.prepare<[string], { staff_id: string }>('SELECT staff_id FROM staff WHERE id = ?').get(c.entityId)?.staff_id;
      if (staffId !== undefined) for (const t of ['password_history', 'authenticators', 'staff_grants'] as const) this.db.prepare(`DELETE FROM ${t} WHERE staff_id = ?`).run(staffId);
    }
    return this.db.prepare(`DELETE FROM ${c.entity} WHERE id = ?`).run(c.entityId).changes > 0;
  }

  /** Upsert the server's version of a record unless the local copy is already as new. Fields are whitelisted. */
  private applyChange(c: Change, snapshot: boolean): boolean {
    if (!isSyncEntity(c.entity)) return false;
    if (c.dropped) return DROPPABLE.includes(c.entity) ? this.dropRecord(c) : false;
    // Purged here past its retention (a local purge): not brought back. Its version is followed for the checksum;
    // a deletion on the server ends the entry.
    const purged = this.db.prepare<[string, string], { version: number }>('SELECT version FROM retention_purged WHERE entity = ? AND entity_id = ?').get(c.entity, c.entityId);
    if (purged) {
      if (c.deleted) this.db.prepare('DELETE FROM retention_purged WHERE entity = ? AND entity_id = ?').run(c.entity, c.entityId);
      else if (c.version > purged.version || snapshot) this.db.prepare('UPDATE retention_purged SET version = ? WHERE entity = ? AND entity_id = ?').run(c.version, c.entity, c.entityId);
      return false;
    }
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
