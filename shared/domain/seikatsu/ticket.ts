/**
 * 医療券・調剤券・介護券 (生活保護の給付券): the monthly ticket a 福祉事務所 sends to the 指定医療機関 / 指定介護機関
 * (seed 001 別添1 (3) 8「月別の給付券を指定医療機関等に交付する」, (4) 7 for 介護). Pure rules, zod input, Japanese
 * messages:
 *
 * - kind and 診療別: 医療券 = 入院 / 入院外 / 歯科 / 訪問看護; 調剤券 = 調剤; 介護券 = 介護 (介護扶助).
 * - one ticket per recipient, month, 指定機関 and 診療別 (`findDuplicateTicket`).
 * - valid for its month, from the 扶助開始日 when the 扶助 starts within the month, and never on or after the
 *   廃止日 (`ticketValidity`): a 廃止 stops every later month's ticket.
 * - 公費負担者番号 (法別 12) and 受給者番号 with their check digits (./numbers.ts, shared/domain/houbetsu.ts).
 * - 本人支払額, 単独/併用 (and the 社会保険 when 併用), 傷病名 (医療券), ケース番号, 地区担当員.
 */
import { z } from 'zod';
import { addDays, isValidIsoDate } from '../wareki';
import { text } from '../../text';
import { firstDayOfMonth, isYearMonth, isoDate, lastDayOfMonth, yen } from '../claims/common';
import { recipientNumberProblem, seikatsuPublicPayerProblem } from './numbers';

export const TICKET_KINDS = ['医療券', '調剤券', '介護券'] as const;
export type TicketKind = (typeof TICKET_KINDS)[number];

export const SHINRYO_KINDS = ['入院', '入院外', '歯科', '調剤', '訪問看護', '介護'] as const;
export type ShinryoKind = (typeof SHINRYO_KINDS)[number];

/** The 診療別 each kind of ticket may carry. */
export const SHINRYO_OF_KIND: Readonly<Record<TicketKind, readonly ShinryoKind[]>> = {
  医療券: ['入院', '入院外', '歯科', '訪問看護'],
  調剤券: ['調剤'],
  介護券: ['介護'],
};

/** The 扶助 a ticket is issued under. */
export function aidOfTicketKind(kind: TicketKind): '医療扶助' | '介護扶助' {
  return kind === '介護券' ? '介護扶助' : '医療扶助';
}

export const COVERAGE_KINDS = ['単独', '併用'] as const;
export type CoverageKind = (typeof COVERAGE_KINDS)[number];

const digits = (label: string, re: RegExp, rule: string) => z.string({ error: `${label}を入力してください` }).regex(re, `${label}は${rule}`);

/** 指定医療機関コード: 7 digits (点数表・都道府県を除く) or 10 digits (都道府県番号 2 + 点数表番号 1 + 7). */
export const medicalInstitutionCode = digits('指定医療機関コード', /^(?:[0-9]{7}|[0-9]{10})$/, '7桁または10桁の半角数字です');
/** 指定介護機関 (介護保険事業所番号): 10 characters, digits (the 基準該当 'A'–'Z' in the 3rd place is not handled). */
export const careInstitutionCode = digits('指定介護機関番号', /^[0-9]{10}$/, '10桁の半角数字です');

/** 社会保険 of a 併用 ticket: the insurance the 医療扶助 supplements. */
export const socialInsuranceSchema = z.strictObject({
  /** 保険者番号: 6 digits (国保) or 8 digits (被用者保険・後期高齢者医療 39…). */
  insurerNo: digits('社会保険の保険者番号', /^(?:[0-9]{6}|[0-9]{8})$/, '6桁または8桁の半角数字です'),
  symbol: text({ label: '社会保険の被保険者証記号', max: 20 }),
  number: text({ label: '社会保険の被保険者証番号', min: 1, max: 20 }),
  branch: digits('社会保険の枝番', /^(?:[0-9]{2})?$/, '2桁の半角数字です（なければ空欄）').default(''),
});

