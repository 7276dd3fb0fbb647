/**
 * 国民健康保険 claims: 療養費, 高額療養費 (70歳未満, monthly, household), 出産育児一時金, 葬祭費.
 * National amounts come from the dated rule tables (rule-tables.ts), municipal ones from the rule profile
 * (claims.kokuho). Every result carries a breakdown the UI shows line by line.
 */
import { z } from 'zod';
import { text } from '../../text';
import type { ClaimSettings } from '../profile';
import {
  type BreakdownLine,
  ClaimSettingsError,
  RECEIPT_CATEGORY_LABELS,
  applyPercentHalfUp,
  applyRateFloor,
  firstDayOfMonth,
  formatMonthJa,
  formatYen,
  hasAtMostTwoDecimals,
  institutionCode,
  institutionName,
  isYearMonth,
  isoDate,
  monthIndex,
  parseClaimInput,
  rateToHundredths,
  yearMonth,
  yen,
} from './common';
import { KOGAKU_KUBUN, type KogakuKubun, type KogakuTable, type ShussanTable, periodOn } from './rule-tables';

// ─── 療養費 ────────────────────────────────────────────────────────────────────────────────────────

export const ryouyouhiInputSchema = z
  .object({
    /** 費用額: the cost the insurer recognises (保険診療の基準で算定した額). */
    costYen: yen('費用額'),
    /** 給付割合 for this person when it differs from the profile's default (e.g. 0.8 for 未就学児). */
    benefitRate: z
      .number({ error: '給付割合は数値で入力してください' })
      .gt(0, '給付割合は0より大きい値で入力してください')
      .max(1, '給付割合は1以下で入力してください')
      .refine(hasAtMostTwoDecimals, '給付割合は0.01単位で入力してください')
      .optional(),
  })
  .strict();
export type RyouyouhiInput = z.input<typeof ryouyouhiInputSchema>;

/** 療養費 = 費用額 × 給付割合, 1円未満切り捨て (cash benefits are paid rounded down to the yen). */
export function calculateRyouyouhi(
  input: RyouyouhiInput,
  settings: ClaimSettings['kokuho'],
): { benefitYen: number; benefitRate: number; breakdown: BreakdownLine[] } {
  const p = parseClaimInput(ryouyouhiInputSchema, input);
  const rate = p.benefitRate ?? settings.ryouyouhiBenefitRate;
  const hundredths = rateToHundredths(rate);
  const benefitYen = applyRateFloor(p.costYen, hundredths);
  return {
    benefitYen,
    benefitRate: rate,
    breakdown: [
      { label: '費用額', amount: p.costYen, kind: 'base' },
      { label: `療養費（費用額×給付割合${hundredths / 10}割、1円未満切り捨て）`, amount: benefitYen, kind: 'result' },
    ],
  };
}

// ─── 高額療養費（70歳未満） ─────────────────────────────────────────────────────────────────────────

/** A charge of one household member at one institution in the 診療月 (調剤 belongs with its prescriber). */
export const kogakuChargeSchema = z
  .object({
    memberId: text({ label: '対象者', min: 1, max: 40, requiredMessage: '対象者を指定してください' }),
    memberName: text({ label: '対象者の氏名', max: 100 }).optional(),
    institutionCode,
    institutionName,
    /** 院外処方の調剤 is entered under the prescribing institution's 通院 charge (it combines with it). */
    category: z.enum(
      ['medical-inpatient', 'medical-outpatient', 'dental-inpatient', 'dental-outpatient'],
      '区分（医科・歯科の入院/通院）を選択してください',
    ),
    /** 医療費 (10割). */
    totalCostYen: yen('医療費'),
    /** 一部負担金 (what the member paid). */
    copayYen: yen('一部負担金'),
  })
  .strict()
  .refine((c) => c.copayYen <= c.totalCostYen, { path: ['copayYen'], message: '一部負担金が医療費を超えています' });

export const kogakuInputSchema = z
  .object({
    kubun: z.enum(KOGAKU_KUBUN, '所得区分（ア〜オ）を選択してください'),
    serviceMonth: yearMonth('診療年月'),
    charges: z
      .array(kogakuChargeSchema)
      .min(1, '医療機関ごとの負担額を1行以上入力してください')
      .max(500, '明細が多すぎます'),
    /** 診療月 of this household's earlier 該当 (高額療養費 paid), for 多数回該当. */
    previousApplicableMonths: z.array(yearMonth('過去の該当月')).max(120).default([]),
  })
  .strict()
  .superRefine((v, ctx) => {
    const seen = new Set<string>();
    v.previousApplicableMonths.forEach((m, i) => {
      if (!isYearMonth(m) || !isYearMonth(v.serviceMonth)) return;
      if (monthIndex(m) >= monthIndex(v.serviceMonth)) {
        ctx.addIssue({ code: 'custom', path: ['previousApplicableMonths', i], message: '過去の該当月は診療年月より前の月を入力してください' });
      }
      if (seen.has(m)) ctx.addIssue({ code: 'custom', path: ['previousApplicableMonths', i], message: '過去の該当月が重複しています' });
      seen.add(m);
    });
  });
