import { z } from 'zod';
import { ROLE_CEILINGS, ROLES, type Role } from '../domain/rights';

/**
 * Approvals of changes that widen someone's rights (issue 13 §2): a grant, an authenticator registered by an
 * administrator, a role change to a wider ceiling. Such a record is stored `pending` and takes effect only when
 * the 所属長 it names confirms it at a terminal with a fresh WebAuthn assertion (user verification required)
 * whose challenge is the SHA-256 of the record's canonical content below. The terminal's core and the central
 * server each recompute that content from the record they hold and verify the assertion against the approver's
 * registered credential, so the approval cannot be typed, copied to another record or forged by a terminal.
 * Pure: imported by the core, the server and the renderer.
 */
export const APPROVAL_STATUSES = ['pending', 'approved', 'bootstrap', 'legacy'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

/**
 * In force: `approved` (a verified 所属長 assertion is stored with it), `bootstrap` (the provisioned accounts'
 * first grants and self-enrolled authenticators; the server takes them only from an admin terminal whose
 * certificate names the person) and `legacy` (records that existed before approvals; listed in the 権限点検表).
 * A record sent without the field (written before approvals) counts as legacy.
 */
export function approvalInForce(status: unknown): boolean {
  return status === undefined || status === null || status === 'approved' || status === 'bootstrap' || status === 'legacy';
}

/** SQL condition for rows in force (the column `approval_status` of staff_grants and authenticators). */
export const IN_FORCE_SQL = `approval_status IN ('approved', 'bootstrap', 'legacy')`;

/** The staff ID that marks the provisioning file as the source of a bootstrap record. */
export const PROVISIONING = 'PROVISIONING';

export type ApprovalSubject =
  | { kind: 'grant'; id: string; staffId: string; right: string; validFrom: string; expiresAt: string | null; reason: string; createdBy: string; approver: string }
  | { kind: 'authenticator'; id: string; staffId: string; credentialId: string; publicKey: string; label: string; registeredBy: string; approver: string }
  | { kind: 'role'; id: string; staffId: string; fromRole: string; toRole: string; requestedBy: string; requestedAt: string; approver: string };

const FIELD_ORDER: Record<ApprovalSubject['kind'], readonly string[]> = {
  grant: ['kind', 'id', 'staffId', 'right', 'validFrom', 'expiresAt', 'reason', 'createdBy', 'approver'],
  authenticator: ['kind', 'id', 'staffId', 'credentialId', 'publicKey', 'label', 'registeredBy', 'approver'],
  role: ['kind', 'id', 'staffId', 'fromRole', 'toRole', 'requestedBy', 'requestedAt', 'approver'],
};

/** The exact text that is hashed: a version tag and the subject's fields as JSON in a fixed order. */
export function canonicalApproval(subject: ApprovalSubject): string {
  const s = subject as unknown as Record<string, unknown>;
  return `madoguchi-approval-v1\n${JSON.stringify(FIELD_ORDER[subject.kind].map((k) => [k, s[k] ?? null]))}`;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));

/** What a grant record asks the 所属長 to approve (its named approver is `approved_by`). */
export function grantSubject(rec: Record<string, unknown>): ApprovalSubject {
  return {
    kind: 'grant',
    id: str(rec.id),
    staffId: str(rec.staff_id),
    right: str(rec.right_name),
    validFrom: str(rec.valid_from),
    expiresAt: typeof rec.expires_at === 'string' ? rec.expires_at : null,
    reason: str(rec.reason),
    createdBy: str(rec.created_by),
    approver: str(rec.approved_by),
  };
}

/** What an authenticator registration asks the 所属長 to approve (the named approver is `approver`). */
export function authenticatorSubject(rec: Record<string, unknown>): ApprovalSubject {
  return {
    kind: 'authenticator',
    id: str(rec.id),
    staffId: str(rec.staff_id),
    credentialId: str(rec.credential_id),
    publicKey: str(rec.public_key),
    label: str(rec.label),
    registeredBy: str(rec.registered_by),
    approver: str(rec.approver),
  };
}

/** A requested role change, kept on the staff row (`role_request`, JSON) until approved. */
export const RoleRequestSchema = z.strictObject({
  fromRole: z.enum(ROLES),
  toRole: z.enum(ROLES),
  requestedBy: z.string().min(1).max(64),
  requestedAt: z.string().min(1).max(40),
  approver: z.string().min(1).max(64),
});
export type RoleRequest = z.infer<typeof RoleRequestSchema>;

export function roleSubject(rec: Record<string, unknown>, req: RoleRequest): ApprovalSubject {
  return { kind: 'role', id: str(rec.id), staffId: str(rec.staff_id), fromRole: req.fromRole, toRole: req.toRole, requestedBy: req.requestedBy, requestedAt: req.requestedAt, approver: req.approver };
}

/** A JSON text column read with `schema`; null when absent, not JSON or not of that shape. */
function parseJsonColumn<T>(schema: z.ZodType<T>, json: unknown): T | null {
  if (typeof json !== 'string' || json === '') return null;
  try {
    const r = schema.safeParse(JSON.parse(json));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

export function parseRoleRequest(json: unknown): RoleRequest | null {
  return parseJsonColumn(RoleRequestSchema, json);
}

/**
 * The approval stored with a record (`approval_json`; a staff row's `role_approval_json`): the hash signed, the
 * 所属長, when, and the WebAuthn assertion as the authenticator returned it (verified again by the server).
 */
export const StoredApprovalSchema = z.strictObject({
  hash: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  approvedBy: z.string().min(1).max(64),
  approvedAt: z.string().min(1).max(40),
  assertion: z.strictObject({
    id: z.string().min(1).max(1024),
    rawId: z.string().min(1).max(1024),
    type: z.literal('public-key'),
    clientExtensionResults: z.record(z.string(), z.unknown()),
    authenticatorAttachment: z.string().optional(),
    response: z.strictObject({
      clientDataJSON: z.string().min(1).max(10_000),
      authenticatorData: z.string().min(1).max(10_000),
      signature: z.string().min(1).max(2_000),
      userHandle: z.string().max(1024).optional(),
    }),
  }),
});
export type StoredApproval = z.infer<typeof StoredApprovalSchema>;

export function parseStoredApproval(json: unknown): StoredApproval | null {
  return parseJsonColumn(StoredApprovalSchema, json);
}

/** A role change widens rights when the new role's ceiling holds a right the old one lacks, or it makes a 所属長. */
export function roleChangeWidens(from: Role, to: Role): boolean {
  if (from === to) return false;
  if (to === 'approver') return true;
  return ROLE_CEILINGS[to].some((r) => !ROLE_CEILINGS[from].includes(r));
}
