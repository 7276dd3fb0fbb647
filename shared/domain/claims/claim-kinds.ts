import { z } from 'zod';
import { text } from '../../text';
import type { ClaimSettings } from '../profile';
import type { Jimu } from '../rights';
import { B_VACCINES, decideExemption, exemptionApplicationSchema } from '../vaccination-exemption';
import { kodomoShikakuApplicationSchema } from '../kodomo-shikaku';
import { isValidIsoDate, parseDateInput, parseMonthInput } from '../wareki';
import { type BreakdownLine, ClaimInputError, lastDayOfMonth, parseClaimInput } from './common';
import { type DeadlineResult, deadlineFrom, kodomoClaimDeadline, sousaihiDeadline } from './deadline';
import { calculateKodomoReimbursement, kodomoClaimSchema } from './kodomo-reimbursement';
import { calculateKogaku, calculateRyouyouhi, calculateShussan, kogakuInputSchema, ryouyouhiInputSchema, shussanInputSchema } from './kokuho';
import type { RuleTables } from './rule-tables';

/**
 * The claims the counter takes, one per kind, each with its input schema, its calculation over the dated
 * rules, its deadline and the key figures a second person re-enters blind (二重チェック). Pure: the renderer
 * computes the breakdown live as staff type; the core recomputes it from the stored input before saving.
 */
export const CLAIM_KINDS = ['kodomo_shikaku', 'kodomo_shokan', 'kokuho_ryoyohi', 'kokuho_kogaku', 'kokuho_shussan', 'kokuho_sousai', 'yobou_genmen', 'yobou_kyusai'] as const;
export type ClaimKind = (typeof CLAIM_KINDS)[number];

export const CLAIM_KIND_LABELS: Readonly<Record<ClaimKind, string>> = {
  kodomo_shikaku: 'こども医療費 受給資格の交付申請',
  kodomo_shokan: 'こども医療費 償還払い',
  kokuho_ryoyohi: '国保 療養費',
  kokuho_kogaku: '国保 高額療養費',
  kokuho_shussan: '国保 出産育児一時金',
  kokuho_sousai: '国保 葬祭費',
  yobou_genmen: '予防接種 B類自己負担金減免',
  yobou_kyusai: '予防接種 健康被害救済',
};

export function jimuOfClaimKind(kind: ClaimKind): Jimu {
  return kind.split('_')[0] as Jimu;
}

/** Claims that pay money to a bank account (the others are decisions or intake only). */
export function paysMoney(kind: ClaimKind): boolean {
  return kind !== 'yobou_genmen' && kind !== 'yobou_kyusai' && kind !== 'kodomo_shikaku';
}

/** The decisions of a kind: 認定/却下 for a 受給資格, 交付/却下 for 減免, 支給/不支給 for money; none for intake only. */
export type ClaimDecision = '支給' | '不支給' | '交付' | '却下' | '認定';
export const CLAIM_DECISIONS = ['支給', '不支給', '交付', '却下', '認定'] as const satisfies readonly ClaimDecision[];
export function decisionsOf(kind: ClaimKind): readonly [ClaimDecision, ClaimDecision] {
  if (kind === 'kodomo_shikaku') return ['認定', '却下'];
  if (kind === 'yobou_genmen') return ['交付', '却下'];
  return ['支給', '不支給'];
}

/** A decision that refuses (its reason is required and a 却下・不支給 notice follows). */
export function isNegativeDecision(d: string): boolean {
  return d === '不支給' || d === '却下';
}

const isoDate = (label: string) => z.string(`${label}を入力してください`).refine(isValidIsoDate, `${label}は正しい年月日で入力してください（例: 2026-04-01）`);

export const KYUSAI_ATTACHMENTS = ['請求書', '診療録の写し', '医療費等の領収書', '受診証明書', '接種を証明する書類', '住民票の写し'] as const;

export const CLAIM_INPUT_SCHEMAS = {
  kodomo_shikaku: kodomoShikakuApplicationSchema,
  kodomo_shokan: kodomoClaimSchema,
  kokuho_ryoyohi: ryouyouhiInputSchema.extend({ paidOn: isoDate('支払日') }),
  kokuho_kogaku: kogakuInputSchema,
  kokuho_shussan: shussanInputSchema,
  kokuho_sousai: z.strictObject({ funeralDate: isoDate('葬祭を行った日'), mournerName: text({ label: '喪主の氏名', min: 1, max: 60 }) }),
  yobou_genmen: exemptionApplicationSchema.omit({ applicationDate: true }),
  yobou_kyusai: z.strictObject({
    benefit: z.enum(['医療費', '医療手当'], '請求の種類（医療費・医療手当）を選択してください'),
    vaccine: text({ label: 'ワクチン名', min: 1, max: 60 }),
    vaccinatedOn: isoDate('接種日'),
    /** The day the paper claim arrived (受付日). */
    arrivedOn: isoDate('書類の到達日'),
    attachments: z.array(z.enum(KYUSAI_ATTACHMENTS)).max(KYUSAI_ATTACHMENTS.length),
  }),
} as const satisfies Record<ClaimKind, z.ZodType>;

