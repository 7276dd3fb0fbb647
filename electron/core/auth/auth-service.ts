import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { AuditAction } from '../../../shared/audit/actions';
import type { LoginResult } from '../../../shared/ipc/contract';
import type { Role } from '../../../shared/domain/rights';
import type { AuditLog } from '../audit/audit-log';
import type { Db } from '../db/database';
import { updateRecord, type Stamp } from '../db/records';
import { DomainError } from '../errors';
import { toSessionInfo, type Actor } from '../actor';
import type { Clock } from '../platform';
import type { PasswordPolicy } from '../policy/policy';
import { effectiveRights } from './grants';
import { burnVerifyTime, verifyPassword } from './passwords';
import { changePassword, passwordExpired } from './password-change';
import { activeAuthenticators, authenticationOptions, registerAuthenticator, registrationOptions, verifyAssertion, type WebAuthnConfig } from './webauthn';

export type LockReason = 'idle' | 'os_lock' | 'suspend' | 'manual';
export type SessionEndReason = 'logout' | 'window_closed' | 'replaced' | 'idle_timeout';

/** What the transport (Electron IPC or the harness) forwards to the renderer. */
export type SessionEvent = { senderId: string; type: 'locked'; reason: LockReason } | { senderId: string; type: 'ended'; reason: SessionEndReason };

export interface StaffRow {
  id: string;
  version: number;
  staff_id: string;
  name: string;
  name_kana: string;
  section: string;
  role: Role;
  password_hash: string;
  password_changed_at: string;
  disabled: 0 | 1;
  demo: 0 | 1;
  failed_count: number;
  locked_until: string | null;
  must_change_password: 0 | 1;
  may_self_enroll: 0 | 1;
  deleted: 0 | 1;
}

/** A login (or unlock) that has passed some factors but not all: held per renderer, never in the renderer. */
type Pending =
  | { kind: 'second_factor'; staffId: string; challenge: string; purpose: 'login' | 'unlock'; expiresAt: number }
  | { kind: 'enroll_factor'; staffId: string; challenge: string; expiresAt: number }
  | { kind: 'change_password'; staffId: string; reason: 'expired' | 'initial' };

const LOGIN_FAILED = '職員IDまたはパスワードが正しくありません。認証の失敗が続いたアカウントは、しばらくの間ログインできません。';
const PENDING_TTL_MS = 3 * 60_000;

export interface AuthOptions {
  password: PasswordPolicy;
  webauthn: WebAuthnConfig;
  /**
   * Refuses logins when the terminal has not pulled users and revocations for too long (offline grace,
   * policy default 72 hours). Returns a Japanese reason, or null when logins may proceed.
   */
  offlineLoginRefusal?: () => string | null;
  /** "Now" for expiry checks, never earlier than the audit log's last entry (a clock set back does not help). */
  securityNow?: () => Date;
  /** One session per member of staff across terminals: the central server's claim (null = granted). */
  claimSession?: (staffId: string) => Promise<string | null>;
  releaseSession?: (staffId: string) => void;
  /** Demo databases only: demo-flagged accounts log in without the second factor (labelled in the UI). */
  demo: boolean;
}

/**
 * Login (password + WebAuthn), forced password change, lockout, sessions per renderer, lock/unlock.
 * A session belongs to one renderer (sender); the renderer never holds a token.
 */
