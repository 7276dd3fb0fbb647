import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import type { StaffSummary } from '../../../shared/ipc/admin-contract';
import { isRight, withinCeiling, type Right } from '../../../shared/domain/rights';
import type { AuditLog } from '../audit/audit-log';
import { type StaffRow } from '../auth/auth-service';
import { requireRight, type Actor } from '../actor';
import { activeGrants } from '../auth/grants';
import { assertAcceptablePassword } from '../auth/password-change';
import { hashPassword } from '../auth/passwords';
import { parseRoleRequest } from '../../../shared/identity/approval';
import { registerAuthenticator, registeredAuthenticators, registrationOptions, type WebAuthnConfig } from '../auth/webauthn';
import { namedApproverProblem } from './approvals';
import type { Db } from '../db/database';
import { insertRecord, updateRecord, type Stamp } from '../db/records';
import { DomainError } from '../errors';
import type { Clock } from '../platform';
import type { PasswordPolicy } from '../policy/policy';

const REGISTRATION_TTL_MS = 3 * 60_000;

/**
 * Administration of identities and rights. Only the システム管理者 ('admin.staff') grants or revokes. A grant
 * and an authenticator registered here are stored `pending`, naming the 所属長 who must confirm them with their
 * own authenticator (IdentityApprovals) before they are in force; revocations take effect at once. Temporary
 * grants carry an expiry. Every change is audited.
 */
