/**
 * Interface definitions (連携インタフェース定義): what a file from the municipality's systems may carry, item by item.
 * One definition per interface (shared/interfaces/juki.ts, kokuho.ts) drives the server's import parser, and
 * shared/interfaces/__tests__/docs.test.ts checks each against its Markdown table in docs/interfaces/, so the
 * documentation IT reads and the parser cannot drift apart. Pure: zod and shared/ only.
 *
 * Every field is checked with the shared domain rules (宛名番号, 個人番号 check digit, dates, カナ, and the shared
 * text type of shared/text.ts); a problem is reported in Japanese naming the item.
 */
import { ATENA_NO_PATTERN } from '../domain/resident';
import { isKanaName } from '../domain/kana';
import { isValidMyNumber } from '../domain/mynumber';
import { isValidIsoDate } from '../domain/wareki';
import { charLength, textProblem, textProblemMessage } from '../text';

/** The types an item may have (the 型 column of the Markdown table). */
export type ItemType =
  | { kind: '宛名番号' }
  | { kind: '数字'; max: number; exact?: boolean }
  | { kind: '日付' }
  | { kind: '文字'; max: number }
  | { kind: 'カナ'; max: number }
  | { kind: 'コード'; codes: Readonly<Record<string, string>> }
  | { kind: '個人番号' };

export interface ItemDefinition {
  /** 項目ID: the name in the file's item record (I) and the key of the parsed value. ASCII snake case. */
  id: string;
  /** 項目名 as staff and the municipality's vendors call it (modelled on the 標準仕様 data requirements). */
  name: string;
  type: ItemType;
  /** 必須: the value may not be empty. */
  required: boolean;
  /** Where the item goes: the terminal's residents column it fills, or 'サーバのみ' (kept server-side). */
  target: string;
}

/** File kinds (the header's データ種別). */
export const FILE_KINDS = { FULL: '全件', DIFF: '異動' } as const;
export type FileKind = keyof typeof FILE_KINDS;

/** Declared encodings (the header's 文字コード). */
export const ENCODINGS = ['UTF-8', 'CP932'] as const;
export type FileEncoding = (typeof ENCODINGS)[number];

export interface InterfaceDefinition {
  /** インタフェースID: the header's interface item and the file name's prefix (JUKI_…, KOKUHO_…). */
  id: string;
  title: string;
  /** The Markdown document (docs/interfaces/…) whose item table must equal `items`. */
  doc: string;
  /** The kinds of file this interface sends. */
  kinds: readonly FileKind[];
  /** 項目IDs that identify a record (one line per key in a 全件 file). */
  key: readonly string[];
  items: readonly ItemDefinition[];
  /** Checks across items of one line (after every item passed); Japanese problems naming the items. */
  lineRules(values: Readonly<Record<string, string | null>>, kind: FileKind): string[];
}

/** A parsed value: text after the item's rules (dates as YYYY-MM-DD), or null for an empty optional item. */
export type ItemValue = string | null;

/** The 桁 column: most characters (exact for fixed-width numbers), blank for codes and dates. */
export function itemLength(t: ItemType): string {
  switch (t.kind) {
    case '宛名番号':
      return '15';
    case '数字':
      return t.exact ? `${t.max}（固定）` : String(t.max);
    case '文字':
    case 'カナ':
      return String(t.max);
    case '日付':
      return '8（固定）';
    case '個人番号':
      return '12（固定）';
    case 'コード':
      return String(Math.max(...Object.keys(t.codes).map((c) => c.length)));
  }
}

