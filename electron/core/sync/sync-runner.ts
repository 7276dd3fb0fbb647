import { CERT_TYPES } from '../../../shared/domain/certificate-types';
import {
  ConflictListSchema,
  DEFAULT_MAX_CLOCK_SKEW_MINUTES,
  OUTBOX_RETENTION_DAYS,
  SESSION_CLAIM_TTL_HOURS,
  ServerTimeSchema,
  ResolveConflictResponseSchema,
  type ConflictList,
  type ConflictResolution,
  type ResolveConflictResponse,
} from '../../../shared/sync/protocol';
import type { Db } from '../db/database';
import { DomainError } from '../errors';
import { uploadAuditOnce } from './audit-upload';
import { auditPending } from '../audit/acknowledged';
import { uploadCheckpointsOnce } from './checkpoint-upload';
import { SyncError, type SyncEngine, type SyncStatus, type SyncTransport } from './sync-engine';
import { DestinationRefusedError } from '../net/destination';
import { ServerConnectionError } from '../net/errors';

export interface SyncRunnerStatus extends SyncStatus {
  /** null: no central server is configured (or none was tried yet). */
  online: boolean | null;
  lastError: string | null;
  /** Local audit entries the central server has not confirmed yet (0 without a server or audit upload). */
  auditPending: number;
  /** This terminal's clock minus the server's, in seconds, as last measured (null: not measured yet). */
  clockSkewSeconds: number | null;
  /** Set while the clock differs from the server's by more than the policy allows: issuance is stopped. */
  clockProblem: string | null;
}

/** Where the runner reads the audit log to upload (the core's database and this terminal's ID). */
export interface AuditUploadSource {
  db: Db;
  terminalId: string;
}

/** How often the terminal compares its copy with the server's (checksum), at most. */
export const CHECKSUM_INTERVAL_MS = 15 * 60_000;

/** Audit batches per round (of up to MAX_AUDIT_BATCH entries each). */
const AUDIT_BATCHES_PER_ROUND = 20;

/** How often confirmed outbox rows older than OUTBOX_RETENTION_DAYS are pruned, at most. */
export const OUTBOX_PRUNE_INTERVAL_MS = 60 * 60_000;

/**
 * One sync round: drain the outbox (bounded), upload the audit log (bounded), then pull pages (bounded), each step
 * on its own (round). The result decides the online/offline state the UI shows. Failures never lose anything:
 * unsent rows stay in the outbox, unconfirmed audit entries above audit_acked_seq.
 */
export class SyncRunner {
  private online: boolean | null = null;
  private lastError: string | null = null;
  /** The technical side of lastError (HTTP statuses …): in the sync.now audit detail, not on the screen. */
  private lastErrorTechnical: string | null = null;
  private running: Promise<void> | null = null;
  private lastChecksumAt = Number.NEGATIVE_INFINITY;
  private lastPruneAt = Number.NEGATIVE_INFINITY;
  private skewMs: number | null = null;
  /** Certificate types the server refused to lease (403: outside this terminal's 事務), not asked for again. */
  private readonly notServedCertTypes = new Set<string>();
  /**
   * The members of staff logged in at this terminal, with when the server last confirmed their session claim
   * (terminal clock, ms), or null when it has not: they logged in without a server configured or reachable, or
   * another terminal held the claim. A round claims those again (renewClaims), so the server knows who is logged in
   * here — it answers 個人番号 requests only for them (server/mynumber.ts).
   */
  private readonly claims = new Map<string, number | null>();

  constructor(
    readonly engine: SyncEngine,
    private transport: SyncTransport | null,
    private readonly leasedCertTypes: readonly string[] = CERT_TYPES,
    private readonly auditSource: AuditUploadSource | null = null,
    private readonly maxClockSkewMinutes: number = DEFAULT_MAX_CLOCK_SKEW_MINUTES,
  ) {}

