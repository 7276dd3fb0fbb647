import { z } from 'zod';
import { ACCESS_REASONS, SEX_CODES, ATENA_NO_PATTERN } from '../domain/resident';
import { isKanaName } from '../domain/kana';
import { checkMyNumber } from '../domain/mynumber';
import { normalizeAtenaNo } from '../domain/identifiers';
import { needs } from './access';
import { id, isoDate } from './fields';
import { text } from '../text';
import { CERT_TYPES } from '../domain/certificate-types';
import { CLAIM_KINDS } from '../domain/claims/claim-kinds';

/** Resident search, detail and the separately-righted 個人番号 reveal (each with a 処理事由, audited). */
const reason = z.enum(ACCESS_REASONS, '処理事由を選択してください');

const residentSummary = z.object({
  id,
  atenaNo: z.string(),
  nameKanji: z.string(),
  nameKana: z.string(),
  aliasName: z.string().nullable(),
  birthDate: z.string(),
  sex: z.enum(SEX_CODES),
  /** In search results: masked for residents under DV等支援措置 / 不開示. The detail view shows it to staff with a warning. */
  address: z.string(),
  householdNo: z.string(),
  flags: z.object({ dvSupport: z.boolean(), nonDisclosure: z.boolean() }),
});
export type ResidentSummary = z.infer<typeof residentSummary>;

const insurance = z.object({
  insurerNo: z.string(),
  symbol: z.string(),
  number: z.string(),
  branch: z.string(),
});

/** One 国保 被保険者資格 period as imported from the 国保 system (read-only at the terminal); codes with their names. */
const kokuhoShikaku = z.object({
  insurerNo: z.string(),
  symbol: z.string(),
  number: z.string(),
  branch: z.string(),
  acquiredOn: z.string(),
  acquireReason: z.string(),
  lostOn: z.string().nullable(),
  loseReason: z.string().nullable(),
  incomeClass: z.string().nullable(),
});

/** One こども医療 受給資格 (認定 at the counter; kodomo_shikaku): the 主保険, the 保護者, its 喪失 and the last day it covers. */
const kodomoShikaku = z.object({
  id,
  claimId: z.string(),
  acquiredOn: z.string(),
  acquireReason: z.string(),
  guardianId: z.string().nullable(),
  guardianName: z.string().nullable(),
  insurance: z.object({ insurerName: z.string(), kind: z.string(), relation: z.string(), symbol: z.string(), number: z.string(), branch: z.string() }),
  delivery: z.record(z.string(), z.string()),
  lostOn: z.string().nullable(),
  loseReason: z.string().nullable(),
  loseNotifiedOn: z.string().nullable(),
  /** The last day it covers (the day before the 喪失日, never after the 18歳年度末). */
  lastDay: z.string(),
  /** 取得日（事由）・どこまで, for staff. */
  text: z.string(),
  version: z.number().int(),
});

const related = z.object({ id, atenaNo: z.string(), nameKanji: z.string(), nameKana: z.string(), birthDate: z.string(), relationship: z.string() });

/** Offered or not, with the reason shown to staff (shared/domain/availability; the core refuses the same). */
const availability = z.union([z.object({ available: z.literal(true), reason: z.null() }), z.object({ available: z.literal(false), reason: z.string() })]);

const residentDetail = residentSummary.extend({
  postalCode: z.string(),
  katagaki: z.string(),
  hasMyNumber: z.boolean(),
  insurance: insurance.nullable(),
  /** 国保 資格 periods, latest 取得 first (empty: not a 国保 member on record). Codes as in docs/interfaces/kokuho.md. */
  kokuhoShikaku: z.array(kokuhoShikaku),
  /** こども医療 受給資格, latest 取得 first (empty: none 認定). */
  kodomoShikaku: z.array(kodomoShikaku),
  guardians: z.array(related),
  children: z.array(related),
  kodomoEligibility: z.object({ eligible: z.boolean(), endsOn: z.string().nullable(), reason: z.string().nullable() }),
  /** Which certificates and claims this person's data allows, and 国保 membership (issue 14 §5). */
  offers: z.object({
    certificates: z.record(z.enum(CERT_TYPES), availability),
    claims: z.record(z.enum(CLAIM_KINDS), availability),
    kokuho: availability,
    kodomo: availability,
  }),
  version: z.number().int(),
});
export type ResidentDetail = z.infer<typeof residentDetail>;

const searchRequest = z
  .object({
    kana: text({ label: 'カナ氏名', max: 40, trim: false })
      .refine((s) => s.trim() === '' || isKanaName(s), 'カナ氏名はカタカナ（またはひらがな）で入力してください')
      .optional(),
    birthDate: isoDate.optional(),
    atenaNo: z.string().overwrite(normalizeAtenaNo).regex(ATENA_NO_PATTERN, '宛名番号は数字15桁以内で入力してください').optional(),
  })
  .strict()
  .refine((q) => Boolean(q.kana?.trim() || q.birthDate || q.atenaNo), {
    message: 'カナ氏名・生年月日・宛名番号のいずれかを入力してください',
    path: ['kana'],
  });
export type SearchRequest = z.input<typeof searchRequest>;


/** A 個人番号 as staff type it (full-width digits, spaces and hyphens allowed): the 12 digits, check digit verified. */
const myNumberInput = text({ label: '個人番号', max: 40 }).transform((v, ctx) => {
  const c = checkMyNumber(v);
  if (!c.ok) {
    ctx.addIssue({ code: 'custom', message: c.message });
    return z.NEVER;
  }
  return c.value;
});

export const residentsChannels = {
  'residents.search': {
    access: needs('resident.search'),
    request: searchRequest,
    response: z.object({ results: z.array(residentSummary), truncated: z.boolean(), limit: z.number().int() }),
  },
  'residents.get': {
    access: needs('resident.view'),
    request: z.object({ residentId: id, reason }).strict(),
    response: residentDetail,
  },
  'residents.revealMyNumber': {
    access: needs('mynumber.reveal'),
    request: z.object({ residentId: id, reason }).strict(),
    /** hideAt: the core's instant after which the screen masks the number again (profile privacy.myNumberShownSeconds). */
    response: z.object({ myNumber: z.string(), hideAt: z.string(), shownSeconds: z.number().int() }),
  },
  /** The resident holding a 個人番号, asked of the central server (terminals hold none); null: none found. Refused offline. */
  'residents.searchByMyNumber': {
    access: needs('mynumber.reveal'),
    request: z.object({ myNumber: myNumberInput, reason }).strict(),
    response: z.object({ residentId: z.string().nullable() }),
  },
} as const;