/** A code list in code order ('00' … '34'; an object lists integer-like keys such as '11' before '00'). */
export function codeList(codes: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(codes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The コード column: `1=男、2=女` for a code list, blank otherwise. */
export function itemCodes(t: ItemType): string {
  return t.kind === 'コード' ? codeList(t.codes).map(([c, l]) => `${c}=${l}`).join('、') : '';
}

/** The cells of one row of an interface's item table, as docs/interfaces/*.md writes them. */
export function itemRow(item: ItemDefinition, no: number): string[] {
  return [String(no), item.name, item.id, item.type.kind, itemLength(item.type), item.required ? '○' : '', itemCodes(item.type), item.target];
}

export const ITEM_TABLE_HEADER = ['No', '項目名', '項目ID', '型', '桁', '必須', 'コード', '反映先'] as const;

const DATE_RE = /^([0-9]{4})([0-9]{2})([0-9]{2})$/;

const PRINTABLE_ASCII = /^[\x20-\x7E]*$/;

/**
 * A field as the shared text type (shared/text.ts `text()`) reads it: refused when textProblem finds a lone surrogate,
 * a control character, a line separator or a bidi control (its message from textProblemMessage); otherwise NFC,
 * trimmed, and at most `max` characters (code points). The same functions as text(), called directly: a million-line
 * file cannot afford a zod pipeline per field (docs.test.ts checks both agree).
 */
export function itemText(label: string, raw: string, max: number): { ok: true; value: string } | { ok: false; problem: string } {
  // Printable ASCII holds none of the refused characters and is its own NFC: only trimmed and capped.
  if (PRINTABLE_ASCII.test(raw)) {
    const v = raw.trim();
    return v.length <= max ? { ok: true, value: v } : { ok: false, problem: `項目「${label}」は${max}文字以内です` };
  }
  const p = textProblem(raw);
  if (p) return { ok: false, problem: textProblemMessage(`項目「${label}」`, p) };
  const v = raw.normalize('NFC').trim();
  return v.length <= max || charLength(v) <= max ? { ok: true, value: v } : { ok: false, problem: `項目「${label}」は${max}文字以内です` };
}

/**
 * Checks one raw field against its item: the parsed value, or a Japanese problem naming the item. Values are never
 * quoted in a problem (a file carries names and 個人番号; problems go into the import log and result files).
 */
export function parseItem(item: ItemDefinition, raw: string): { ok: true; value: ItemValue } | { ok: false; problem: string } {
  const fail = (why: string) => ({ ok: false as const, problem: `項目「${item.name}」${why}` });
  const t = itemText(item.name, raw, item.type.kind === '文字' || item.type.kind === 'カナ' ? item.type.max : 200);
  if (!t.ok) return t;
  const v = t.value;
  if (v === '') return item.required ? fail('がありません（必須項目です）') : { ok: true, value: null };
  const type = item.type;
  switch (type.kind) {
    case '宛名番号':
      return ATENA_NO_PATTERN.test(v) ? { ok: true, value: v } : fail('は1〜15桁の半角数字です');
    case '数字':
      if (type.exact && (v.length !== type.max || !/^[0-9]+$/.test(v))) return fail(`は${type.max}桁の半角数字です`);
      if (!/^[0-9]+$/.test(v)) return fail('は半角数字です');
      return v.length <= type.max ? { ok: true, value: v } : fail(`は${type.max}桁以内の半角数字です`);
    case '日付': {
      const m = DATE_RE.exec(v);
      const iso = m ? `${m[1]}-${m[2]}-${m[3]}` : '';
      return m && isValidIsoDate(iso) ? { ok: true, value: iso } : fail('は西暦の年月日（YYYYMMDD、8桁）で、実在する日付です');
    }
    case '文字':
      return { ok: true, value: v };
    case 'カナ':
      return isKanaName(v) ? { ok: true, value: v } : fail('はカタカナ（全角または半角）で書きます');
    case 'コード':
      return Object.hasOwn(type.codes, v) ? { ok: true, value: v } : fail(`のコードが定義にありません（使えるコード: ${codeList(type.codes).map(([c]) => c).join('、')}）`);
    case '個人番号':
      if (!/^[0-9]{12}$/.test(v)) return fail('は12桁の半角数字です');
      return isValidMyNumber(v) ? { ok: true, value: v } : fail('の検査用数字が一致しません');
  }
}

/**
 * Checks a data line's fields (in the definition's order): its values by item ID, or the problems (Japanese, each
 * naming its item). The line's number is added by the caller, which knows it.
 */
export function parseLine(def: InterfaceDefinition, fields: readonly string[], kind: FileKind): { ok: true; values: Record<string, ItemValue> } | { ok: false; problems: string[] } {
  if (fields.length !== def.items.length) {
    return { ok: false, problems: [`項目の数が${fields.length}個です（定義は${def.items.length}個）`] };
  }
  const values: Record<string, ItemValue> = {};
  const problems: string[] = [];
  def.items.forEach((item, i) => {
    const r = parseItem(item, fields[i]!);
    if (r.ok) values[item.id] = r.value;
    else problems.push(r.problem);
  });
  if (problems.length) return { ok: false, problems };
  const cross = def.lineRules(values, kind);
  return cross.length ? { ok: false, problems: cross } : { ok: true, values };
}
