import { z } from 'zod';
import { CLAIM_DECISIONS, CLAIM_KINDS, jimuOfClaimKind } from '../domain/claims/claim-kinds';
import { KODOMO_LOSE_REASONS } from '../domain/kodomo-shikaku';
import { jimuRight, rightsOfJimu, type JimuFunction } from '../domain/rights';
import { needs, needsAny } from './access';
import { id, isoDate, jsonInput, reasonText as reasonOf } from './fields';
import { text } from '../text';

/**
 * Claim entry (issue 6): 受付 → 二重チェック by another person → 決裁 → 通知書. Claim inputs travel as JSON
 * objects here and are validated in depth by the claim kind's schema in shared/domain/claims (the same
 * schema the entry form runs live), so a bad figure gets the same Japanese message on both sides.
 */
const reasonText = reasonOf(400);
const json = z.record(z.string(), z.unknown());
const kind = z.enum(CLAIM_KINDS, '請求の種類を選択してください');
/**
 * The 事務 that have 請求 (claim kinds): a claim right of another 事務 (生活保護's claim.* rights are for its 扶助
 * flows, shared/ipc/seikatsu-contract.ts) opens no claim channel, so its holder sees no empty 請求 menu.
 */
export const CLAIM_JIMU = [...new Set(CLAIM_KINDS.map(jimuOfClaimKind))];
const claimRights = (...fns: JimuFunction[]) => CLAIM_JIMU.flatMap((j) => fns.map((f) => jimuRight(j, f)));
const anyOf = (fn: JimuFunction) => needsAny(claimRights(fn));
const anyClaimRight = needsAny(claimRights('claim.enter', 'claim.check', 'claim.approve'));

const breakdownLine = z.object({ label: z.string(), amount: z.number(), kind: z.enum(['base', 'deduct', 'result', 'info']), lineIndex: z.number().int().optional() });

export const claimSummary = z.object({
  id,
  claimNo: z.string(),
  kind,
  residentId: id,
  residentName: z.string(),
  atenaNo: z.string(),
  applicationDate: z.string(),
  state: z.enum(['received', 'checked', 'decided', 'withdrawn']),
  amountYen: z.number().int().nullable(),
  decision: z.string().nullable(),
  enteredBy: z.string(),
  checkedBy: z.string().nullable(),
  decidedBy: z.string().nullable(),
  deadlineExpired: z.boolean(),
  revision: z.number().int(),
  updatedAt: z.string(),
});
export type ClaimSummary = z.infer<typeof claimSummary>;

export const claimEvent = z.object({ at: z.string(), by: z.string(), event: z.string(), reason: z.string().nullable(), detail: json });

export const claimDetail = claimSummary.extend({
  version: z.number().int(),
  applicantId: id.nullable(),
  applicantName: z.string().nullable(),
  input: json,
  identity: json,
  bank: z.object({ bankCode: z.string(), bankName: z.string(), branchCode: z.string(), branchName: z.string(), depositType: z.string(), accountNumber: z.string(), holderKana: z.string(), publicFundAccount: z.boolean() }).nullable(),
  breakdown: z.array(breakdownLine),
  notes: z.array(z.string()),
  deadline: z.string().nullable(),
  suggestion: z.object({ decision: z.string(), reason: z.string().nullable() }).nullable(),
  decisionReason: z.string().nullable(),
  overrideReason: z.string().nullable(),
  noticeNo: z.string().nullable(),
  events: z.array(claimEvent),
  /** What the asking member of staff may do with it now (buttons shown). */
  may: z.object({ check: z.boolean(), correct: z.boolean(), decide: z.boolean(), printNotice: z.boolean() }),
  /** Labels of the key figures a checker re-enters blind (never their values before the check). */
  checkFields: z.array(z.object({ key: z.string(), label: z.string() })),
  /** True when the figures are withheld from this (possible) checker: see ClaimService.detail. */
  redacted: z.boolean(),
});
export type ClaimDetail = z.infer<typeof claimDetail>;