  /**
   * Why certificates may not be issued now, or null: this terminal's clock differs from the server's by more
   * than the policy allows (a wrong 交付日 and validity would be printed, audit times would be wrong).
   */
  clockProblem(): string | null {
    if (this.skewMs === null || Math.abs(this.skewMs) <= this.maxClockSkewMinutes * 60_000) return null;
    const minutes = Math.round(Math.abs(this.skewMs) / 60_000);
    return `端末の時計が中央サーバと約${minutes}分${this.skewMs > 0 ? '進んで' : '遅れて'}います（許容 ${this.maxClockSkewMinutes}分）。時計が直るまで証の交付を止めています。システム管理者に連絡してください。`;
  }

  /** Compare this terminal's clock with the server's (the midpoint of the request); audit each change of state. */
  private async measureClock(transport: SyncTransport): Promise<void> {
    const t0 = this.engine.clock.now().getTime();
    const r = await transport.request('GET', '/v1/time');
    const t1 = this.engine.clock.now().getTime();
    const parsed = ServerTimeSchema.safeParse(r.json);
    if (r.status !== 200 || !parsed.success) throw new SyncError('中央サーバの時刻を取得できませんでした。');
    const before = this.clockProblem() !== null;
    this.skewMs = Math.round((t0 + t1) / 2 - Date.parse(parsed.data.now));
    const after = this.clockProblem() !== null;
    // Recorded when the clock goes wrong (failure) and when it is right again (success).
    if (before !== after) {
      this.engine.audit.append({ staffId: null, action: 'sync.clockSkew', outcome: after ? 'failure' : 'success', detail: { skewSeconds: Math.round(this.skewMs / 1000), maxMinutes: this.maxClockSkewMinutes } });
    }
  }

  /** The shell attaches the pinned client once the policy's certificates have been checked. */
  attach(transport: SyncTransport): void {
    this.transport = transport;
  }

  /** The pinned client for online requests (個人番号); null when no central server is configured. */
  get server(): SyncTransport | null {
    return this.transport;
  }

  get configured(): boolean {
    return this.transport !== null;
  }

  /**
   * Claim the one session a member of staff may hold across terminals. Offline, the claim cannot be checked
   * and the local rule (one session on this terminal) is all that holds. Returns a refusal or null.
   */
  async claimSession(staffId: string): Promise<string | null> {
    const transport = this.transport;
    if (!transport) {
      this.claims.set(staffId, null);
      return null;
    }
    try {
      const r = await transport.request('POST', '/v1/sessions/claim', { staffId });
      if (r.status === 409) {
        const heldBy = (r.json as { heldBy?: string | null } | null)?.heldBy;
        return `この職員IDは別の端末${heldBy ? `（${heldBy}）` : ''}でログイン中です。先にそちらでログアウトしてください。`;
      }
      this.claims.set(staffId, r.status === 200 ? this.engine.clock.now().getTime() : null);
      return null;
    } catch {
      this.claims.set(staffId, null);
      return null;
    }
  }

  /**
   * Claims again, at the end of a round that reached the server, the sessions of staff logged in here that the server
   * has not confirmed, or confirmed longer ago than half the claim's lifetime (SESSION_CLAIM_TTL_HOURS): a login
   * while offline or before the server was attached becomes known to the server, and a long session does not lapse.
   * A claim another terminal holds stays unconfirmed (the server answers no 個人番号 request for it here): a problem
   * for the sync screen, tried again next round.
   */
  private async renewClaims(transport: SyncTransport): Promise<string[]> {
    const problems: string[] = [];
    const now = this.engine.clock.now().getTime();
    for (const [staffId, at] of [...this.claims]) {
      if (at !== null && now - at < (SESSION_CLAIM_TTL_HOURS / 2) * 3_600_000 && now >= at) continue;
      const r = await transport.request('POST', '/v1/sessions/claim', { staffId });
      // Logged out meanwhile: the claim is not this terminal's to keep.
      if (!this.claims.has(staffId)) {
        if (r.status === 200) await transport.request('POST', '/v1/sessions/release', { staffId });
        continue;
      }
      if (r.status === 200) this.claims.set(staffId, now);
      if (r.status === 409) {
        const heldBy = (r.json as { heldBy?: string | null } | null)?.heldBy;
        problems.push(`職員 ${staffId} は別の端末${heldBy ? `（${heldBy}）` : ''}でもログイン中のため、中央サーバはこの端末での個人番号の表示・検索に応じません。`);
      }
    }
    return problems;
  }

