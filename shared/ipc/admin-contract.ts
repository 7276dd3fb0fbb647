import { z } from 'zod';
import { ROLES } from '../domain/rights';
import { isoDate, passwordText, reasonText, rightSchema, webauthnJson } from './fields';
import { text } from '../text';
import { needs } from './access';
import { APPROVAL_STATUSES } from '../identity/approval';

/** Channels of the システム管理者: staff, grants (with the approving 所属長), authenticators, roster, review. */
const staffId = z.string().regex(/^[A-Za-z0-9]{3,32}$/, '職員IDは英数字3〜32文字です');
const right = rightSchema;
const reason = reasonText(200);
const admin = needs('admin.staff');

/** `pending`: waits for the named 所属長 (approvedBy); `legacy`: granted before approvals existed. */
const approvalStatus = z.enum(APPROVAL_STATUSES);
const grant = z.object({
  id: z.string(),
  right,
  approvedBy: z.string(),
  approvalStatus,
  reason: z.string(),
  validFrom: z.string(),
  expiresAt: z.string().nullable(),
  grantedBy: z.string(),
});

export const staffSummary = z.object({
  staffId: z.string(),
  name: z.string(),
  nameKana: z.string(),
  section: z.string(),
  role: z.enum(ROLES),
  disabled: z.boolean(),
  demo: z.boolean(),
  lockedUntil: z.string().nullable(),
  mustChangePassword: z.boolean(),
  passwordChangedAt: z.string(),
  authenticators: z.array(z.object({ id: z.string(), label: z.string(), createdAt: z.string(), registeredBy: z.string(), approver: z.string().nullable(), approvalStatus })),
  grants: z.array(grant),
  /** A role change waiting for the named 所属長. */
  roleRequest: z.object({ toRole: z.enum(ROLES), approver: z.string() }).nullable(),
});
export type StaffSummary = z.infer<typeof staffSummary>;

export const rosterChange = z.object({
  line: z.number().int(),
  kind: z.enum(['create', 'update', 'disable', 'enable']),
  staffId: z.string(),
  name: z.string(),
  /** Human-readable differences, e.g. '所属: 保険年金課 → こども青少年課'. */
  changes: z.array(z.string()),
});
export type RosterChange = z.infer<typeof rosterChange>;

export const rosterPreview = z.object({
  previewId: z.string(),
  encoding: z.enum(['UTF-8', 'CP932']),
  rows: z.number().int(),
  changes: z.array(rosterChange),
  errors: z.array(z.object({ line: z.number().int(), message: z.string() })),
});
export type RosterPreview = z.infer<typeof rosterPreview>;

export const adminChannels = {
  'admin.staff.list': { access: admin, request: z.object({}).strict(), response: z.object({ staff: z.array(staffSummary) }) },
  'admin.grants.grant': {
    access: admin,
    request: z.object({ staffId, right, approvedBy: staffId, reason, expiresAt: isoDate.nullable() }).strict(),
    response: z.object({ grantId: z.string() }),
  },
  'admin.grants.revoke': { access: admin, request: z.object({ grantId: z.string().uuid(), reason }).strict(), response: z.object({ revoked: z.literal(true) }) },
  'admin.authenticators.begin': { access: admin, request: z.object({ staffId }).strict(), response: z.object({ options: webauthnJson }) },
  'admin.authenticators.finish': {
    access: admin,
    request: z.object({ staffId, label: text({ label: '認証器の名前', min: 1, max: 60 }), response: webauthnJson, approvedBy: staffId }).strict(),
    response: z.object({ authenticatorId: z.string() }),
  },
  'admin.authenticators.revoke': { access: admin, request: z.object({ authenticatorId: z.string().uuid(), reason }).strict(), response: z.object({ revoked: z.literal(true) }) },
  'admin.staff.setInitialPassword': {
    access: admin,
    request: z.object({ staffId, password: passwordText('パスワード') }).strict(),
    response: z.object({ set: z.literal(true) }),
  },
  'admin.roster.preview': {
    access: admin,
    request: z
      .object({
        fileName: text({ label: 'ファイル名', min: 1, max: 200 }),
        /** The file's bytes, base64 (UTF-8 with or without BOM, or CP932). */
        contentBase64: z.string().min(1, 'ファイルが空です').max(4_000_000, 'ファイルが大きすぎます（3MBまで）').regex(/^[A-Za-z0-9+/]*={0,2}$/, 'ファイルの内容を読み取れません'),
      })
      .strict(),
    response: rosterPreview,
  },
  'admin.roster.apply': {
    access: admin,
    request: z.object({ previewId: z.string().uuid(), applyValidPart: z.boolean(), roleApprover: staffId.nullable().optional() }).strict(),
    response: z.object({
      created: z.number().int(),
      updated: z.number().int(),
      disabled: z.number().int(),
      enabled: z.number().int(),
      /** Accounts created or re-enabled by the import that still lack 権限, 初期パスワード or 認証器. */
      incomplete: z.array(z.object({ staffId: z.string(), name: z.string(), missing: z.array(z.enum(['rights', 'password', 'authenticator'])) })),
    }),
  },
  'admin.rightsReview': {
    access: admin,
    request: z.object({}).strict(),
    response: z.object({ generatedAt: z.string(), generatedBy: z.string(), staff: z.array(staffSummary) }),
  },
} as const;

export const ADMIN_CHANNEL_NAMES = Object.keys(adminChannels) as (keyof typeof adminChannels)[];
