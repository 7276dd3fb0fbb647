import { seikatsuPublicPayerProblem } from './seikatsu/numbers';
import { z } from 'zod';
import { text } from '../text';
import { isValidPublicPayerNumber } from './houbetsu';

/**
 * A municipality's rule profile (resources/profiles/*.json). Rules that differ between municipalities
 * live here as data, never as constants in code. Validated at start; an invalid profile stops the app.
 */
const monthDay = z.object({
  month: z.number().int().min(1).max(12),
  day: z.number().int().min(1).max(31),
});

const yenSetting = (label: string) =>
  z.number().int(`${label}は1円単位の整数で指定してください`).min(0, `${label}に負の値は指定できません`).max(10_000_000, `${label}が大きすぎます`);

/** こども医療費 償還払い: how much the guardian bears per receipt before the 助成. */
export const kodomoReimbursementModelSchema = z.discriminatedUnion(
  'kind',
  [
    /** 大阪府 model: copayPerDay per day per institution per month for the first chargedDaysPerMonth days. */
    z
      .object({
        kind: z.literal('per-day-copay'),
        copayPerDay: yenSetting('1日あたりの一部自己負担額'),
        chargedDaysPerMonth: z.number().int().min(0).max(31),
        /** 入院 and 通院 at one institution are counted apart. */
        separateInpatientOutpatient: z.boolean(),
        /** 歯科 and 医科 at one institution are counted apart. */
        separateDental: z.boolean(),
        /** 調剤 (pharmacies) bear nothing. */
        pharmacyFree: z.boolean(),
        /** Monthly cap per child over all institutions; null = no cap. */
        monthlyCapPerChild: yenSetting('月額上限').nullable(),
      })
      .strict(),
    /** Fully free: the guardian bears nothing. */
    z.object({ kind: z.literal('free') }).strict(),
  ],
  { error: '償還払いの計算方式（kind）は per-day-copay または free です' },
);
export type KodomoReimbursementModel = z.infer<typeof kodomoReimbursementModelSchema>;

/** Default when a profile has no claims section: the 大阪府 model (the typical rule in the requirements). */
const OSAKA_MODEL: KodomoReimbursementModel = {
  kind: 'per-day-copay',
  copayPerDay: 500,
  chargedDaysPerMonth: 2,
  separateInpatientOutpatient: true,
  separateDental: true,
  pharmacyFree: true,
  monthlyCapPerChild: 2500,
};

const deadlineYears = z.number().int('申請期限の年数は整数で指定してください').min(1).max(10);

/**
 * Claim settings (issue 6). Optional with defaults so older profiles still validate; the defaults are the
 * cautious choice (大阪府 model, 2-year deadlines, 給付割合 7割, no 葬祭費 amount → the calculation refuses).
 */