const bankAccountInput = z
  .object({
    bankCode: text({ label: '金融機関コード', max: 8 }),
    branchCode: text({ label: '支店コード', max: 8 }),
    depositType: text({ label: '預金種目', max: 4 }),
    accountNumber: text({ label: '口座番号', max: 16 }),
    holderKana: text({ label: '口座名義', max: 60 }),
    publicFundAccount: z.boolean(),
    publicFundConsent: z.boolean(),
  })
  .strict();

const claimFields = {
  applicantId: id.nullable(),
  applicationDate: isoDate,
  input: jsonInput,
  identity: jsonInput,
  bank: bankAccountInput.nullable(),
};

export const printableNotice = z.object({
  claimId: id,
  title: z.string(),
  noticeNo: z.string(),
  claimNo: z.string(),
  kindLabel: z.string(),
  issueDate: z.string(),
  /** 〒 and address (both empty when the address is withheld: DV等支援措置). */
  addressee: z.object({ name: z.string(), postalCode: z.string(), address: z.string(), addressWithheld: z.boolean() }),
  subjectName: z.string(),
  decision: z.string(),
  amountYen: z.number().int().nullable(),
  breakdown: z.array(breakdownLine),
  reason: z.string().nullable(),
  bankLine: z.string().nullable(),
  municipalityName: z.string(),
  issuerTitle: z.string(),
  /** 教示: 審査請求 and 取消訴訟. */
  appeal: z.object({ review: z.string(), lawsuit: z.string() }),
});
export type PrintableNotice = z.infer<typeof printableNotice>;

const vaccinationRecord = z.object({
  id,
  version: z.number().int(),
  vaccine: z.string(),
  vaccineName: z.string(),
  stage: z.string().nullable(),
  doseNumber: z.number().int(),
  doseLabel: z.string(),
  administeredOn: z.string(),
  lotNumber: z.string().nullable(),
  institution: z.string(),
  overseas: z.boolean(),
  invalid: z.boolean(),
  invalidatedReason: z.string().nullable(),
  replaces: z.string().nullable(),
  replacedBy: z.string().nullable(),
  enteredBy: z.string(),
});
export type VaccinationRecordView = z.infer<typeof vaccinationRecord>;
const vaccinationEntry = z
  .object({
    vaccine: text({ label: 'ワクチン', max: 20 }),
    stage: text({ label: '期', max: 20 }).nullable(),
    doseNumber: z.number().int(),
    administeredOn: text({ label: '接種日', max: 10 }),
    lotNumber: text({ label: 'ロット番号', max: 30 }).nullable(),
    institution: text({ label: '医療機関', max: 100 }),
    overseas: z.boolean(),
  })
  .strict();

/** The key a draft is saved under (chosen by the entry form). */
const draftKey = text({ label: '下書きの名前', min: 1, max: 80 });

const bankEntry = z.object({ code: z.string(), name: z.string(), kana: z.string() });

