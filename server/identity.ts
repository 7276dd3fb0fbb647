/**
 * Identity records on push (issue 13 §3): who may change staff, grants and authenticators, and the server's own
 * check of every approval. A terminal cannot forge an approval: for a grant or authenticator in force, or a role
 * raised to a wider ceiling, the server recomputes the hash of the record it receives (shared/identity/approval.ts)
 * and verifies the stored WebAuthn assertion against the approver's credential that it holds itself (accepted by
 * these same rules, not revoked), with the approver a 所属長 of the municipality, neither the person concerned nor
 * the one who asked. Identity administration is taken only from terminals enrolled for it (`--admin`, OU
 * `admin:identity`); other terminals may push what their own users do (failed logins, a password change, the
 * signature counter) and approvals, which are verified anyway.
 */
import { verifyAuthenticationResponse } from '@simplewebauthn/server';
import { createHash } from 'node:crypto';
import type { PoolClient } from './db';
import { ROLE_CEILINGS, ROLES, type Right, type Role } from '../shared/domain/rights';
import {
  PROVISIONING,
  approvalInForce,
  authenticatorSubject,
  canonicalApproval,
  grantSubject,
  parseRoleRequest,
  parseStoredApproval,
  roleChangeWidens,
  roleSubject,
  type ApprovalSubject,
} from '../shared/identity/approval';
import type { TerminalScope } from '../shared/sync/scope';
import { STAFF_ENTITIES } from '../shared/sync/staff-scope';

/** The WebAuthn relying party terminals use (the app origin's host); tests and the harness use `localhost`. */
export const DEFAULT_APPROVAL_RP_ID = 'madoguchi.localhost';

/** The identity records (staff, grants, authenticators, password history): the same list the staff scope uses. */
export const IDENTITY_ENTITIES = STAFF_ENTITIES;

/** Fields any terminal may change: what its own users do at it (failed logins, a password change, the counter). */
const SELF_SERVICE: Readonly<Record<string, readonly string[]>> = {
  staff: ['failed_count', 'locked_until', 'password_hash', 'password_changed_at', 'must_change_password', 'may_self_enroll'],
  authenticators: ['counter'],
  staff_grants: [],
};
/** Fields an approval writes: verified below whichever terminal sends them. */
const APPROVAL_FIELDS: Readonly<Record<string, readonly string[]>> = {
  staff: ['role', 'role_approval_json'],
  authenticators: ['approval_status', 'approval_json'],
  staff_grants: ['approval_status', 'approval_json'],
};
const BOOKKEEPING = new Set(['id', 'version', 'created_at', 'created_by', 'updated_at', 'updated_by']);

const forbidden = (why: string): string => `forbidden: ${why}`;

export interface Ctx {
  c: PoolClient;
  scope: TerminalScope & { terminalId: string };
  rpId: string;
}

const sameSubject = (a: ApprovalSubject, b: ApprovalSubject): boolean => canonicalApproval(a) === canonicalApproval(b);
const status = (rec: Record<string, unknown>): string => (rec.approval_status === undefined || rec.approval_status === null ? 'legacy' : String(rec.approval_status));
const inForce = (rec: Record<string, unknown>): boolean => approvalInForce(rec.approval_status) && !rec.revoked_at && rec.deleted !== 1 && rec.deleted !== true;

/** Live staff rows of a staff ID in the municipality (a staff ID may have been pushed twice by two terminals). */
async function staffRows(ctx: Ctx, staffId: string): Promise<{ role: Role; disabled: boolean }[]> {
  const r = await ctx.c.query<{ role: string; disabled: unknown }>(
    `SELECT payload->>'role' AS role, payload->'disabled' AS disabled FROM entities
      WHERE entity = 'staff' AND municipality = $1 AND deleted = false AND payload->>'staff_id' = $2`,
    [ctx.scope.municipality, staffId],
  );
  return r.rows.map((x) => ({ role: x.role as Role, disabled: x.disabled === 1 || x.disabled === true }));
}

