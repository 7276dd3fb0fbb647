import { describe, it, expect } from 'vitest';
import { hiraganaToKatakana, isKanaName, kanaPrefixUpperBound, normalizeKana } from '../kana';

describe('hiraganaToKatakana', () => {
  it('turns every hiragana into its katakana, small kana and iteration marks included', () => {
    const pairs = { 'やまだ たろう': 'ヤマダ タロウ', ぁぃぅぇぉっゃゅょゎゕゖ: 'ァィゥェォッャュョヮヵヶ', ゔ: 'ヴ', ゝゞ: 'ヽヾ' };
    for (const [hiragana, katakana] of Object.entries(pairs)) expect(hiraganaToKatakana(hiragana)).toBe(katakana);
  });
  it('leaves everything else as it is (katakana, half-width, kanji, Latin, spaces, 長音, voicing marks)', () => {
    for (const other of ['ヤマダ ﾀﾛｳ 山田 yamada　ー゛゜', '']) expect(hiraganaToKatakana(other)).toBe(other);
  });
  it('covers exactly U+3041–U+3096 and U+309D–U+309E, each 0x60 below its katakana', () => {
    for (let cp = 0x3040; cp <= 0x30a0; cp++) {
      const hiragana = (cp >= 0x3041 && cp <= 0x3096) || cp === 0x309d || cp === 0x309e;
      expect(hiraganaToKatakana(String.fromCharCode(cp))).toBe(String.fromCharCode(hiragana ? cp + 0x60 : cp));
    }
  });
});

describe('normalizeKana', () => {
  it('hiragana → katakana and removes full-width spaces', () => {
    expect(normalizeKana('やまだ　たろう')).toBe('ヤマダタロウ');
  });
  it('half-width katakana → full-width with composed dakuten', () => {
    expect(normalizeKana('ﾔﾏﾀﾞ ﾀﾛｳ')).toBe('ヤマダタロウ');
    expect(normalizeKana('ﾊﾟﾋﾟﾌﾟ')).toBe('パピプ');
  });
  it('ゔ and iteration marks', () => {
    expect(normalizeKana('ゔ')).toBe('ヴ');
    expect(normalizeKana('ゝゞ')).toBe('ヽヾ');
    expect(normalizeKana('ゕゖ')).toBe('ヵヶ');
  });
  it('removes all whitespace and upper-cases Latin letters', () => {
    expect(normalizeKana(' a b\tc\n')).toBe('ABC');
    expect(normalizeKana('ｙａｍａｄａ　Ｔａｒｏ')).toBe('YAMADATARO');
  });
  it('composes a stand-alone 濁点 separated by NFKC', () => {
    expect(normalizeKana('か゛')).toBe('ガ');
  });
  it('is idempotent', () => {
    const once = normalizeKana('ﾔﾏﾀﾞ ﾀﾛｳ');
    expect(normalizeKana(once)).toBe(once);
  });
});

describe('isKanaName', () => {
  it('accepts katakana names in any input form', () => {
    expect(isKanaName('ヤマダ タロウ')).toBe(true);
    expect(isKanaName('やまだ　たろう')).toBe(true);
    expect(isKanaName('ﾔﾏﾀﾞ ﾀﾛｳ')).toBe(true);
    expect(isKanaName('スミス・ジョン')).toBe(true);
    expect(isKanaName('サトー')).toBe(true);
    expect(isKanaName('ヽヾ')).toBe(true);
  });
  it('rejects empty, kanji, Latin and digits', () => {
    expect(isKanaName('')).toBe(false);
    expect(isKanaName('　 ')).toBe(false);
    expect(isKanaName('山田')).toBe(false);
    expect(isKanaName('Yamada')).toBe(false);
    expect(isKanaName('ヤマダ1')).toBe(false);
  });
});

describe('kanaPrefixUpperBound', () => {
  it('appends U+FFFF', () => {
    expect(kanaPrefixUpperBound('ヤマ')).toBe('ヤマ\uFFFF');
    const bound = kanaPrefixUpperBound('ヤマ');
    const inside = 'ヤマダ';
    const outside = 'ヤミ';
    expect(inside >= 'ヤマ' && inside < bound).toBe(true);
    expect(outside < bound).toBe(false);
  });
});