  /** Open conflicts from the central server, for a supervisor; null when there is no server or it is unreachable. */
  async conflicts(): Promise<ConflictList['conflicts'] | null> {
    if (!this.transport) return null;
    try {
      const r = await this.transport.request('GET', '/v1/conflicts');
      const parsed = ConflictListSchema.safeParse(r.json);
      return r.status === 200 && parsed.success ? parsed.data.conflicts : null;
    } catch {
      return null;
    }
  }

  /**
   * A supervisor's decision on a conflict, carried out by the central server (`POST /v1/conflicts/:id/resolve`).
   * Without a server, offline, or refused, a DomainError with a Japanese message for the screen is thrown.
   */
  async resolveConflict(conflictId: number, resolution: ConflictResolution, staffId: string, reason: string): Promise<ResolveConflictResponse> {
    if (!this.transport) throw new DomainError('RULE', '中央サーバが設定されていないため、競合を解決できません。');
    let r: { status: number; json: unknown };
    try {
      r = await this.transport.request('POST', `/v1/conflicts/${conflictId}/resolve`, { resolution, staffId, reason });
    } catch {
      throw new DomainError('RULE', '中央サーバに接続できないため、競合を解決できません。時間をおいてもう一度操作してください。');
    }
    const body = (r.json ?? {}) as { message?: unknown; resolvedBy?: unknown };
    if (r.status === 200) {
      const parsed = ResolveConflictResponseSchema.safeParse(r.json);
      if (parsed.success && parsed.data.conflictId === conflictId) return parsed.data;
      throw new DomainError('RULE', '中央サーバの応答の形式が正しくありません。');
    }
    if (r.status === 404) throw new DomainError('NOT_FOUND', 'この競合は中央サーバに見つかりません（この端末の団体の記録ではないか、記録が整理されています）。');
    if (r.status === 409) {
      const by = typeof body.resolvedBy === 'string' ? `（${body.resolvedBy}）` : '';
      throw new DomainError('CONFLICT', `この競合はすでに解決されています${by}。一覧を開き直してください。`);
    }
    if (r.status === 422) throw new DomainError('RULE', `端末の変更を適用できません：${typeof body.message === 'string' ? body.message : '理由不明'}`);
    const refused = DomainError.failure('RULE', '中央サーバが競合の解決を受け付けませんでした。時間をおいてもう一度操作し、続く場合はIT担当者に連絡してください。');
    refused.technical = `HTTP ${r.status}`;
    throw refused;
  }

  releaseSession(staffId: string): void {
    this.claims.delete(staffId);
    if (!this.transport) return;
    void this.transport.request('POST', '/v1/sessions/release', { staffId }).catch(() => undefined);
  }

  status(): SyncRunnerStatus {
    return {
      ...this.engine.status(),
      online: this.online,
      lastError: this.lastError,
      auditPending: this.auditSource && this.transport ? auditPending(this.auditSource.db) : 0,
      clockSkewSeconds: this.skewMs === null ? null : Math.round(this.skewMs / 1000),
      clockProblem: this.clockProblem(),
    };
  }

  /** The round running now, or null (the daily retention purge lets it finish first). */
  get roundInFlight(): Promise<void> | null {
    return this.running;
  }

