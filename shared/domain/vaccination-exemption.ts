/**
 * B類 予防接種 自己負担金 減免 (減免券) application and decision (岡山市 PIA: 申請日, 課税有無, 交付/却下,
 * 却下理由, 交付番号, 交付日).
 *
 * Who is exempt differs between municipalities, so the rule is data (`ExemptionRules`) with a default that
 * follows the common scheme: 生活保護受給者 and 市町村民税非課税世帯 are exempt, 課税世帯 are not. The
 * 交付番号 is assigned by the numbering side (like 受給者番号); here it is only a type.
 */
import { z } from 'zod';
import { isValidIsoDate } from './wareki';

z.config(z.locales.ja());

/** B類 定期接種 that have a 自己負担金. */
export const B_VACCINES = ['高齢者インフルエンザ', '高齢者肺炎球菌', '新型コロナ'] as const;
export type BVaccine = (typeof B_VACCINES)[number];

/** 課税有無 of the applicant's household (生活保護 recorded separately: it is exempt whatever the tax). */
export const TAX_STATUSES = ['非課税', '課税', '生活保護'] as const;
export type TaxStatus = (typeof TAX_STATUSES)[number];

export const exemptionApplicationSchema = z
  .object({
    /** 申請日 (YYYY-MM-DD). */
    applicationDate: z
      .string('申請日を入力してください')
      .refine(isValidIsoDate, '申請日は正しい年月日で入力してください（例: 2026-04-01）'),
    taxStatus: z.enum(TAX_STATUSES, '課税有無を選択してください（非課税・課税・生活保護）'),
    vaccine: z.enum(B_VACCINES, '減免の対象となるワクチンを選択してください'),
  })
  .strict();

export type ExemptionApplication = z.output<typeof exemptionApplicationSchema>;

export type ExemptionRules = {
  /** 課税有無 values that are exempt. */
  exemptTaxStatuses: readonly TaxStatus[];
  /** Vaccines for which this municipality grants 減免. */
  vaccines: readonly BVaccine[];
};

export const DEFAULT_EXEMPTION_RULES: ExemptionRules = {
  exemptTaxStatuses: ['非課税', '生活保護'],
  vaccines: B_VACCINES,
};

/** 却下理由 texts (printed on the 却下 notice). */
export const REJECTION_REASONS = {
  taxed: '市町村民税課税世帯のため、自己負担金減免の対象外です',
  vaccine: (v: string) => `${v}は自己負担金減免の対象外のワクチンです`,
} as const;

/** 交付 or 却下 with its 却下理由. */
export type ExemptionDecision = { kind: '交付' } | { kind: '却下'; rejectionReason: string };

/** 交付番号: format and numbering belong to the issuing side; an opaque branded string here. */
export type ExemptionCertificateNumber = string & { readonly __brand: 'ExemptionCertificateNumber' };

/** The recorded outcome once a decision is made: 交付 with 交付番号 and 交付日, or 却下 with its reason. */
export type ExemptionOutcome =
  | { kind: '交付'; certificateNumber: ExemptionCertificateNumber; issuedOn: string }
  | { kind: '却下'; rejectionReason: string; decidedOn: string };

/** The decision for a valid application. */
export function decideExemption(app: ExemptionApplication, rules: ExemptionRules = DEFAULT_EXEMPTION_RULES): ExemptionDecision {
  if (!rules.vaccines.includes(app.vaccine)) return { kind: '却下', rejectionReason: REJECTION_REASONS.vaccine(app.vaccine) };
  if (!rules.exemptTaxStatuses.includes(app.taxStatus)) return { kind: '却下', rejectionReason: REJECTION_REASONS.taxed };
  return { kind: '交付' };
}

export type ExemptionResult =
  | { ok: true; application: ExemptionApplication; decision: ExemptionDecision }
  | { ok: false; errors: { path: string; message: string }[] };

/** Parses an application (申請日 not in the future) and decides it. Invalid input is not a 却下. */
export function reviewExemptionApplication(
  input: unknown,
  ctx: { today: string },
  rules: ExemptionRules = DEFAULT_EXEMPTION_RULES,
): ExemptionResult {
  const parsed = exemptionApplicationSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) };
  }
  if (isValidIsoDate(ctx.today) && parsed.data.applicationDate > ctx.today) {
    return { ok: false, errors: [{ path: 'applicationDate', message: '申請日が未来の日付です' }] };
  }
  return { ok: true, application: parsed.data, decision: decideExemption(parsed.data, rules) };
}
