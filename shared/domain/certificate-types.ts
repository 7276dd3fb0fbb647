import { z } from 'zod';
import { text } from '../text';
import { KOGAKU_KUBUN } from './claims/rule-tables';
import type { Jimu } from './rights';
import { SEX_LABELS, type SexCode } from './resident';
import { addDays, parseIso, toIso } from './wareki';
import { SHINRYO_OF_KIND, ticketRequestSchema, ticketValidity, type TicketKind, type TicketRequest } from './seikatsu/ticket';
import { formatMonthJa, formatYen, isYearMonth } from './claims/common';

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
  'seikatsu_iryo',
  'seikatsu_chozai',
  'seikatsu_kaigo',
] as const;
export type CertType = (typeof CERT_TYPES)[number];

/**
 * How validity is set: to the day before the next renewal date (e.g. 8月1日 → 7月31日), to a fiscal year end, or
 * open-ended; a こども医療証 by its own rule (eligibility.ts); a 生活保護の給付券 for its month, cut by the 扶助開始日 and
 * the 廃止日 (seikatsu/ticket.ts ticketValidity).
 */
export type ValidityRule = { kind: 'until-month-day'; month: number; day: number } | { kind: 'fiscal-year-end' } | { kind: 'open' } | { kind: 'kodomo' } | { kind: 'seikatsu-month' };

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

/** The 生活保護の給付券 types and the ticket each one is (医療券・調剤券・介護券; seikatsu/ticket.ts). */
export const TICKET_TYPES = ['seikatsu_iryo', 'seikatsu_chozai', 'seikatsu_kaigo'] as const;
export type TicketType = (typeof TICKET_TYPES)[number];
export const TICKET_KIND_OF_TYPE: Readonly<Record<TicketType, TicketKind>> = { seikatsu_iryo: '医療券', seikatsu_chozai: '調剤券', seikatsu_kaigo: '介護券' };

export function isTicketType(t: unknown): t is TicketType {
  return typeof t === 'string' && (TICKET_TYPES as readonly string[]).includes(t);
}

/**
 * The details of a 給付券 as stored: the ticket request of seikatsu/ticket.ts without the recipient (the
 * certificate's resident) and the kind (the type) — the same zod rules, so a ticket stored is a ticket
 * ticketRequestSchema accepts. The 扶助開始日 and 廃止日 are filled in from the 扶助's flow when issuing, never typed.
 */
function ticketDetails(type: TicketType): z.ZodType<Record<string, unknown>> {
  const kind = TICKET_KIND_OF_TYPE[type];
  return z
    .record(z.string(), z.unknown())
    .transform((d, ctx) => {
      if ('kind' in d || 'residentId' in d) {
        ctx.addIssue({ code: 'custom', message: '券の種類と受給者は記載事項に書きません' });
        return z.NEVER;
      }
      const r = ticketRequestSchema.safeParse({ ...d, kind, residentId: '-' });
      if (!r.success) {
        for (const i of r.error.issues) ctx.addIssue({ code: 'custom', path: i.path, message: i.message });
        return z.NEVER;
      }
      const { kind: _k, residentId: _r, ...details } = r.data;
      return details as Record<string, unknown>;
    });
}

/** The 診療別 a type may carry (医療券: 入院・入院外・歯科・訪問看護; 調剤券: 調剤; 介護券: 介護). */
export const SHINRYO_OF_TYPE: Readonly<Record<TicketType, readonly string[]>> = {
  seikatsu_iryo: SHINRYO_OF_KIND.医療券,
  seikatsu_chozai: SHINRYO_OF_KIND.調剤券,
  seikatsu_kaigo: SHINRYO_OF_KIND.介護券,
};
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
  // 生活保護の給付券: one per recipient, month, 指定機関 and 診療別 (not one valid per person and type); the number is
  // the 交付番号. Sent to the 指定機関 (listed per 機関 for the monthly mailing), so no address is printed.
  seikatsu_iryo: { type: 'seikatsu_iryo', jimu: 'seikatsu', name: '医療券', size: 'a4', validity: { kind: 'seikatsu-month' }, sexChoice: false, details: ticketDetails('seikatsu_iryo') },
  seikatsu_chozai: { type: 'seikatsu_chozai', jimu: 'seikatsu', name: '調剤券', size: 'a4', validity: { kind: 'seikatsu-month' }, sexChoice: false, details: ticketDetails('seikatsu_chozai') },
  seikatsu_kaigo: { type: 'seikatsu_kaigo', jimu: 'seikatsu', name: '介護券', size: 'a4', validity: { kind: 'seikatsu-month' }, sexChoice: false, details: ticketDetails('seikatsu_kaigo') },
};

export function isCertType(v: unknown): v is CertType {
  return typeof v === 'string' && (CERT_TYPES as readonly string[]).includes(v);
}