export const claimsChannels = {
  /** Rules the entry form needs to compute the breakdown live, and the kinds this member of staff may enter. */
  'claims.context': {
    access: anyClaimRight,
    request: z.object({}).strict(),
    response: z.object({ kinds: z.array(kind), settings: json, tables: json, today: z.string() }),
  },
  'claims.receive': {
    access: anyOf('claim.enter'),
    request: z.object({ kind, residentId: id, draftKey: draftKey.nullable(), ...claimFields }).strict(),
    response: claimDetail,
  },
  /** `reveal`: a possible checker asks to see the figures (then only a field-by-field check remains for this revision). */
  'claims.get': { access: anyClaimRight, request: z.object({ claimId: id, reveal: z.boolean().default(false) }).strict(), response: claimDetail },
  /** 二重チェック: blind re-entry of the key figures, or field-by-field confirmation against the paper. */
  'claims.check': {
    access: anyOf('claim.check'),
    request: z
      .object({
        claimId: id,
        version: z.number().int(),
        mode: z.enum(['blind', 'confirm']),
        figures: z.record(text({ label: '確認項目', max: 40 }), text({ label: '確認の値', max: 40 })).default({}),
        confirmedAll: z.boolean().default(false),
      })
      .strict(),
    response: z.object({ result: z.enum(['checked', 'mismatch']), mismatches: z.array(z.object({ key: z.string(), label: z.string() })), claim: claimDetail }),
  },
  /** A correction: a new revision with a reason; the history keeps the previous one; the check starts over. */
  'claims.correct': {
    access: anyOf('claim.enter'),
    request: z.object({ claimId: id, version: z.number().int(), reason: reasonText, ...claimFields }).strict(),
    response: claimDetail,
  },
  'claims.decide': {
    access: anyOf('claim.approve'),
    request: z
      .object({
        claimId: id,
        version: z.number().int(),
        decision: z.enum(CLAIM_DECISIONS, '決定（支給・不支給など）を選択してください'),
        reason: text({ label: '理由', max: 400 }).nullable(),
        overrideReason: text({ label: '期限経過の理由', max: 400 }).nullable(),
      })
      .strict(),
    response: claimDetail,
  },
  /** こども医療 受給資格の喪失 (日, 事由, 届出日), by someone who decides こども医療 claims (kodomo:claim.approve). */
  'shikaku.kodomo.lose': {
    access: needs('kodomo:claim.approve'),
    request: z
      .object({
        shikakuId: id,
        version: z.number().int(),
        lostOn: isoDate,
        loseReason: z.enum(Object.keys(KODOMO_LOSE_REASONS) as [keyof typeof KODOMO_LOSE_REASONS], '資格喪失の事由を選択してください'),
        notifiedOn: isoDate.nullable(),
      })
      .strict(),
    /** The 資格's last day now, and the number of the こども医療証 put on the 回収リスト (null: none was valid past it). */
    response: z.object({ lastDay: z.string(), recalled: z.string().nullable() }),
  },
  /** Work queues: 要確認 (for checkers), 要決裁 (for approvers), and one's own entries. */
  'claims.queue': {
    access: anyClaimRight,
    request: z.object({ queue: z.enum(['check', 'approve', 'mine']) }).strict(),
    response: z.object({ claims: z.array(claimSummary) }),
  },
  'claims.byResident': { access: anyClaimRight, request: z.object({ residentId: id }).strict(), response: z.object({ claims: z.array(claimSummary) }) },
  /** The notice, and how often it was printed before (a further print is a 再印刷 and asks first). */
  'claims.noticeView': { access: anyOf('claim.approve'), request: z.object({ claimId: id }).strict(), response: printableNotice.extend({ timesPrinted: z.number().int() }) },
  'claims.printNotice': {
    access: anyOf('claim.approve'),
    request: z.object({ claimId: id, printerName: text({ label: 'プリンタ', min: 1, max: 200, requiredMessage: 'プリンタを選択してください' }) }).strict(),
    response: z.object({ printedAt: z.string() }),
  },
  'claims.draft.save': {
    access: anyOf('claim.enter'),
    request: z.object({ key: draftKey, data: jsonInput }).strict(),
    response: z.object({ savedAt: z.string() }),
  },
  'claims.draft.load': {
    access: anyOf('claim.enter'),
    request: z.object({ key: draftKey }).strict(),
    response: z.object({ data: json.nullable(), savedAt: z.string().nullable() }),
  },
  'claims.draft.discard': { access: anyOf('claim.enter'), request: z.object({ key: draftKey }).strict(), response: z.object({ discarded: z.literal(true) }) },
  /** 全銀 codes: names shown as staff type (the list stays in the main process). */
  'banks.search': {
    access: anyOf('claim.enter'),
    request: z.object({ bankCode: text({ label: '金融機関コード', max: 4 }).nullable(), query: text({ label: '検索語', max: 40 }) }).strict(),
    response: z.object({ results: z.array(bankEntry) }),
  },
  'vaccinations.list': { access: needsAny(rightsOfJimu('yobou')), request: z.object({ residentId: id }).strict(), response: z.object({ records: z.array(vaccinationRecord) }) },
  'vaccinations.add': {
    access: needs('yobou:claim.enter'),
    request: z.object({ residentId: id, entry: vaccinationEntry }).strict(),
    response: z.object({ records: z.array(vaccinationRecord) }),
  },
  'vaccinations.correct': {
    access: needs('yobou:claim.enter'),
    request: z.object({ recordId: id, version: z.number().int(), entry: vaccinationEntry, reason: reasonText }).strict(),
    response: z.object({ records: z.array(vaccinationRecord) }),
  },
} as const;