export type KogakuInput = z.input<typeof kogakuInputSchema>;

export type KogakuResult = {
  kubun: KogakuKubun;
  serviceMonth: string;
  tableVersion: string;
  /** validFrom of the table period used. */
  periodFrom: string;
  /** Whether 高額療養費 is paid this month (counts toward a later 多数回該当). */
  applicable: boolean;
  manyTimes: boolean;
  /** 該当 within the window before this month (this month not included). */
  previousInWindow: number;
  /** 一部負担金等世帯合算額 and its 医療費, over the combined units only. */
  combinedCopayYen: number;
  combinedCostYen: number;
  limitYen: number;
  benefitYen: number;
  units: Array<{ memberId: string; institutionCode: string; category: string; copayYen: number; totalCostYen: number; combined: boolean; lineIndexes: number[] }>;
  breakdown: BreakdownLine[];
  /** Caveats to show with the result (provisional table amounts, annual cap not applied…). */
  notes: string[];
};

export function calculateKogaku(input: KogakuInput, table: KogakuTable): KogakuResult {
  const v = parseClaimInput(kogakuInputSchema, input);
  const period = periodOn(table.periods, firstDayOfMonth(v.serviceMonth), '高額療養費');
  const row = period.limits[v.kubun];
  const notes: string[] = [];
  if (period.note) notes.push(period.note);
  if (period.annualCap !== null) notes.push('年間上限はこの計算に含まれていません。別途確認してください。');

  // One unit per member × institution × 区分: several receipts of one unit are added first.
  const byKey = new Map<string, KogakuResult['units'][number] & { label: string }>();
  v.charges.forEach((c, i) => {
    const key = `${c.memberId}|${c.institutionCode}|${c.category}`;
    const u = byKey.get(key);
    if (u) {
      u.copayYen += c.copayYen;
      u.totalCostYen += c.totalCostYen;
      u.lineIndexes.push(i);
    } else {
      byKey.set(key, {
        memberId: c.memberId,
        institutionCode: c.institutionCode,
        category: c.category,
        copayYen: c.copayYen,
        totalCostYen: c.totalCostYen,
        combined: false,
        lineIndexes: [i],
        label: `${c.memberName ?? c.memberId} ${c.institutionName}（${RECEIPT_CATEGORY_LABELS[c.category]}）`,
      });
    }
  });
  const units = [...byKey.values()];
  const breakdown: BreakdownLine[] = [];
  for (const u of units) {
    u.combined = u.copayYen >= period.householdCombineMinimum;
    const lineIndex = u.lineIndexes.length === 1 ? u.lineIndexes[0] : undefined;
    const label = u.combined
      ? `${u.label} 一部負担金`
      : `${u.label} 一部負担金（${formatYen(period.householdCombineMinimum)}未満のため合算対象外）`;
    breakdown.push({ label, amount: u.copayYen, kind: u.combined ? 'base' : 'info', ...(lineIndex === undefined ? {} : { lineIndex }) });
  }
  const combinedUnits = units.filter((u) => u.combined);
  const combinedCopayYen = combinedUnits.reduce((a, u) => a + u.copayYen, 0);
  const combinedCostYen = combinedUnits.reduce((a, u) => a + u.totalCostYen, 0);

  // 多数回該当: the 診療月 is the fromNth 該当 or later within windowMonths months (the 診療月 included).
  const here = monthIndex(v.serviceMonth);
  const previousInWindow = v.previousApplicableMonths.filter((m) => here - monthIndex(m) < period.manyTimes.windowMonths).length;
  const manyTimes = previousInWindow >= period.manyTimes.fromNth - 1;

  let limitYen: number;
  let limitLabel: string;
  if (manyTimes) {
    limitYen = row.manyTimes;
    limitLabel = `自己負担限度額（区分${v.kubun}・多数回該当：過去${period.manyTimes.windowMonths}か月に${previousInWindow + 1}回目）`;
  } else if (row.costThreshold === null) {
    limitYen = row.base;
    limitLabel = `自己負担限度額（区分${v.kubun}）`;
  } else {
    const excess = Math.max(0, combinedCostYen - row.costThreshold);
    limitYen = row.base + applyPercentHalfUp(excess, row.excessRatePercent);
    limitLabel =
      `自己負担限度額（区分${v.kubun}：${formatYen(row.base)}＋（医療費${formatYen(Math.max(combinedCostYen, row.costThreshold))}` +
      `−${formatYen(row.costThreshold)}）×${row.excessRatePercent}%、1円未満四捨五入）`;
  }
  const benefitYen = Math.max(0, combinedCopayYen - limitYen);

  breakdown.push({ label: `世帯合算額（${formatMonthJa(v.serviceMonth)}診療分）`, amount: combinedCopayYen, kind: 'result' });
  breakdown.push({ label: '合算対象の医療費（10割）', amount: combinedCostYen, kind: 'info' });
  breakdown.push({ label: limitLabel, amount: limitYen, kind: 'deduct' });
  breakdown.push({ label: '高額療養費 支給額', amount: benefitYen, kind: 'result' });
  if (!period.manyTimesConfirmed && manyTimes) notes.push('この期間の多数回該当の額は暫定値です。');

  return {
    kubun: v.kubun,
    serviceMonth: v.serviceMonth,
    tableVersion: table.version,
    periodFrom: period.validFrom,
    applicable: benefitYen > 0,
    manyTimes,
    previousInWindow,
    combinedCopayYen,
    combinedCostYen,
    limitYen,
    benefitYen,
    units: units.map(({ label: _label, ...u }) => u),
    breakdown,
    notes,
  };
}

