/**
 * こども医療費助成 受給資格 (issue 15 §2): a record created at the counter from a 交付申請 (the claim kind
 * `kodomo_shikaku`), checked by another person (二重チェック) and decided (認定 or 却下) by a third. A 認定 makes
 * one kodomo_shikaku record: 取得日・事由, the 保護者, the 主保険 and how the 医療証 is handed over; it ends by 喪失
 * (日, 事由, 届出日) — entered at the counter, or written by the central server's daily job (18歳年度末, 転出, 死亡).
 *
 * Dates are ISO. Like the 国保 資格, a period covers 取得日 ≤ date < 喪失日 (the 喪失日 is the first day not
 * covered). Whatever the record says, the 資格 never runs past the 18歳年度末: its last day is the earlier of
 * the day before the 喪失日 and the 18歳年度末. Pure: the terminal, the renderer and the server use it alike.
 */
import { z } from 'zod';
import { text } from '../text';
import { eighteenthFiscalYearEnd } from './eligibility';
import { addDays, formatWareki, isValidIsoDate } from './wareki';

/** 資格取得の事由 (code → label). */
export const KODOMO_ACQUIRE_REASONS = {
  '01': '出生',
  '02': '転入',
  '03': '健康保険の加入・変更',
  '04': '生活保護の廃止',
  '99': 'その他',
} as const;
export type KodomoAcquireReason = keyof typeof KODOMO_ACQUIRE_REASONS;

/** 資格喪失の事由 (code → label). */
export const KODOMO_LOSE_REASONS = {
  '01': '年齢到達（18歳年度末）',
  '02': '転出',
  '03': '死亡',
  '04': '生活保護の開始',
  '99': 'その他',
} as const;
export type KodomoLoseReason = keyof typeof KODOMO_LOSE_REASONS;
export const LOSE_AGE = '01';
export const LOSE_MOVED_OUT = '02';
export const LOSE_DIED = '03';

/** 主保険の種別. */
export const INSURANCE_KINDS = ['国民健康保険', '全国健康保険協会', '健康保険組合', '共済組合', '国民健康保険組合', 'その他'] as const;
/** 主保険の本人・家族 (the child is normally 家族). */
export const INSURED_RELATIONS = ['本人', '家族'] as const;
export const DELIVERY_METHODS = ['窓口', '郵送'] as const;

const isoDate = (label: string) => z.string(`${label}を入力してください`).refine(isValidIsoDate, `${label}は正しい年月日で入力してください（例: 2026-04-01）`);
const codeOf = <T extends Record<string, string>>(codes: T, label: string) =>
  z.enum(Object.keys(codes) as [keyof T & string, ...(keyof T & string)[]], `${label}を選択してください`);

export const kodomoInsuranceSchema = z.strictObject({
  insurerName: text({ label: '保険者名', min: 1, max: 60 }),
  kind: z.enum(INSURANCE_KINDS, '保険の種別を選択してください'),
  relation: z.enum(INSURED_RELATIONS, '本人・家族の別を選択してください'),
  symbol: text({ label: '記号', min: 0, max: 20 }),
  number: text({ label: '番号', min: 1, max: 20 }),
  branch: text({ label: '枝番', min: 0, max: 2 }).refine((v) => v === '' || /^[0-9]{2}$/.test(v), '枝番は2桁の数字で入力してください（例: 01）'),
});
export type KodomoInsurance = z.output<typeof kodomoInsuranceSchema>;

export const kodomoDeliverySchema = z.discriminatedUnion(
  'method',
  [
    z.strictObject({ method: z.literal('窓口') }),
    z.strictObject({
      method: z.literal('郵送'),
      postalCode: z.string('送付先の郵便番号を入力してください').regex(/^[0-9]{3}-?[0-9]{4}$/, '郵便番号は7桁の数字で入力してください（例: 530-0001）'),
      address: text({ label: '送付先の住所', min: 1, max: 120 }),
      addressee: text({ label: '送付先の宛名', min: 1, max: 60 }),
    }),
  ],
  { error: '交付方法（窓口・郵送）を選択してください' },
);
export type KodomoDelivery = z.output<typeof kodomoDeliverySchema>;

/**
 * The input of a 交付申請 (claim kind kodomo_shikaku). The 申請者 (本人/代理人) and the 本人確認 are the claim's
 * own applicant and identity check (the claim intake rules); the 保護者 is a resident linked to the child as guardian.
 */
export const kodomoShikakuApplicationSchema = z.strictObject({
  acquiredOn: isoDate('資格取得日'),
  acquireReason: codeOf(KODOMO_ACQUIRE_REASONS, '資格取得の事由'),
  guardianId: z.string('保護者を選択してください').min(1, '保護者を選択してください').max(64),
  insurance: kodomoInsuranceSchema,
  delivery: kodomoDeliverySchema,
});
export type KodomoShikakuApplication = z.output<typeof kodomoShikakuApplicationSchema>;

