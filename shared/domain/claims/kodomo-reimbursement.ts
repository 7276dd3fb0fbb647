/**
 * こども医療費 償還払い: the 助成額 for one child's claim (any number of receipts, any months), by the
 * municipality's reimbursement model from the rule profile (claims.kodomo.reimbursement).
 *
 * Per receipt line:  助成額 = 支払額 − 高額療養費 − 附加給付金 − 他公費 − 一部自己負担  (never negative).
 *
 * 一部自己負担 in the per-day-copay (大阪府) model: copayPerDay for each of the first chargedDaysPerMonth
 * days per institution per month, counted apart for 入院/通院 and 歯科/医科 when the profile says so;
 * 調剤 bears nothing when pharmacyFree; at most monthlyCapPerChild per child per month over all
 * institutions. The days and the monthly cap are used up in the order the lines were entered. The
 * 自己負担 of a line never exceeds what the guardian actually bore on it (支払額 less the deductions), so a
 * cheap visit does not use up the cap with money that was never paid. In the free model it is 0.
 */
import { z } from 'zod';
import type { KodomoReimbursementModel } from '../profile';
import {
  type BreakdownLine,
  MAX_YEN,
  RECEIPT_CATEGORIES,
  RECEIPT_CATEGORY_LABELS,
  daysInYearMonth,
  formatMonthJa,
  formatYen,
  institutionCode,
  institutionName,
  isDental,
  isInpatient,
  isYearMonth,
  parseClaimInput,
  yearMonth,
  yen,
} from './common';

export const receiptLineSchema = z
  .object({
    /** 診療年月 'YYYY-MM'. */
    serviceMonth: yearMonth('診療年月'),
    institutionCode,
    institutionName,
    category: z.enum(RECEIPT_CATEGORIES, '区分（医科・歯科の入院/通院、調剤）を選択してください'),
    /** 日数 (実日数) in the 診療月. */
    days: z
      .number({ error: '日数は数値で入力してください' })
      .int('日数は整数で入力してください')
      .min(1, '日数は1日以上で入力してください'),
    /** 医療費総額 in yen, or 総点数 (1点 = 10円): exactly one of the two. */
    totalCostYen: yen('医療費総額').optional(),
    totalPoints: z
      .number({ error: '総点数は数値で入力してください' })
      .int('総点数は整数で入力してください')
      .min(0, '総点数に負の値は入力できません')
      .max(MAX_YEN / 10, '総点数が大きすぎます')
      .optional(),
    /** 保険者負担額 (optional: paper receipts often show only the patient's share). */
    insurerPaidYen: yen('保険者負担額').optional(),
    highCostBenefitYen: yen('高額療養費').default(0),
    supplementaryBenefitYen: yen('附加給付金').default(0),
    otherPublicYen: yen('他公費').default(0),
    /** 支払額: what the guardian paid at the counter. */
    paidYen: yen('支払額'),
  })
  .strict()
  .superRefine((l, ctx) => {
    if ((l.totalCostYen === undefined) === (l.totalPoints === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['totalCostYen'], message: '医療費総額または総点数のどちらか一方を入力してください' });
    }
    if (isYearMonth(l.serviceMonth) && Number.isInteger(l.days)) {
      const dim = daysInYearMonth(l.serviceMonth);
      if (l.days > dim) {
        ctx.addIssue({
          code: 'custom',
          path: ['days'],
          message: `日数（${l.days}日）が診療月（${formatMonthJa(l.serviceMonth)}）の日数（${dim}日）を超えています`,
        });
      }
    }
    const total = l.totalCostYen ?? (l.totalPoints === undefined ? undefined : l.totalPoints * 10);
    if (total !== undefined && l.insurerPaidYen !== undefined && l.insurerPaidYen + l.paidYen > total) {
      ctx.addIssue({ code: 'custom', path: ['paidYen'], message: '保険者負担額と支払額の合計が医療費総額を超えています' });
    } else if (total !== undefined && l.paidYen > total) {
      ctx.addIssue({ code: 'custom', path: ['paidYen'], message: '支払額が医療費総額を超えています' });
    }
    if (l.highCostBenefitYen + l.supplementaryBenefitYen + l.otherPublicYen > l.paidYen) {
      ctx.addIssue({
        code: 'custom',
        path: ['highCostBenefitYen'],
        message: '高額療養費・附加給付金・他公費の合計が支払額を超えています',
      });
    }
  });