export const claimSettingsSchema = z
  .object({
    kodomo: z
      .object({
        reimbursement: kodomoReimbursementModelSchema.default(() => ({ ...OSAKA_MODEL })),
        /**
         * 申請期限: `years` from the day after the 起算 date (民法140条・143条). basis 'service-month': the
         * last day of the 診療月, or the payment date when that is later; 'payment-date': the payment date.
         * 地方自治法236条 gives 5 years when the 条例 sets nothing shorter; many 条例 set 2 years.
         */
        claimDeadline: z
          .object({
            years: deadlineYears.default(2),
            basis: z.enum(['service-month', 'payment-date']).default('service-month'),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    kokuho: z
      .object({
        /** 療養費 給付割合 (0.7 = 7割給付); a claim may override it (未就学児 0.8 など). */
        ryouyouhiBenefitRate: z
          .number()
          .gt(0, '給付割合は0より大きい値です')
          .max(1, '給付割合は1以下です')
          .refine((r) => Math.abs(r * 100 - Math.round(r * 100)) <= 1e-9, '給付割合は0.01単位で指定してください')
          .default(0.7),
        sousaihi: z
          .object({
            /** 葬祭費 per 条例; null = not set (a 葬祭費 calculation is refused). */
            amount: yenSetting('葬祭費の額').nullable().default(null),
            /** 国民健康保険法110条: 2 years from the day after the funeral. */
            deadlineYears: deadlineYears.default(2),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    notes: z.array(text({ label: '注記', max: 400 })).default([]),
  })
  .strict();
export type ClaimSettings = z.infer<typeof claimSettingsSchema>;

export const privacySettingsSchema = z
  .object({
    /** Seconds a revealed 個人番号 stays shown (counted on the core's clock); then it is masked again. */
    myNumberShownSeconds: z.number().int('個人番号の表示時間は秒単位の整数で指定してください').min(5, '個人番号の表示時間は5秒以上です').max(300, '個人番号の表示時間は300秒以内です').default(30),
  })
  .strict();
export type PrivacySettings = z.infer<typeof privacySettingsSchema>;

const retentionYears = (label: string) =>
  z.number({ error: `${label}の保存年限は年数（整数）で指定してください` }).int(`${label}の保存年限は整数の年数で指定してください`).min(1, `${label}の保存年限は1年以上です`).max(30, `${label}の保存年限は30年以内です`);

/**
 * 保存年限 of the domain records a terminal keeps (issue 16 §3), in years counted from each record's end event;
 * a record without one is never purged. The five assessments (/work/shared/seeds) state no number of years for
 * these records: 000 (大阪市 こども医療 全項目) 「業務ごとに定められた保管期間があるため…同一の保管期間は定められていない」
 * and 「保管期間の満了後システムにてデータベースより削除する」; 003 (こども医療 重点) 「保管期間の過ぎたデータは、
 * システムにて自動判定し消去する」 and 業務端末 data is 一時保管; 002 (国保 重点) 「保管期間が経過したデータは、システム
 * にて自動判別し、消去する」. So the defaults are the conservative 5 years (the period the assessments give their
 * access logs, 000: 「記録は5年間保管する」, and 地方自治法236条's 5 years for claims for money).
 * 接種歴: 004 (予防接種 全項目) 「健康管理システム上の接種歴は消去しない」 — never purged, so no setting.
 */
export const retentionSettingsSchema = z
  .object({
    /** A certificate: from its 回収 (superseded or cancelled and 回収/未回収 recorded) or the end of its validity. */
    certificatesYears: retentionYears('証').default(5),
    /** A claim: from its 決定 (decided_at). A 交付申請 stays while the 受給資格 it made is kept. */
    claimsYears: retentionYears('請求').default(5),
    /** A こども医療 受給資格: from its 喪失日. */
    kodomoShikakuYears: retentionYears('受給資格').default(5),
    /**
     * A 生活保護 医療扶助/介護扶助 flow (fujo_flows): from its 却下 (the 決定日) or its 廃止 (廃止日); an open or
     * current flow is never purged. Seed 001 (生活保護 全項目) gives no number of years (its 保管・消去 電子データ is
     * 「略」), so 5 is this product's choice, as for the kinds above. (The 給付券 are certificates: certificatesYears.)
     */
    fujoFlowsYears: retentionYears('扶助の記録').default(5),
  })
  .strict();
export type RetentionSettings = z.infer<typeof retentionSettingsSchema>;

const age = (label: string) => z.number({ error: `${label}は年齢（整数）で指定してください` }).int(`${label}は整数の年齢で指定してください`).min(0, `${label}は0歳以上です`).max(120, `${label}は120歳以下です`);

/**
 * The people each 事務's terminals hold (issue 16 §1; shared/domain/population.ts): the server sends a terminal only
 * the population of its 事務, and drops a person from it at the next pull once they leave. Besides what is
 * declared here, a person named by a record of the 事務 (証, 請求, 受給資格, 接種歴) is always in its population.
 * 生活保護 has no section: its population is only the people its records name (no ages to declare; population.ts).
 */
export const populationSettingsSchema = z
  .object({
    kodomo: z
      .object({
        /** Children from birth through the 3月31日 after reaching this age (こども医療: 18歳年度末). */
        childrenThroughFiscalYearEndOfAge: age('こども医療の対象年齢').default(18),
        /** The 保護者 of those children (the 申請者 and 証 の 保護者 欄). */
        guardians: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    kokuho: z
      .object({
        /** Everyone in a 世帯 with a current 国保 資格 (the 世帯主 too, who may be insured elsewhere). */
        households: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    yobou: z
      .object({
        /**
         * The ages of the routine schedule (予防接種法 A類: 0歳 through 高校1年相当 = the 16歳年度末; B類: 60歳から, the
         * 60〜64歳 with a disability and 65歳以上), from the day an age is attained through a 年度末 (none: no end).
         */
        ageBands: z
          .array(z.strictObject({ fromAge: age('予防接種の対象年齢（開始）'), throughFiscalYearEndOfAge: age('予防接種の対象年齢（終了）').nullable() }))
          .max(10, '予防接種の対象年齢は10区分までです')
          .default([{ fromAge: 0, throughFiscalYearEndOfAge: 16 }, { fromAge: 60, throughFiscalYearEndOfAge: null }]),
        guardians: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
  })
  .strict();
export type PopulationSettings = z.infer<typeof populationSettingsSchema>;

export const ruleProfileSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    /** 全国地方公共団体コード (6 digits incl. check digit). */
    municipalityCode: z.string().regex(/^[0-9]{6}$/, '団体コードは6桁の数字です'),
    municipalityName: text({ label: '団体名', min: 1, max: 100 }),
    /** Marks sample data that must never be used in production. */
    sample: z.boolean().default(false),
    kodomo: z.object({
      certificateName: text({ label: '証の名称', min: 1, max: 60 }),
      /** 公費負担者番号 (8 digits with check digit). */
      publicPayerNo: z
        .string()
        .refine(isValidPublicPayerNumber, '公費負担者番号の形式または検証番号が正しくありません'),
      /** Age limit: eligibility ends on the first 3月31日 after reaching this age (18 → 18歳年度末). */
      eligibleUntilFiscalYearEndOfAge: z.literal(18),
      /** 有効期間: the certificate ends the day before the next renewal date, or at 18歳年度末 if earlier. */
      renewal: monthDay.nullable(),
      /** 受給者番号 numbering: 6-digit serial + 1 check digit. */
      recipientNumberPrefix: z.string().regex(/^[0-9]{0,3}$/),
      issuerTitle: text({ label: '交付者', min: 1, max: 100 }),
      notes: z.array(text({ label: '注記', max: 400 })).default([]),
    }),
    /**
     * 生活保護 (issue 17): the 福祉事務所's 公費負担者番号 (法別 12, check digit) printed on its 医療券・調剤券・介護券, and
     * the 受給者番号 numbering (prefix + serial from the terminal's number block + check digit, as the こども医療's).
     * Absent: every 給付券 must carry both numbers typed (and checked).
     */
    seikatsu: z
      .strictObject({
        publicPayerNo: z.string().refine((v) => seikatsuPublicPayerProblem(v) === null, '生活保護の公費負担者番号（法別12、8桁、検証番号）が正しくありません'),
        recipientNumberPrefix: z.string().regex(/^[0-9]{0,3}$/, '受給者番号の接頭辞は0〜3桁の数字です'),
      })
      .optional(),
    claims: claimSettingsSchema.prefault({}),
    /** Privacy at the counter: how long a revealed 個人番号 stays on screen before it is masked again. */
    privacy: privacySettingsSchema.prefault({}),
    /** 保存年限 of the records a terminal keeps; expired ones are purged at start (electron/core/retention). */
    retention: retentionSettingsSchema.prefault({}),
    /** Who each 事務's terminals hold (the minimal copy for 縮退運用); the server applies it. */
    population: populationSettingsSchema.prefault({}),
    /**
     * Per certificate type (shared/domain/certificate-types.ts): number format (prefix + zero-padded serial)
     * and, where the municipality differs from the type's default, the day validity runs to (e.g. 7月31日).
     */
    certificates: z
      .record(
        z.string().regex(/^[a-z_]+$/),
        z.strictObject({
          numberPrefix: z.string().regex(/^[0-9A-Z]{0,4}$/, '証番号の接頭辞は英大文字・数字4文字以内です'),
          numberWidth: z.number().int().min(4).max(10),
          validUntil: monthDay.optional(),
        }),
      )
      .default({}),
  })
  .strict();

export type RuleProfile = z.infer<typeof ruleProfileSchema>;
