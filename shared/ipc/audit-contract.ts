import { z } from 'zod';
import { isValidIsoDate } from '../domain/wareki';
import { needs, needsAny } from './access';
import { nothing, reasonText as reasonOf } from './fields';
import { text as textOf } from '../text';
import { foldIdentifier, normalizeAtenaNo, normalizeStaffId } from '../domain/identifiers';

/** The supervisor's audit trail (issue 8): review with highlights, exports under the two-person rule. */
const day = z.string().refine(isValidIsoDate, '日付を正しく入力してください（例: 2026-11-22）').nullable().default(null);
const text = (max: number, label: string, fold: (s: string) => string = (s) => s) => textOf({ label, max }).overwrite(fold).nullable().default(null);

export const reviewFilter = z
  .object({
    from: day,
    to: day,
    staffId: text(32, '職員ID', normalizeStaffId),
    atenaNo: z.string().overwrite(normalizeAtenaNo).regex(/^[0-9]{1,15}$/, '宛名番号は数字15桁以内です').nullable().default(null),
    action: text(64, '操作'),
    outcome: z.enum(['success', 'failure', 'rejected']).nullable().default(null),
    terminalId: text(64, '端末ID', foldIdentifier),
    reason: text(40, '処理事由'),
  })
  .strict();
export type ReviewFilterInput = z.input<typeof reviewFilter>;

export const HIGHLIGHT_LABELS = {
  after_hours: '時間外',
  many_residents: '短時間に多数の住民',
  failed_login: 'ログイン失敗',
  mynumber_reveal: '個人番号表示',
  dv_access: '支援措置対象者',
  posture_failure: '端末状態の不備',
} as const;

const exportRow = z.object({
  id: z.string(),
  requestedBy: z.string(),
  /** 「氏名（職員ID）」 as the review shows staff (the bare ID when the staff table does not know it). */
  requestedByLabel: z.string(),
  requestedAt: z.string(),
  reason: z.string(),
  filter: z.record(z.string(), z.unknown()),
  csvEncoding: z.enum(['utf8bom', 'cp932']),
  status: z.enum(['requested', 'approved', 'rejected', 'written']),
  decidedBy: z.string().nullable(),
  decidedByLabel: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionReason: z.string().nullable(),
  destination: z.string().nullable(),
  entries: z.number().int().nullable(),
});
export type AuditExportView = z.infer<typeof exportRow>;

const reasonText = reasonOf(200);

export const auditChannels = {
  'audit.verify': {
    access: needs('audit.verify'),
    request: nothing,
    response: z.object({ ok: z.boolean(), entries: z.number().int(), message: z.string() }),
  },
  'audit.review': {
    access: needs('audit.review'),
    request: z.object({ filter: reviewFilter, beforeSeq: z.number().int().positive().nullable(), limit: z.number().int().min(1).max(500).default(100) }).strict(),
    response: z.object({
      rows: z.array(z.object({ seq: z.number().int(), at: z.string(), staffId: z.string().nullable(), staffName: z.string().nullable(), terminalId: z.string(), action: z.string(), targetAtenaNo: z.string().nullable(), reason: z.string().nullable(), outcome: z.string(), detail: z.string(), highlights: z.array(z.enum(['after_hours', 'many_residents', 'failed_login', 'mynumber_reveal', 'dv_access', 'posture_failure'])) })),
      next: z.number().int().nullable(),
    }),
  },
  'audit.exports.list': {
    access: needsAny(['audit.export.request', 'audit.export.approve']),
    request: z.object({}).strict(),
    response: z.object({ exports: z.array(exportRow) }),
  },
  'audit.exports.request': {
    access: needs('audit.export.request'),
    request: z.object({ filter: reviewFilter, reason: reasonText, csvEncoding: z.enum(['utf8bom', 'cp932'], 'CSVの文字コードを選択してください') }).strict(),
    response: exportRow,
  },
  'audit.exports.decide': {
    access: needs('audit.export.approve'),
    request: z.object({ exportId: z.string().uuid(), approve: z.boolean(), reason: reasonText }).strict(),
    response: exportRow,
  },
} as const;
