import { z } from 'zod';

// Default zod messages (wrong type, unexpected key, …) in Japanese.
z.config(z.locales.ja());
import { isRight, JIMU, ROLES, type Right } from '../domain/rights';
import { ACCESS_REASONS, SEX_CODES, ATENA_NO_PATTERN } from '../domain/resident';
import { isValidIsoDate } from '../domain/wareki';
import { isKanaName } from '../domain/kana';
import { CHANNEL_NAMES, type ChannelNameList } from './channel-names';
import { adminChannels } from './admin-contract';
import { claimsChannels } from './claims-contract';
import { certificatesChannels } from './certificates-contract';
import { auditChannels } from './audit-contract';

/**
 * The IPC contract: every request the renderer can make is one channel here, with a zod schema for the
 * request and the response. The main process validates both directions. Request schemas are strict: an
 * unexpected field is an invalid payload.
 */

const isoDate = z.string().refine(isValidIsoDate, '日付は正しい年月日で入力してください（例: 2026-04-01）');
const id = z.string().uuid('IDの形式が正しくありません');
const reason = z.enum(ACCESS_REASONS, '処理事由を選択してください');
const nothing = z.object({}).strict();

const rightSchema = z.custom<Right>((v) => typeof v === 'string' && isRight(v), '権限の指定が正しくありません');
/** WebAuthn options and responses travel as JSON objects; @simplewebauthn verifies them in depth. */
const webauthnJson = z.record(z.string(), z.unknown());

const sessionInfo = z.object({
  staffId: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  rights: z.array(rightSchema),
  demo: z.boolean(),
  locked: z.boolean(),
});
export type SessionInfo = z.infer<typeof sessionInfo>;

/** Where a login (or unlock) stands: done, or the next factor/step the renderer must complete. */
const loginResult = z.discriminatedUnion('stage', [
  z.object({ stage: z.literal('done'), session: sessionInfo }),
  z.object({ stage: z.literal('second_factor'), options: webauthnJson }),
  z.object({ stage: z.literal('enroll_factor'), options: webauthnJson }),
  z.object({ stage: z.literal('change_password'), reason: z.enum(['expired', 'initial']) }),
]);
export type LoginResult = z.infer<typeof loginResult>;
const passwordField = (label: string) => z.string().min(1, `${label}を入力してください`).max(256, `${label}が長すぎます`);

const residentSummary = z.object({
  id,
  atenaNo: z.string(),
  nameKanji: z.string(),
  nameKana: z.string(),
  aliasName: z.string().nullable(),
  birthDate: z.string(),
  sex: z.enum(SEX_CODES),
  /** In search results: masked for residents under DV等支援措置 / 不開示. The detail view shows it to staff with a warning. */
  address: z.string(),
  householdNo: z.string(),
  flags: z.object({ dvSupport: z.boolean(), nonDisclosure: z.boolean() }),
});
export type ResidentSummary = z.infer<typeof residentSummary>;

const insurance = z.object({
  insurerNo: z.string(),
  symbol: z.string(),
  number: z.string(),
  branch: z.string(),
});

const related = z.object({ id, atenaNo: z.string(), nameKanji: z.string(), nameKana: z.string(), birthDate: z.string(), relationship: z.string() });

const residentDetail = residentSummary.extend({
  postalCode: z.string(),
  katagaki: z.string(),
  hasMyNumber: z.boolean(),
  insurance: insurance.nullable(),
  guardians: z.array(related),
  children: z.array(related),
  kodomoEligibility: z.object({ eligible: z.boolean(), endsOn: z.string().nullable(), reason: z.string().nullable() }),
  version: z.number().int(),
});
export type ResidentDetail = z.infer<typeof residentDetail>;

const searchRequest = z
  .object({
    kana: z
      .string()
      .max(40, 'カナ氏名は40文字以内で入力してください')
      .refine((s) => s.trim() === '' || isKanaName(s), 'カナ氏名はカタカナ（またはひらがな）で入力してください')
      .optional(),
    birthDate: isoDate.optional(),
    atenaNo: z.string().regex(ATENA_NO_PATTERN, '宛名番号は数字15桁以内で入力してください').optional(),
  })
  .strict()
  .refine((q) => Boolean(q.kana?.trim() || q.birthDate || q.atenaNo), {
    message: 'カナ氏名・生年月日・宛名番号のいずれかを入力してください',
    path: ['kana'],
  });
export type SearchRequest = z.input<typeof searchRequest>;

/**
 * public: no session needed; session: any session, even a locked one; unlocked: a session that is not
 * locked; right: an unlocked session holding the right.
 */
export type Access =
  | { kind: 'public' }
  | { kind: 'session' }
  | { kind: 'unlocked' }
  | { kind: 'right'; right: Right }
  /** Any one of the rights (e.g. claim entry in any 事務); the service then checks the right for the record's 事務. */
  | { kind: 'anyRight'; rights: readonly Right[] };
const pub: Access = { kind: 'public' };
const session: Access = { kind: 'session' };
const unlocked: Access = { kind: 'unlocked' };
const right = (r: Right): Access => ({ kind: 'right', right: r });
const anyCertificatePrint: Access = { kind: 'anyRight', rights: JIMU.map((j) => `${j}:certificate.print` as Right) };

