/**
 * Dated, versioned rule tables for the 国保 claims (resources/rules/*.json). National amounts change by
 * 政令 on a given date, so they are DATA with validity periods, never constants in code: a calculation
 * picks the period valid for its 診療月 / 出産日. Validated at load (loadRuleTables); a bad table stops
 * the start with a message naming the field.
 */
import { z } from 'zod';
import { text } from '../../text';
import { addDays, compareIso, isValidIsoDate } from '../wareki';
import { hasAtMostTwoDecimals, isoDate, yen } from './common';

/** 70歳未満 所得区分. The 70歳以上 区分 (現役並みⅠ〜Ⅲ, 一般, 低所得Ⅰ・Ⅱ, 外来特例) are left out: scope is under-70. */
export const KOGAKU_KUBUN = ['ア', 'イ', 'ウ', 'エ', 'オ'] as const;
export type KogakuKubun = (typeof KOGAKU_KUBUN)[number];

/**
 * One 区分's monthly household limit: base + (医療費 − costThreshold) × excessRatePercent% when
 * costThreshold is set (ア〜ウ), a flat base otherwise (エ・オ). manyTimes is the flat 多数回該当 limit.
 */
const limitRowSchema = z
  .object({
    base: yen('基本額'),
    costThreshold: yen('医療費の基準額').nullable(),
    excessRatePercent: z
      .number()
      .min(0, '加算率は0以上です')
      .max(100, '加算率は100以下です')
      .refine(hasAtMostTwoDecimals, '加算率は0.01%単位で指定してください'),
    manyTimes: yen('多数回該当の額'),
  })
  .strict()
  .refine((r) => (r.costThreshold === null) === (r.excessRatePercent === 0), {
    message: '医療費の基準額と加算率は両方指定するか、両方なし（null と 0）にしてください',
    path: ['costThreshold'],
  });
export type KogakuLimitRow = z.infer<typeof limitRowSchema>;

function contiguous<T extends { validFrom: string; validTo: string | null }>(
  periods: readonly T[],
  ctx: z.RefinementCtx,
): void {
  // Runs only on well-formed dates (a malformed one already has its own issue).
  if (!periods.every((p) => isValidIsoDate(p.validFrom) && (p.validTo === null || isValidIsoDate(p.validTo)))) return;
  periods.forEach((p, i) => {
    if (p.validTo !== null && compareIso(p.validTo, p.validFrom) < 0) {
      ctx.addIssue({ code: 'custom', path: ['periods', i, 'validTo'], message: '適用終了日が適用開始日より前です' });
    }
    const next = periods[i + 1];
    if (!next) return;
    if (p.validTo === null) {
      ctx.addIssue({ code: 'custom', path: ['periods', i, 'validTo'], message: '最後の期間以外は適用終了日が必要です' });
    } else if (addDays(p.validTo, 1) !== next.validFrom) {
      ctx.addIssue({
        code: 'custom',
        path: ['periods', i + 1, 'validFrom'],
        message: `適用期間は前の期間の翌日（${addDays(p.validTo, 1)}）から始めてください（期間の重なり・空白は不可）`,
      });
    }
  });
}

const periodBase = {
  validFrom: isoDate('適用開始日'),
  validTo: isoDate('適用終了日').nullable(),
  /** Caveats shown to staff with every result computed from this period (e.g. provisional amounts). */
  note: text({ label: '注記', min: 1, max: 400 }).optional(),
};

const version = z.string().regex(/^[0-9A-Za-z.-]{1,32}$/, '版（version）の形式が正しくありません');

export const kogakuPeriodSchema = z
  .object({
    ...periodBase,
    limits: z.object({ ア: limitRowSchema, イ: limitRowSchema, ウ: limitRowSchema, エ: limitRowSchema, オ: limitRowSchema }).strict(),
    /** 世帯合算: under 70, only a (person × institution × 入院/通院 × 医科/歯科) charge of at least this combines. */
    householdCombineMinimum: yen('世帯合算の基準額'),
    /** 多数回該当: from the fromNth 該当 within windowMonths months (the 診療月 itself included). */
    manyTimes: z
      .object({
        windowMonths: z.number().int().min(1).max(24),
        fromNth: z.number().int().min(2).max(24),
      })
      .strict(),
    /** false when the 多数回 amounts of this period are not confirmed (see note). */
    manyTimesConfirmed: z.boolean(),
    /**
     * 年間上限 per 区分. Reported for 2026-08 but its amounts are not in our facts: null means "not
     * modelled"; a calculation over such a period says so in its notes.
     */
    annualCap: z
      .object({ ア: yen('年間上限'), イ: yen('年間上限'), ウ: yen('年間上限'), エ: yen('年間上限'), オ: yen('年間上限') })
      .strict()
      .nullable()
      .default(null),
  })
  .strict();
