import { describe, expect, it } from 'vitest';
import { RecipientNumberingError, isSeikatsuPublicPayerNumber, recipientNumberProblem, seikatsuPublicPayerProblem, seikatsuRecipientNumber } from '../numbers';

describe('公費負担者番号 of 生活保護 (法別 12, check digit of shared/domain/houbetsu.ts)', () => {
  // 1227010: from the right ×2,1,2,1,2,1,2: 0, 1, 0, 7, 4, 2, 2 → Σ 16 → 4
  // 1227011: 2, 1, 0, 7, 4, 2, 2 → Σ 18 → 2
  // 1227099: 9×2=18→9, 9, 0, 7, 4, 2, 2 → Σ 33 → 7
  const cases: [string, string | null][] = [
    ['12270104', null],
    ['12270112', null],
    ['12270997', null],
    ['12270105', '公費負担者番号の検証番号が一致しません'],
    ['12270114', '公費負担者番号の検証番号が一致しません'],
    ['12720104', '公費負担者番号の検証番号が一致しません'], // two digits swapped
    ['25270109', '公費負担者番号の法別番号が25です（生活保護は12）'], // 中国残留邦人等 (valid check digit)
    ['88131016', '公費負担者番号の法別番号が88です（生活保護は12）'],
    ['12480109', '公費負担者番号の都道府県番号（3・4桁目）は01〜47です'],
    ['12000105', '公費負担者番号の都道府県番号（3・4桁目）は01〜47です'],
    ['1227010', '公費負担者番号は8桁の半角数字です'],
    ['122701040', '公費負担者番号は8桁の半角数字です'],
    ['1227010a', '公費負担者番号は8桁の半角数字です'],
    ['１２２７０１０４', '公費負担者番号は8桁の半角数字です'],
    ['', '公費負担者番号は8桁の半角数字です'],
  ];
  for (const [no, problem] of cases) {
    it(`${JSON.stringify(no)} → ${problem ?? 'valid'}`, () => {
      expect(seikatsuPublicPayerProblem(no)).toBe(problem);
      expect(isSeikatsuPublicPayerNumber(no)).toBe(problem === null);
    });
  }
});

describe('受給者番号 (7 digits, check digit of shared/domain/houbetsu.ts)', () => {
  const cases: [string, string | null][] = [
    ['0000018', null], // 000001: 1×2 = 2 → 8
    ['7000011', null], // 700001: 2 + 7 = 9 → 1
    ['0123455', null], // 012345: 10→1, 4, 6, 2, 2 → 15 → 5
    ['0000017', '受給者番号の検証番号が一致しません'],
    ['1000018', '受給者番号の検証番号が一致しません'],
    ['0213455', '受給者番号の検証番号が一致しません'],
    ['000001', '受給者番号は7桁の半角数字です'],
    ['00000180', '受給者番号は7桁の半角数字です'],
    ['000001x', '受給者番号は7桁の半角数字です'],
  ];
  for (const [no, problem] of cases) {
    it(`${no} → ${problem ?? 'valid'}`, () => expect(recipientNumberProblem(no)).toBe(problem));
  }
});

describe('profile-driven 受給者番号 numbering (prefix + serial + check digit)', () => {
  const cases: [string, number, string][] = [
    ['', 1, '0000018'],
    ['7', 1, '7000011'],
    ['27', 1, '2700011'], // 270001 from the right: 1×2=2, 0, 0, 0, 7×2=14→5, 2 → Σ 9 → 1
    ['0', 12345, '0123455'],
    ['', 999999, '9999996'],
  ];
  for (const [prefix, serial, expected] of cases) {
    it(`${JSON.stringify(prefix)} + ${serial} → ${expected}`, () => {
      expect(seikatsuRecipientNumber(prefix, serial)).toBe(expected);
      expect(recipientNumberProblem(expected)).toBeNull();
    });
  }
  it('refuses a serial that does not fit, a bad prefix and a bad serial, in Japanese', () => {
    expect(() => seikatsuRecipientNumber('27', 10000)).toThrow(new RecipientNumberingError('受給者番号の桁数を超えました。番号ブロックの設定を確認してください。'));
    expect(() => seikatsuRecipientNumber('1234', 1)).toThrow('受給者番号の接頭辞は0〜3桁の数字です');
    expect(() => seikatsuRecipientNumber('A', 1)).toThrow('受給者番号の接頭辞は0〜3桁の数字です');
    expect(() => seikatsuRecipientNumber('', 0)).toThrow('受給者番号の連番は1以上の整数です');
    expect(() => seikatsuRecipientNumber('', 1.5)).toThrow('受給者番号の連番は1以上の整数です');
  });
});