/** 有効期限 for a type issued on `issueIso` (not used for kodomo, whose rule is in eligibility.ts, nor for the 給付券, whose is ticketValidity). */
export function validToFor(rule: ValidityRule, issueIso: string): string | null {
  const { y, m, d } = parseIso(issueIso);
  switch (rule.kind) {
    case 'open':
    case 'kodomo':
    case 'seikatsu-month':
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
  /** 給付券: the 地区担当員's name from the staff records (null: not found; the staff ID is printed). */
  caseworkerName?: string | null;
}

export function printedFields(src: PrintSource): PrintedField[] {
  const def = CERT_TYPE_DEFS[src.type];
  const f = (key: string, label: string, value: string | null | undefined): PrintedField => ({ key, label, value: value ?? '' });
  const name = src.nameChoice === 'alias' && src.person.aliasName ? src.person.aliasName : src.person.nameKanji;
  if (isTicketType(src.type)) return ticketFields(src, name, f);
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

/**
 * A 医療券・調剤券・介護券 as printed: the items of the 給付券 (公費負担者番号, 受給者番号, 氏名, 生年月日, 指定機関, 診療別,
 * 有効期間, 傷病名, 本人支払額, 単独/併用 and the 社会保険, ケース番号, 地区担当員). It goes to the 指定機関, so it carries
 * no address, and nothing of the person's own 保険 record: the 社会保険 of a 併用 ticket is the ticket's.
 */
function ticketFields(src: PrintSource, name: string, f: (key: string, label: string, value: string | null | undefined) => PrintedField): PrintedField[] {
  const d = src.details as Partial<TicketDetails>;
  const type = src.type as TicketType;
  const care = type === 'seikatsu_kaigo';
  const si = d.socialInsurance;
  const out: PrintedField[] = [
    f('title', '券の名称', src.name),
    f('certificateNo', '交付番号', src.certificateNo),
    f('publicPayerNo', '公費負担者番号', d.publicPayerNo),
    f('recipientNo', '受給者番号', d.recipientNo),
    f('name', '氏名', name),
    f('nameKana', 'フリガナ', src.person.nameKana),
    f('birthDate', '生年月日', src.person.birthDate),
    f('sex', '性別', SEX_LABELS[src.person.sex]),
    f('month', '対象年月', d.month && isYearMonth(d.month) ? formatMonthJa(d.month) : d.month),
    f('institution', care ? '指定介護機関' : '指定医療機関', `${d.institutionName ?? ''}（${d.institutionCode ?? ''}）`),
  ];
  if (type === 'seikatsu_chozai') out.push(f('prescriber', '処方箋発行元医療機関', d.prescriberCode));
  out.push(f('shinryo', '診療別', d.shinryo));
  if (!care) out.push(f('diseaseNames', '傷病名', (d.diseaseNames ?? []).join('、')));
  out.push(
    f('selfPayYen', '本人支払額', typeof d.selfPayYen === 'number' ? formatYen(d.selfPayYen) : ''),
    f('coverage', '単独/併用', d.coverage),
    f('socialInsurance', '社会保険', si ? `保険者番号 ${si.insurerNo} 記号 ${si.symbol || '—'} 番号 ${si.number}${si.branch ? `（枝番 ${si.branch}）` : ''}` : 'なし'),
    f('caseNo', 'ケース番号', d.caseNo),
    f('caseworker', '地区担当員', src.caseworkerName ? `${src.caseworkerName}（${d.caseworker ?? ''}）` : d.caseworker),
    f('issueDate', '交付年月日', src.issueDate),
    f('validFrom', '有効期間（自）', src.validFrom),
    f('validTo', '有効期間（至）', src.validTo ?? ''),
  );
  return out;
}

/**
 * Why a stored 給付券 (as pushed to the central server) is not one the terminal could have issued, or null: its
 * details must be a ticket of its type (ticketRequestSchema), its validity exactly ticketValidity's for its month,
 * 扶助開始日 and 廃止日, and its public_payer_no the ticket's 公費負担者番号. This is the record on its own; whether
 * the 扶助 was decided is checked against the server's own flows on insert (server/sync.ts ticketFlowProblem, with
 * seikatsu/flows.ts aidPeriodFor, the rule the terminal issues by), as is the duplicate (ticketDuplicateProblem).
 */
export function ticketRecordProblem(type: TicketType, rec: { details_json?: unknown; valid_from?: unknown; valid_to?: unknown; public_payer_no?: unknown }): string | null {
  let raw: unknown;
  try {
    raw = typeof rec.details_json === 'string' ? JSON.parse(rec.details_json) : null;
  } catch {
    raw = null;
  }
  const parsed = CERT_TYPE_DEFS[type].details.safeParse(raw);
  if (!parsed.success) return `${CERT_TYPE_DEFS[type].name}の記載事項が正しくありません（${parsed.error.issues[0]?.message ?? '形式の誤り'}）`;
  const d = parsed.data as TicketDetails;
  const v = ticketValidity(d.month, d.aidStartOn, d.abolishedOn);
  if (!v.ok) return `${CERT_TYPE_DEFS[type].name}: ${v.message}`;
  if (rec.valid_from !== v.from || rec.valid_to !== v.to) return `${CERT_TYPE_DEFS[type].name}の有効期間が対象年月・扶助開始日・廃止日と合いません（${v.from}〜${v.to}）`;
  if (rec.public_payer_no !== d.publicPayerNo) return `${CERT_TYPE_DEFS[type].name}の公費負担者番号が記載事項と合いません`;
  return null;
}

/** The stored details of a 給付券 (ticketRequestSchema's output without kind and residentId). */
export type TicketDetails = Omit<TicketRequest, 'kind' | 'residentId'>;

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
