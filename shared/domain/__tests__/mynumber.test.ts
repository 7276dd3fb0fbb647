import { describe, it, expect } from 'vitest';
import { checkMyNumber, isValidMyNumber, maskMyNumber, myNumberCheckDigit } from '../mynumber';

describe('myNumberCheckDigit', () => {
  it('computes the check digit of the documented examples', () => {
    // 1,2,3,4,5,6,7,8,9,0,1 × 6,5,4,3,2,7,6,5,4,3,2 = 212; 212 mod 11 = 3; 11 − 3 = 8
    expect(myNumberCheckDigit('12345678901')).toBe(8);
    // 6,2,1,4,9,8,3,2,0,2,5 → 180; 180 mod 11 = 4; 11 − 4 = 7
    expect(myNumberCheckDigit('62149832025')).toBe(7);
  });
  it('returns 0 when the remainder is 0 or 1', () => {
    expect(myNumberCheckDigit('00000000000')).toBe(0); // r = 0
    // '20000000000': 2 × 6 = 12; 12 mod 11 = 1 → 0
    expect(myNumberCheckDigit('20000000000')).toBe(0);
  });
  it('throws on malformed input', () => {
    expect(() => myNumberCheckDigit('1234567890')).toThrow(RangeError);
    expect(() => myNumberCheckDigit('1234567890a')).toThrow(RangeError);
  });
});

describe('checkMyNumber', () => {
  it('accepts valid numbers', () => {
    expect(checkMyNumber('123456789018')).toEqual({ ok: true, value: '123456789018' });
    expect(checkMyNumber('621498320257')).toEqual({ ok: true, value: '621498320257' });
  });
  it('accepts full-width digits, spaces and hyphens', () => {
    expect(checkMyNumber('１２３４５６７８９０１８')).toEqual({ ok: true, value: '123456789018' });
    expect(checkMyNumber('  1234-5678-9018 ')).toEqual({ ok: true, value: '123456789018' });
    expect(checkMyNumber('1234　5678　9018')).toEqual({ ok: true, value: '123456789018' });
    expect(checkMyNumber('６２１４－９８３２－０２５７')).toEqual({ ok: true, value: '621498320257' });
  });
  it('rejects a one-digit change', () => {
    const r = checkMyNumber('123456789019');
    expect(r).toEqual({ ok: false, message: '個人番号のチェックデジットが一致しません（入力の誤りの可能性があります）' });
    expect(checkMyNumber('123456789118').ok).toBe(false);
    expect(checkMyNumber('621498320258').ok).toBe(false);
  });
  it('reports empty input', () => {
    expect(checkMyNumber('')).toEqual({ ok: false, message: '個人番号を入力してください' });
    expect(checkMyNumber('  　 - ')).toEqual({ ok: false, message: '個人番号を入力してください' });
  });
  it('reports the wrong length with the current length', () => {
    expect(checkMyNumber('12345678901')).toEqual({ ok: false, message: '個人番号は12桁の数字です（現在11桁）' });
    expect(checkMyNumber('1234567890123')).toEqual({ ok: false, message: '個人番号は12桁の数字です（現在13桁）' });
  });
  it('reports non-digit characters', () => {
    expect(checkMyNumber('12345678901a')).toEqual({ ok: false, message: '個人番号に数字以外の文字が含まれています' });
    expect(checkMyNumber('１２３４５６７８９０１あ').ok).toBe(false);
  });
});

describe('isValidMyNumber / maskMyNumber', () => {
  it('isValidMyNumber mirrors checkMyNumber', () => {
    expect(isValidMyNumber('123456789018')).toBe(true);
    expect(isValidMyNumber('123456789017')).toBe(false);
    expect(isValidMyNumber('')).toBe(false);
  });
  it('never reveals any digit', () => {
    expect(maskMyNumber('123456789018')).toBe('************');
    expect(maskMyNumber('621498320257')).not.toMatch(/\d/);
    expect(maskMyNumber('')).toBe('************');
  });
});

describe('containsMyNumber (copy guard)', () => {
  it('finds a valid number plain, grouped, full-width or inside text', async () => {
    const { containsMyNumber } = await import('../mynumber');
    expect(containsMyNumber('123456789018')).toBe(true);
    expect(containsMyNumber('番号: 1234 5678 9018 です')).toBe(true);
    expect(containsMyNumber('1234-5678-9018')).toBe(true);
    expect(containsMyNumber('１２３４５６７８９０１８')).toBe(true);
    expect(containsMyNumber('6214　9832　0257')).toBe(true);
  });
  it('ignores numbers that are not a 個人番号', async () => {
    const { containsMyNumber } = await import('../mynumber');
    expect(containsMyNumber('123456789019')).toBe(false); // check digit wrong
    expect(containsMyNumber('7010705000725')).toBe(false); // 13-digit 法人番号
    expect(containsMyNumber('宛名番号 900002 世帯番号 990001')).toBe(false);
    expect(containsMyNumber('11234567890181')).toBe(false); // embedded in a longer run
    expect(containsMyNumber('')).toBe(false);
  });
});
