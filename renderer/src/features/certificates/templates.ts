import type { CertType } from '../../../../shared/domain/certificate-types';
import { formatWareki, isValidIsoDate } from '../../../../shared/domain/wareki';

/**
 * Print layouts of every certificate type (issue 7 §5), as data. The renderer cannot read files, so the
 * templates live here rather than in resources/. A template only orders and groups the printed fields the
 * core returns (certificates.printFields — the same list the print-safety check compares); it never adds
 * personal data of its own. A field the template does not place is still printed, in an extra row at the
 * end, so nothing compared before printing is left off the paper by a layout mistake.
 *
 * Keys are those of shared/domain/certificate-types.ts printedFields, plus two composites:
 *   'validity' — validFrom and validTo as 「…から…まで」;  'records' — record0…recordN as a table.
 * 'name' prints nameKana above it as furigana, 'guardian' likewise guardianKana.
 * The profile's fixed notes and 交付者 title of a type (こども医療証) come with the printed fields and are
 * printed after the template's.
 */
export interface CertTemplate {
  size: 'card' | 'a4';
  /** A4: the sentence under the title. */
  lead?: string;
  /** Rows of the front, top to bottom; one or two fields per row. */
  rows: readonly (readonly string[])[];
  /** Printed on the reverse (card: the second panel; A4: the 裏面記載事項 box). 国保: sex, when chosen. */
  back: readonly string[];
  /** Fixed wording printed on every certificate of the type. */
  notes: readonly string[];
  /** Label before the municipality at the foot (保険者 / 交付者 / 証明者). */
  issuer: string;
  /** Fields deliberately not printed on this layout (still compared before printing). */
  omit?: readonly string[];
  /** A 再交付 certificate carries a 「再交付」 stamp beside the title. */
  reissueStamp?: true;
}

const KOKUHO_CARD_ROWS = [['insurerNo', 'certificateNo'], ['symbolNumber'], ['name'], ['birthDate'], ['address']] as const;

