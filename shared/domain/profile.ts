import { z } from 'zod';
import { isValidPublicPayerNumber } from './houbetsu';

/**
 * A municipality's rule profile (resources/profiles/*.json). Rules that differ between municipalities
 * live here as data, never as constants in code. Validated at start; an invalid profile stops the app.
 */
const monthDay = z.object({
  month: z.number().int().min(1).max(12),
  day: z.number().int().min(1).max(31),
});

export const ruleProfileSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    /** 全国地方公共団体コード (6 digits incl. check digit). */
    municipalityCode: z.string().regex(/^[0-9]{6}$/, '団体コードは6桁の数字です'),
    municipalityName: z.string().min(1),
    /** Marks sample data that must never be used in production. */
    sample: z.boolean().default(false),
    kodomo: z.object({
      certificateName: z.string().min(1),
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
      issuerTitle: z.string().min(1),
      notes: z.array(z.string()).default([]),
    }),
  })
  .strict();

export type RuleProfile = z.infer<typeof ruleProfileSchema>;
