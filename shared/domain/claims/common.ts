/**
 * Shared pieces of the claim calculations: input validation with Japanese messages, 診療年月 arithmetic,
 * integer-yen helpers and the breakdown line the UI shows to the resident. Pure: no Node, no DOM.
 */
import { z } from 'zod';
import { daysInMonth, isValidIsoDate, toWareki } from '../wareki';

/** One line of the explanation shown to the resident. Amounts are integer yen and never negative. */
export type BreakdownLine = {
  label: string;
  amount: number;
  /** base: an amount paid or due; deduct: subtracted; result: a (sub)total or the amount paid out; info: not summed. */
  kind: 'base' | 'deduct' | 'result' | 'info';
  /** The receipt / charge line (0-based, in input order) this line explains, when it explains one. */
  lineIndex?: number;
};

/** Invalid claim input. `issues` name the field (zod path) and say what is wrong, in Japanese. */
export class ClaimInputError extends Error {
  readonly issues: ReadonlyArray<{ path: string; message: string }>;
  constructor(issues: ReadonlyArray<{ path: string; message: string }>) {
    super(`入力内容に誤りがあります:\n${issues.map((i) => `  ${i.path || '(全体)'}: ${i.message}`).join('\n')}`);
    this.name = 'ClaimInputError';
    this.issues = issues;
  }
}

/** A setting the calculation needs is missing from the rule profile or rule tables. */
export class ClaimSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClaimSettingsError';
  }
}

export function parseClaimInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) {
    throw new ClaimInputError(r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })));
  }
  return r.data;
}

/** The largest amount accepted anywhere (10億円): far above any monthly medical cost, far below 2^53. */
export const MAX_YEN = 1_000_000_000;

export const yen = (label: string) =>
  z
    .number({ error: `${label}は数値で入力してください` })
    .int(`${label}は1円単位の整数で入力してください`)
    .min(0, `${label}に負の金額は入力できません`)
    .max(MAX_YEN, `${label}が大きすぎます`);

export const isoDate = (label: string) =>
  z
    .string({ error: `${label}を入力してください` })
    .refine(isValidIsoDate, `${label}は正しい年月日で入力してください（例: 2026-04-01）`);

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** 'YYYY-MM' (e.g. 診療年月). */
export const yearMonth = (label: string) =>
  z
    .string({ error: `${label}を入力してください` })
    .regex(MONTH_RE, `${label}は年月（例: 2026-04）で入力してください`)
    .refine((m) => Number(m.slice(0, 4)) >= 1900, `${label}が古すぎます`);

export function isYearMonth(s: unknown): s is string {
  return typeof s === 'string' && MONTH_RE.test(s) && Number(s.slice(0, 4)) >= 1900;
}

function splitMonth(m: string): { y: number; mo: number } {
  if (!isYearMonth(m)) throw new RangeError(`年月の形式が正しくありません（YYYY-MM 形式で指定してください）: ${String(m)}`);
  return { y: Number(m.slice(0, 4)), mo: Number(m.slice(5, 7)) };
}

/** Months since year 0, so that consecutive months differ by 1. */
export function monthIndex(m: string): number {
  const { y, mo } = splitMonth(m);
  return y * 12 + (mo - 1);
}

export function daysInYearMonth(m: string): number {
  const { y, mo } = splitMonth(m);
  return daysInMonth(y, mo);
}

export function firstDayOfMonth(m: string): string {
  splitMonth(m);
  return `${m}-01`;
}

export function lastDayOfMonth(m: string): string {
  return `${m}-${String(daysInYearMonth(m)).padStart(2, '0')}`;
}

/** '2026-04' → '令和8年4月' (元年 for the first year of an era). */
export function formatMonthJa(m: string): string {
  const w = toWareki(firstDayOfMonth(m));
  return `${w.era}${w.year === 1 ? '元' : w.year}年${w.month}月`;
}

/** 2500 → '2,500円'. */
export function formatYen(n: number): string {
  return `${String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}円`;
}

/**
 * A rate given to two decimals (0.7, 0.01…) as an integer number of hundredths, so that yen × rate is
 * integer arithmetic: 0.7 → 70. Throws unless the rate has at most two decimals.
 */
export function rateToHundredths(rate: number): number {
  const h = Math.round(rate * 100);
  if (!Number.isFinite(rate) || Math.abs(rate * 100 - h) > 1e-9) {
    throw new RangeError(`割合は0.01単位で指定してください（${rate}）`);
  }
  return h;
}

export function hasAtMostTwoDecimals(n: number): boolean {
  return Number.isFinite(n) && Math.abs(n * 100 - Math.round(n * 100)) <= 1e-9;
}

/** floor(amount × hundredths / 100) on integers (1円未満切り捨て). */
export function applyRateFloor(amount: number, hundredths: number): number {
  return Math.floor((amount * hundredths) / 100);
}

/**
 * amount × percent / 100, rounded to the yen with 50銭 and above rounded up (健康保険法施行令42条 style
 * 四捨五入). `percent` may have two decimals; everything is computed on integers.
 */
export function applyPercentHalfUp(amount: number, percent: number): number {
  const h = rateToHundredths(percent); // percent × 100
  const num = amount * h; // yen × 10,000
  return Math.floor((num + 5000) / 10000);
}

/** The 5 receipt kinds of Japanese レセプト: 医科/歯科 × 入院/入院外(通院), and 調剤. */
export const RECEIPT_CATEGORIES = [
  'medical-inpatient',
  'medical-outpatient',
  'dental-inpatient',
  'dental-outpatient',
  'pharmacy',
] as const;
export type ReceiptCategory = (typeof RECEIPT_CATEGORIES)[number];

export const RECEIPT_CATEGORY_LABELS: Readonly<Record<ReceiptCategory, string>> = {
  'medical-inpatient': '医科・入院',
  'medical-outpatient': '医科・通院',
  'dental-inpatient': '歯科・入院',
  'dental-outpatient': '歯科・通院',
  pharmacy: '調剤',
};

export function isInpatient(c: ReceiptCategory): boolean {
  return c === 'medical-inpatient' || c === 'dental-inpatient';
}

export function isDental(c: ReceiptCategory): boolean {
  return c === 'dental-inpatient' || c === 'dental-outpatient';
}

/** 医療機関コード: 7 digits, or 10 digits with 都道府県番号 and 点数表番号. */
export const institutionCode = z
  .string({ error: '医療機関コードを入力してください' })
  .regex(/^(?:[0-9]{7}|[0-9]{10})$/, '医療機関コードは7桁または10桁の数字で入力してください');

export const institutionName = z
  .string({ error: '医療機関名を入力してください' })
  .trim()
  .min(1, '医療機関名を入力してください')
  .max(100, '医療機関名が長すぎます（100文字まで）');