export type KogakuPeriod = z.infer<typeof kogakuPeriodSchema>;

export const kogakuTableSchema = z
  .object({
    kind: z.literal('kokuho-kogaku'),
    version,
    /** Human description, e.g. 対象年齢 and sources. */
    description: text({ label: '説明', min: 1, max: 400 }),
    periods: z.array(kogakuPeriodSchema).min(1, '適用期間を1つ以上指定してください'),
  })
  .strict()
  .superRefine((t, ctx) => contiguous(t.periods, ctx));
export type KogakuTable = z.infer<typeof kogakuTableSchema>;

export const shussanPeriodSchema = z
  .object({
    ...periodBase,
    /** 出産育児一時金 per child (産科医療補償制度に加入する医療機関等で妊娠22週以降の出産). */
    perChild: yen('一時金の額'),
    /** Per child outside 産科医療補償制度, or before 22 weeks. */
    reducedPerChild: yen('一時金の額（産科医療補償制度対象外）'),
  })
  .strict()
  .refine((p) => p.reducedPerChild <= p.perChild, { message: '対象外の額が通常の額を超えています', path: ['reducedPerChild'] });
export type ShussanPeriod = z.infer<typeof shussanPeriodSchema>;

export const shussanTableSchema = z
  .object({
    kind: z.literal('kokuho-shussan'),
    version,
    description: text({ label: '説明', min: 1, max: 400 }),
    periods: z.array(shussanPeriodSchema).min(1, '適用期間を1つ以上指定してください'),
  })
  .strict()
  .superRefine((t, ctx) => contiguous(t.periods, ctx));
export type ShussanTable = z.infer<typeof shussanTableSchema>;

export const ruleTableSchema = z.discriminatedUnion('kind', [kogakuTableSchema, shussanTableSchema], {
  error: 'ルール表の種類（kind）が正しくありません（kokuho-kogaku / kokuho-shussan）',
});
export type RuleTable = z.infer<typeof ruleTableSchema>;

export type RuleTables = { kogaku: KogakuTable; shussan: ShussanTable };

export class RuleTableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuleTableError';
  }
}

/**
 * Validates the parsed JSON documents of resources/rules/ (one table per file, any order) and returns
 * them by kind. Every kind must be present exactly once. `names` (e.g. file names) label the errors.
 */
export function loadRuleTables(docs: readonly unknown[], names?: readonly string[]): RuleTables {
  const found: Partial<RuleTables> = {};
  const errors: string[] = [];
  docs.forEach((doc, i) => {
    const name = names?.[i] ?? `[${i}]`;
    const r = ruleTableSchema.safeParse(doc);
    if (!r.success) {
      for (const issue of r.error.issues) errors.push(`  ${name} ${issue.path.join('.') || '(全体)'}: ${issue.message}`);
      return;
    }
    const key = r.data.kind === 'kokuho-kogaku' ? 'kogaku' : 'shussan';
    if (found[key]) errors.push(`  ${name}: ${r.data.kind} の表が複数あります`);
    else if (r.data.kind === 'kokuho-kogaku') found.kogaku = r.data;
    else found.shussan = r.data;
  });
  if (errors.length === 0) {
    if (!found.kogaku) errors.push('  高額療養費の表（kokuho-kogaku）がありません');
    if (!found.shussan) errors.push('  出産育児一時金の表（kokuho-shussan）がありません');
  }
  if (errors.length > 0 || !found.kogaku || !found.shussan) {
    throw new RuleTableError(`ルール表が正しくありません:\n${errors.join('\n')}`);
  }
  return { kogaku: found.kogaku, shussan: found.shussan };
}

/** The period valid on `onIso`; a date outside every period is refused, never guessed. */
export function periodOn<T extends { validFrom: string; validTo: string | null }>(
  periods: readonly T[],
  onIso: string,
  what: string,
): T {
  const p = periods.find((x) => x.validFrom <= onIso && (x.validTo === null || onIso <= x.validTo));
  if (!p) throw new RuleTableError(`${onIso} に適用される${what}の表がありません`);
  return p;
}