// ─── 出産育児一時金 ─────────────────────────────────────────────────────────────────────────────────

export const shussanInputSchema = z
  .object({
    birthDate: isoDate('出産日'),
    /** Children born (twins: 2). */
    childCount: z
      .number({ error: '出生児数は数値で入力してください' })
      .int('出生児数は整数で入力してください')
      .min(1, '出生児数は1以上で入力してください')
      .max(10, '出生児数が多すぎます'),
    /** The institution takes part in 産科医療補償制度. */
    obstetricCompensationScheme: z.boolean({ error: '産科医療補償制度の加入の有無を選択してください' }),
    /** 妊娠22週以降の出産. */
    atLeast22Weeks: z.boolean({ error: '妊娠22週以降の出産かどうかを選択してください' }),
    /** 直接支払制度 (or 受取代理): the institution was paid the 一時金 up to 出産費用. null = not used. */
    directPayment: z.object({ deliveryCostYen: yen('出産費用') }).strict().nullable().default(null),
  })
  .strict();
export type ShussanInput = z.input<typeof shussanInputSchema>;

export function calculateShussan(
  input: ShussanInput,
  table: ShussanTable,
): { perChildYen: number; totalYen: number; paidToInstitutionYen: number; benefitYen: number; breakdown: BreakdownLine[]; notes: string[] } {
  const v = parseClaimInput(shussanInputSchema, input);
  const period = periodOn(table.periods, v.birthDate, '出産育児一時金');
  const full = v.obstetricCompensationScheme && v.atLeast22Weeks;
  const perChildYen = full ? period.perChild : period.reducedPerChild;
  const totalYen = perChildYen * v.childCount;
  const why = full
    ? '産科医療補償制度対象'
    : v.atLeast22Weeks
      ? '産科医療補償制度に加入していない医療機関等での出産'
      : '妊娠22週未満の出産';
  const breakdown: BreakdownLine[] = [
    { label: `出産育児一時金（${why}：${formatYen(perChildYen)}×${v.childCount}人）`, amount: totalYen, kind: 'base' },
  ];
  let paidToInstitutionYen = 0;
  if (v.directPayment) {
    paidToInstitutionYen = Math.min(totalYen, v.directPayment.deliveryCostYen);
    breakdown.push({
      label: `直接支払制度により医療機関等へ支払済み（出産費用${formatYen(v.directPayment.deliveryCostYen)}）`,
      amount: paidToInstitutionYen,
      kind: 'deduct',
    });
  }
  const benefitYen = totalYen - paidToInstitutionYen;
  breakdown.push({ label: v.directPayment ? '支給額（差額）' : '支給額', amount: benefitYen, kind: 'result' });
  return { perChildYen, totalYen, paidToInstitutionYen, benefitYen, breakdown, notes: period.note ? [period.note] : [] };
}

// ─── 葬祭費 ────────────────────────────────────────────────────────────────────────────────────────

/** 葬祭費: the 条例 amount from the profile. Refused when the profile does not set it. */
export function calculateSousaihi(settings: ClaimSettings['kokuho']): { benefitYen: number; breakdown: BreakdownLine[] } {
  const amount = settings.sousaihi.amount;
  if (amount === null) {
    throw new ClaimSettingsError('葬祭費の額が端末の設定に登録されていないため、計算できません。システム管理者に連絡してください。');
  }
  return { benefitYen: amount, breakdown: [{ label: '葬祭費（条例で定める額）', amount, kind: 'result' }] };
}