export class AuthService {
  private readonly sessions = new Map<string, Actor>();
  private readonly pending = new Map<string, Pending>();
  private readonly listeners = new Set<(e: SessionEvent) => void>();

  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    readonly options: AuthOptions,
  ) {}

  isProvisioned(): boolean {
    const row = this.db.prepare(`SELECT count(*) AS n FROM staff WHERE role = 'administrator' AND deleted = 0 AND disabled = 0`).get() as { n: number };
    return row.n > 0;
  }

  private now(): string {
    return this.clock.now().toISOString();
  }

  private stamp(by: string): Stamp {
    return { by, at: this.now() };
  }

  /** The session of a renderer, with rights recomputed from the grants in force now. */
  sessionFor(senderId: string): Actor | null {
    const actor = this.sessions.get(senderId);
    if (!actor) return null;
    actor.rights = effectiveRights(this.db, actor.staffId, actor.role, this.now());
    return actor;
  }

  onEvent(listener: (e: SessionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: SessionEvent): void {
    for (const l of this.listeners) l(e);
  }

  staffRow(staffId: string): StaffRow | null {
    return this.db.prepare<[string], StaffRow>('SELECT * FROM staff WHERE staff_id = ? AND deleted = 0').get(staffId) ?? null;
  }

  /**
   * Count a failed factor; lock the account out after the policy's number of failures. The count is read and
   * written in one transaction (never from a row read before an await), so parallel attempts each count once.
   */
  private recordFailure(row: StaffRow, why: string, action: AuditAction = 'auth.login'): never {
    const { failures, lockout } = this.db.transaction(() => {
      const fresh = this.staffRow(row.staff_id) ?? row;
      const failures = fresh.failed_count + 1;
      const lockout = failures >= this.options.password.maxFailures;
      const lockedUntil = lockout ? new Date(this.clock.now().getTime() + this.options.password.lockoutMinutes * 60_000).toISOString() : fresh.locked_until;
      updateRecord(this.db, 'staff', fresh.id, fresh.version, { failed_count: lockout ? 0 : failures, locked_until: lockedUntil }, this.stamp('SYSTEM'));
      this.audit.append({ staffId: row.staff_id, action, outcome: 'rejected', detail: { why } });
      if (lockout) this.audit.append({ staffId: row.staff_id, action: 'auth.lockout', outcome: 'success', detail: { until: lockedUntil, failures } });
      return { failures, lockout };
    })();
    const error = new DomainError('UNAUTHENTICATED', lockout ? `認証に${failures}回失敗したため、このアカウントを${this.options.password.lockoutMinutes}分間ロックしました。` : LOGIN_FAILED);
    error.audited = true;
    throw error;
  }

  private refuse(staffId: string | null, why: string, message: string): never {
    return this.audit.refuse({ staffId, action: 'auth.login', detail: { why } }, new DomainError('UNAUTHENTICATED', message));
  }

  /** Factor 1: the password. Returns the next stage; the session exists only when the stage is 'done'. */
  async login(senderId: string, staffId: string, password: string): Promise<LoginResult> {
    this.pending.delete(senderId);
    const row = this.staffRow(staffId);
    if (!row) {
      await burnVerifyTime(password);
      // An unknown ID is not stored as typed: it may be a password typed into the wrong field.
      return this.refuse(null, 'unknown_staff', LOGIN_FAILED);
    }
    if (row.locked_until && row.locked_until > this.now()) {
      // The same work and the same answer as a wrong password: a locked account is not told apart by time or text.
      await verifyPassword(row.password_hash, password);
      return this.refuse(row.staff_id, 'locked_out', LOGIN_FAILED);
    }
    if (!(await verifyPassword(row.password_hash, password))) return this.recordFailure(row, 'bad_password');
    if (row.disabled) return this.refuse(row.staff_id, 'disabled', 'このアカウントは無効です。システム管理者に連絡してください。');
    const stale = this.options.offlineLoginRefusal?.() ?? null;
    if (stale) return this.refuse(row.staff_id, 'offline_grace_exceeded', stale);
    this.assertNotLoggedInElsewhere(senderId, row.staff_id);
    if (this.options.demo && row.demo) return this.afterFactors(senderId, row);
    const creds = activeAuthenticators(this.db, row.staff_id);
    if (creds.length === 0) {
      if (!row.may_self_enroll) return this.refuse(row.staff_id, 'no_second_factor', '第二要素（生体認証またはセキュリティキー）が登録されていません。システム管理者に登録を依頼してください。');
      const options = await registrationOptions(this.options.webauthn, row, []);
      this.pending.set(senderId, { kind: 'enroll_factor', staffId: row.staff_id, challenge: options.challenge, expiresAt: this.clock.now().getTime() + PENDING_TTL_MS });
      return { stage: 'enroll_factor', options: options as unknown as Record<string, unknown> };
    }
    const options = await authenticationOptions(this.options.webauthn, creds);
    this.pending.set(senderId, { kind: 'second_factor', staffId: row.staff_id, challenge: options.challenge, purpose: 'login', expiresAt: this.clock.now().getTime() + PENDING_TTL_MS });
    return { stage: 'second_factor', options: options as unknown as Record<string, unknown> };
  }

  private takePending<K extends Pending['kind']>(senderId: string, kind: K): Extract<Pending, { kind: K }> {
    const p = this.pending.get(senderId);
    if (!p || p.kind !== kind || ('expiresAt' in p && p.expiresAt < this.clock.now().getTime())) {
      this.pending.delete(senderId);
      throw new DomainError('UNAUTHENTICATED', '認証の手続きが中断されたか、時間切れになりました。最初からやり直してください。');
    }
    return p as Extract<Pending, { kind: K }>;
  }

  /** Factor 2: a WebAuthn assertion, for a login or an unlock. */
  async secondFactor(senderId: string, response: AuthenticationResponseJSON): Promise<LoginResult> {
    const p = this.takePending(senderId, 'second_factor');
    this.pending.delete(senderId);
    const row = this.staffRow(p.staffId);
    if (!row) throw new DomainError('UNAUTHENTICATED', LOGIN_FAILED);
    if (!(await verifyAssertion(this.db, this.options.webauthn, row.staff_id, p.challenge, response, this.stamp(row.staff_id)))) {
      return this.recordFailure(this.staffRow(p.staffId) ?? row, 'bad_second_factor');
    }
    if (p.purpose === 'unlock') return this.finishUnlock(senderId);
    return this.afterFactors(senderId, this.staffRow(p.staffId) ?? row);
  }

  /** First login of the provisioned administrator: register their own authenticator. */
  async enrollFactor(senderId: string, response: RegistrationResponseJSON): Promise<LoginResult> {
    const p = this.takePending(senderId, 'enroll_factor');
    this.pending.delete(senderId);
    const row = this.staffRow(p.staffId);
    if (!row || !row.may_self_enroll) throw new DomainError('UNAUTHENTICATED', LOGIN_FAILED);
    const s = this.stamp(row.staff_id);
    const id = await registerAuthenticator(this.db, this.options.webauthn, row.staff_id, p.challenge, response, '初回登録（本人）', s, { status: 'bootstrap', approver: null });
    if (!id) return this.refuse(row.staff_id, 'enroll_failed', '認証器を登録できませんでした。もう一度ログインからやり直してください。');
    this.db.transaction(() => {
      updateRecord(this.db, 'staff', row.id, row.version, { may_self_enroll: 0 }, s);
      this.audit.append({ staffId: row.staff_id, action: 'auth.enrollFactor', outcome: 'success', detail: { authenticatorId: id } });
    })();
    return this.afterFactors(senderId, this.staffRow(row.staff_id) ?? row);
  }

  /** Both factors passed: a forced password change if due, otherwise the session. */
  private async afterFactors(senderId: string, row: StaffRow): Promise<LoginResult> {
    const reason = row.must_change_password ? 'initial' : passwordExpired(row.password_changed_at, this.options.password, this.options.securityNow?.() ?? this.clock.now()) ? 'expired' : null;
    if (reason) {
      this.pending.set(senderId, { kind: 'change_password', staffId: row.staff_id, reason });
      this.audit.append({ staffId: row.staff_id, action: 'auth.passwordChangeRequired', outcome: 'success', detail: { reason } });
      return { stage: 'change_password', reason };
    }
    return { stage: 'done', session: toSessionInfo(await this.createSession(senderId, row)) };
  }

  private assertNotLoggedInElsewhere(senderId: string, staffId: string): void {
    for (const [other, a] of this.sessions) {
      if (other !== senderId && a.staffId === staffId) {
        this.refuse(staffId, 'already_logged_in', 'この職員IDは別の画面（端末）でログイン中です。先にそちらでログアウトしてください。');
      }
    }
  }

  private async createSession(senderId: string, row: StaffRow): Promise<Actor> {
    this.assertNotLoggedInElsewhere(senderId, row.staff_id);
    // The same member of staff logging in again on this screen: the old session ends first, so that its release
    // does not drop the claim taken (renewed) for the new one.
    if (this.sessions.get(senderId)?.staffId === row.staff_id) this.endSession(senderId, 'replaced');
    const elsewhere = (await this.options.claimSession?.(row.staff_id)) ?? null;
    if (elsewhere) this.refuse(row.staff_id, 'logged_in_on_another_terminal', elsewhere);
    if (this.sessions.has(senderId)) this.endSession(senderId, 'replaced');
    const actor: Actor = {
      staffId: row.staff_id,
      name: row.name,
      role: row.role,
      rights: effectiveRights(this.db, row.staff_id, row.role, this.now()),
      demo: row.demo === 1,
      loggedInAt: this.now(),
      locked: false,
    };
    this.db.transaction(() => {
      if (row.failed_count > 0 || row.locked_until) {
        const fresh = this.staffRow(row.staff_id) ?? row;
        updateRecord(this.db, 'staff', fresh.id, fresh.version, { failed_count: 0, locked_until: null }, this.stamp('SYSTEM'));
      }
      this.audit.append({ staffId: actor.staffId, action: 'auth.login', outcome: 'success', detail: { role: actor.role, secondFactor: !(this.options.demo && row.demo) } });
    })();
    this.sessions.set(senderId, actor);
    return actor;
  }

  /** Change the password: forced (pending) or voluntary (in a session). */
  async changePassword(senderId: string, current: string, next: string): Promise<LoginResult> {
    const p = this.pending.get(senderId);
    const session = this.sessions.get(senderId);
    const staffId = p?.kind === 'change_password' ? p.staffId : session?.staffId;
    if (!staffId) throw new DomainError('UNAUTHENTICATED', 'ログインしていません。');
    // A locked screen may belong to someone who walked away: unlock (both factors) first.
    if (p?.kind !== 'change_password' && session?.locked) {
      return this.audit.refuse({ staffId, action: 'auth.changePassword', detail: { why: 'locked' } }, new DomainError('LOCKED', '画面がロックされています。ロックを解除してからパスワードを変更してください。'));
    }
    const row = this.staffRow(staffId);
    if (!row) throw new DomainError('UNAUTHENTICATED', LOGIN_FAILED);
    if (!(await verifyPassword(row.password_hash, current))) {
      this.pending.delete(senderId);
      return this.recordFailure(row, 'bad_password_on_change');
    }
    await changePassword(this.db, this.audit, row, next, this.options.password, this.stamp(staffId));
    if (p?.kind === 'change_password') {
      this.pending.delete(senderId);
      return { stage: 'done', session: toSessionInfo(await this.createSession(senderId, this.staffRow(staffId) ?? row)) };
    }
    const actor = this.sessions.get(senderId);
    if (!actor) throw new DomainError('UNAUTHENTICATED', 'ログインしていません。');
    return { stage: 'done', session: toSessionInfo(actor) };
  }

  /** Lock every session on this terminal (idle time, OS lock screen, suspend). Audited per session. */
  lockAll(reason: LockReason): number {
    let n = 0;
    for (const senderId of [...this.sessions.keys()]) if (this.lock(senderId, reason)) n++;
    return n;
  }

  /** Lock one renderer's session (the staff's own lock button or shortcut: 'manual'); false if it was locked already. */
  lock(senderId: string, reason: LockReason): boolean {
    const actor = this.sessions.get(senderId);
    if (!actor) throw new DomainError('UNAUTHENTICATED', 'ログインしていません。');
    if (actor.locked) return false;
    actor.locked = true;
    this.audit.append({ staffId: actor.staffId, action: 'session.lock', outcome: 'success', detail: { reason } });
    this.emit({ senderId, type: 'locked', reason });
    return true;
  }

  /** Unlock needs the user's factors again: the password, then the second factor. */
  async unlock(senderId: string, password: string): Promise<LoginResult> {
    const actor = this.sessions.get(senderId);
    if (!actor) throw new DomainError('UNAUTHENTICATED', 'ログインしていません。');
    if (!actor.locked) return { stage: 'done', session: toSessionInfo(actor) };
    const row = this.staffRow(actor.staffId);
    if (!row || row.disabled) {
      this.endSession(senderId, 'logout');
      throw new DomainError('UNAUTHENTICATED', 'このアカウントは無効です。');
    }
    if (!(await verifyPassword(row.password_hash, password))) {
      try {
        this.recordFailure(row, 'bad_password', 'session.unlock');
      } catch (e) {
        // Locked out: the session ends too; otherwise just say the password was wrong.
        if ((this.staffRow(actor.staffId)?.locked_until ?? '') > this.now()) {
          this.endSession(senderId, 'logout');
          throw e;
        }
        throw new DomainError('UNAUTHENTICATED', 'パスワードが正しくありません。');
      }
    }
    if (this.options.demo && row.demo) return this.finishUnlock(senderId);
    const options = await authenticationOptions(this.options.webauthn, activeAuthenticators(this.db, row.staff_id));
    this.pending.set(senderId, { kind: 'second_factor', staffId: row.staff_id, challenge: options.challenge, purpose: 'unlock', expiresAt: this.clock.now().getTime() + PENDING_TTL_MS });
    return { stage: 'second_factor', options: options as unknown as Record<string, unknown> };
  }

  private finishUnlock(senderId: string): LoginResult {
    const actor = this.sessions.get(senderId);
    if (!actor) throw new DomainError('UNAUTHENTICATED', 'ログインしていません。');
    actor.locked = false;
    this.audit.append({ staffId: actor.staffId, action: 'session.unlock', outcome: 'success' });
    return { stage: 'done', session: toSessionInfo(actor) };
  }

  /** End every session (idle logout). */
  endAll(reason: SessionEndReason): void {
    for (const senderId of [...this.sessions.keys()]) this.endSession(senderId, reason);
  }

  logout(senderId: string): void {
    this.pending.delete(senderId);
    if (!this.sessions.has(senderId)) throw new DomainError('UNAUTHENTICATED', 'ログインしていません。');
    this.endSession(senderId, 'logout');
  }

  /** End a session (logout, window closed, replaced by a new login); audited. */
  endSession(senderId: string, why: SessionEndReason): void {
    this.pending.delete(senderId);
    const actor = this.sessions.get(senderId);
    if (!actor) return;
    this.sessions.delete(senderId);
    this.audit.append({ staffId: actor.staffId, action: 'auth.logout', outcome: 'success', detail: { why } });
    this.options.releaseSession?.(actor.staffId);
    this.emit({ senderId, type: 'ended', reason: why });
  }
}
