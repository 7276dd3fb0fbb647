import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { generateAuthenticationOptions } from '@simplewebauthn/server';
import { createHash } from 'node:crypto';
import { isRight, rightLabel, ROLE_LABELS, withinCeiling, type Role } from '../../../shared/domain/rights';
import {
  authenticatorSubject,
  canonicalApproval,
  grantSubject,
  parseRoleRequest,
  roleSubject,
  type ApprovalSubject,
  type StoredApproval,
} from '../../../shared/identity/approval';
import type { ApprovalItem, ApprovalKind } from '../../../shared/ipc/approvals-contract';
import type { AuditLog } from '../audit/audit-log';
import type { Actor } from '../actor';
import { activeAuthenticators, verifyAssertion, type WebAuthnConfig } from '../auth/webauthn';
import type { Db } from '../db/database';
import { updateRecord, type Stamp } from '../db/records';
import { DomainError } from '../errors';
import type { Clock } from '../platform';
import { revokeGrantsWhere } from '../auth/grants';

/** SHA-256 of the canonical content, base64url: the WebAuthn challenge the 所属長's authenticator signs. */
export function approvalHash(subject: ApprovalSubject): string {
  return createHash('sha256').update(canonicalApproval(subject), 'utf8').digest('base64url');
}

/**
 * Why `approver` cannot be named to approve a change made by `creator` for `grantees`, or null: the approver must
 * be an enabled 所属長 (role 承認者), neither the person whose rights widen nor the one asking.
 */
export function namedApproverProblem(db: Db, approver: string | null, creator: string, grantees: readonly string[]): string | null {
  if (!approver) return '承認する所属長（承認者）の職員IDを入力してください。';
  const row = db.prepare<[string], { role: string; disabled: number }>('SELECT role, disabled FROM staff WHERE staff_id = ? AND deleted = 0').get(approver);
  if (!row || row.role !== 'approver' || row.disabled) return '承認者には、有効な承認者（所属長）の職員IDを入力してください。';
  if (grantees.includes(approver)) return '本人が自分の権限を承認することはできません。';
  if (approver === creator) return '変更を行う職員が自分で承認することはできません。';
  return null;
}

interface Pending {
  kind: ApprovalKind;
  id: string;
  staffId: string;
  creator: string;
  requestedAt: string;
  subject: ApprovalSubject;
  /** Writes the approval (inside a transaction). */
  approve(approval: StoredApproval, s: Stamp): void;
  lines: string[];
}

type GrantRecord = Record<string, unknown> & { id: string; version: number; staff_id: string; right_name: string; approved_by: string; created_by: string; created_at: string; expires_at: string | null; reason: string };
type AuthRecord = Record<string, unknown> & { id: string; version: number; staff_id: string; label: string; registered_by: string; approver: string | null; created_at: string };
type StaffRecord = Record<string, unknown> & { id: string; version: number; staff_id: string; name: string; role: Role; role_request: string | null };

const jst = (iso: string | null): string => (iso ? new Date(new Date(iso).getTime() + 9 * 3_600_000).toISOString().slice(0, 10) : '期限なし');

/**
 * The 所属長's side of widening identity changes (issue 13 §2): the 承認待ち list naming exactly what each
 * record asks, and the confirmation with a fresh WebAuthn assertion over the record's hash, made with one of the
 * 所属長's own credentials in force. Only then is the record in force (`effectiveRights`, login); the central
 * server verifies the same assertion again (server/identity.ts). Every refusal is audited.
 */
