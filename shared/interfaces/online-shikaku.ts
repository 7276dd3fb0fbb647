/**
 * オンライン資格確認 data for 医療扶助 (central server → 統合専用端末 → 医療保険者等向け中間サーバー等): the
 * recipient's 資格 and each 医療券/調剤券 (seed 001 別添2 items 187–201; 別添1 11–13). docs/interfaces/online-shikaku.md
 * is the document; shared/interfaces/__tests__/online-shikaku.test.ts checks its table against ONSHI_ITEMS.
 *
 * An output interface: not in shared/interfaces/index.ts (that registry is what the server imports). The file has
 * the H / I / D / T layout of docs/interfaces/README.md, in UTF-8. `writeOnshiFile` checks every value against the
 * definition before writing; a value outside it is a 連携エラー naming the record and the item, and nothing is
 * written. `readOnshiFile` reads a file back (tests, and a check before the transfer). The SHA-256 is passed in
 * (node:crypto on the server), as shared/audit/merkle.ts does: shared/ imports nothing but zod.
 *
 * 個人番号 is not an item: the 中間サーバー's 資格履歴 registration with 個人番号 (委託区画) is a separate transfer that
 * this product does not make (see the document).
 */
import { parseLine, type FileKind, type InterfaceDefinition, type ItemDefinition, type ItemValue } from './definition';
import { SEX_LABELS } from '../domain/resident';
import { recipientNumberProblem, seikatsuPublicPayerProblem } from '../domain/seikatsu/numbers';
import { splitCsv } from './csv';

export const ONSHI_RECORD_KINDS = { '1': '受給者資格', '2': '医療券・調剤券' } as const;
const YES_NO = { '0': '非該当', '1': '該当' } as const;

export const ONSHI_ITEMS: readonly ItemDefinition[] = [
  { id: 'record_kind', name: 'レコード種別', type: { kind: 'コード', codes: ONSHI_RECORD_KINDS }, required: true, target: '資格・券' },
  { id: 'recipient_no', name: '受給者番号', type: { kind: '数字', max: 7, exact: true }, required: true, target: '資格・券' },
  { id: 'public_payer_no', name: '公費負担者番号', type: { kind: '数字', max: 8, exact: true }, required: true, target: '資格・券' },
  { id: 'name_kana', name: '氏名_フリガナ', type: { kind: 'カナ', max: 100 }, required: false, target: '資格' },
  { id: 'birth_date', name: '生年月日', type: { kind: '日付' }, required: false, target: '資格' },
  { id: 'sex', name: '性別', type: { kind: 'コード', codes: SEX_LABELS }, required: false, target: '資格' },
  { id: 'qualified_from', name: '資格開始年月日', type: { kind: '日付' }, required: false, target: '資格' },
  { id: 'qualified_to', name: '資格終了年月日', type: { kind: '日付' }, required: false, target: '資格' },
  { id: 'institution_code', name: '指定医療機関コード', type: { kind: '数字', max: 10, exact: true }, required: false, target: '券' },
  { id: 'prescriber_code', name: '処方箋発行元医療機関', type: { kind: '数字', max: 10, exact: true }, required: false, target: '券' },
  { id: 'ticket_kind', name: '医療券/調剤券別', type: { kind: 'コード', codes: { '1': '医療券', '2': '調剤券' } }, required: false, target: '券' },
  { id: 'infectious_37_2', name: '感染症法第37条の2該当', type: { kind: 'コード', codes: YES_NO }, required: false, target: '券' },
  { id: 'late_elderly', name: '後期高齢者医療該当', type: { kind: 'コード', codes: YES_NO }, required: false, target: '券' },
  { id: 'issue_no', name: '交付番号', type: { kind: '文字', max: 20 }, required: false, target: '券' },
  { id: 'confirm_method', name: '資格確認方法', type: { kind: 'コード', codes: { '1': 'オンライン資格確認', '2': '医療券・調剤券（紙）' } }, required: false, target: '券' },
  { id: 'social_insurance', name: '社会保険状況', type: { kind: 'コード', codes: { '0': 'なし', '1': '被用者保険', '2': '国民健康保険', '3': '後期高齢者医療' } }, required: false, target: '券' },
  { id: 'disease_names', name: '傷病名', type: { kind: '文字', max: 200 }, required: false, target: '券' },
  { id: 'shinryo', name: '診療別', type: { kind: 'コード', codes: { '1': '入院', '2': '入院外', '3': '歯科', '4': '調剤', '5': '訪問看護' } }, required: false, target: '券' },
  { id: 'coverage', name: '単独/併用別', type: { kind: 'コード', codes: { '1': '単独', '2': '併用' } }, required: false, target: '券' },
  { id: 'self_pay_yen', name: '本人支払額', type: { kind: '数字', max: 9 }, required: false, target: '券' },
  { id: 'prefectural', name: '都道府県費該当', type: { kind: 'コード', codes: YES_NO }, required: false, target: '券' },
  { id: 'valid_from', name: '有効期間開始年月日', type: { kind: '日付' }, required: false, target: '券' },
  { id: 'valid_to', name: '有効期間終了年月日', type: { kind: '日付' }, required: false, target: '券' },
];