export const TEMPLATES: Readonly<Record<CertType, CertTemplate>> = {
  kodomo: {
    size: 'card',
    rows: [['publicPayerNo', 'certificateNo'], ['name'], ['birthDate', 'sex'], ['guardian'], ['address'], ['insurerNo', 'symbolNumber'], ['validity'], ['issueDate']],
    back: [],
    // The notes are the municipality's, from its profile.
    notes: [],
    issuer: '交付者',
    reissueStamp: true,
  },
  kokuho_shikaku: {
    size: 'card',
    rows: [...KOKUHO_CARD_ROWS, ['limitKubun'], ['validity'], ['issueDate']],
    back: ['sex'],
    notes: ['医療機関等で受診するときは、この資格確認書を窓口に提示してください。', '記載事項に変更があったときは、14日以内に届け出てください。'],
    issuer: '保険者',
  },
  kokuho_oshirase: {
    size: 'a4',
    lead: 'あなたの国民健康保険の資格情報は、次のとおりです。',
    rows: [['name'], ['birthDate'], ['address'], ['insurerNo'], ['symbolNumber'], ['certificateNo'], ['validity'], ['issueDate']],
    back: ['sex'],
    notes: ['このお知らせだけでは医療機関等を受診できません。マイナ保険証と一緒にお使いください。', '記載事項に変更があったときは、14日以内に届け出てください。'],
    issuer: '保険者',
  },
  kokuho_gendogaku: {
    size: 'card',
    rows: [...KOKUHO_CARD_ROWS, ['kubun'], ['validity'], ['issueDate']],
    back: ['sex'],
    notes: ['医療機関等で受診するときは、資格確認書と一緒に窓口に提示してください。'],
    issuer: '保険者',
  },
  kokuho_gengaku: {
    size: 'card',
    rows: [...KOKUHO_CARD_ROWS, ['kubun', 'longStayFrom'], ['validity'], ['issueDate']],
    back: ['sex'],
    notes: ['医療機関等で受診するときは、資格確認書と一緒に窓口に提示してください。', '入院時の食事代（標準負担額）が減額されます。'],
    issuer: '保険者',
  },
  kokuho_tokutei: {
    size: 'card',
    rows: [...KOKUHO_CARD_ROWS, ['disease'], ['limitYen'], ['validity'], ['issueDate']],
    back: ['sex'],
    notes: ['受診の際は、資格確認書と一緒に医療機関等の窓口に提示してください。'],
    issuer: '保険者',
  },
  yobou_genmen: {
    size: 'card',
    rows: [['certificateNo', 'claimNo'], ['name'], ['birthDate', 'sex'], ['address'], ['vaccine'], ['validity'], ['issueDate']],
    back: [],
    notes: ['接種の際に医療機関へ提出してください。自己負担金が免除されます。'],
    issuer: '交付者',
  },
  yobou_shomei: {
    size: 'a4',
    lead: '下記のとおり予防接種を受けたことを証明します。',
    rows: [['certificateNo'], ['name'], ['birthDate', 'sex'], ['address'], ['records'], ['issueDate']],
    back: [],
    notes: ['この証明は、市の予防接種台帳の記録に基づいて作成しています。'],
    issuer: '証明者',
    // The 証明 has no period of validity: 有効期間（自） is the issue date and 有効期間（至） is empty.
    omit: ['validFrom', 'validTo'],
  },
  // 生活保護の給付券 (A4, sent to the 指定機関): no address, no 個人番号.
  seikatsu_iryo: {
    size: 'a4',
    lead: '生活保護法による医療扶助のため、下記のとおり医療券を交付します。',
    rows: [['publicPayerNo', 'recipientNo'], ['certificateNo', 'month'], ['name'], ['birthDate', 'sex'], ['institution'], ['shinryo'], ['validity'], ['diseaseNames'], ['selfPayYen', 'coverage'], ['socialInsurance'], ['caseNo', 'caseworker'], ['issueDate']],
    back: [],
    notes: ['この券は、記載の指定医療機関・診療別・有効期間に限り有効です。', '本人支払額がある場合は、指定医療機関の窓口でお支払いください。'],
    issuer: '福祉事務所長',
  },
  seikatsu_chozai: {
    size: 'a4',
    lead: '生活保護法による医療扶助（調剤）のため、下記のとおり調剤券を交付します。',
    rows: [['publicPayerNo', 'recipientNo'], ['certificateNo', 'month'], ['name'], ['birthDate', 'sex'], ['institution'], ['prescriber'], ['shinryo'], ['validity'], ['diseaseNames'], ['selfPayYen', 'coverage'], ['socialInsurance'], ['caseNo', 'caseworker'], ['issueDate']],
    back: [],
    notes: ['この券は、記載の指定薬局・有効期間に限り有効です。'],
    issuer: '福祉事務所長',
  },
  seikatsu_kaigo: {
    size: 'a4',
    lead: '生活保護法による介護扶助のため、下記のとおり介護券を交付します。',
    rows: [['publicPayerNo', 'recipientNo'], ['certificateNo', 'month'], ['name'], ['birthDate', 'sex'], ['institution'], ['shinryo'], ['validity'], ['selfPayYen', 'coverage'], ['socialInsurance'], ['caseNo', 'caseworker'], ['issueDate']],
    back: [],
    notes: ['この券は、記載の指定介護機関・有効期間に限り有効です。'],
    issuer: '福祉事務所長',
  },
};

/** Fields printed as dates: shown in 和暦 (the ISO form stays off the paper). */
const DATE_KEYS = new Set(['birthDate', 'issueDate', 'validFrom', 'validTo', 'longStayFrom']);
const ISO_IN_TEXT = /\b(\d{4}-\d{2}-\d{2})\b/g;

/** A printed value as it appears on paper: dates in 和暦, also inside composite values (接種記録). */
export function displayValue(key: string, value: string): string {
  if (DATE_KEYS.has(key)) return isValidIsoDate(value) ? formatWareki(value) : value;
  return value.replace(ISO_IN_TEXT, (iso: string) => (isValidIsoDate(iso) ? formatWareki(iso) : iso));
}

/** Keys a composite consumes. */
export function keysOf(cell: string, allKeys: readonly string[]): string[] {
  if (cell === 'validity') return ['validFrom', 'validTo'];
  if (cell === 'records') return allKeys.filter((k) => /^record\d+$/.test(k));
  if (cell === 'name') return ['name', 'nameKana'];
  if (cell === 'guardian') return ['guardian', 'guardianKana'];
  return [cell];
}
