import { z } from 'zod';
import { UNLOCKED } from './access';
import { webauthnJson } from './fields';

/**
 * The 所属長's 承認待ち (issue 13 §2): grants, authenticators registered by an administrator and role changes to a
 * wider ceiling wait for the 所属長 they name, who confirms each with their own authenticator over the record's
 * hash. Open to any unlocked session; the core serves only 所属長 (role 承認者) and only what names them.
 */
export const APPROVAL_KINDS = ['grant', 'authenticator', 'role'] as const;
export type ApprovalKind = (typeof APPROVAL_KINDS)[number];
export const APPROVAL_KIND_LABELS: Record<ApprovalKind, string> = { grant: '権限の付与', authenticator: '認証器の登録', role: '役割の変更' };

const kind = z.enum(APPROVAL_KINDS, '申請の種類が正しくありません');
const recordId = z.string().uuid('IDの形式が正しくありません');
/** SHA-256, base64url: what the authenticator signs. */
const approvalHash = z.string().regex(/^[A-Za-z0-9_-]{43}$/, '承認する内容の識別が正しくありません');

export const approvalItem = z.object({
  kind,
  id: z.string(),
  staffId: z.string(),
  staffName: z.string(),
  requestedBy: z.string(),
  requestedAt: z.string(),
  hash: z.string(),
  /** What is approved, one line each (権限, 期限, 理由 …). */
  lines: z.array(z.string()),
  /** The named 所属長 (in the administrator's view). */
  approver: z.string().optional(),
});
export type ApprovalItem = z.infer<typeof approvalItem>;

export const approvalsChannels = {
  'approvals.list': { access: UNLOCKED, request: z.object({}).strict(), response: z.object({ items: z.array(approvalItem) }) },
  'approvals.begin': {
    access: UNLOCKED,
    request: z.object({ kind, id: recordId }).strict(),
    response: z.object({ options: webauthnJson, hash: z.string() }),
  },
  'approvals.confirm': {
    access: UNLOCKED,
    request: z.object({ kind, id: recordId, hash: approvalHash, response: webauthnJson }).strict(),
    response: z.object({ approved: z.literal(true) }),
  },
} as const;

export const APPROVALS_CHANNEL_NAMES = Object.keys(approvalsChannels) as (keyof typeof approvalsChannels)[];