const QUALIFICATION_ITEMS = ['name_kana', 'birth_date', 'sex', 'qualified_from', 'qualified_to'];
const QUALIFICATION_REQUIRED = ['name_kana', 'birth_date', 'sex', 'qualified_from'];
const TICKET_ITEMS = ONSHI_ITEMS.map((i) => i.id).filter((id) => !['record_kind', 'recipient_no', 'public_payer_no', ...QUALIFICATION_ITEMS].includes(id));
const TICKET_OPTIONAL = ['prescriber_code', 'disease_names'];
const nameOf = (id: string) => ONSHI_ITEMS.find((i) => i.id === id)!.name;

export const ONSHI: InterfaceDefinition = {
  id: 'ONSHI',
  title: 'オンライン資格確認（医療扶助）',
  doc: 'docs/interfaces/online-shikaku.md',
  kinds: ['FULL', 'DIFF'],
  key: ['record_kind', 'recipient_no', 'public_payer_no'],
  items: ONSHI_ITEMS,
  lineRules(v) {
    const problems: string[] = [];
    const rn = recipientNumberProblem(v.recipient_no ?? '');
    if (rn) problems.push(`項目「受給者番号」: ${rn}`);
    const pp = seikatsuPublicPayerProblem(v.public_payer_no ?? '');
    if (pp) problems.push(`項目「公費負担者番号」: ${pp}`);
    const ticket = v.record_kind === '2';
    const present = (ids: readonly string[]) => ids.filter((id) => v[id] !== null && v[id] !== undefined);
    const missing = (ids: readonly string[]) => ids.filter((id) => v[id] === null || v[id] === undefined);
    for (const id of present(ticket ? QUALIFICATION_ITEMS : TICKET_ITEMS)) problems.push(`項目「${nameOf(id)}」は${ticket ? '受給者資格' : '医療券・調剤券'}のレコードにだけ書きます`);
    for (const id of missing(ticket ? TICKET_ITEMS.filter((i) => !TICKET_OPTIONAL.includes(i)) : QUALIFICATION_REQUIRED)) {
      problems.push(`項目「${nameOf(id)}」がありません（${ticket ? '医療券・調剤券' : '受給者資格'}のレコードには必須です）`);
    }
    if (ticket) {
      const dispensing = v.ticket_kind === '2';
      if (dispensing !== (v.shinryo === '4')) problems.push('項目「診療別」が医療券/調剤券別と合いません（調剤券は調剤、医療券は調剤以外）');
      if (dispensing && !v.prescriber_code) problems.push('項目「処方箋発行元医療機関」がありません（調剤券には必須です）');
      if (!dispensing && v.prescriber_code) problems.push('項目「処方箋発行元医療機関」は調剤券にだけ書きます');
      if (!dispensing && !v.disease_names) problems.push('項目「傷病名」がありません（医療券には必須です）');
      if ((v.coverage === '1') !== (v.social_insurance === '0')) problems.push('項目「社会保険状況」が単独/併用別と合いません（単独は社会保険なし、併用は社会保険あり）');
      if (v.issue_no && !/^[0-9A-Z]{1,20}$/.test(v.issue_no)) problems.push('項目「交付番号」は英大文字・数字20文字以内です');
      if (v.valid_from && v.valid_to && (v.valid_to < v.valid_from || v.valid_to.slice(0, 7) !== v.valid_from.slice(0, 7))) {
        problems.push('項目「有効期間終了年月日」が開始年月日より前か、別の月です（券は月ごとです）');
      }
    } else if (v.qualified_from && v.qualified_to && v.qualified_to < v.qualified_from) {
      problems.push('項目「資格終了年月日」が資格開始年月日より前です');
    }
    return problems;
  },
};

