import { describe, expect, it } from 'vitest';
import { appealInstructions, prefectureOf } from '../appeal';

describe('教示 of a claim decision', () => {
  it('finds the prefecture from the 団体コード', () => {
    expect(prefectureOf('271004')).toBe('大阪府');
    expect(prefectureOf('431001')).toBe('熊本県');
    expect(prefectureOf('011002')).toBe('北海道');
    expect(() => prefectureOf('991234')).toThrow(/都道府県が分かりません/);
  });

  it('国保: 審査請求 to the prefecture\'s 国民健康保険審査会 within 3 months; 取消訴訟 after its 裁決, within 6 months, against the city', () => {
    const a = appealInstructions('kokuho_kogaku', '271004', '大阪市（サンプル）');
    expect(a.review).toContain('3か月以内に、大阪府国民健康保険審査会に対して審査請求');
    expect(a.lawsuit).toContain('裁決を経た後でなければ提起することができません');
    expect(a.lawsuit).toContain('6か月以内に、大阪市を被告として（訴訟において大阪市を代表する者は大阪市長となります。）提起');
    expect(a.review + a.lawsuit).not.toContain('サンプル');
  });

  it('健康被害救済 goes to the governor; the municipality\'s own 事務 to its head', () => {
    expect(appealInstructions('yobou_kyusai', '431001', '熊本市（サンプル）').review).toContain('熊本県知事に対して審査請求');
    for (const kind of ['kodomo_shokan', 'yobou_genmen'] as const) {
      const a = appealInstructions(kind, '271004', '大阪市');
      expect(a.review).toContain('3か月以内に、大阪市長に対して審査請求');
      expect(a.lawsuit).toContain('6か月以内に、大阪市を被告として（訴訟において大阪市を代表する者は大阪市長となります。）');
    }
  });
});