export type ReceiptLineInput = z.input<typeof receiptLineSchema>;
export type ReceiptLine = z.output<typeof receiptLineSchema>;

export const kodomoClaimSchema = z
  .object({
    lines: z
      .array(receiptLineSchema)
      .min(1, '領収書の明細を1行以上入力してください')
      .max(500, '明細が多すぎます（1件の請求は500行まで）'),
  })
  .strict()
  .superRefine((c, ctx) => {
    // One institution cannot have more 日数 in one month and 区分 than the month has days.
    const days = new Map<string, { days: number; first: number }>();
    c.lines.forEach((l, i) => {
      if (!isYearMonth(l.serviceMonth)) return;
      const key = `${l.serviceMonth}|${l.institutionCode}|${l.category}`;
      const cur = days.get(key) ?? { days: 0, first: i };
      cur.days += l.days;
      days.set(key, cur);
      const dim = daysInYearMonth(l.serviceMonth);
      if (cur.first !== i && cur.days > dim) {
        ctx.addIssue({
          code: 'custom',
          path: ['lines', i, 'days'],
          message: `同じ医療機関・区分・診療月の日数の合計（${cur.days}日）が${formatMonthJa(l.serviceMonth)}の日数（${dim}日）を超えています`,
        });
      }
    });
  });
export type KodomoClaimInput = z.input<typeof kodomoClaimSchema>;

export type KodomoLineResult = {
  lineIndex: number;
  serviceMonth: string;
  /** 医療費総額 (総点数 × 10 when entered as points). */
  totalCostYen: number;
  paidYen: number;
  /** 高額療養費 + 附加給付金 + 他公費. */
  deductionsYen: number;
  /** Days charged the per-day copay on this line (0 in the free model and for free pharmacies). */
  chargedDays: number;
  copayYen: number;
  subsidyYen: number;
};

export type KodomoReimbursementResult = {
  /** 助成額 (the amount paid to the guardian). */
  subsidyYen: number;
  totalPaidYen: number;
  totalDeductionsYen: number;
  totalCopayYen: number;
  lines: KodomoLineResult[];
  /** 一部自己負担 per 診療月, in month order. */
  copayByMonth: Array<{ serviceMonth: string; copayYen: number; capYen: number | null }>;
  breakdown: BreakdownLine[];
};

/** The counting unit of the per-day copay: month × institution × (入院/通院) × (歯科/医科), as the model says. */
function countingKey(l: ReceiptLine, m: Extract<KodomoReimbursementModel, { kind: 'per-day-copay' }>): string {
  if (l.category === 'pharmacy') return `${l.serviceMonth}|${l.institutionCode}|pharmacy`;
  const setting = m.separateInpatientOutpatient ? (isInpatient(l.category) ? 'in' : 'out') : '*';
  const dental = m.separateDental ? (isDental(l.category) ? 'dental' : 'medical') : '*';
  return `${l.serviceMonth}|${l.institutionCode}|${setting}|${dental}`;
}

function lineTitle(l: ReceiptLine): string {
  return `${formatMonthJa(l.serviceMonth)}診療 ${l.institutionName}（${RECEIPT_CATEGORY_LABELS[l.category]}・${l.days}日）`;
}