  /** Run a round unless one is running; concurrent callers share it. */
  runOnce(): Promise<void> {
    this.running ??= this.round().finally(() => (this.running = null));
    return this.running;
  }

  /**
   * 「今すぐ同期」 by a supervisor: one round now (shared with one already running), audited with its result.
   * Without a central server there is nothing to sync: refused with a message for the screen.
   */
  async runNow(staffId: string): Promise<void> {
    if (!this.transport) {
      this.engine.audit.refuse({ staffId, action: 'sync.now', detail: { why: 'not_configured' } }, new DomainError('RULE', '中央サーバが設定されていないため、同期できません（この端末だけで処理しています）。'));
    }
    await this.runOnce();
    const s = this.status();
    this.engine.audit.append({ staffId, action: 'sync.now', outcome: this.online ? 'success' : 'failure', detail: { pending: s.pending, failed: s.failed, ...(this.lastError ? { why: this.lastError.slice(0, 300) } : {}), ...(this.lastErrorTechnical ? { technical: this.lastErrorTechnical.slice(0, 300) } : {}) } });
  }

  /** Upload the audit log in bounded batches. Returns the refusal reason, or null; network errors throw. */
  private async uploadAudit(transport: SyncTransport): Promise<string | null> {
    if (!this.auditSource) return null;
    const { db, terminalId } = this.auditSource;
    for (let i = 0; i < AUDIT_BATCHES_PER_ROUND; i++) {
      const r = await uploadAuditOnce(db, transport, terminalId);
      if (r.status === 'rejected' && !r.rewound) return r.reason ?? '理由不明';
      if (r.status === 'ok' && (r.sent === 0 || r.pending === 0)) return null;
    }
    return null;
  }