/** A 喪失 entered at the counter. */
export const kodomoLossSchema = z.strictObject({
  lostOn: isoDate('資格喪失日'),
  loseReason: codeOf(KODOMO_LOSE_REASONS, '資格喪失の事由'),
  notifiedOn: isoDate('届出日').nullable(),
});
export type KodomoLoss = z.output<typeof kodomoLossSchema>;

/** One こども 受給資格 as the rules read it. */
export interface KodomoShikaku {
  id: string;
  birthDate: string;
  acquiredOn: string;
  acquireReason: string;
  guardianId: string | null;
  lostOn: string | null;
  loseReason: string | null;
  loseNotifiedOn: string | null;
}

/** The last day the 資格 covers: the day before the 喪失日, never after the 18歳年度末. */
export function kodomoShikakuLastDay(r: KodomoShikaku): string {
  const fiscal = eighteenthFiscalYearEnd(r.birthDate);
  if (r.lostOn === null) return fiscal;
  const before = addDays(r.lostOn, -1);
  return before < fiscal ? before : fiscal;
}

/** Whether the 資格 covers `date`. */
export function kodomoCovers(r: KodomoShikaku, date: string): boolean {
  return r.acquiredOn <= date && date <= kodomoShikakuLastDay(r);
}

/** The 資格 that covers `date`, or null. */
export function kodomoShikakuOn(records: readonly KodomoShikaku[], date: string): KodomoShikaku | null {
  return records.find((r) => kodomoCovers(r, date)) ?? null;
}

/** Whether any day of the month 'YYYY-MM' is covered. */
export function kodomoCoversMonth(records: readonly KodomoShikaku[], month: string): boolean {
  const from = `${month}-01`;
  const to = addDays(`${nextMonth(month)}-01`, -1);
  return records.some((r) => r.acquiredOn <= to && kodomoShikakuLastDay(r) >= from);
}

function nextMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** '令和9年3月31日まで（年齢到達（18歳年度末））' — how the 資格 ends, for staff. */
export function kodomoEndText(r: KodomoShikaku): string {
  const last = kodomoShikakuLastDay(r);
  const fiscal = eighteenthFiscalYearEnd(r.birthDate);
  const why = r.lostOn !== null && addDays(r.lostOn, -1) <= fiscal && r.loseReason
    ? (KODOMO_LOSE_REASONS as Record<string, string>)[r.loseReason] ?? r.loseReason
    : r.lostOn !== null && addDays(r.lostOn, -1) <= fiscal
      ? null
      : '18歳年度末';
  return `${formatWareki(last)}まで${why ? `（${why}）` : ''}`;
}

/** One 資格 for staff: 取得日（事由） and its end. */
export function kodomoShikakuText(r: KodomoShikaku): string {
  const acquire = (KODOMO_ACQUIRE_REASONS as Record<string, string>)[r.acquireReason] ?? r.acquireReason;
  return `${formatWareki(r.acquiredOn)}取得（${acquire}）・${kodomoEndText(r)}`;
}

export const NO_KODOMO_SHIKAKU = 'こども医療費助成の受給資格がありません（交付申請を受け付け、認定されると交付できます）';

/** Why `date` (a day, or a month 'YYYY-MM') is outside every 資格. */
export function kodomoOutsideReason(records: readonly KodomoShikaku[], at: string, label: string): string {
  if (!records.length) return NO_KODOMO_SHIKAKU;
  const from = at.length === 7 ? `${at}-01` : at;
  const ended = records.filter((r) => kodomoShikakuLastDay(r) < from).sort((a, b) => (kodomoShikakuLastDay(a) < kodomoShikakuLastDay(b) ? -1 : 1)).pop();
  if (ended) return `${label}はこども医療費助成の受給資格がありません（${kodomoEndText(ended)}）`;
  const first = [...records].sort((a, b) => (a.acquiredOn < b.acquiredOn ? -1 : 1))[0]!;
  return `${label}はこども医療費助成の受給資格がありません（資格取得日は${formatWareki(first.acquiredOn)}です）`;
}

/**
 * The 医療証's validity within the 資格: from `from` (the 交付日) to the earlier of `to` (the rule's end: 18歳年度末
 * or the next renewal) and the 資格's last day. Null when the 資格 does not cover `from`.
 */
export function kodomoValidityWithin(records: readonly KodomoShikaku[], from: string, to: string): { validFrom: string; validTo: string } | null {
  const r = kodomoShikakuOn(records, from);
  if (!r) return null;
  const last = kodomoShikakuLastDay(r);
  return { validFrom: from, validTo: last < to ? last : to };
}
