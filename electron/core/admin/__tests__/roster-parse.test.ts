import Encoding from 'encoding-japanese';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../errors';
import { decodeRoster, normalizeRosterKana, parseCsv, parseRoleLabel, parseRoster, UNREADABLE } from '../roster-parse';

const HEADER = '職員ID,氏名,氏名カナ,所属,役割,状態';
const cp932 = (text: string): Buffer => Buffer.from(Encoding.convert(Encoding.stringToCode(text), { to: 'SJIS', from: 'UNICODE' }));

function refusal(bytes: Uint8Array): DomainError {
  try {
    decodeRoster(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe('VALIDATION');
    return e as DomainError;
  }
  throw new Error('expected a refusal');
}

describe('decoding', () => {
  const text = `${HEADER}\r\nS1001,保険\u3000太郎,ホケン\u3000タロウ,保険年金課,窓口職員,在職\r\nS1002,髙﨑\u3000①子,タカサキ\u3000イチコ,国保～年金－課,確認者,在職\r\n`;

  it('reads UTF-8 with and without a BOM, and CP932 (Excel), to the same text', () => {
    const withBom = decodeRoster(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]));
    const noBom = decodeRoster(Buffer.from(text, 'utf8'));
    const sjis = decodeRoster(cp932(text));
    expect(withBom).toEqual({ text, encoding: 'UTF-8' });
    expect(noBom).toEqual({ text, encoding: 'UTF-8' });
    expect(sjis).toEqual({ text, encoding: 'CP932' });
  });

  it('marks a CP932 character without a Unicode mapping (外字) instead of turning it into "?"', () => {
    const bytes = Buffer.concat([cp932('A?'), Buffer.from([0xf0, 0x40]), cp932('子')]);
    expect(decodeRoster(bytes)).toEqual({ text: `A?${UNREADABLE}子`, encoding: 'CP932' });
  });

  it('refuses empty, UTF-16, Excel workbooks and bytes that are neither UTF-8 nor CP932, in Japanese', () => {
    expect(refusal(new Uint8Array()).message).toContain('ファイルが空です');
    expect(refusal(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(HEADER, 'utf16le')])).message).toContain('UTF-16');
    expect(refusal(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00])).message).toContain('Excel');
    expect(refusal(Buffer.from([0x41, 0x80, 0x41, 0x0a])).message).toContain('文字コードを判別できません');
    expect(refusal(Buffer.from([0x41, 0xfd, 0xfe])).message).toContain('文字コードを判別できません');
    // A BOM promises UTF-8: a file that then is not UTF-8 is refused rather than guessed.
    expect(refusal(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), cp932('保険')])).message).toContain('BOM');
  });
});

describe('CSV (RFC 4180)', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, and counts physical lines', () => {
    const recs = parseCsv('a,"b,c","say ""hi"""\r\n\r\n"multi\r\nline",x\n\n,, ,\nlast,"",z\n');
    expect(recs).toEqual([
      { line: 1, fields: ['a', 'b,c', 'say "hi"'] },
      { line: 3, fields: ['multi\nline', 'x'] },
      { line: 7, fields: ['last', '', 'z'] },
    ]);
  });

  it('handles LF, CRLF, a lone CR and a missing final newline alike', () => {
    const want = [
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['c', 'd'] },
    ];
    expect(parseCsv('a,b\nc,d')).toEqual(want);
    expect(parseCsv('a,b\r\nc,d\r\n')).toEqual(want);
    expect(parseCsv('a,b\rc,d\r')).toEqual(want);
  });

  it('reports a stray quote on its own line and goes on with the next line', () => {
    const recs = parseCsv('a,"b"c,d\nok,1\nx"y,2\nfine,3\n');
    expect(recs.map((r) => [r.line, r.error !== undefined])).toEqual([
      [1, true],
      [2, false],
      [3, true],
      [4, false],
    ]);
    expect(recs[1]?.fields).toEqual(['ok', '1']);
  });

  it('reports an unclosed quote at the line where the field began', () => {
    const recs = parseCsv('a,b\nc,"unclosed\nd,e\n');
    expect(recs).toHaveLength(2);
    expect(recs[1]?.line).toBe(2);
    expect(recs[1]?.error).toContain('閉じられていません');
  });
});