/** A 連携エラー of the オンライン資格確認 file: nothing is written (or read); the message names the record and item. */
export class OnshiLinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OnshiLinkError';
  }
}

/** A record by 項目ID: dates as YYYY-MM-DD (as the import parser gives them), null or absent for an empty item. */
export type OnshiRecord = Readonly<Record<string, string | null | undefined>>;

export interface OnshiHeader {
  kind: FileKind;
  /** 団体コード (6 digits). */
  municipality: string;
  /** 作成システム (1–50 characters). */
  system: string;
  /** 作成年月日 YYYY-MM-DD (the server's clock, passed in). */
  createdOn: string;
  /** ファイル連番 (1, 2, …). */
  seq: number;
}

export type Sha256Hex = (data: Uint8Array) => string;

const csvField = (s: string) => (/[",]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const isoToFile = (item: ItemDefinition, v: string) => (item.type.kind === '日付' ? v.replace(/-/g, '') : v);

/** The file (name, lines, UTF-8 bytes) for `records`, or an OnshiLinkError naming the first records' problems. */
export function writeOnshiFile(header: OnshiHeader, records: readonly OnshiRecord[], sha256Hex: Sha256Hex): { fileName: string; lines: string[]; bytes: Uint8Array } {
  if (!/^[0-9]{6}$/.test(header.municipality)) throw new OnshiLinkError('ヘッダ: 団体コードは6桁の数字です');
  if (!header.system.trim() || header.system.length > 50 || /[,"\r\n]/.test(header.system)) throw new OnshiLinkError('ヘッダ: 作成システムは1〜50文字です（カンマ・引用符・改行は使えません）');
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(header.createdOn)) throw new OnshiLinkError('ヘッダ: 作成年月日は YYYY-MM-DD です');
  if (!Number.isSafeInteger(header.seq) || header.seq < 1) throw new OnshiLinkError('ヘッダ: ファイル連番は1以上の整数です');
  const known = new Set(ONSHI_ITEMS.map((i) => i.id));
  const problems: string[] = [];
  const data: string[] = [];
  const keys = new Set<string>();
  records.forEach((r, n) => {
    const at = `${n + 1}件目`;
    const extra = Object.keys(r).filter((k) => !known.has(k));
    if (extra.length) {
      problems.push(`${at}: 項目「${extra.slice(0, 5).join('」「')}」は定義にありません（オンライン資格確認の定義にない項目は送りません）`);
      return;
    }
    const fields = ONSHI_ITEMS.map((item) => isoToFile(item, r[item.id] ?? ''));
    const parsed = parseLine(ONSHI, fields, header.kind);
    if (!parsed.ok) {
      problems.push(...parsed.problems.map((p) => `${at}: ${p}`));
      return;
    }
    const key = ONSHI.key.map((k) => parsed.values[k]).join('|') + (parsed.values.record_kind === '2' ? `|${parsed.values.issue_no}` : '');
    if (keys.has(key)) problems.push(`${at}: 同じレコード（${parsed.values.record_kind === '2' ? '受給者番号・公費負担者番号・交付番号' : '受給者番号・公費負担者番号'}）が重複しています`);
    keys.add(key);
    data.push(`D,${fields.map(csvField).join(',')}`);
  });
  if (problems.length) throw new OnshiLinkError(`連携エラー: ${problems.slice(0, 20).join('／')}${problems.length > 20 ? `（ほか${problems.length - 20}件）` : ''}`);
  const enc = new TextEncoder();
  const hash = sha256Hex(enc.encode(data.map((l) => `${l}\n`).join('')));
  const created = header.createdOn.replace(/-/g, '');
  const lines = [
    `H,UTF-8,${ONSHI.id},${header.kind},${header.municipality},${header.system.trim()},${created},${header.seq}`,
    `I,${ONSHI_ITEMS.map((i) => i.id).join(',')}`,
    ...data,
    `T,${data.length},${hash}`,
  ];
  return { fileName: `${ONSHI.id}_${header.municipality}_${created}_${header.seq}.csv`, lines, bytes: enc.encode(lines.map((l) => `${l}\r\n`).join('')) };
}


/** Reads an ONSHI file back: its header and records (values as the definition parses them), or an OnshiLinkError. */
export function readOnshiFile(bytes: Uint8Array, fileName: string, sha256Hex: Sha256Hex): { header: OnshiHeader; records: Record<string, ItemValue>[] } {
  let textAll: string;
  try {
    textAll = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new OnshiLinkError('UTF-8 として読めないバイトがあります');
  }
  const lines = textAll.replace(/\r\n/g, '\n').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const h = splitCsv(lines[0] ?? '');
  if (!h || h.length !== 8 || h[0] !== 'H' || h[1] !== 'UTF-8' || h[2] !== ONSHI.id || !(h[3] === 'FULL' || h[3] === 'DIFF')) throw new OnshiLinkError('1行目: ヘッダ（H、8項目、UTF-8、ONSHI、FULL/DIFF）がありません');
  const header: OnshiHeader = { kind: h[3] as FileKind, municipality: h[4]!, system: h[5]!, createdOn: `${h[6]!.slice(0, 4)}-${h[6]!.slice(4, 6)}-${h[6]!.slice(6, 8)}`, seq: Number(h[7]) };
  if (fileName !== `${ONSHI.id}_${h[4]}_${h[6]}_${h[7]}.csv`) throw new OnshiLinkError('ファイル名がヘッダと一致しません');
  if (lines[1] !== `I,${ONSHI_ITEMS.map((i) => i.id).join(',')}`) throw new OnshiLinkError('2行目（項目レコード）: 項目が定義と違います');
  const t = splitCsv(lines[lines.length - 1] ?? '');
  if (!t || t[0] !== 'T' || t.length !== 3) throw new OnshiLinkError('最終行: トレーラ（T）がありません');
  const dataLines = lines.slice(2, -1);
  if (Number(t[1]) !== dataLines.length) throw new OnshiLinkError(`トレーラのデータ件数（${t[1]}）が D 行の数（${dataLines.length}）と違います`);
  if (sha256Hex(new TextEncoder().encode(dataLines.map((l) => `${l}\n`).join(''))).toLowerCase() !== String(t[2]).toLowerCase()) throw new OnshiLinkError('トレーラの SHA-256 が D 行と一致しません');
  const records = dataLines.map((l, n) => {
    const f = splitCsv(l);
    if (!f || f[0] !== 'D') throw new OnshiLinkError(`${n + 3}行目: データレコード（D）ではありません`);
    const r = parseLine(ONSHI, f.slice(1), header.kind);
    if (!r.ok) throw new OnshiLinkError(`${n + 3}行目: ${r.problems.join('／')}`);
    return r.values;
  });
  return { header, records };
}