/** The origin the client data names, or null when it cannot be read. */
function clientOrigin(clientDataJSON: string): string | null {
  try {
    const origin = (JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as { origin?: unknown }).origin;
    return typeof origin === 'string' ? origin : null;
  } catch {
    return null;
  }
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).hostname;
  } catch {
    return null;
  }
}

/** Why the approval stored with `subject` does not hold, or null when the server verified it. */
async function approvalProblem(ctx: Ctx, subject: ApprovalSubject, approvalJson: unknown, creator: string): Promise<string | null> {
  const approval = parseStoredApproval(approvalJson);
  if (!approval) return '所属長の承認がありません';
  const hash = createHash('sha256').update(canonicalApproval(subject), 'utf8').digest('base64url');
  if (approval.hash !== hash || approval.approvedBy !== subject.approver) return '承認が記録の内容と一致しません';
  if (subject.approver === subject.staffId || subject.approver === creator) return '本人または申請者による承認です';
  const approvers = await staffRows(ctx, subject.approver);
  if (approvers.length === 0 || approvers.some((a) => a.role !== 'approver' || a.disabled)) return '承認者が有効な所属長ではありません';
  return assertionProblem(ctx, subject.approver, hash, approval.assertion, '承認');
}

/**
 * Why `assertion` is not `staffId`'s own signature over `challenge` (user verification required), or null: made with
 * one of their credentials the server holds in force, from the relying party's own host. `what` names it in the
 * message (承認, 確認 …). Used for identity approvals and for the checks and 決裁 of 扶助 flows (server/fujo.ts).
 */
export async function assertionProblem(ctx: Ctx, staffId: string, challenge: string, assertion: unknown, what: string): Promise<string | null> {
  const a = assertion as { id?: unknown; response?: { clientDataJSON?: unknown } } | null;
  if (!a || typeof a.id !== 'string' || typeof a.response?.clientDataJSON !== 'string') return `${what}の署名がありません`;
  const cred = await ctx.c.query<{ payload: Record<string, unknown> }>(
    `SELECT payload FROM entities WHERE entity = 'authenticators' AND municipality = $1 AND deleted = false
        AND payload->>'staff_id' = $2 AND payload->>'credential_id' = $3`,
    [ctx.scope.municipality, staffId, a.id],
  );
  const key = cred.rows.map((r) => r.payload).find((p) => inForce(p));
  if (!key) return `${what}に使われた認証器は、${what}した職員の有効な認証器として登録されていません`;
  // The origin must be the relying party's own host (the app origin, or the harness on localhost:port).
  const origin = clientOrigin(a.response.clientDataJSON);
  if (origin === null || hostOf(origin) !== ctx.rpId) return `${what}の署名を確認できません`;
  try {
    const r = await verifyAuthenticationResponse({
      response: assertion as never,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: ctx.rpId,
      requireUserVerification: true,
      credential: { id: String(key.credential_id), publicKey: Buffer.from(String(key.public_key), 'base64url'), counter: 0 },
    });
    return r.verified ? null : `${what}の署名を確認できません`;
  } catch {
    return `${what}の署名を確認できません`;
  }
}