export const ticketRequestSchema = z
  .strictObject({
    kind: z.enum(TICKET_KINDS, { error: '券の種類は医療券・調剤券・介護券のいずれかです' }),
    shinryo: z.enum(SHINRYO_KINDS, { error: '診療別は入院・入院外・歯科・調剤・訪問看護・介護のいずれかです' }),
    /** 対象年月 'YYYY-MM'. */
    month: z.string({ error: '対象年月を入力してください' }).refine(isYearMonth, '対象年月は年月（例: 2026-04）で入力してください'),
    /** The recipient (the terminal's residents record ID). */
    residentId: z.string({ error: '受給者を指定してください' }).min(1, '受給者を指定してください'),
    recipientNo: z.string({ error: '受給者番号を入力してください' }).superRefine((v, ctx) => {
      const p = recipientNumberProblem(v);
      if (p) ctx.addIssue({ code: 'custom', message: p });
    }),
    publicPayerNo: z.string({ error: '公費負担者番号を入力してください' }).superRefine((v, ctx) => {
      const p = seikatsuPublicPayerProblem(v);
      if (p) ctx.addIssue({ code: 'custom', message: p });
    }),
    /** 指定医療機関 / 指定介護機関 code (checked against the kind below). */
    institutionCode: z.string({ error: '指定機関のコードを入力してください' }),
    institutionName: text({ label: '指定機関名', min: 1, max: 100 }),
    /** 処方箋発行元医療機関 (調剤券 only). */
    prescriberCode: z.string().nullable().default(null),
    /** ケース番号 (生活保護 system). */
    caseNo: digits('ケース番号', /^[0-9]{1,10}$/, '1〜10桁の半角数字です'),
    /** 地区担当員 (staff ID of the caseworker). */
    caseworker: digits('地区担当員', /^[A-Za-z0-9]{3,32}$/, '職員ID（英数字3〜32文字）です'),
    /** 傷病名: at least one on a 医療券; none on a 介護券. */
    diseaseNames: z.array(text({ label: '傷病名', min: 1, max: 100 })).max(10, '傷病名は10件までです').default([]),
    selfPayYen: yen('本人支払額'),
    coverage: z.enum(COVERAGE_KINDS, { error: '単独/併用の別は単独か併用です' }),
    socialInsurance: socialInsuranceSchema.nullable().default(null),
    /** 扶助開始日 (医療扶助 or 介護扶助 決定 from this day). */
    aidStartOn: isoDate('扶助開始日'),
    /** 廃止日: the 扶助 ends; the ticket is valid up to the day before. */
    abolishedOn: isoDate('廃止日').nullable().default(null),
    /** 感染症法第37条の2 該当 / 後期高齢者医療 該当 / 都道府県費 該当 (オンライン資格確認 items). */
    infectiousDisease37_2: z.boolean().default(false),
    lateElderly: z.boolean().default(false),
    prefecturalCost: z.boolean().default(false),
  })
  .superRefine((t, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (!SHINRYO_OF_KIND[t.kind].includes(t.shinryo)) {
      issue('shinryo', `${t.kind}の診療別は${SHINRYO_OF_KIND[t.kind].join('・')}です`);
    }
    const inst = (t.kind === '介護券' ? careInstitutionCode : medicalInstitutionCode).safeParse(t.institutionCode);
    if (!inst.success) issue('institutionCode', inst.error.issues[0]!.message);
    if (t.kind === '調剤券') {
      if (!t.prescriberCode) issue('prescriberCode', '調剤券には処方箋発行元医療機関が必要です');
      else if (!medicalInstitutionCode.safeParse(t.prescriberCode).success) issue('prescriberCode', '処方箋発行元医療機関のコードは7桁または10桁の半角数字です');
    } else if (t.prescriberCode) {
      issue('prescriberCode', '処方箋発行元医療機関は調剤券にだけ書きます');
    }
    if (t.kind === '医療券' && t.diseaseNames.length === 0) issue('diseaseNames', '医療券には傷病名が必要です');
    if (t.kind === '介護券' && t.diseaseNames.length > 0) issue('diseaseNames', '介護券に傷病名は書きません');
    if (t.coverage === '併用' && !t.socialInsurance) issue('socialInsurance', '併用の券には社会保険（保険者番号・記号・番号）が必要です');
    if (t.coverage === '単独' && t.socialInsurance) issue('socialInsurance', '単独の券に社会保険は書きません（併用を選んでください）');
    if (t.abolishedOn && isValidIsoDate(t.aidStartOn) && isValidIsoDate(t.abolishedOn) && t.abolishedOn <= t.aidStartOn) {
      issue('abolishedOn', '廃止日は扶助開始日より後の日付です');
    }
  });

export type TicketRequestInput = z.input<typeof ticketRequestSchema>;
export type TicketRequest = z.output<typeof ticketRequestSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; problems: { path: string; message: string }[] };

/** Parses a ticket request: the request, or the problems (Japanese, each with its field). */
export function parseTicketRequest(input: unknown): Result<TicketRequest> {
  const r = ticketRequestSchema.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, problems: r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) };
}

export type Validity = { ok: true; from: string; to: string } | { ok: false; message: string };

/**
 * The days a ticket of `month` is valid: the month, cut at the start by the 扶助開始日 (a 扶助 starting mid-month
 * gives a ticket from that day) and at the end by the 廃止日 (valid through the day before it; a 廃止日 on the 1st
 * of a month means no ticket for that month). A month before the start or from the 廃止日 on has no ticket.
 *
 * The seed says only 「月別の給付券」; the cut at the 廃止日 − 1 is this product's choice (the 廃止日 is the first day
 * without the 扶助, as a 保護廃止決定's 廃止年月日 is read).
 */
