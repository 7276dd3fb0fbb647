/**
 * 職員名簿（年度当初の人事異動名簿）の読み取り: bytes → text (UTF-8 or CP932) → CSV records → validated lines.
 * Pure functions, no database: the comparison with the staff table is in roster.ts.
 */
import Encoding from 'encoding-japanese';
import { hiraganaToKatakana } from '../../../shared/domain/kana';
import { ROLE_LABELS, ROLES, type Role } from '../../../shared/domain/rights';
import { DomainError } from '../errors';
import { textProblem as charProblem, textProblemMessage } from '../../../shared/text';
import { parseStaffStatus, ROSTER_STATUS_CHOICES, type StaffStatus } from '../../../shared/domain/staff-status';

export type RosterEncoding = 'UTF-8' | 'CP932';

export interface DecodedRoster {
  text: string;
  encoding: RosterEncoding;
}

/** The replacement character marks a CP932 character that has no Unicode mapping (外字 etc.). */
export const UNREADABLE = '\uFFFD';

function refuse(message: string): never {
  throw new DomainError('VALIDATION', message, { file: message });
}

/**
 * Decode a roster file. BOM → UTF-8; valid UTF-8 → UTF-8; otherwise CP932 (Shift_JIS as written by Excel)
 * if the bytes are well-formed Shift_JIS. Anything else is refused with a Japanese message.
 * A CP932 character without a Unicode mapping (user-defined 外字) becomes U+FFFD, which the line check
 * reports as an error on its line rather than silently turning it into '?'.
 */
export function decodeRoster(bytes: Uint8Array): DecodedRoster {
  if (bytes.length === 0) refuse('ファイルが空です。');
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    refuse('UTF-16 のファイルは読み込めません。CSV（UTF-8）または CSV（Shift_JIS）で保存し直してください。');
  }
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    refuse('Excel ブック（.xlsx）などの形式は読み込めません。Excel の「名前を付けて保存」で CSV 形式を選んで保存し直してください。');
  }
  if (bytes.includes(0x00)) refuse('CSV ファイルではないようです（テキストとして読めないデータが含まれています）。');

  const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = hasBom ? bytes.subarray(3) : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body), encoding: 'UTF-8' };
  } catch {
    if (hasBom) refuse('ファイルの先頭に UTF-8 の印（BOM）がありますが、UTF-8 として読めない部分があります。保存し直してください。');
  }
  if (Encoding.detect(bytes, 'SJIS') !== 'SJIS' || !wellFormedSjis(bytes)) {
    refuse('文字コードを判別できません。CSV ファイルを UTF-8 または Shift_JIS（CP932）で保存し直してください。');
  }
  return { text: decodeCp932(bytes), encoding: 'CP932' };
}

const isSjisLead = (b: number): boolean => (b >= 0x81 && b <= 0x9f) || (b >= 0xe0 && b <= 0xfc);
const isSjisSingle = (b: number): boolean => b <= 0x7f || (b >= 0xa1 && b <= 0xdf);
const isSjisTrail = (b: number): boolean => b >= 0x40 && b <= 0xfc && b !== 0x7f;

/** Every byte is a single-byte character or a lead byte followed by a valid trail byte. */
function wellFormedSjis(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (isSjisSingle(b)) continue;
    if (!isSjisLead(b) || i + 1 >= bytes.length || !isSjisTrail(bytes[i + 1] as number)) return false;
    i++;
  }
  return true;
}

/**
 * CP932 → string with encoding-japanese. Each character (one or two bytes) becomes exactly one UTF-16 unit,
 * and encoding-japanese writes '?' for a two-byte code it cannot map; those positions become U+FFFD.
 */