export const channels = {
  'auth.status': {
    access: pub,
    request: nothing,
    response: z.object({
      provisioned: z.boolean(),
      demo: z.boolean(),
      terminalId: z.string(),
      municipalityName: z.string(),
      session: sessionInfo.nullable(),
    }),
  },
  'auth.login': {
    access: pub,
    request: z
      .object({
        staffId: z.string().trim().min(1, '職員IDを入力してください').max(32, '職員IDが長すぎます'),
        password: z.string().min(1, 'パスワードを入力してください').max(256, 'パスワードが長すぎます'),
      })
      .strict(),
    response: loginResult,
  },
  'auth.secondFactor': {
    access: pub,
    request: z.object({ response: webauthnJson }).strict(),
    response: loginResult,
  },
  'auth.enrollFactor': {
    access: pub,
    request: z.object({ response: webauthnJson }).strict(),
    response: loginResult,
  },
  'auth.changePassword': {
    access: pub,
    request: z.object({ current: passwordField('現在のパスワード'), next: passwordField('新しいパスワード') }).strict(),
    response: loginResult,
  },
  'auth.logout': { access: session, request: nothing, response: z.object({ loggedOut: z.literal(true) }) },
  'auth.unlock': {
    access: session,
    request: z.object({ password: passwordField('パスワード') }).strict(),
    response: loginResult,
  },
  /**
   * The core's clock — the one source of "now". The renderer shows this (watermark, 和暦 today), never its own
   * wall clock: in a test the core runs on a fixed clock, on a terminal on the system clock.
   */
  'clock.now': {
    access: pub,
    request: nothing,
    response: z.object({ now: z.string(), today: isoDate }),
  },
  /** The renderer reports the SHA-256 of text it put on the clipboard, so lock and quit can clear it. */
  'clipboard.recordCopy': {
    access: unlocked,
    request: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
    response: z.object({ recorded: z.literal(true) }),
  },
  'residents.search': {
    access: right('resident.search'),
    request: searchRequest,
    response: z.object({ results: z.array(residentSummary), truncated: z.boolean(), limit: z.number().int() }),
  },
  'residents.get': {
    access: right('resident.view'),
    request: z.object({ residentId: id, reason }).strict(),
    response: residentDetail,
  },
  'residents.revealMyNumber': {
    access: right('mynumber.reveal'),
    request: z.object({ residentId: id, reason }).strict(),
    response: z.object({ myNumber: z.string() }),
  },
  /** Printers this terminal may print to (certificates, 回収通知, 決定通知書). */
  'printers.list': {
    access: anyCertificatePrint,
    request: nothing,
    response: z.object({ printers: z.array(z.string()) }),
  },
  /** Prints any certificate type after the print-safety comparison with the preview (fingerprint). */
  'certificates.print': {
    access: anyCertificatePrint,
    request: z.object({ certificateId: id, printerName: z.string().min(1, 'プリンタを選択してください').max(256), fingerprint: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
    response: z.object({ printedAt: z.string() }),
  },
  'audit.verify': {
    access: right('audit.verify'),
    request: nothing,
    response: z.object({ ok: z.boolean(), entries: z.number().int(), message: z.string() }),
  },
  'sync.status': {
    access: session,
    request: nothing,
    response: z.object({
      configured: z.boolean(),
      online: z.boolean().nullable(),
      pending: z.number().int(),
      failed: z.number().int(),
      lastSuccessAt: z.string().nullable(),
      lastError: z.string().nullable(),
    }),
  },
  /** The sync-error list: permanent rejections by the central server (they never block the queue). */
  'sync.rejections': {
    access: unlocked,
    request: nothing,
    response: z.object({ rejections: z.array(z.object({ mutationId: z.number().int(), entity: z.string(), entityId: z.string(), reason: z.string(), rejectedAt: z.string() })) }),
  },
  /** Conflicts held by the central server (two terminals edited one record), for a supervisor. */
  'sync.conflicts': {
    access: right('audit.review'),
    request: nothing,
    response: z.object({
      available: z.boolean(),
      conflicts: z.array(z.object({ conflictId: z.number().int(), terminalId: z.string(), entity: z.string(), entityId: z.string(), createdAt: z.string(), changedFields: z.array(z.object({ field: z.string(), terminal: z.string(), server: z.string() })) })),
    }),
  },
  /** A supervisor's decision on one conflict, carried out by the central server (both edits stay on record). */
  'sync.resolveConflict': {
    access: right('audit.review'),
    request: z
      .object({
        conflictId: z.number().int().positive(),
        resolution: z.enum(['keep_server', 'apply_terminal'], { message: 'どちらを採用するか選択してください' }),
        reason: z.string().trim().min(1, '理由を入力してください').max(200, '理由は200文字以内で入力してください'),
      })
      .strict(),
    response: z.object({ conflictId: z.number().int(), resolution: z.enum(['keep_server', 'apply_terminal']), version: z.number().int(), resolvedAt: z.string(), resolvedBy: z.string() }),
  },
  ...adminChannels,
  ...claimsChannels,
  ...certificatesChannels,
  ...auditChannels,
} as const satisfies Record<ChannelNameList, { access: Access; request: z.ZodType; response: z.ZodType }>;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type RequestOf<C extends ChannelName> = z.input<Channels[C]['request']>;
export type ResponseOf<C extends ChannelName> = z.output<Channels[C]['response']>;

export { CHANNEL_NAMES };
export function isChannelName(x: unknown): x is ChannelName {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(channels, x);
}

/** Turn zod issues into {field path → first Japanese message}. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || '_';
    if (!(key in out)) out[key] = issue.message;
  }
  return out;
}