export type ClaimInputOf<K extends ClaimKind> = z.input<(typeof CLAIM_INPUT_SCHEMAS)[K]>;

export interface ClaimComputation {
  /** 支給額 (yen), or null for a decision without money (減免) or intake only (救済). */
  amountYen: number | null;
  breakdown: BreakdownLine[];
  notes: string[];
  deadline: DeadlineResult | null;
  /** What the rules suggest: 支給/不支給 for money, 交付/却下 for 減免; null when it is the approver's call. */
  suggestion: { decision: ClaimDecision; reason: string | null } | null;
}

export interface ClaimRules {
  settings: ClaimSettings;
  tables: RuleTables;
}

function earliest(a: DeadlineResult | null, b: DeadlineResult): DeadlineResult {
  return a === null || b.deadline < a.deadline ? b : a;
}

/** Validates `input` for `kind` and computes the amount, its breakdown and the deadline on `applicationDate`. */
export function computeClaim(kind: ClaimKind, input: unknown, rules: ClaimRules, applicationDate: string): ClaimComputation {
  if (!isValidIsoDate(applicationDate)) throw new ClaimInputError([{ path: 'applicationDate', message: '申請日は正しい年月日で入力してください' }]);
  const money = (amountYen: number, breakdown: BreakdownLine[], deadline: DeadlineResult | null, notes: string[] = []): ClaimComputation => ({
    amountYen,
    breakdown,
    notes,
    deadline,
    suggestion: amountYen > 0 ? { decision: '支給', reason: null } : { decision: '不支給', reason: '支給額が0円のため' },
  });
  switch (kind) {
    case 'kodomo_shikaku': {
      const v = parseClaimInput(CLAIM_INPUT_SCHEMAS.kodomo_shikaku, input);
      if (v.acquiredOn > applicationDate) throw new ClaimInputError([{ path: 'acquiredOn', message: '資格取得日に申請日より後の日付は入力できません' }]);
      // Whether the child is within age is the person's rule (availability: claimAvailability); the approver decides.
      return { amountYen: null, breakdown: [], notes: [`交付方法: ${v.delivery.method}`], deadline: null, suggestion: null };
    }
    case 'kodomo_shokan': {
      const v = parseClaimInput(CLAIM_INPUT_SCHEMAS.kodomo_shokan, input);
      const r = calculateKodomoReimbursement(v, rules.settings.kodomo.reimbursement);
      let deadline: DeadlineResult | null = null;
      for (const l of v.lines) deadline = earliest(deadline, kodomoClaimDeadline({ serviceMonth: l.serviceMonth, applicationDate }, rules.settings.kodomo.claimDeadline));
      return money(r.subsidyYen, r.breakdown, deadline);
    }
    case 'kokuho_ryoyohi': {
      const v = parseClaimInput(CLAIM_INPUT_SCHEMAS.kokuho_ryoyohi, input);
      const r = calculateRyouyouhi({ costYen: v.costYen, ...(v.benefitRate !== undefined ? { benefitRate: v.benefitRate } : {}) }, rules.settings.kokuho);
      // 国保法110条: 2 years from the day after the payment.
      return money(r.benefitYen, r.breakdown, deadlineFrom(v.paidOn, 2, applicationDate));
    }
    case 'kokuho_kogaku': {
      const v = parseClaimInput(CLAIM_INPUT_SCHEMAS.kokuho_kogaku, input);
      const r = calculateKogaku(v, rules.tables.kogaku);
      // 2 years from the first day of the month after the 診療月.
      const c = money(r.benefitYen, r.breakdown, deadlineFrom(lastDayOfMonth(v.serviceMonth), 2, applicationDate), r.notes);
      if (!r.applicable) c.suggestion = { decision: '不支給', reason: '世帯合算額が自己負担限度額以下のため' };
      return c;
    }
    case 'kokuho_shussan': {
      const v = parseClaimInput(CLAIM_INPUT_SCHEMAS.kokuho_shussan, input);
      const r = calculateShussan(v, rules.tables.shussan);
      return money(r.benefitYen, r.breakdown, deadlineFrom(v.birthDate, 2, applicationDate), r.notes);
    }
    case 'kokuho_sousai': {
      const v = parseClaimInput(CLAIM_INPUT_SCHEMAS.kokuho_sousai, input);
      const amount = rules.settings.kokuho.sousaihi.amount;
      if (amount === null) throw new ClaimInputError([{ path: 'funeralDate', message: '葬祭費の額が端末の設定に登録されていないため、計算できません。システム管理者に連絡してください。' }]);
      return money(amount, [{ label: '葬祭費（条例で定める額）', amount, kind: 'result' }], sousaihiDeadline({ funeralDate: v.funeralDate, applicationDate }, rules.settings.kokuho));
    }
    case 'yobou_genmen': {
      const v = parseClaimInput(CLAIM_INPUT_SCHEMAS.yobou_genmen, input);
      const d = decideExemption({ ...v, applicationDate });
      return {
        amountYen: null,
        breakdown: [],
        notes: [`課税有無: ${v.taxStatus}`],
        deadline: null,
        suggestion: d.kind === '交付' ? { decision: '交付', reason: null } : { decision: '却下', reason: d.rejectionReason },
      };
    }
    case 'yobou_kyusai': {
      const v = parseClaimInput(CLAIM_INPUT_SCHEMAS.yobou_kyusai, input);
      const missing = KYUSAI_ATTACHMENTS.filter((a) => !v.attachments.includes(a));
      return { amountYen: null, breakdown: [], notes: missing.length ? [`未添付の書類: ${missing.join('、')}`] : [], deadline: null, suggestion: null };
    }
  }
}

