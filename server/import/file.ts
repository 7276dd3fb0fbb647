/**
 * The file format every interface shares (docs/interfaces/README.md): lines of comma-separated fields, the
 * first field the record kind — H (header), I (item IDs), D (data), T (trailer). Bytes are split into lines
 * before decoding (LF or CRLF; 0x0A never occurs inside a CP932 character), so the trailer's SHA-256 is taken
 * over the data lines exactly as sent.
 */
import { INTERFACES, interfaceById } from '../../shared/interfaces';
import { ENCODINGS, FILE_KINDS, type FileEncoding, type FileKind, type InterfaceDefinition } from '../../shared/interfaces/definition';
import { isValidIsoDate } from '../../shared/domain/wareki';
import { textProblem } from '../../shared/text';
import { splitCsv } from '../../shared/interfaces/csv';
import { TextDecoder as NodeTextDecoder } from 'node:util';

/** A 連携エラー: the file is refused whole; `message` (Japanese) names the line and item where there is one. */
export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}

export interface FileHeader {
  encoding: FileEncoding;
  def: InterfaceDefinition;
  kind: FileKind;
  /** 団体コード (6 digits): the municipality whose terminals pull what the file changes. */
  municipality: string;
  /** 作成システム. */
  system: string;
  /** 作成年月日 as YYYY-MM-DD. */
  createdOn: string;
  /** ファイル連番 (1, 2, …; one sequence per interface and municipality). */
  seq: number;
}

/** Byte ranges of the lines of `buf` (line ending not included; a CR before LF dropped; a final empty line ignored). */
export function* byteLines(buf: Buffer): Generator<[start: number, end: number]> {
  let start = 0;
  while (start < buf.length) {
    let nl = buf.indexOf(0x0a, start);
    const next = nl === -1 ? buf.length : nl + 1;
    if (nl === -1) nl = buf.length;
    const end = nl > start && buf[nl - 1] === 0x0d ? nl - 1 : nl;
    yield [start, end];
    start = next;
  }
}

// One CSV splitter for every interface file (shared/interfaces/csv.ts), read here and read back by the output interfaces.
export { splitCsv };

/** `<インタフェースID>_<団体コード>_<YYYYMMDD>_<連番>.csv` */
const FILE_NAME = /^([A-Z]+)_([0-9]{6})_([0-9]{8})_([0-9]{1,9})\.csv$/;

const at = (line: number) => `${line}行目`;

/** Reads and checks the header (line 1) and the file name against it. */
export function readHeader(buf: Buffer, fileName: string): FileHeader {
  const first = byteLines(buf).next();
  if (first.done) throw new ImportError('ファイルが空です');
  const [lineStart, e] = first.value;
  const s = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : lineStart; // a UTF-8 BOM before the header
  // The header's first items are ASCII in either encoding; 作成システム may be Japanese, decoded once the encoding is known.
  const ascii = buf.toString('latin1', s, e);
  const declared = ascii.split(',')[1] ?? '';
  if (!(ENCODINGS as readonly string[]).includes(declared)) {
    throw new ImportError(`1行目（ヘッダ）: 文字コードは ${ENCODINGS.join(' または ')} です`);
  }
  const encoding = declared as FileEncoding;
  const line = decodeLine(buf, s, e, encoding, 1);
  const f = splitCsv(line);
  if (!f || f[0] !== 'H' || f.length !== 8) throw new ImportError('1行目: ヘッダ（H、8項目）がありません');
  const [, , ifId, kind, municipality, system, created, seqText] = f as [string, string, string, string, string, string, string, string];
  const def = interfaceById(ifId);
  if (!def) throw new ImportError(`1行目（ヘッダ）: インタフェースID「${ifId.slice(0, 20)}」は定義にありません（${Object.keys(INTERFACES).join('、')}）`);
  if (!(def.kinds as readonly string[]).includes(kind)) {
    throw new ImportError(`1行目（ヘッダ）: データ種別は ${def.kinds.map((k) => `${k}（${FILE_KINDS[k]}）`).join(' または ')} です`);
  }
  if (!/^[0-9]{6}$/.test(municipality)) throw new ImportError('1行目（ヘッダ）: 団体コードは6桁の数字です');
  if (!system.trim() || textProblem(system) || system.length > 50) throw new ImportError('1行目（ヘッダ）: 作成システムは1〜50文字です');
  const createdOn = /^[0-9]{8}$/.test(created) ? `${created.slice(0, 4)}-${created.slice(4, 6)}-${created.slice(6, 8)}` : '';
  if (!isValidIsoDate(createdOn)) throw new ImportError('1行目（ヘッダ）: 作成年月日は西暦8桁（YYYYMMDD）の実在する日付です');
  if (!/^[1-9][0-9]{0,8}$/.test(seqText)) throw new ImportError('1行目（ヘッダ）: ファイル連番は1以上の整数です');
  const seq = Number(seqText);
  const m = FILE_NAME.exec(fileName);
  if (!m) throw new ImportError(`ファイル名は ${def.id}_${municipality}_${created}_${seqText}.csv の形です（<インタフェースID>_<団体コード>_<作成年月日>_<連番>.csv）`);
  if (m[1] !== def.id || m[2] !== municipality || m[3] !== created || Number(m[4]) !== seq) {
    throw new ImportError(`ファイル名がヘッダと一致しません（ヘッダによれば ${def.id}_${municipality}_${created}_${seqText}.csv）`);
  }
  return { encoding, def, kind: kind as FileKind, municipality, system: system.trim(), createdOn, seq };
}

const decoders: Record<FileEncoding, NodeTextDecoder> = {
  'UTF-8': new NodeTextDecoder('utf-8', { fatal: true, ignoreBOM: false }),
  // WHATWG Shift_JIS is Windows-31J (CP932): NEC and IBM extensions (①, ㈱, 髙 …) included.
  CP932: new NodeTextDecoder('shift_jis', { fatal: true }),
};

/** One line decoded in the declared encoding; bytes that are not valid in it are a 連携エラー naming the line. */
export function decodeLine(buf: Buffer, start: number, end: number, encoding: FileEncoding, lineNo: number): string {
  try {
    return decoders[encoding].decode(buf.subarray(start, end));
  } catch {
    throw new ImportError(`${at(lineNo)}: ${encoding} として読めないバイトがあります（文字コードの宣言とファイルの文字コードが違う可能性があります）`);
  }
}

/** Checks the item record (line 2) against the definition: the same item IDs, in the definition's order. */
export function checkItemRecord(fields: readonly string[] | null, def: InterfaceDefinition): void {
  if (!fields || fields[0] !== 'I') throw new ImportError('2行目: 項目レコード（I）がありません');
  const ids = fields.slice(1).map((s) => s.trim());
  const known = new Set(def.items.map((i) => i.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length) throw new ImportError(`2行目（項目レコード）: 未定義の項目「${unknown.slice(0, 5).map((u) => u.slice(0, 40)).join('」「')}」があります（${def.title}の定義にない項目は受け取りません）`);
  const missing = def.items.filter((i) => !ids.includes(i.id));
  if (missing.length) throw new ImportError(`2行目（項目レコード）: 項目「${missing.map((i) => `${i.name}（${i.id}）`).join('」「')}」がありません`);
  if (ids.length !== def.items.length || ids.some((id, i) => id !== def.items[i]!.id)) {
    throw new ImportError('2行目（項目レコード）: 項目が重複しているか、順序が定義と違います');
  }
}
