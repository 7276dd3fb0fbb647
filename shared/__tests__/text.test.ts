import { describe, expect, it } from 'vitest';
import { charLength, jsonObject, jsonProblem, storableJson, storableText, text, textProblem, wireText } from '../text';
import { HOSTILE_CHARS, deeplyNested } from '../../testing/hostile';

/** The shared text type (issue 13 §1): one set of rules for every boundary. */
describe('text()', () => {
  const reason = text({ label: '理由', min: 1, max: 5 });
  const messageOf = (r: { success: boolean; error?: { issues: { message: string }[] } }) => r.error?.issues[0]?.message;

  it('refuses every hostile character, alone and inside text, with a Japanese message naming the field', () => {
    for (const c of HOSTILE_CHARS) {
      for (const s of [c, `転出${c}`]) {
        const r = reason.safeParse(s);
        expect(r.success, JSON.stringify(s)).toBe(false);
        expect(messageOf(r)).toMatch(/^理由に/);
      }
    }
    expect(messageOf(reason.safeParse('a\u0000'))).toBe('理由に改行や制御文字は使えません');
    expect(messageOf(reason.safeParse('a\uD800'))).toBe('理由に読み取れない文字（壊れた文字コード）が含まれています');
    expect(messageOf(reason.safeParse('a\u202E'))).toBe('理由に文字の向きを変える制御文字は使えません');
  });

  it('normalises to NFC and trims (full-width spaces too) before counting', () => {
    expect(reason.parse('　カ\u3099ス\u3000')).toBe('ガス');
    expect(messageOf(reason.safeParse('　　'))).toBe('理由を入力してください');
  });

  it('counts characters as code points: 𠮷 is one', () => {
    expect(reason.parse('𠮷𠮷𠮷𠮷𠮷')).toBe('𠮷𠮷𠮷𠮷𠮷');
    expect(messageOf(reason.safeParse('𠮷𠮷𠮷𠮷𠮷𠮷'))).toBe('理由は5文字以内で入力してください');
    expect(charLength('𠮷a')).toBe(2);
  });

  it('multiline allows LF and TAB and turns CR/CRLF into LF; still refuses other controls', () => {
    const note = text({ label: '備考', max: 50, multiline: true });
    expect(note.parse('一行目\r\n二行目\r三行目\tです')).toBe('一行目\n二行目\n三行目\tです');
    expect(note.safeParse('a\u0000').success).toBe(false);
    expect(note.safeParse('a\u2028').success).toBe(false);
  });

  it('trim: false and normalize: false keep a password as typed', () => {
    const pw = text({ label: 'パスワード', min: 1, max: 256, trim: false, normalize: false });
    expect(pw.parse(' カ\u3099 ')).toBe(' カ\u3099 ');
    expect(pw.safeParse('pass\u0000').success).toBe(false);
  });
});

describe('wireText(), jsonObject()', () => {
  it('wireText checks the same characters and rewrites nothing', () => {
    expect(wireText(10).parse(' カ\u3099 ')).toBe(' カ\u3099 ');
    expect(wireText(10).safeParse('\u0000').success).toBe(false);
    expect(wireText(10, true).parse('a\r\nb')).toBe('a\r\nb');
  });

  it('jsonObject refuses hostile strings and keys anywhere, prototype keys, deep nesting and too many values', () => {
    const j = jsonObject();
    expect(j.parse({ a: ['カ\u3099'] })).toEqual({ a: ['ガ'] });
    for (const bad of [{ a: 'x\u0000' }, { a: { b: ['\uD800'] } }, { 'k\u202E': 1 }, JSON.parse('{"__proto__":{"x":1}}'), { constructor: 1 }, { a: deeplyNested(20) }, { a: Array(6000).fill(0) }, { a: Number.NaN }]) {
      expect(j.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(jsonProblem(deeplyNested(100_000))).toBe('入れ子が深すぎます'); // iterative: no stack overflow
    expect(jsonObject({ normalize: false }).parse({ a: 'カ\u3099' })).toEqual({ a: 'カ\u3099' });
  });
});

describe('storableText(), storableJson()', () => {
  it('turn lone surrogates and controls (not LF, CR, TAB) into U+FFFD; keep everything else', () => {
    expect(storableText('a\u0000b\uD800c\uDC00\u001B\u0085𠮷\n\r\t')).toBe('a\uFFFDb\uFFFDc\uFFFD\uFFFD\uFFFD𠮷\n\r\t');
    expect(textProblem(storableText('\uDFFF\uD800\u0000'), true)).toBeNull();
  });

  it('make any value JSON: keys too, undefined dropped, non-finite numbers null, never throws', () => {
    expect(storableJson({ 'k\uD800': ['\u0000', undefined, Number.POSITIVE_INFINITY], u: undefined, n: 1n, f: () => 1 })).toEqual({ 'k\uFFFD': ['\uFFFD', null, null], n: '1', f: '() => 1' });
    expect(storableJson(deeplyNested(100), 3)).toEqual({ a: { a: { a: '…' } } });
    const proto = storableJson(JSON.parse('{"__proto__":{"x":1}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(Object.keys(proto)).toEqual(['__proto__']);
  });
});