export interface KeyFigure {
  key: string;
  label: string;
  value: string;
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

/**
 * The figures a checker re-enters from the paper without seeing the entry (blind 二重チェック). They are
 * compared as normalised strings; the bank account number is added by the caller when money is paid.
 */
export function keyFigures(kind: ClaimKind, input: unknown): KeyFigure[] {
  const f = (key: string, label: string, value: string | number): KeyFigure => ({ key, label, value: String(value) });
  switch (kind) {
    case 'kodomo_shikaku': {
      const v = parseClaimInput(CLAIM_INPUT_SCHEMAS.kodomo_shikaku, input);
      return [f('acquired', '資格取得日', v.acquiredOn), f('number', '主保険の番号', v.insurance.number), f('delivery', '交付方法（窓口・郵送）', v.delivery.method)];
    }
    case 'kodomo_shokan': {
      const v = parseClaimInput(CLAIM_INPUT_SCHEMAS.kodomo_shokan, input);
      return [
        f('lines', '領収書の明細数', v.lines.length),
        f('days', '日数の合計', sum(v.lines.map((l) => l.days))),
        f('paid', '支払額の合計（円）', sum(v.lines.map((l) => l.paidYen))),
      ];
    }
    case 'kokuho_ryoyohi': {
      const v = parseClaimInput(CLAIM_INPUT_SCHEMAS.kokuho_ryoyohi, input);
      return [f('cost', '費用額（円）', v.costYen), f('paidOn', '支払日', v.paidOn)];
    }
    case 'kokuho_kogaku': {
      const v = parseClaimInput(CLAIM_INPUT_SCHEMAS.kokuho_kogaku, input);
      return [
        f('month', '診療年月', v.serviceMonth),
        f('kubun', '所得区分', v.kubun),
        f('copay', '一部負担金の合計（円）', sum(v.charges.map((c) => c.copayYen))),
      ];
    }
    case 'kokuho_shussan': {
      const v = parseClaimInput(CLAIM_INPUT_SCHEMAS.kokuho_shussan, input);
      return [f('birth', '出産日', v.birthDate), f('children', '出生児数', v.childCount), f('cost', '出産費用（円）', v.directPayment?.deliveryCostYen ?? 0)];
    }
    case 'kokuho_sousai': {
      const v = parseClaimInput(CLAIM_INPUT_SCHEMAS.kokuho_sousai, input);
      return [f('funeral', '葬祭を行った日', v.funeralDate)];
    }
    case 'yobou_genmen': {
      const v = parseClaimInput(CLAIM_INPUT_SCHEMAS.yobou_genmen, input);
      return [f('tax', '課税有無', v.taxStatus), f('vaccine', 'ワクチン', v.vaccine)];
    }
    case 'yobou_kyusai': {
      const v = parseClaimInput(CLAIM_INPUT_SCHEMAS.yobou_kyusai, input);
      return [f('arrived', '書類の到達日', v.arrivedOn), f('vaccinated', '接種日', v.vaccinatedOn)];
    }
  }
}

/**
 * Normalises a re-entered figure for comparison: full-width digits, commas, 円 and spaces do not matter, and a
 * date or 年月 may be re-entered in 和暦 (R8.10.15 is the stored 2026-10-15; R8.10 is 2026-10).
 */
export function normalizeFigure(s: string): string {
  const day = parseDateInput(s);
  if (day.ok) return day.iso;
  const month = parseMonthInput(s);
  if (month.ok) return month.ym;
  return s
    .normalize('NFKC')
    .replace(/[,\s円]/g, '')
    .trim();
}

export { B_VACCINES };