  /**
   * One round: push (or ask what the server holds), prune the outbox, upload the audit log and its checkpoints,
   * pull, refill number leases, compare checksums. Each step runs and reports on its own: a push the server
   * refuses (HTTP 500, a malformed answer, a timeout) never skips the audit upload, the pull (which keeps logins
   * within the offline grace) or the lease refill. Only when the server cannot be reached at all (no connection,
   * TLS refused, or two steps in a row failing on the network) are the remaining steps left for the next round,
   * so an offline terminal does not record one network failure per step.
   */
  private async round(): Promise<void> {
    const transport = this.transport;
    if (!transport) return;
    const problems: string[] = [];
    const technical: string[] = [];
    let answered = false;
    let networkFailures = 0;
    let unreachable = false;
    const step = async <T>(label: string, run: () => Promise<T>): Promise<T | undefined> => {
      if (unreachable) return undefined;
      try {
        const r = await run();
        answered = true;
        networkFailures = 0;
        return r;
      } catch (e) {
        if (e instanceof SyncError) {
          answered = true; // the server answered, with something this terminal could not take
          networkFailures = 0;
        } else if (++networkFailures >= 2 || cannotConnect(e)) {
          unreachable = true;
        }
        const said = forStaff(e);
        problems.push(`${label}：${said.message}`);
        if (said.technical) technical.push(`${label}：${said.technical}`);
        return undefined;
      }
    };
    const local = (label: string, run: () => void): void => {
      try {
        run();
      } catch (e) {
        const said = forStaff(e);
        problems.push(`${label}：${said.message}`);
        if (said.technical) technical.push(`${label}：${said.technical}`);
      }
    };

    await step('時刻', () => this.measureClock(transport));
    let lost = 0;
    await step('送信', async () => {
      // Nothing to send: still ask what the server holds of this terminal's changes, so that a server restored
      // from a backup gets the ones it lost again (the push answer tells the same when something is sent).
      if (this.engine.status().pending === 0) lost += (await this.engine.confirmWithServer(transport)).lost;
      for (let i = 0; i < 10 && this.engine.status().pending > 0; i++) {
        const r = await this.engine.pushOnce(transport);
        lost += r.lost;
        if (r.sent === 0 && r.rejected === 0 && r.resent === 0) break; // a gap: try again next round
      }
    });
    local('送信済みの整理', () => {
      const startedAt = this.engine.clock.now().getTime();
      if (startedAt - this.lastPruneAt >= OUTBOX_PRUNE_INTERVAL_MS || startedAt < this.lastPruneAt) {
        this.engine.pruneOutbox();
        this.lastPruneAt = startedAt;
      }
    });
    let auditRefusal = (await step('監査ログ', () => this.uploadAudit(transport))) ?? null;
    const source = this.auditSource;
    if (source) auditRefusal ??= (await step('監査ログの検証点', () => uploadCheckpointsOnce(source.db, transport, source.terminalId)))?.reason ?? null;
    await step('受信', async () => {
      for (let i = 0; i < 20; i++) {
        const r = await this.engine.pullOnce(transport);
        if (!r.more) break;
      }
    });
    await step('証番号の確保', async () => {
      for (const certType of this.leasedCertTypes) {
        if (this.notServedCertTypes.has(certType)) continue;
        // A type the server says this terminal does not serve (403) is not asked for again until the next start.
        if ((await this.engine.maintainLeases(transport, certType)).notServed) this.notServedCertTypes.add(certType);
      }
    });
    await step('照合', async () => {
      const now = this.engine.clock.now().getTime();
      // A clock set back restarts the interval rather than postponing the comparison for as long.
      if (now - this.lastChecksumAt >= CHECKSUM_INTERVAL_MS || now < this.lastChecksumAt) {
        // A mismatch starts a snapshot, which the next rounds pull; 'skipped' tries again next round.
        if ((await this.engine.verifyChecksum(transport)) !== 'skipped') this.lastChecksumAt = now;
      }
    });

    // Last, and only when the server was reached: a failure here is not the round's (nor a step's) network failure.
    if (answered && !unreachable) problems.push(...(await this.renewClaims(transport).catch(() => [])));

    this.online = answered;
    // The server refused the audit chain (edited entry, fork), or it lost changes of this terminal that are no
    // longer kept here to send again, or a step failed: staff and IT must see it.
    this.lastError =
      [
        ...(lost > 0 ? [`中央サーバの復元で失われた変更のうち ${lost} 件は、端末の保持期間（${OUTBOX_RETENTION_DAYS}日）を過ぎていたため再送できませんでした（監査ログに記録）。`] : []),
        ...(auditRefusal === null ? [] : [`中央サーバが監査ログを受け付けませんでした：${auditRefusal}`]),
        ...problems,
      ].join(' ') || null;
    this.lastErrorTechnical = technical.join(' ') || null;
  }
}

/** Connection failures after which no other request of the round can succeed (and each would be audited). */
const CONNECT_FAILURES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'EADDRNOTAVAIL']);

/** A failure of a step in words for the sync screen, and its technical side for IT (sync.now audit detail). */
export const UNEXPECTED_SYNC_FAILURE = '予期しないエラーが発生しました。続く場合はIT担当者に連絡してください。';
export function forStaff(e: unknown): { message: string; technical: string | null } {
  if (e instanceof SyncError) return { message: e.message, technical: e.technical };
  if (e instanceof ServerConnectionError) return { message: e.message, technical: e.causeCode };
  if (e instanceof DomainError) return { message: e.message, technical: e.technical };
  if (e instanceof DestinationRefusedError) return { message: e.message, technical: null };
  // Anything else (a database or programming error) speaks the developer's language: IT reads it, staff do not.
  return { message: UNEXPECTED_SYNC_FAILURE, technical: (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).slice(0, 200) };
}

function cannotConnect(e: unknown): boolean {
  if (e instanceof DestinationRefusedError) return true;
  if (!(e instanceof ServerConnectionError)) return false;
  return e.code.startsWith('TLS') || (e.code === 'UNREACHABLE' && e.causeCode !== null && CONNECT_FAILURES.has(e.causeCode));
}