export class IdentityApprovals {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly webauthn: WebAuthnConfig,
  ) {}

  private staffName(staffId: string): string {
    return this.db.prepare<[string], { name: string }>('SELECT name FROM staff WHERE staff_id = ? AND deleted = 0').get(staffId)?.name ?? staffId;
  }

  private roleOf(staffId: string): Role | null {
    return this.db.prepare<[string], { role: Role }>('SELECT role FROM staff WHERE staff_id = ? AND deleted = 0 AND disabled = 0').get(staffId)?.role ?? null;
  }

  private grantPending(g: GrantRecord): Pending {
    return {
      kind: 'grant', id: g.id, staffId: g.staff_id, creator: g.created_by, requestedAt: g.created_at, subject: grantSubject(g),
      lines: [`権限: ${isRight(g.right_name) ? rightLabel(g.right_name) : g.right_name}`, `期限: ${jst(g.expires_at)}`, `理由: ${g.reason}`],
      approve: (approval, s) => updateRecord(this.db, 'staff_grants', g.id, g.version, { approval_status: 'approved', approval_json: JSON.stringify(approval) }, s),
    };
  }

  private authPending(a: AuthRecord): Pending {
    return {
      kind: 'authenticator', id: a.id, staffId: a.staff_id, creator: a.registered_by, requestedAt: a.created_at, subject: authenticatorSubject(a),
      lines: [`認証器の登録: ${a.label}`, `登録した職員: ${a.registered_by}`],
      approve: (approval, s) => updateRecord(this.db, 'authenticators', a.id, a.version, { approval_status: 'approved', approval_json: JSON.stringify(approval) }, s),
    };
  }

  private rolePending(r: StaffRecord): Pending | null {
    const req = parseRoleRequest(r.role_request);
    if (!req || req.toRole === r.role) return null;
    return {
      kind: 'role', id: r.id, staffId: r.staff_id, creator: req.requestedBy, requestedAt: req.requestedAt, subject: roleSubject(r, req),
      lines: [`役割の変更: ${ROLE_LABELS[req.fromRole]} → ${ROLE_LABELS[req.toRole]}`],
      approve: (approval, s) => {
        updateRecord(this.db, 'staff', r.id, r.version, { role: req.toRole, role_approval_json: JSON.stringify(approval) }, s);
        revokeGrantsWhere(this.db, r.staff_id, (right) => !(isRight(right) && withinCeiling(req.toRole, right)), s);
      },
    };
  }

  /** Everything waiting for a 所属長 (all of them, or those naming `approver`). */
  private pendingFor(approver: string | null): Pending[] {
    const grants = this.db
      .prepare<[], GrantRecord>(`SELECT * FROM staff_grants WHERE deleted = 0 AND revoked_at IS NULL AND approval_status = 'pending' ORDER BY created_at`)
      .all()
      .filter((g) => approver === null || g.approved_by === approver)
      .map((g) => this.grantPending(g));
    const auths = this.db
      .prepare<[], AuthRecord>(`SELECT * FROM authenticators WHERE deleted = 0 AND revoked_at IS NULL AND approval_status = 'pending' ORDER BY created_at`)
      .all()
      .filter((a) => approver === null || a.approver === approver)
      .map((a) => this.authPending(a));
    const roles = this.db
      .prepare<[], StaffRecord>(`SELECT * FROM staff WHERE deleted = 0 AND role_request IS NOT NULL ORDER BY staff_id`)
      .all()
      .map((r) => this.rolePending(r))
      .filter((p): p is Pending => p !== null && (approver === null || p.subject.approver === approver));
    return [...grants, ...auths, ...roles];
  }

  private item(p: Pending): ApprovalItem {
    return { kind: p.kind, id: p.id, staffId: p.staffId, staffName: this.staffName(p.staffId), requestedBy: p.creator, requestedAt: p.requestedAt, hash: approvalHash(p.subject), lines: p.lines };
  }

  /** The 承認待ち list of the logged-in 所属長: what each record asks, and the hash they would sign. */
  list(actor: Actor): ApprovalItem[] {
    const items = actor.role === 'approver' ? this.pendingFor(actor.staffId).map((p) => this.item(p)) : [];
    this.audit.append({ staffId: actor.staffId, action: 'admin.approvals.list', outcome: 'success', detail: { count: items.length } });
    return items;
  }

  /** Every pending request (the administrator's view: what waits for whom). */
  listAll(): ApprovalItem[] {
    return this.pendingFor(null).map((p) => ({ ...this.item(p), approver: p.subject.approver }));
  }

  /** The rules a confirmation must pass; refuses (audited) with the reason. */
  private checked(actor: Actor, kind: ApprovalKind, id: string, hash: string | null): { pending: Pending; hash: string } {
    const refuse = (why: string, message: string, code: 'FORBIDDEN' | 'RULE' | 'NOT_FOUND' | 'CONFLICT' = 'FORBIDDEN'): never =>
      this.audit.refuse({ staffId: actor.staffId, action: 'admin.approvals.confirm', detail: { kind, id, why } }, new DomainError(code, message));
    const pending = this.pendingFor(null).find((p) => p.kind === kind && p.id === id);
    if (!pending) return refuse('not_pending', '承認待ちの申請が見つかりません（取り消されたか、すでに承認されています）。', 'NOT_FOUND');
    const s = pending.subject;
    if (actor.role !== 'approver' || this.roleOf(actor.staffId) !== 'approver') return refuse('not_approver', '承認できるのは承認者（所属長）だけです。');
    if (s.approver !== actor.staffId) return refuse('not_named_approver', 'この申請の承認者として指名されているのは別の所属長です。');
    if (pending.staffId === actor.staffId) return refuse('is_grantee', '自分の権限・認証器・役割の変更は承認できません。');
    if (pending.creator === actor.staffId) return refuse('is_creator', '自分で申請した変更は承認できません。');
    const granteeRole = this.roleOf(pending.staffId);
    if (!granteeRole) return refuse('grantee_unavailable', '対象の職員は無効か、登録されていません。', 'RULE');
    if (s.kind === 'grant' && !(isRight(s.right) && withinCeiling(granteeRole, s.right))) return refuse('outside_ceiling', 'この権限は対象の職員の役割では付与できません。', 'RULE');
    if (s.kind === 'role' && s.fromRole !== granteeRole) return refuse('role_changed', '申請のあとで対象の職員の役割が変わりました。申請をやり直してください。', 'CONFLICT');
    const current = approvalHash(s);
    if (hash !== null && hash !== current) return refuse('hash_mismatch', '承認しようとした内容と現在の申請の内容が一致しません。一覧を開き直してください。', 'CONFLICT');
    return { pending, hash: current };
  }

  /** Options for the 所属長's authenticator: the challenge is the record's hash, only their own credentials in force. */
  async begin(actor: Actor, kind: ApprovalKind, id: string): Promise<{ options: Record<string, unknown>; hash: string }> {
    const { hash } = this.checked(actor, kind, id, null);
    const creds = activeAuthenticators(this.db, actor.staffId);
    const options = await generateAuthenticationOptions({
      rpID: this.webauthn.rpID,
      timeout: 120_000,
      userVerification: 'required',
      challenge: Buffer.from(hash, 'base64url'),
      allowCredentials: creds.map((c) => ({ id: c.credential_id, transports: JSON.parse(c.transports) as never })),
    });
    return { options: options as unknown as Record<string, unknown>, hash };
  }

  /** Confirm with the assertion over `hash`; the record is in force from now on. */
  async confirm(actor: Actor, kind: ApprovalKind, id: string, hash: string, response: AuthenticationResponseJSON): Promise<void> {
    this.checked(actor, kind, id, hash);
    const s: Stamp = { by: actor.staffId, at: this.clock.now().toISOString() };
    if (!(await verifyAssertion(this.db, this.webauthn, actor.staffId, hash, response, s))) {
      this.audit.refuse({ staffId: actor.staffId, action: 'admin.approvals.confirm', detail: { kind, id, why: 'assertion_not_verified' } }, new DomainError('FORBIDDEN', '認証器による確認ができませんでした（この申請の内容に対する署名ではないか、登録された認証器ではありません）。'));
    }
    // Checked again after the await: the record may have changed or been revoked meanwhile.
    const { pending } = this.checked(actor, kind, id, hash);
    const approval: StoredApproval = {
      hash,
      approvedBy: actor.staffId,
      approvedAt: s.at,
      assertion: {
        id: response.id,
        rawId: response.rawId,
        type: 'public-key',
        clientExtensionResults: {},
        response: {
          clientDataJSON: response.response.clientDataJSON,
          authenticatorData: response.response.authenticatorData,
          signature: response.response.signature,
          ...(response.response.userHandle ? { userHandle: response.response.userHandle } : {}),
        },
      },
    };
    this.db.transaction(() => {
      pending.approve(approval, s);
      this.audit.append({ staffId: actor.staffId, action: 'admin.approvals.confirm', outcome: 'success', detail: { kind, id, staffId: pending.staffId, hash, credentialId: response.id } });
    })();
  }
}