function decodeCp932(bytes: Uint8Array): string {
  const text = Encoding.convert(bytes, { to: 'UNICODE', from: 'SJIS', type: 'string' });
  const out: string[] = [];
  let k = 0;
  for (let i = 0; i < bytes.length; i++, k++) {
    const double = isSjisLead(bytes[i] as number);
    if (double) i++;
    const c = text[k];
    if (c === undefined) refuse('文字コードを判別できません。CSV ファイルを UTF-8 または Shift_JIS（CP932）で保存し直してください。');
    out.push(double && c === '?' ? UNREADABLE : c);
  }
  if (k !== text.length) refuse('文字コードを判別できません。CSV ファイルを UTF-8 または Shift_JIS（CP932）で保存し直してください。');
  return out.join('');
}

// ---------------------------------------------------------------------------------------------------------
// CSV (RFC 4180)

export interface CsvRecord {
  /** 1-based file line where the record starts. */
  line: number;
  fields: string[];
  /** A quoting problem: the record is unusable. */
  error?: string;
}

/**
 * RFC 4180: fields separated by commas, records by CRLF (LF or a lone CR also accepted); a field may be
 * enclosed in double quotes, inside which commas and line breaks are literal and '""' is one quote.
 * Blank records (empty or only commas/whitespace) are skipped. Line numbers are physical file lines.
 */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;

  /** Consume one line break at i if there is one. */
  const lineBreak = (): boolean => {
    if (text[i] === '\r') {
      i += text[i + 1] === '\n' ? 2 : 1;
      line++;
      return true;
    }
    if (text[i] === '\n') {
      i++;
      line++;
      return true;
    }
    return false;
  };
  /** Skip to just after the end of the current physical line (error recovery). */
  const skipLine = (): void => {
    while (i < n && text[i] !== '\r' && text[i] !== '\n') i++;
    lineBreak();
  };

  while (i < n) {
    const start = line;
    const fields: string[] = [];
    let error: string | undefined;
    for (;;) {
      let value = '';
      if (text[i] === '"') {
        i++;
        let closed = false;
        while (i < n) {
          const c = text[i] as string;
          if (c === '"') {
            if (text[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          if (c === '\r' || c === '\n') {
            lineBreak();
            value += '\n';
            continue;
          }
          value += c;
          i++;
        }
        if (!closed) {
          error = '「"」で始まる値が「"」で閉じられていません（ファイルの終わりまで値が続いています）';
          fields.push(value);
          break;
        }
        if (i < n && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
          error = '「"」で囲んだ値のあとに文字があります（値の中の「"」は「""」と二つ重ねてください）';
          fields.push(value);
          skipLine();
          break;
        }
      } else {
        while (i < n && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') value += text[i++];
        if (value.includes('"')) {
          error = '「"」を含む値は全体を「"」で囲み、中の「"」は「""」と二つ重ねてください';
          fields.push(value);
          skipLine();
          break;
        }
      }
      fields.push(value);
      if (text[i] === ',') {
        i++;
        continue;
      }
      lineBreak();
      break;
    }
    if (error === undefined && fields.every((f) => f.trim() === '')) continue;
    records.push(error === undefined ? { line: start, fields } : { line: start, fields, error });
  }
  return records;
}

// ---------------------------------------------------------------------------------------------------------
// Roster lines

export const ROSTER_COLUMNS = ['職員ID', '氏名', '氏名カナ', '所属', '役割', '状態'] as const;
export type RosterColumn = (typeof ROSTER_COLUMNS)[number];

/** The 状態 column: the staff list's own vocabulary (shared/domain/staff-status.ts); 転出 = moved to another organisation. */
export type RosterStatus = StaffStatus;

export const MAX_TEXT_LENGTH = 60;
const STAFF_ID_RE = /^[A-Za-z0-9]{3,32}$/;
/** Katakana (incl. ヴ, small kana, ・, ー, ヽ, ヾ) and the full-width space between family and given name. */
const KANA_RE = /^[\u30A1-\u30FE]+(\u3000[\u30A1-\u30FE]+)*$/u;

export interface RosterLine {
  line: number;
  staffId: string;
  name: string;
  nameKana: string;
  section: string;
  role: Role;
  status: RosterStatus;
  /** The 状態 as written (NFKC, note removed), e.g. 退職, for the preview's 「在職 → 退職」. */
  statusWord: string;
}

export interface RosterLineError {
  line: number;
  message: string;
}

export interface ParsedRoster {
  /** Data lines read (valid or not), blank lines excluded. */
  rows: number;
  lines: RosterLine[];
  errors: RosterLineError[];
}

/** 氏名カナ as stored: NFKC (half-width → full-width), hiragana → katakana, spaces → one full-width space. */
export function normalizeRosterKana(s: string): string {
  return hiraganaToKatakana(s.normalize('NFKC'))
    .trim()
    .replace(/\s+/gu, '\u3000')
    .normalize('NFC');
}

const roleKey = (s: string): string => s.normalize('NFKC').replace(/\s+/gu, '');
const ROLE_BY_LABEL: ReadonlyMap<string, Role> = new Map<string, Role>([
  ...ROLES.map((r): [string, Role] => [roleKey(ROLE_LABELS[r]), r]),
  [roleKey('承認者'), 'approver'],
  [roleKey('所属長'), 'approver'],
]);
const ROLE_CHOICES = ROLES.map((r) => ROLE_LABELS[r]).join('・');

/** '役割' label → role; accepts full- or half-width brackets and the aliases 承認者 / 所属長. */
export function parseRoleLabel(s: string): Role | null {
  return ROLE_BY_LABEL.get(roleKey(s)) ?? null;
}

/** A value quoted in a message, shortened so one bad cell cannot flood the screen. */
function shown(v: string): string {
  const cps = [...v];
  return cps.length > 20 ? cps.slice(0, 20).join('') + '…' : v;
}

/** A cell is text as every boundary takes it (shared/text.ts: no control character, no bidi override …). */
function textProblem(column: RosterColumn, v: string): string | null {
  if (v.includes(UNREADABLE)) return `${column}に読み取れない文字（外字など）が含まれています`;
  const p = charProblem(v);
  return p ? textProblemMessage(column, p) : null;
}

function requiredText(column: RosterColumn, v: string): string | null {
  if (v === '') return `${column}が空です`;
  const p = textProblem(column, v);
  if (p) return p;
  const len = [...v].length;
  if (len > MAX_TEXT_LENGTH) return `${column}は${MAX_TEXT_LENGTH}文字以内にしてください（${len}文字）`;
  return null;
}

/** The header: which field index holds which column. Empty header cells are ignored columns. */
function readHeader(rec: CsvRecord): { index: Record<RosterColumn, number>; width: number } | string {
  if (rec.error) return `見出し行を読み取れません（${rec.error}）`;
  const names = rec.fields.map((f) => f.normalize('NFKC').trim());
  const known = new Set<string>(ROSTER_COLUMNS);
  const seen = new Set<string>();
  const unknown: string[] = [];
  const duplicate: string[] = [];
  const index = {} as Record<RosterColumn, number>;
  names.forEach((name, i) => {
    if (name === '') return;
    if (!known.has(name)) unknown.push(`「${shown(name)}」`);
    else if (seen.has(name)) duplicate.push(`「${name}」`);
    else index[name as RosterColumn] = i;
    seen.add(name);
  });
  const missing = ROSTER_COLUMNS.filter((c) => !seen.has(c));
  if (missing.length === 0 && unknown.length === 0 && duplicate.length === 0) return { index, width: rec.fields.length };
  const parts = ['見出し行が正しくありません'];
  if (missing.length) parts.push(`足りない列: ${missing.join('、')}`);
  if (unknown.length) parts.push(`使えない列: ${unknown.join('、')}`);
  if (duplicate.length) parts.push(`重複している列: ${duplicate.join('、')}`);
  parts.push(`見出しは ${ROSTER_COLUMNS.join('・')} の6列です（順序は自由）`);
  return parts.join('。');
}

/**
 * Check the records of a roster file: a header row of exactly the six columns (any order), then one data
 * line per person. Each bad line yields ONE error naming every problem on it; a duplicate 職員ID (compared
 * without regard to case) is an error on its second occurrence.
 */
export function parseRoster(text: string): ParsedRoster {
  const records = parseCsv(text);
  const header = records[0];
  if (!header) {
    return { rows: 0, lines: [], errors: [{ line: 1, message: `1行目: 見出し行がありません（${ROSTER_COLUMNS.join('・')} の6列が必要です）` }] };
  }
  const h = readHeader(header);
  if (typeof h === 'string') return { rows: 0, lines: [], errors: [{ line: header.line, message: `${header.line}行目: ${h}` }] };

  const lines: RosterLine[] = [];
  const errors: RosterLineError[] = [];
  const firstLineOf = new Map<string, number>();
  const used = new Set(Object.values(h.index));
  const data = records.slice(1);

  for (const rec of data) {
    const fail = (problems: string[]) => errors.push({ line: rec.line, message: `${rec.line}行目: ${problems.join('。')}` });
    if (rec.error) {
      fail([rec.error]);
      continue;
    }
    const outside = rec.fields.some((f, i) => !used.has(i) && f.trim() !== '');
    const short = [...used].some((i) => i >= rec.fields.length);
    if (outside || short) {
      fail([`列の数が見出し行と合いません（見出し${h.width}列、この行${rec.fields.length}列）。カンマを含む値は全体を「"」で囲んでください`]);
      continue;
    }
    // Cells as text is stored everywhere: NFC, trimmed.
    const raw = (c: RosterColumn): string => (rec.fields[h.index[c]] ?? '').normalize('NFC').trim();
    const problems: string[] = [];

    const staffId = raw('職員ID').normalize('NFKC');
    if (staffId === '') problems.push('職員IDが空です');
    else if (!STAFF_ID_RE.test(staffId)) problems.push(textProblem('職員ID', staffId) ?? `職員ID「${shown(staffId)}」は半角英数字3〜32文字で入力してください`);
    else {
      const first = firstLineOf.get(staffId.toLowerCase());
      if (first !== undefined) problems.push(`職員ID「${staffId}」が${first}行目と重複しています`);
      else firstLineOf.set(staffId.toLowerCase(), rec.line);
    }

    const name = raw('氏名');
    const nameProblem = requiredText('氏名', name);
    if (nameProblem) problems.push(nameProblem);

    const kanaRaw = raw('氏名カナ');
    const nameKana = normalizeRosterKana(kanaRaw);
    const kanaProblem = requiredText('氏名カナ', kanaRaw);
    if (kanaProblem) problems.push(kanaProblem);
    else if (!KANA_RE.test(nameKana)) problems.push(`氏名カナ「${shown(kanaRaw)}」はカタカナで入力してください（記号は全角スペース・「・」・「ー」のみ）`);
    else if ([...nameKana].length > MAX_TEXT_LENGTH) problems.push(`氏名カナは${MAX_TEXT_LENGTH}文字以内にしてください`);

    const section = raw('所属');
    const sectionProblem = requiredText('所属', section);
    if (sectionProblem) problems.push(sectionProblem);

    const roleRaw = raw('役割');
    const role = parseRoleLabel(roleRaw);
    if (roleRaw === '') problems.push(`役割が空です（${ROLE_CHOICES}のいずれか）`);
    else if (!role) problems.push(`役割「${shown(roleRaw)}」は使えません（${ROLE_CHOICES}のいずれか）`);

    const statusRaw = raw('状態');
    const status = parseStaffStatus(statusRaw);
    if (statusRaw === '') problems.push(`状態が空です（${ROSTER_STATUS_CHOICES}のいずれか）`);
    else if (!status) problems.push(`状態「${shown(statusRaw)}」は使えません（${ROSTER_STATUS_CHOICES}のいずれか）`);

    if (problems.length > 0 || !role || !status) {
      fail(problems);
      continue;
    }
    lines.push({ line: rec.line, staffId, name, nameKana, section, role, status: status.status, statusWord: status.word });
  }
  return { rows: data.length, lines, errors };
}
