import { z } from 'zod';
import { text } from '../text';
import { KOGAKU_KUBUN } from './claims/rule-tables';
import type { Jimu } from './rights';
import { SEX_LABELS, type SexCode } from './resident';
import { addDays, parseIso, toIso } from './wareki';

/**
 * Every certificate the three 事務 issue, as data: name, paper size, how long it is valid, which details it
 * carries. The printed fields of each type are built here (pure), so the preview and the print-safety
 * comparison before printing use exactly the same list.
 */
export const CERT_TYPES = [
  'kodomo',
  'kokuho_shikaku',
  'kokuho_oshirase',
  'kokuho_gendogaku',
  'kokuho_gengaku',
  'kokuho_tokutei',
  'yobou_genmen',
  'yobou_shomei',
] as const;
export type CertType = (typeof CERT_TYPES)[number];

/** How validity is set: to the day before the next renewal date (e.g. 8月1日 → 7月31日), to a fiscal year end, or open-ended. */
export type ValidityRule = { kind: 'until-month-day'; month: number; day: number } | { kind: 'fiscal-year-end' } | { kind: 'open' } | { kind: 'kodomo' };

export interface CertTypeDef {
  type: CertType;
  jimu: Jimu;
  name: string;
  size: 'card' | 'a4';
  validity: ValidityRule;
  /** Printed on the reverse when chosen (国保: whether to print sex). */
  sexChoice: boolean;
  details: z.ZodType<Record<string, unknown>>;
  /**
   * The details name a 保護者 of the person (`guardianId`), who must be one of the person's guardians in the
   * resident data; the certificate keeps them in certificates.guardian_id and prints their name and address.
   */
  guardian?: true;
}

/** The details key naming the 保護者 of a type with `guardian` (こども医療証). */
export const GUARDIAN_DETAIL = 'guardianId';

export const TOKUTEI_DISEASES = ['人工腎臓を実施している慢性腎不全', '血漿分画製剤を投与している先天性血液凝固第Ⅷ因子障害又は先天性血液凝固第Ⅸ因子障害', '抗ウイルス剤を投与している後天性免疫不全症候群'] as const;

const none = z.strictObject({});
const kubun = z.enum(KOGAKU_KUBUN, '所得区分（ア〜オ）を選択してください');