describe('roster lines', () => {
  it('accepts the columns in any order and normalises kana, roles and full-width IDs', () => {
    const r = parseRoster(['状態,役割,所属,氏名カナ,氏名,職員ID', '在職,承認者(所属長),保険年金課,ほけん たろう,保険　太郎,Ｓ１００１', '退職,所属長,子ども課,ﾎｹﾝ･ﾊﾅｺ,保険　花子,S1002'].join('\n'));
    expect(r.errors).toEqual([]);
    expect(r.rows).toBe(2);
    expect(r.lines).toEqual([
      { line: 2, staffId: 'S1001', name: '保険　太郎', nameKana: 'ホケン　タロウ', section: '保険年金課', role: 'approver', status: 'active', statusWord: '在職' },
      { line: 3, staffId: 'S1002', name: '保険　花子', nameKana: 'ホケン・ハナコ', section: '子ども課', role: 'approver', status: 'stopped', statusWord: '退職' },
    ]);
  });

  it('takes cells as text is taken everywhere (shared/text.ts): controls, bidi overrides and separators refused, NFC', () => {
    const r = parseRoster([HEADER, 'S2001,保険\u202E太郎,ホケン　タロウ,保険年金課,窓口職員,在職', 'S2002,保険\u0007花子,ホケン　ハナコ,保険年金課,窓口職員,在職', 'S2003,保険　次郎,ホケン　ジロウ,年金\u2028課,窓口職員,在職', 'S2004,カ\u3099ス　三郎,ガス　サブロウ,保険年金課,窓口職員,在職'].join('\n'));
    expect(r.errors.map((e) => e.message)).toEqual([
      '2行目: 氏名に文字の向きを変える制御文字は使えません',
      '3行目: 氏名に改行や制御文字は使えません',
      '4行目: 所属に改行や制御文字は使えません',
    ]);
    expect(r.lines.map((l) => l.name)).toEqual(['ガス　三郎']);
  });

  it('knows every role label and the aliases for the approver', () => {
    expect(parseRoleLabel('窓口職員')).toBe('clerk');
    expect(parseRoleLabel('確認者')).toBe('checker');
    expect(parseRoleLabel('承認者（所属長）')).toBe('approver');
    expect(parseRoleLabel('承認者')).toBe('approver');
    expect(parseRoleLabel('所属長')).toBe('approver');
    expect(parseRoleLabel('監督者')).toBe('supervisor');
    expect(parseRoleLabel('システム管理者')).toBe('administrator');
    expect(parseRoleLabel('係長')).toBeNull();
    expect(normalizeRosterKana(' ｶﾞｯｺｳ  ﾀﾛｳ ')).toBe('ガッコウ　タロウ');
  });

  it('gives one error for line 1 and no rows when the header is missing a column or has an unknown one', () => {
    const missing = parseRoster('職員ID,氏名,氏名カナ,所属,役割\nS1001,保険　太郎,ホケン　タロウ,保険年金課,窓口職員\n');
    expect(missing.rows).toBe(0);
    expect(missing.lines).toEqual([]);
    expect(missing.errors).toHaveLength(1);
    expect(missing.errors[0]?.line).toBe(1);
    expect(missing.errors[0]?.message).toMatch(/^1行目: 見出し行が正しくありません。足りない列: 状態/);

    const unknown = parseRoster(`${HEADER},係\nS1001,保険\u3000太郎,ホケン\u3000タロウ,保険年金課,窓口職員,在職,国保係\n`);
    expect(unknown.rows).toBe(0);
    expect(unknown.errors).toEqual([{ line: 1, message: expect.stringContaining('使えない列: 「係」') }]);

    const twice = parseRoster('職員ID,氏名,氏名,所属,役割,状態\n');
    expect(twice.errors[0]?.message).toContain('足りない列: 氏名カナ');
    expect(twice.errors[0]?.message).toContain('重複している列: 「氏名」');

    expect(parseRoster('\n\n').errors).toEqual([{ line: 1, message: expect.stringContaining('見出し行がありません') }]);
  });

  it('tolerates the empty trailing columns Excel sometimes writes, but not data in them', () => {
    const r = parseRoster(`${HEADER},,\nS1001,保険\u3000太郎,ホケン\u3000タロウ,保険年金課,窓口職員,在職,,\nS1002,保険\u3000花子,ホケン\u3000ハナコ,保険年金課,窓口職員,在職\nS1003,年金\u3000次郎,ネンキン\u3000ジロウ,保険年金課,窓口職員,在職,,メモ\n`);
    expect(r.lines.map((l) => l.staffId)).toEqual(['S1001', 'S1002']);
    expect(r.errors).toEqual([{ line: 4, message: expect.stringContaining('列の数が見出し行と合いません') }]);
  });

  it('reads the 状態 the staff list shows (在職, 利用停止, with its note), the reasons 退職・転出, and the former 有効・無効', () => {
    const cells = ['在職', '在職（パスワード変更待ち）', '在職（ロック中 令和8年11月24日 10:30まで）', '有効', ' 有効 ', '利用停止', '退職', '転出', '無効', 'ｻﾞｲｼｮｸ'];
    const r = parseRoster([HEADER, ...cells.map((c, i) => `S${3001 + i},保険\u3000太郎,ホケン\u3000タロウ,保険年金課,窓口職員,${c}`)].join('\n'));
    expect(r.lines.map((l) => [l.status, l.statusWord])).toEqual([
      ['active', '在職'],
      ['active', '在職'],
      ['active', '在職'],
      ['active', '有効'],
      ['active', '有効'],
      ['stopped', '利用停止'],
      ['stopped', '退職'],
      ['stopped', '転出'],
      ['stopped', '無効'],
    ]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]?.message).toBe('11行目: 状態「ｻﾞｲｼｮｸ」は使えません（在職・利用停止・退職・転出・有効・無効のいずれか）');
  });

  it('names every problem of a line in one error', () => {
    const r = parseRoster(`${HEADER}\nx,,ほけん1,,係長,休職\n`);
    expect(r.errors).toHaveLength(1);
    const m = r.errors[0]?.message ?? '';
    expect(m).toMatch(/^2行目: /);
    for (const part of ['職員ID「x」', '氏名が空です', '氏名カナ「ほけん1」', '所属が空です', '役割「係長」', '状態「休職」']) expect(m).toContain(part);
  });
});
