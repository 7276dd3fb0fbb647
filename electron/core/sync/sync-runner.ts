import { ConflictListSchema, type ConflictList } from '../../../shared/sync/protocol';
import { type SyncEngine, type SyncStatus, type SyncTransport } from './sync-engine';

export interface SyncRunnerStatus extends SyncStatus {
  /** null: no central server is configured (or none was tried yet). */
  online: boolean | null;
  lastError: string | null;
}

/**
 * One sync round: drain the outbox (bounded), then pull pages (bounded). The result decides the
 * online/offline state the UI shows. Failures never lose anything: unsent rows stay in the outbox.
 */
export class SyncRunner {
  private online: boolean | null = null;
  private lastError: string | null = null;
  private running: Promise<void> | null = null;

  constructor(
    readonly engine: SyncEngine,
    private transport: SyncTransport | null,
    private readonly leasedCertTypes: readonly string[] = ['kodomo'],
  ) {}

  /** The shell attaches the pinned client once the policy's certificates have been checked. */
  attach(transport: SyncTransport): void {
    this.transport = transport;
  }

  get configured(): boolean {
    return this.transport !== null;
  }

  /**
   * Claim the one session a member of staff may hold across terminals. Offline, the claim cannot be checked
   * and the local rule (one session on this terminal) is all that holds. Returns a refusal or null.
   */
  async claimSession(staffId: string): Promise<string | null> {
    if (!this.transport) return null;
    try {
      const r = await this.transport.request('POST', '/v1/sessions/claim', { staffId });
      if (r.status === 409) {
        const heldBy = (r.json as { heldBy?: string | null } | null)?.heldBy;
        return `この職員IDは別の端末${heldBy ? `（${heldBy}）` : ''}でログイン中です。先にそちらでログアウトしてください。`;
      }
      return null;
    } catch {
      return null;
    }
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

  releaseSession(staffId: string): void {
    if (!this.transport) return;
    void this.transport.request('POST', '/v1/sessions/release', { staffId }).catch(() => undefined);
  }

  status(): SyncRunnerStatus {
    return { ...this.engine.status(), online: this.online, lastError: this.lastError };
  }

  /** Run a round unless one is running; concurrent callers share it. */
  runOnce(): Promise<void> {
    this.running ??= this.round().finally(() => (this.running = null));
    return this.running;
  }

  private async round(): Promise<void> {
    if (!this.transport) return;
    try {
      for (let i = 0; i < 10 && this.engine.status().pending > 0; i++) {
        const r = await this.engine.pushOnce(this.transport);
        if (r.sent === 0 && r.rejected === 0) break; // a gap: try again next round
      }
      for (let i = 0; i < 20; i++) {
        const r = await this.engine.pullOnce(this.transport);
        if (!r.more) break;
      }
      for (const certType of this.leasedCertTypes) await this.engine.maintainLeases(this.transport, certType);
      this.online = true;
      this.lastError = null;
    } catch (e) {
      this.online = false;
      this.lastError = (e as Error).message;
    }
  }
}