export const CERT_TYPE_DEFS: Readonly<Record<CertType, CertTypeDef>> = {
  kodomo: {
    type: 'kodomo', jimu: 'kodomo', name: 'こども医療証', size: 'card', validity: { kind: 'kodomo' }, sexChoice: false, guardian: true,
    details: z.strictObject({ [GUARDIAN_DETAIL]: z.uuid('受給者（保護者）を選択してください') }),
  },
  kokuho_shikaku: {
    type: 'kokuho_shikaku', jimu: 'kokuho', name: '国民健康保険 資格確認書', size: 'card', validity: { kind: 'until-month-day', month: 7, day: 31 }, sexChoice: true,
    details: z.strictObject({ limitKubun: kubun.nullable().default(null) }),
  },
  kokuho_oshirase: { type: 'kokuho_oshirase', jimu: 'kokuho', name: '資格情報のお知らせ', size: 'a4', validity: { kind: 'open' }, sexChoice: true, details: none },
  kokuho_gendogaku: {
    type: 'kokuho_gendogaku', jimu: 'kokuho', name: '限度額適用認定証', size: 'card', validity: { kind: 'until-month-day', month: 7, day: 31 }, sexChoice: true,
    details: z.strictObject({ kubun }),
  },
  kokuho_gengaku: {
    type: 'kokuho_gengaku', jimu: 'kokuho', name: '限度額適用・標準負担額減額認定証', size: 'card', validity: { kind: 'until-month-day', month: 7, day: 31 }, sexChoice: true,
    details: z.strictObject({ kubun: z.literal('オ', '減額認定証の所得区分は「オ」（住民税非課税世帯）です'), longStayFrom: text({ label: '長期入院の該当日', max: 20 }).nullable().default(null) }),
  },
  kokuho_tokutei: {
    type: 'kokuho_tokutei', jimu: 'kokuho', name: '特定疾病療養受療証', size: 'card', validity: { kind: 'open' }, sexChoice: true,
    details: z.strictObject({ disease: z.enum(TOKUTEI_DISEASES, '特定疾病を選択してください'), limitYen: z.union([z.literal(10000), z.literal(20000)], '自己負担限度額（10,000円・20,000円）を選択してください') }),
  },
  yobou_genmen: {
    type: 'yobou_genmen', jimu: 'yobou', name: '予防接種 B類 自己負担金減免券', size: 'card', validity: { kind: 'fiscal-year-end' }, sexChoice: false,
    details: z.strictObject({ vaccine: text({ label: 'ワクチン', min: 1, max: 60 }), claimNo: text({ label: '受付番号', min: 1, max: 40 }) }),
  },
  yobou_shomei: {
    type: 'yobou_shomei', jimu: 'yobou', name: '予防接種の接種記録の証明', size: 'a4', validity: { kind: 'open' }, sexChoice: false,
    details: z.strictObject({
      records: z.array(z.strictObject({ vaccineName: text({ label: 'ワクチン', max: 60 }), doseLabel: text({ label: '回数', max: 40 }), administeredOn: text({ label: '接種日', max: 40 }), lotNumber: text({ label: 'ロット番号', max: 30 }).nullable(), institution: text({ label: '医療機関', max: 100 }) })).min(1, '証明する接種記録がありません'),
      purpose: text({ label: '使用目的', max: 60 }).nullable().default(null),
    }),
  },
};

export function isCertType(v: unknown): v is CertType {
  return typeof v === 'string' && (CERT_TYPES as readonly string[]).includes(v);
}

/** 有効期限 for a type issued on `issueIso` (not used for kodomo, whose rule is in eligibility.ts). */
export function validToFor(rule: ValidityRule, issueIso: string): string | null {
  const { y, m, d } = parseIso(issueIso);
  switch (rule.kind) {
    case 'open':
    case 'kodomo':
      return null;
    case 'fiscal-year-end':
      return toIso(m >= 4 ? y + 1 : y, 3, 31);
    case 'until-month-day': {
      const thisYear = toIso(y, rule.month, rule.day);
      return `${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` <= thisYear.slice(5) ? thisYear : toIso(y + 1, rule.month, rule.day);
    }
  }
}

/** Number format of a type from the profile: prefix + zero-padded serial. */
export interface NumberFormat {
  prefix: string;
  width: number;
}

export function formatCertificateNo(f: NumberFormat, serial: number): string {
  const body = String(serial).padStart(f.width, '0');
  if (body.length > f.width) throw new RangeError('証番号の桁数を超えました');
  return `${f.prefix}${body}`;
}

export interface PrintedField {
  key: string;
  label: string;
  value: string;
}

/** What a certificate prints, from the certificate and the person's current record (and insurance). */
export interface PrintSource {
  type: CertType;
  /** The name printed as the title (the profile's name for a こども医療証, e.g. 子ども医療費受給資格証). */
  name: string;
  certificateNo: string;
  issueDate: string;
  validFrom: string;
  validTo: string | null;
  details: Record<string, unknown>;
  nameChoice: 'real' | 'alias';
  printSex: boolean;
  person: { nameKanji: string; aliasName: string | null; nameKana: string; birthDate: string; sex: SexCode; address: string; addressWithheld: boolean };
  insurance: { insurerNo: string; symbol: string; number: string; branch: string } | null;
  guardian: { nameKanji: string; nameKana: string; address: string } | null;
  publicPayerNo: string | null;
}