/** A grant or authenticator that is (still) in force after this mutation: unchanged, approved, or bootstrap. */
async function inForceProblem(ctx: Ctx, entity: 'staff_grants' | 'authenticators', stored: Record<string, unknown> | null, rec: Record<string, unknown>): Promise<string | null> {
  if (stored?.revoked_at && !rec.revoked_at) return forbidden('取り消された権限・認証器は元に戻せません');
  if (!inForce(rec)) return null;
  const subject = entity === 'staff_grants' ? grantSubject(rec) : authenticatorSubject(rec);
  if (stored && inForce(stored) && status(stored) === status(rec) && sameSubject(entity === 'staff_grants' ? grantSubject(stored) : authenticatorSubject(stored), subject)) return null;
  const staffId = String(rec.staff_id ?? '');
  if (entity === 'staff_grants') {
    const rows = await staffRows(ctx, staffId);
    if (rows.length === 0 || rows.some((r) => !ROLE_CEILINGS[r.role]?.includes(String(rec.right_name) as Right))) return forbidden('この権限は対象の職員の役割では付与できません');
  }
  const st = status(rec);
  if (st === 'approved') {
    const creator = String(entity === 'staff_grants' ? rec.created_by : rec.registered_by);
    const p = await approvalProblem(ctx, subject, rec.approval_json, creator);
    return p ? forbidden(p) : null;
  }
  if (st === 'bootstrap') {
    // The provisioned accounts' own first records, only from an admin terminal whose certificate names the person.
    if (!ctx.scope.admin || !(ctx.scope.bootstrap ?? []).includes(staffId)) return forbidden('初期設定の記録は、その職員を指定して登録した管理用端末からのみ受け付けます');
    if (entity === 'staff_grants' && rec.approved_by !== PROVISIONING) return forbidden('初期設定の権限ではありません');
    if (entity === 'authenticators' && rec.registered_by !== staffId) return forbidden('初期設定の認証器は本人の登録に限ります');
    return null;
  }
  return forbidden('所属長の承認がない権限・認証器は受け付けません');
}

/** A role change: a wider ceiling only with the 所属長's approval of exactly this change, used once. */
async function roleProblem(ctx: Ctx, entityId: string, stored: Record<string, unknown> | null, rec: Record<string, unknown>): Promise<string | null> {
  if (!stored || stored.role === rec.role) return null;
  const from = stored.role as Role;
  const to = rec.role as Role;
  if (!(ROLES as readonly string[]).includes(String(from)) || !roleChangeWidens(from, to)) return null;
  const req = parseRoleRequest(rec.role_request);
  if (!req || req.fromRole !== from || req.toRole !== to) return forbidden('役割の変更に所属長の承認がありません');
  const p = await approvalProblem(ctx, roleSubject(rec, req), rec.role_approval_json, req.requestedBy);
  if (p) return forbidden(p);
  const hash = parseStoredApproval(rec.role_approval_json)?.hash ?? '';
  const used = await ctx.c.query('INSERT INTO identity_approvals_used (hash, entity, entity_id, terminal_id) VALUES ($1, $2, $3, $4) ON CONFLICT (hash) DO NOTHING', [hash, 'staff', entityId, ctx.scope.terminalId]);
  return used.rowCount === 1 ? null : forbidden('この承認はすでに使われています');
}

/**
 * Why a mutation of an identity entity is refused, or null. `stored` is the server's record (null for a new one),
 * `rec` the record as it would be stored, `sent` the fields the mutation carries.
 */
export async function identityProblem(
  ctx: Ctx,
  entity: string,
  entityId: string,
  op: 'insert' | 'update' | 'delete',
  stored: Record<string, unknown> | null,
  rec: Record<string, unknown>,
  sent: Record<string, unknown>,
): Promise<string | null> {
  if (!(IDENTITY_ENTITIES as readonly string[]).includes(entity)) return null;
  if (!ctx.scope.admin && entity !== 'password_history') {
    const allowed = new Set([...(SELF_SERVICE[entity] ?? []), ...(APPROVAL_FIELDS[entity] ?? [])]);
    const changed = Object.keys(sent).filter((k) => !BOOKKEEPING.has(k) && (!stored || stored[k] !== sent[k]));
    if (op !== 'update' || !stored || changed.some((k) => !allowed.has(k))) {
      return forbidden('職員・権限・認証器の管理は、管理用に登録された端末からのみ受け付けます');
    }
  }
  if (entity === 'staff') return roleProblem(ctx, entityId, stored, rec);
  if (entity === 'staff_grants' || entity === 'authenticators') return inForceProblem(ctx, entity, stored, rec);
  return null;
}