export function ticketValidity(month: string, aidStartOn: string, abolishedOn: string | null): Validity {
  if (!isYearMonth(month)) return { ok: false, message: '対象年月は年月（例: 2026-04）で入力してください' };
  if (!isValidIsoDate(aidStartOn)) return { ok: false, message: '扶助開始日が正しい日付ではありません' };
  if (abolishedOn !== null && !isValidIsoDate(abolishedOn)) return { ok: false, message: '廃止日が正しい日付ではありません' };
  const monthStart = firstDayOfMonth(month);
  const monthEnd = lastDayOfMonth(month);
  if (aidStartOn > monthEnd) return { ok: false, message: `扶助開始日（${aidStartOn}）より前の月の券は発行できません` };
  const from = aidStartOn > monthStart ? aidStartOn : monthStart;
  const lastDay = abolishedOn === null ? null : addDays(abolishedOn, -1);
  const to = lastDay !== null && lastDay < monthEnd ? lastDay : monthEnd;
  if (lastDay !== null && lastDay < from) return { ok: false, message: `廃止日（${abolishedOn}）以後の月の券は発行できません（廃止日の前日まで有効）` };
  return { ok: true, from, to };
}

/** What makes two tickets the same ticket: one per recipient, month, 指定機関 and 診療別. */
export interface TicketKey {
  residentId: string;
  month: string;
  institutionCode: string;
  shinryo: ShinryoKind;
}

/** A ticket already issued (or being issued) for the duplicate check; cancelled ones do not count. */
export interface ExistingTicket extends TicketKey {
  id: string;
  /** 交付番号. */
  issueNo: string;
  status: 'valid' | 'cancelled';
}

export function sameTicket(a: TicketKey, b: TicketKey): boolean {
  return a.residentId === b.residentId && a.month === b.month && a.institutionCode === b.institutionCode && a.shinryo === b.shinryo;
}

/**
 * The issued ticket `request` would duplicate, with a Japanese message, or null. A cancelled ticket (取消) does not
 * block a new one (the re-issue after a correction).
 */
export function findDuplicateTicket(existing: readonly ExistingTicket[], request: TicketKey): { ticket: ExistingTicket; message: string } | null {
  const t = existing.find((e) => e.status === 'valid' && sameTicket(e, request));
  if (!t) return null;
  return { ticket: t, message: `この受給者の${request.month}の${request.shinryo}の券は、この指定機関にすでに交付されています（交付番号 ${t.issueNo}）` };
}

/** A ticket ready to be issued: the request, its validity and its 交付番号. */
export interface IssuedTicket extends TicketRequest {
  issueNo: string;
  validFrom: string;
  validTo: string;
}

/**
 * Everything that decides whether a ticket may be issued: the input, the validity for its month, and the duplicate
 * check. The caller supplies the 交付番号 (from its number block) and the tickets already issued.
 */
export function prepareTicket(input: unknown, existing: readonly ExistingTicket[], issueNo: string): Result<IssuedTicket> {
  const parsed = parseTicketRequest(input);
  if (!parsed.ok) return parsed;
  const t = parsed.value;
  if (!/^[0-9A-Z]{1,20}$/.test(issueNo)) return { ok: false, problems: [{ path: 'issueNo', message: '交付番号は英大文字・数字20文字以内です' }] };
  const v = ticketValidity(t.month, t.aidStartOn, t.abolishedOn);
  if (!v.ok) return { ok: false, problems: [{ path: 'month', message: v.message }] };
  const dup = findDuplicateTicket(existing, t);
  if (dup) return { ok: false, problems: [{ path: '', message: dup.message }] };
  return { ok: true, value: { ...t, issueNo, validFrom: v.from, validTo: v.to } };
}

/**
 * The tickets of one month to issue for standing 扶助 (the monthly run): for each standing line (recipient,
 * 指定機関, 診療別) whose 扶助 covers some day of the month and which has no ticket yet. Lines whose 扶助 was
 * abolished before the month are left out — "a 廃止 stops next month's 券".
 */
export function monthlyTicketLines<L extends TicketKey & { aidStartOn: string; abolishedOn: string | null }>(
  month: string,
  standing: readonly L[],
  existing: readonly ExistingTicket[],
): { line: L; from: string; to: string }[] {
  const out: { line: L; from: string; to: string }[] = [];
  for (const line of standing) {
    const key = { ...line, month };
    const v = ticketValidity(month, line.aidStartOn, line.abolishedOn);
    if (!v.ok || findDuplicateTicket(existing, key)) continue;
    out.push({ line: { ...line, month }, from: v.from, to: v.to });
  }
  return out;
}