export class StaffAdmin {
  private readonly registrations = new Map<string, { challenge: string; expiresAt: number }>();

  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly webauthn: WebAuthnConfig,
    private readonly passwordPolicy: PasswordPolicy,
  ) {}

  private stamp(actor: Actor): Stamp {
    return { by: actor.staffId, at: this.clock.now().toISOString() };
  }

  private staff(staffId: string): StaffRow {
    const row = this.db.prepare<[string], StaffRow>('SELECT * FROM staff WHERE staff_id = ? AND deleted = 0').get(staffId);
    if (!row) throw new DomainError('NOT_FOUND', `職員ID ${staffId} は登録されていません。`, { staffId: `職員ID ${staffId} は登録されていません。` });
    return row;
  }

  private summary(row: StaffRow, now: string): StaffSummary {
    return {
      staffId: row.staff_id,
      name: row.name,
      nameKana: row.name_kana,
      section: row.section,
      role: row.role,
      disabled: row.disabled === 1,
      demo: row.demo === 1,
      lockedUntil: row.locked_until && row.locked_until > now ? row.locked_until : null,
      mustChangePassword: row.must_change_password === 1,
      passwordChangedAt: row.password_changed_at,
      authenticators: registeredAuthenticators(this.db, row.staff_id).map((a) => ({
        id: a.id, label: a.label, createdAt: a.created_at, registeredBy: a.registered_by, approver: a.approver, approvalStatus: a.approval_status,
      })),
      grants: activeGrants(this.db, row.staff_id, now)
        .filter((g) => isRight(g.right_name))
        .map((g) => ({ id: g.id, right: g.right_name as Right, approvedBy: g.approved_by, approvalStatus: g.approval_status, reason: g.reason, validFrom: g.valid_from, expiresAt: g.expires_at, grantedBy: g.created_by })),
      roleRequest: roleRequestOf(row),
    };
  }

  list(actor: Actor): StaffSummary[] {
    requireRight(actor, 'admin.staff');
    const now = this.clock.now().toISOString();
    return this.db
      .prepare<[], StaffRow>('SELECT * FROM staff WHERE deleted = 0 ORDER BY staff_id')
      .all()
      .map((r) => this.summary(r, now));
  }

  /** 権限点検表: the same data, audited as a review report. */
  rightsReview(actor: Actor): { generatedAt: string; generatedBy: string; staff: StaffSummary[] } {
    const staff = this.list(actor);
    const generatedAt = this.clock.now().toISOString();
    this.audit.append({ staffId: actor.staffId, action: 'admin.rightsReview', outcome: 'success', detail: { staffCount: staff.length } });
    return { generatedAt, generatedBy: actor.staffId, staff };
  }

  grant(actor: Actor, req: { staffId: string; right: Right; approvedBy: string; reason: string; expiresAt: string | null }): string {
    requireRight(actor, 'admin.staff');
    const s = this.stamp(actor);
    const target = this.staff(req.staffId);
    const fail = (field: string, message: string): never => {
      return this.audit.refuse({ staffId: actor.staffId, action: 'admin.grants.grant', detail: { staffId: req.staffId, right: req.right, why: message } }, new DomainError('VALIDATION', message, { [field]: message }));
    };
    if (!withinCeiling(target.role, req.right)) fail('right', 'この権限はこの職員の役割では付与できません。');
    const approverProblem = namedApproverProblem(this.db, req.approvedBy, actor.staffId, [req.staffId]);
    if (approverProblem) fail('approvedBy', approverProblem);
    const expiresAt = req.expiresAt ? `${req.expiresAt}T14:59:59.999Z` : null; // the end of that day in JST
    if (expiresAt && expiresAt <= s.at) fail('expiresAt', '期限には今日以降の日付を入力してください。');
    if (activeGrants(this.db, req.staffId, s.at).some((g) => g.right_name === req.right)) fail('right', 'この権限はすでに付与されています。');
    return this.db.transaction(() => {
      const id = insertRecord(
        this.db,
        'staff_grants',
        { staff_id: req.staffId, right_name: req.right, approved_by: req.approvedBy, reason: req.reason, valid_from: s.at, expires_at: expiresAt, revoked_at: null, revoked_by: null, approval_status: 'pending' },
        s,
      );
      this.audit.append({ staffId: actor.staffId, action: 'admin.grants.grant', outcome: 'success', detail: { staffId: req.staffId, right: req.right, approvedBy: req.approvedBy, reason: req.reason, expiresAt, approval: 'pending' } });
      return id;
    })();
  }

  revokeGrant(actor: Actor, grantId: string, reason: string): void {
    requireRight(actor, 'admin.staff');
    const s = this.stamp(actor);
    const g = this.db
      .prepare<[string], { id: string; version: number; staff_id: string; right_name: string; revoked_at: string | null }>('SELECT id, version, staff_id, right_name, revoked_at FROM staff_grants WHERE id = ? AND deleted = 0')
      .get(grantId);
    if (!g || g.revoked_at) throw new DomainError('NOT_FOUND', '取り消す権限が見つかりません（すでに取り消されている可能性があります）。');
    this.db.transaction(() => {
      updateRecord(this.db, 'staff_grants', g.id, g.version, { revoked_at: s.at, revoked_by: actor.staffId }, s);
      this.audit.append({ staffId: actor.staffId, action: 'admin.grants.revoke', outcome: 'success', detail: { staffId: g.staff_id, right: g.right_name, reason } });
    })();
  }

  /** Start registering an authenticator for a member of staff, who touches it at this terminal. */
  async beginRegistration(actor: Actor, staffId: string): Promise<Record<string, unknown>> {
    requireRight(actor, 'admin.staff');
    const target = this.staff(staffId);
    const options = await registrationOptions(this.webauthn, target, registeredAuthenticators(this.db, staffId));
    this.registrations.set(`${actor.staffId}>${staffId}`, { challenge: options.challenge, expiresAt: this.clock.now().getTime() + REGISTRATION_TTL_MS });
    return options as unknown as Record<string, unknown>;
  }

  /** Store the registration `pending`: it is in force once `approvedBy` (a 所属長) confirms it. */
  async finishRegistration(actor: Actor, staffId: string, label: string, response: RegistrationResponseJSON, approvedBy: string): Promise<string> {
    requireRight(actor, 'admin.staff');
    const approverProblem = namedApproverProblem(this.db, approvedBy, actor.staffId, [staffId]);
    if (approverProblem) {
      this.audit.refuse({ staffId: actor.staffId, action: 'admin.authenticators.register', detail: { staffId, label, approvedBy, why: approverProblem } }, new DomainError('VALIDATION', approverProblem, { approvedBy: approverProblem }));
    }
    const key = `${actor.staffId}>${staffId}`;
    const pending = this.registrations.get(key);
    this.registrations.delete(key);
    if (!pending || pending.expiresAt < this.clock.now().getTime()) throw new DomainError('RULE', '登録の手続きが時間切れになりました。もう一度「登録を開始」してください。');
    const s = this.stamp(actor);
    const id = await registerAuthenticator(this.db, this.webauthn, staffId, pending.challenge, response, label, s, { status: 'pending', approver: approvedBy });
    if (!id) this.audit.refuse({ staffId: actor.staffId, action: 'admin.authenticators.register', detail: { staffId, label, why: 'not_verified' } }, new DomainError('RULE', '認証器の応答を確認できませんでした。もう一度登録してください。'));
    this.audit.append({ staffId: actor.staffId, action: 'admin.authenticators.register', outcome: 'success', detail: { staffId, label, authenticatorId: id, approvedBy, approval: 'pending' } });
    return id;
  }

  /** A lost or broken authenticator is revoked by an administrator (and a new one registered). */
  revokeAuthenticator(actor: Actor, authenticatorId: string, reason: string): void {
    requireRight(actor, 'admin.staff');
    const s = this.stamp(actor);
    const a = this.db
      .prepare<[string], { id: string; version: number; staff_id: string; label: string; revoked_at: string | null }>('SELECT id, version, staff_id, label, revoked_at FROM authenticators WHERE id = ? AND deleted = 0')
      .get(authenticatorId);
    if (!a || a.revoked_at) throw new DomainError('NOT_FOUND', '無効化する認証器が見つかりません。');
    this.db.transaction(() => {
      updateRecord(this.db, 'authenticators', a.id, a.version, { revoked_at: s.at, revoked_by: actor.staffId, revoke_reason: reason }, s);
      this.audit.append({ staffId: actor.staffId, action: 'admin.authenticators.revoke', outcome: 'success', detail: { staffId: a.staff_id, label: a.label, reason } });
    })();
  }

  /** An initial (or reset) password the person must change at the next login. */
  async setInitialPassword(actor: Actor, staffId: string, password: string): Promise<void> {
    requireRight(actor, 'admin.staff');
    const target = this.staff(staffId);
    if (target.demo) throw new DomainError('RULE', 'デモ用アカウントは変更できません。');
    try {
      await assertAcceptablePassword(this.db, { ...target, password_hash: '!' }, password, this.passwordPolicy);
    } catch (e) {
      if (e instanceof DomainError && e.fieldErrors?.next) throw new DomainError('VALIDATION', e.message, { password: e.fieldErrors.next });
      throw e;
    }
    const hash = await hashPassword(password);
    const s = this.stamp(actor);
    this.db.transaction(() => {
      insertRecord(this.db, 'password_history', { staff_id: staffId, password_hash: target.password_hash }, s);
      updateRecord(this.db, 'staff', target.id, target.version, { password_hash: hash, password_changed_at: s.at, must_change_password: 1, failed_count: 0, locked_until: null }, s);
      this.audit.append({ staffId: actor.staffId, action: 'admin.staff.setInitialPassword', outcome: 'success', detail: { staffId } });
    })();
  }
}

/** The role change waiting on a staff row, if any. */
function roleRequestOf(row: StaffRow & { role_request?: string | null }): StaffSummary['roleRequest'] {
  const req = parseRoleRequest(row.role_request ?? null);
  return req && req.toRole !== row.role ? { toRole: req.toRole, approver: req.approver } : null;
}
