import type { SessionInfo } from '../../../shared/ipc/contract';
import { rightsFor, type Right, type Role } from '../../../shared/domain/rights';
import type { AuditLog } from '../audit/audit-log';
import type { Db } from '../db/database';
import { DomainError } from '../errors';
import type { Clock } from '../platform';
import { burnVerifyTime, verifyPassword } from './passwords';

/** The logged-in member of staff on whose behalf a request runs. Held only in the main process. */
export interface Actor {
  staffId: string;
  name: string;
  role: Role;
  rights: readonly Right[];
  demo: boolean;
  loggedInAt: string;
  /** Locked by idle time or the OS lock screen: only unlock, status and logout are served. */
  locked: boolean;
}

export type LockReason = 'idle' | 'os_lock' | 'suspend' | 'manual';
export type SessionEndReason = 'logout' | 'window_closed' | 'replaced' | 'idle_timeout';

/** What the transport (Electron IPC or the harness) forwards to the renderer. */
export type SessionEvent = { senderId: string; type: 'locked'; reason: LockReason } | { senderId: string; type: 'ended'; reason: SessionEndReason };

interface StaffRow {
  staff_id: string;
  name: string;
  role: Role;
  can_reveal_my_number: 0 | 1;
  password_hash: string;
  disabled: 0 | 1;
  demo: 0 | 1;
}

const LOGIN_FAILED = '職員IDまたはパスワードが正しくありません。';

export function requireRight(actor: Actor, right: Right): void {
  if (!actor.rights.includes(right)) throw new DomainError('FORBIDDEN', 'この操作を行う権限がありません。');
}

export function toSessionInfo(a: Actor): SessionInfo {
  return { staffId: a.staffId, name: a.name, role: a.role, rights: [...a.rights], demo: a.demo, locked: a.locked };
}

/**
 * Login, logout and the session table. A session belongs to one renderer (sender); the renderer never holds
 * a token, so a forged request from another page has no session to borrow.
 */
export class AuthService {
  private readonly sessions = new Map<string, Actor>();
  private readonly listeners = new Set<(e: SessionEvent) => void>();

  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  isProvisioned(): boolean {
    const row = this.db
      .prepare(`SELECT count(*) AS n FROM staff WHERE role = 'administrator' AND deleted = 0 AND disabled = 0`)
      .get() as { n: number };
    return row.n > 0;
  }

  sessionFor(senderId: string): Actor | null {
    return this.sessions.get(senderId) ?? null;
  }

  /** Subscribe to lock/end events; returns the unsubscribe function. */
  onEvent(listener: (e: SessionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: SessionEvent): void {
    for (const l of this.listeners) l(e);
  }

  /** Lock every session on this terminal (idle time, OS lock screen, suspend). Audited per session. */
  lockAll(reason: LockReason): number {
    let n = 0;
    for (const [senderId, actor] of this.sessions) {
      if (actor.locked) continue;
      actor.locked = true;
      n++;
      this.audit.append({ staffId: actor.staffId, action: 'session.lock', outcome: 'success', detail: { reason } });
      this.emit({ senderId, type: 'locked', reason });
    }
    return n;
  }

  /** Unlock needs the user's factors again (the identity issue adds the second factor). */
  async unlock(senderId: string, password: string): Promise<Actor> {
    const actor = this.sessions.get(senderId);
    if (!actor) throw new DomainError('UNAUTHENTICATED', 'ログインしていません。');
    if (!actor.locked) return actor;
    const row = this.db.prepare<[string], { password_hash: string; disabled: 0 | 1 }>('SELECT password_hash, disabled FROM staff WHERE staff_id = ? AND deleted = 0').get(actor.staffId);
    const ok = row !== undefined && row.disabled === 0 && (await verifyPassword(row.password_hash, password));
    this.audit.append({ staffId: actor.staffId, action: 'session.unlock', outcome: ok ? 'success' : 'failure' });
    if (!ok) throw new DomainError('UNAUTHENTICATED', 'パスワードが正しくありません。');
    actor.locked = false;
    return actor;
  }

  /** End every session (idle logout). */
  endAll(reason: SessionEndReason): void {
    for (const senderId of [...this.sessions.keys()]) this.endSession(senderId, reason);
  }

  async login(senderId: string, staffId: string, password: string): Promise<Actor> {
    const row = this.db
      .prepare<[string], StaffRow>(
        'SELECT staff_id, name, role, can_reveal_my_number, password_hash, disabled, demo FROM staff WHERE staff_id = ? AND deleted = 0',
      )
      .get(staffId);
    const passwordOk = row ? await verifyPassword(row.password_hash, password) : (await burnVerifyTime(password), false);
    if (!row || !passwordOk || row.disabled) {
      const why = !row ? 'unknown_staff' : !passwordOk ? 'bad_password' : 'disabled';
      // An unknown ID is not stored as typed: it may be a password typed into the wrong field.
      this.audit.append({ staffId: row ? row.staff_id : null, action: 'auth.login', outcome: 'failure', detail: { why } });
      throw new DomainError('UNAUTHENTICATED', row?.disabled && passwordOk ? 'このアカウントは無効です。システム管理者に連絡してください。' : LOGIN_FAILED);
    }
    const previous = this.sessions.get(senderId);
    if (previous) this.endSession(senderId, 'replaced');
    const actor: Actor = {
      staffId: row.staff_id,
      name: row.name,
      role: row.role,
      rights: rightsFor(row.role, row.can_reveal_my_number === 1),
      demo: row.demo === 1,
      loggedInAt: this.clock.now().toISOString(),
      locked: false,
    };
    this.audit.append({ staffId: actor.staffId, action: 'auth.login', outcome: 'success', detail: { role: actor.role } });
    this.sessions.set(senderId, actor);
    return actor;
  }

  logout(senderId: string): void {
    if (!this.sessions.has(senderId)) throw new DomainError('UNAUTHENTICATED', 'ログインしていません。');
    this.endSession(senderId, 'logout');
  }

  /** End a session (logout, window closed, replaced by a new login); audited. */
  endSession(senderId: string, why: SessionEndReason): void {
    const actor = this.sessions.get(senderId);
    if (!actor) return;
    this.sessions.delete(senderId);
    this.audit.append({ staffId: actor.staffId, action: 'auth.logout', outcome: 'success', detail: { why } });
    this.emit({ senderId, type: 'ended', reason: why });
  }
}