export function calculateKodomoReimbursement(
  input: KodomoClaimInput,
  model: KodomoReimbursementModel,
): KodomoReimbursementResult {
  const claim = parseClaimInput(kodomoClaimSchema, input);
  const daysUsed = new Map<string, number>();
  const copayByMonth = new Map<string, number>();
  const lines: KodomoLineResult[] = [];
  const breakdown: BreakdownLine[] = [];

  claim.lines.forEach((l, lineIndex) => {
    const deductions = l.highCostBenefitYen + l.supplementaryBenefitYen + l.otherPublicYen;
    const borne = l.paidYen - deductions; // ≥ 0 by the schema
    let chargedDays = 0;
    let copay = 0;
    let copayLabel: string;

    if (model.kind === 'free') {
      copayLabel = '一部自己負担（自己負担なし）';
    } else if (l.category === 'pharmacy' && model.pharmacyFree) {
      copayLabel = '一部自己負担（調剤は負担なし）';
    } else {
      const key = countingKey(l, model);
      const used = daysUsed.get(key) ?? 0;
      chargedDays = Math.min(l.days, Math.max(0, model.chargedDaysPerMonth - used));
      daysUsed.set(key, used + l.days);
      const nominal = chargedDays * model.copayPerDay;
      const monthSoFar = copayByMonth.get(l.serviceMonth) ?? 0;
      const capLeft = model.monthlyCapPerChild === null ? Infinity : Math.max(0, model.monthlyCapPerChild - monthSoFar);
      copay = Math.min(nominal, borne, capLeft);
      copayByMonth.set(l.serviceMonth, monthSoFar + copay);

      const parts = [`1日${formatYen(model.copayPerDay)}×${chargedDays}日`];
      if (chargedDays < l.days) {
        parts.push(
          chargedDays === 0
            ? `この医療機関は同月に${model.chargedDaysPerMonth}日分負担済み`
            : `${model.chargedDaysPerMonth + 1}日目以降は負担なし`,
        );
      }
      if (copay < nominal) {
        if (copay === capLeft && model.monthlyCapPerChild !== null) {
          parts.push(`月額上限${formatYen(model.monthlyCapPerChild)}に達したため${formatYen(copay)}`);
        } else {
          parts.push(`負担額${formatYen(borne)}の範囲内`);
        }
      }
      copayLabel = `一部自己負担（${parts.join('、')}）`;
    }

    const subsidy = Math.max(0, borne - copay);
    const totalCost = l.totalCostYen ?? (l.totalPoints ?? 0) * 10;
    lines.push({
      lineIndex,
      serviceMonth: l.serviceMonth,
      totalCostYen: totalCost,
      paidYen: l.paidYen,
      deductionsYen: deductions,
      chargedDays,
      copayYen: copay,
      subsidyYen: subsidy,
    });

    const title = lineTitle(l);
    const costLabel = l.totalCostYen === undefined ? `医療費総額（${l.totalPoints ?? 0}点×10円）` : '医療費総額';
    breakdown.push({ label: `${title} ${costLabel}`, amount: totalCost, kind: 'info', lineIndex });
    breakdown.push({ label: `${title} 支払額`, amount: l.paidYen, kind: 'base', lineIndex });
    if (l.highCostBenefitYen > 0) breakdown.push({ label: '高額療養費', amount: l.highCostBenefitYen, kind: 'deduct', lineIndex });
    if (l.supplementaryBenefitYen > 0) breakdown.push({ label: '附加給付金', amount: l.supplementaryBenefitYen, kind: 'deduct', lineIndex });
    if (l.otherPublicYen > 0) breakdown.push({ label: '他公費', amount: l.otherPublicYen, kind: 'deduct', lineIndex });
    breakdown.push({ label: copayLabel, amount: copay, kind: 'deduct', lineIndex });
    breakdown.push({ label: '助成額', amount: subsidy, kind: 'result', lineIndex });
  });

  const months = [...new Set(lines.map((l) => l.serviceMonth))].sort();
  const cap = model.kind === 'per-day-copay' ? model.monthlyCapPerChild : null;
  const byMonth = months.map((m) => ({ serviceMonth: m, copayYen: copayByMonth.get(m) ?? 0, capYen: cap }));
  if (model.kind === 'per-day-copay') {
    for (const m of byMonth) {
      const capText = cap === null ? '' : `（月額上限${formatYen(cap)}）`;
      breakdown.push({ label: `${formatMonthJa(m.serviceMonth)}診療分 一部自己負担の計${capText}`, amount: m.copayYen, kind: 'info' });
    }
  }

  const sum = (f: (l: KodomoLineResult) => number): number => lines.reduce((a, l) => a + f(l), 0);
  const result: KodomoReimbursementResult = {
    subsidyYen: sum((l) => l.subsidyYen),
    totalPaidYen: sum((l) => l.paidYen),
    totalDeductionsYen: sum((l) => l.deductionsYen),
    totalCopayYen: sum((l) => l.copayYen),
    lines,
    copayByMonth: byMonth,
    breakdown,
  };
  breakdown.push({ label: '支払額の合計', amount: result.totalPaidYen, kind: 'base' });
  if (result.totalDeductionsYen > 0) {
    breakdown.push({ label: '高額療養費・附加給付金・他公費の合計', amount: result.totalDeductionsYen, kind: 'deduct' });
  }
  breakdown.push({ label: '一部自己負担の合計', amount: result.totalCopayYen, kind: 'deduct' });
  breakdown.push({ label: '助成額の合計', amount: result.subsidyYen, kind: 'result' });
  return result;
}