export function printedFields(src: PrintSource): PrintedField[] {
  const def = CERT_TYPE_DEFS[src.type];
  const f = (key: string, label: string, value: string | null | undefined): PrintedField => ({ key, label, value: value ?? '' });
  const name = src.nameChoice === 'alias' && src.person.aliasName ? src.person.aliasName : src.person.nameKanji;
  const out: PrintedField[] = [
    f('title', '証の名称', src.name),
    f('certificateNo', src.type === 'kodomo' ? '受給者番号' : '番号', src.certificateNo),
    f('name', '氏名', name),
    f('nameKana', 'フリガナ', src.person.nameKana),
    f('birthDate', '生年月日', src.person.birthDate),
  ];
  if (!def.sexChoice || src.printSex) out.push(f('sex', '性別', SEX_LABELS[src.person.sex]));
  if (src.type === 'kodomo') {
    out.push(
      f('publicPayerNo', '公費負担者番号', src.publicPayerNo),
      f('guardian', '保護者', src.guardian?.nameKanji),
      f('guardianKana', '保護者（フリガナ）', src.guardian?.nameKana),
      f('address', '住所', src.guardian?.address),
    );
  } else {
    out.push(f('address', '住所', src.person.addressWithheld ? '' : src.person.address));
  }
  if (src.insurance && def.jimu !== 'yobou') {
    out.push(f('insurerNo', '保険者番号', src.insurance.insurerNo), f('symbolNumber', '記号・番号', `${src.insurance.symbol}・${src.insurance.number}${src.insurance.branch ? `（枝番 ${src.insurance.branch}）` : ''}`));
  }
  const d = src.details;
  if (src.type === 'kokuho_shikaku' && d.limitKubun) out.push(f('limitKubun', '限度区分', String(d.limitKubun)));
  if (src.type === 'kokuho_gendogaku' || src.type === 'kokuho_gengaku') out.push(f('kubun', '適用区分', String(d.kubun)));
  if (src.type === 'kokuho_gengaku' && d.longStayFrom) out.push(f('longStayFrom', '長期入院該当年月日', String(d.longStayFrom)));
  if (src.type === 'kokuho_tokutei') out.push(f('disease', '特定疾病', String(d.disease)), f('limitYen', '自己負担限度額', `${Number(d.limitYen).toLocaleString('ja-JP')}円`));
  if (src.type === 'yobou_genmen') out.push(f('vaccine', '対象ワクチン', String(d.vaccine)), f('claimNo', '申請受付番号', String(d.claimNo)));
  if (src.type === 'yobou_shomei') {
    const recs = (d.records as { vaccineName: string; doseLabel: string; administeredOn: string; lotNumber: string | null; institution: string }[]) ?? [];
    recs.forEach((r, i) => out.push(f(`record${i}`, `接種記録${i + 1}`, `${r.vaccineName} ${r.doseLabel} ${r.administeredOn} ${r.institution}${r.lotNumber ? ` ロット${r.lotNumber}` : ''}`)));
  }
  out.push(f('issueDate', '交付年月日', src.issueDate), f('validFrom', '有効期間（自）', src.validFrom), f('validTo', '有効期間（至）', src.validTo ?? ''));
  return out;
}

/** The fields that differ between what the preview showed and what would print now. */
export function changedFields(before: readonly PrintedField[], after: readonly PrintedField[]): { label: string; before: string; after: string }[] {
  const keys = new Set([...before.map((f) => f.key), ...after.map((f) => f.key)]);
  const out: { label: string; before: string; after: string }[] = [];
  for (const k of keys) {
    const a = before.find((f) => f.key === k);
    const b = after.find((f) => f.key === k);
    if ((a?.value ?? '') !== (b?.value ?? '')) out.push({ label: (a ?? b)!.label, before: a?.value ?? '', after: b?.value ?? '' });
  }
  return out;
}

export const RECALL_KINDS = ['返納', '郵送返戻', '紛失届', '未回収'] as const;
export type RecallKind = (typeof RECALL_KINDS)[number];

export { addDays };
