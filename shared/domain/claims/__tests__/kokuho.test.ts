import { describe, expect, it } from 'vitest';
import { ruleProfileSchema } from '../../profile';
import { ClaimInputError, ClaimSettingsError } from '../common';
import { calculateKogaku, calculateRyouyouhi, calculateShussan, calculateSousaihi, type KogakuInput } from '../kokuho';
import { RuleTableError } from '../rule-tables';
import { readJson, shippedProfile, shippedTables } from './fixtures';

const { kogaku, shussan } = shippedTables();
const OSAKA = shippedProfile('sample-osaka').claims.kokuho;
const KUMAMOTO = shippedProfile('sample-kumamoto').claims.kokuho;

type Charge = KogakuInput['charges'][number];
function charge(p: Partial<Charge> & Pick<Charge, 'totalCostYen' | 'copayYen'>): Charge {
  return { memberId: '000001', memberName: '国保　太郎', institutionCode: '1310000001', institutionName: '甲病院', category: 'medical-inpatient', ...p };
}
const hanako = { memberId: '000002', memberName: '国保　花子' };
const clinic = { institutionCode: '1310000002', institutionName: '乙クリニック', category: 'medical-outpatient' as const };
const MILLION = [charge({ totalCostYen: 1_000_000, copayYen: 300_000 })];

describe('療養費 = 費用額 × 給付割合 (1円未満切り捨て)', () => {
  it.each([
    // 10,001 × 0.7 = 7,000.7 → 7,000
    [{ costYen: 10_001 }, 7000],
    // 10,000 × 0.7 = 7,000
    [{ costYen: 10_000 }, 7000],
    // 12,345 × 0.8 = 9,876 (未就学児)
    [{ costYen: 12_345, benefitRate: 0.8 }, 9876],
    // 3 × 0.7 = 2.1 → 2 (no float drift)
    [{ costYen: 3 }, 2],
    [{ costYen: 0 }, 0],
  ])('%o → %i', (input, expected) => {
    expect(calculateRyouyouhi(input, OSAKA).benefitYen).toBe(expected);
  });
  it('explains itself and refuses odd rates', () => {
    expect(calculateRyouyouhi({ costYen: 10_001 }, KUMAMOTO).breakdown).toEqual([
      { label: '費用額', amount: 10_001, kind: 'base' },
      { label: '療養費（費用額×給付割合7割、1円未満切り捨て）', amount: 7000, kind: 'result' },
    ]);
    expect(() => calculateRyouyouhi({ costYen: 1000, benefitRate: 0.755 }, OSAKA)).toThrow('給付割合は0.01単位で入力してください');
    expect(() => calculateRyouyouhi({ costYen: -1 }, OSAKA)).toThrow('費用額に負の金額は入力できません');
  });
});

describe('高額療養費 (70歳未満, 世帯, 月)', () => {
  it.each([
    // ウ until 2026-07: 80,100 + (1,000,000 − 267,000) × 1% = 80,100 + 7,330 = 87,430; 300,000 − 87,430 = 212,570
    ['ウ', '2026-07', MILLION, 87_430, 212_570],
    // ウ from 2026-08: 85,800 + (1,000,000 − 286,000) × 1% = 85,800 + 7,140 = 92,940; 300,000 − 92,940 = 207,060
    ['ウ', '2026-08', MILLION, 92_940, 207_060],
    // ア until 2026-07: 252,600 + (1,500,000 − 842,000) × 1% = 259,180; 450,000 − 259,180 = 190,820
    ['ア', '2026-07', [charge({ totalCostYen: 1_500_000, copayYen: 450_000 })], 259_180, 190_820],
    // ア from 2026-08: 270,300 + (1,500,000 − 901,000) × 1% = 276,290; 450,000 − 276,290 = 173,710
    ['ア', '2026-08', [charge({ totalCostYen: 1_500_000, copayYen: 450_000 })], 276_290, 173_710],
    // イ until 2026-07: 167,400 + (1,000,000 − 558,000) × 1% = 171,820; 300,000 − 171,820 = 128,180
    ['イ', '2026-07', MILLION, 171_820, 128_180],
    // イ from 2026-08: 179,100 + (1,000,000 − 597,000) × 1% = 183,130; 116,870
    ['イ', '2026-08', MILLION, 183_130, 116_870],
    // エ flat 57,600 → 60,000 − 57,600 = 2,400; from 2026-08 61,500 > 60,000 → 0
    ['エ', '2026-07', [charge({ totalCostYen: 200_000, copayYen: 60_000 })], 57_600, 2_400],
    ['エ', '2026-08', [charge({ totalCostYen: 200_000, copayYen: 60_000 })], 61_500, 0],
    // オ flat 35,400 → 4,600; from 2026-08 36,900 → 3,100
    ['オ', '2026-07', [charge({ totalCostYen: 133_334, copayYen: 40_000 })], 35_400, 4_600],
    ['オ', '2026-08', [charge({ totalCostYen: 133_334, copayYen: 40_000 })], 36_900, 3_100],
    // 1% rounded half up: (1,000,050 − 267,000) × 1% = 7,330.5 → 7,331; 300,015 − 87,431 = 212,584
    ['ウ', '2026-07', [charge({ totalCostYen: 1_000_050, copayYen: 300_015 })], 87_431, 212_584],
    // (1,000,040 − 267,000) × 1% = 7,330.4 → 7,330; 300,012 − 87,430 = 212,582
    ['ウ', '2026-07', [charge({ totalCostYen: 1_000_040, copayYen: 300_012 })], 87_430, 212_582],
    // 医療費 below the threshold: no 1% part; 75,000 < 80,100 → 0
    ['ウ', '2026-07', [charge({ totalCostYen: 250_000, copayYen: 75_000 })], 80_100, 0],
  ] as const)('区分%s %s', (kubun, serviceMonth, charges, limit, benefit) => {
    const r = calculateKogaku({ kubun, serviceMonth, charges: [...charges] }, kogaku);
    expect(r.limitYen).toBe(limit);
    expect(r.benefitYen).toBe(benefit);
    expect(r.applicable).toBe(benefit > 0);
    expect(r.periodFrom).toBe(serviceMonth >= '2026-08' ? '2026-08-01' : '2015-01-01');
  });

  it('the 2026-08 period carries its caveat (provisional 多数回, annual cap not modelled)', () => {
    expect(calculateKogaku({ kubun: 'ウ', serviceMonth: '2026-07', charges: MILLION }, kogaku).notes).toEqual([]);
    const notes = calculateKogaku({ kubun: 'ウ', serviceMonth: '2026-08', charges: MILLION }, kogaku).notes;
    expect(notes.join('')).toMatch(/多数回該当の額は未確定/);
    expect(notes.join('')).toMatch(/年間の上限額/);
  });

  describe('世帯合算: only charges of 21,000円 or more combine', () => {
    const taro = charge({ totalCostYen: 300_000, copayYen: 90_000 });
    it('20,999 does not combine: 90,000 − (80,100 + 330) = 9,570', () => {
      const r = calculateKogaku({ kubun: 'ウ', serviceMonth: '2026-05', charges: [taro, charge({ ...hanako, ...clinic, totalCostYen: 69_997, copayYen: 20_999 })] }, kogaku);
      expect([r.combinedCopayYen, r.combinedCostYen, r.limitYen, r.benefitYen]).toEqual([90_000, 300_000, 80_430, 9_570]);
      expect(r.units.map((u) => u.combined)).toEqual([true, false]);
      expect(r.breakdown[1]).toEqual({ label: '国保　花子 乙クリニック（医科・通院） 一部負担金（21,000円未満のため合算対象外）', amount: 20_999, kind: 'info', lineIndex: 1 });
    });
    it('21,000 combines: 111,000 − (80,100 + (370,000 − 267,000) × 1% = 81,130) = 29,870', () => {
      const r = calculateKogaku({ kubun: 'ウ', serviceMonth: '2026-05', charges: [taro, charge({ ...hanako, ...clinic, totalCostYen: 70_000, copayYen: 21_000 })] }, kogaku);
      expect([r.combinedCopayYen, r.combinedCostYen, r.limitYen, r.benefitYen]).toEqual([111_000, 370_000, 81_130, 29_870]);
    });
    it('two receipts of one person at one institution are added before the 21,000 test (15,000 + 10,000)', () => {
      const r = calculateKogaku({
        kubun: 'ウ', serviceMonth: '2026-05',
        charges: [taro, charge({ ...clinic, totalCostYen: 50_000, copayYen: 15_000 }), charge({ ...clinic, totalCostYen: 33_334, copayYen: 10_000 })],
      }, kogaku);
      // 90,000 + 25,000 = 115,000; 医療費 383,334 → 80,100 + 1,163.34 → 81,263; 115,000 − 81,263 = 33,737
      expect([r.combinedCopayYen, r.limitYen, r.benefitYen]).toEqual([115_000, 81_263, 33_737]);
      expect(r.units[1]?.lineIndexes).toEqual([1, 2]);
    });
    it('入院 and 通院 at one hospital are separate units (each under 21,000 → nothing combines)', () => {
      const r = calculateKogaku({
        kubun: 'オ', serviceMonth: '2026-05',
        charges: [charge({ totalCostYen: 60_000, copayYen: 18_000 }), charge({ category: 'medical-outpatient', totalCostYen: 60_000, copayYen: 18_000 })],
      }, kogaku);
      expect([r.combinedCopayYen, r.benefitYen]).toEqual([0, 0]);
    });
  });

  describe('多数回該当: from the 4th 該当 within 12 months (the 診療月 included)', () => {
    it.each([
      // 3 earlier 該当 within 2025-07..2026-06 → this is the 4th: 300,000 − 44,400 = 255,600
      [['2025-07', '2025-08', '2025-09'], true, 44_400, 255_600],
      // only 2 earlier → the 3rd: 87,430 → 212,570
      [['2025-08', '2025-09'], false, 87_430, 212_570],
      // 2025-06 is 12 months back: outside the window → still the 3rd
      [['2025-06', '2025-08', '2025-09'], false, 87_430, 212_570],
      // 5 earlier → 6th time, still 多数回
      [['2025-07', '2025-08', '2025-09', '2026-01', '2026-05'], true, 44_400, 255_600],
    ])('%o', (previous, many, limit, benefit) => {
      const r = calculateKogaku({ kubun: 'ウ', serviceMonth: '2026-06', charges: MILLION, previousApplicableMonths: previous }, kogaku);
      expect([r.manyTimes, r.limitYen, r.benefitYen]).toEqual([many, limit, benefit]);
    });
    it('ア 多数回 140,100; from 2026-08 the provisional amount is used and flagged', () => {
      const prev = ['2026-01', '2026-02', '2026-03'];
      expect(calculateKogaku({ kubun: 'ア', serviceMonth: '2026-07', charges: MILLION, previousApplicableMonths: prev }, kogaku).benefitYen).toBe(159_900);
      const r = calculateKogaku({ kubun: 'ウ', serviceMonth: '2026-08', charges: MILLION, previousApplicableMonths: prev }, kogaku);
      expect([r.manyTimes, r.limitYen, r.benefitYen]).toEqual([true, 44_400, 255_600]);
      expect(r.notes).toContain('この期間の多数回該当の額は暫定値です。');
    });
  });

  it.each([
    [{ kubun: 'カ' }, 'kubun', '所得区分（ア〜オ）を選択してください'],
    [{ serviceMonth: '2026-00' }, 'serviceMonth', '診療年月は年月（例: 2026-04）で入力してください'],
    [{ previousApplicableMonths: ['2026-06'] }, 'previousApplicableMonths.0', '過去の該当月は診療年月より前の月を入力してください'],
    [{ previousApplicableMonths: ['2026-01', '2026-01'] }, 'previousApplicableMonths.1', '過去の該当月が重複しています'],
    [{ charges: [charge({ totalCostYen: 10_000, copayYen: 10_001 })] }, 'charges.0.copayYen', '一部負担金が医療費を超えています'],
    [{ charges: [charge({ totalCostYen: -5, copayYen: 0 })] }, 'charges.0.totalCostYen', '医療費に負の金額は入力できません'],
  ])('refuses %o', (patch, path, message) => {
    const input = { kubun: 'ウ', serviceMonth: '2026-06', charges: MILLION, ...patch } as KogakuInput;
    expect(() => calculateKogaku(input, kogaku)).toThrow(ClaimInputError);
    try {
      calculateKogaku(input, kogaku);
    } catch (e) {
      expect((e as ClaimInputError).issues).toContainEqual({ path, message });
    }
  });

  it('a month before every table period is refused, not guessed', () => {
    expect(() => calculateKogaku({ kubun: 'ウ', serviceMonth: '2014-12', charges: MILLION }, kogaku)).toThrow(RuleTableError);
  });
});

describe('出産育児一時金', () => {
  const base = { birthDate: '2026-05-10', childCount: 1, obstetricCompensationScheme: true, atLeast22Weeks: true };
  it.each([
    // 500,000 per child, no 直接支払制度: all of it
    [base, 500_000, 0, 500_000],
    // outside 産科医療補償制度: 488,000
    [{ ...base, obstetricCompensationScheme: false }, 488_000, 0, 488_000],
    // before 22 weeks: 488,000
    [{ ...base, atLeast22Weeks: false }, 488_000, 0, 488_000],
    // 直接支払制度, cost 460,000: the hospital got 460,000; the difference 40,000 is claimed
    [{ ...base, directPayment: { deliveryCostYen: 460_000 } }, 500_000, 460_000, 40_000],
    // 直接支払制度, cost 520,000 ≥ 500,000: nothing left to claim
    [{ ...base, directPayment: { deliveryCostYen: 520_000 } }, 500_000, 500_000, 0],
    // twins, 直接支払制度, cost 900,000: 1,000,000 − 900,000 = 100,000
    [{ ...base, childCount: 2, directPayment: { deliveryCostYen: 900_000 } }, 1_000_000, 900_000, 100_000],
    // from the first day of the table: 2023-04-01
    [{ ...base, birthDate: '2023-04-01' }, 500_000, 0, 500_000],
  ])('%o', (input, total, paid, benefit) => {
    const r = calculateShussan(input, shussan);
    expect([r.totalYen, r.paidToInstitutionYen, r.benefitYen]).toEqual([total, paid, benefit]);
  });
  it('explains the 直接支払制度 difference', () => {
    expect(calculateShussan({ ...base, directPayment: { deliveryCostYen: 460_000 } }, shussan).breakdown).toEqual([
      { label: '出産育児一時金（産科医療補償制度対象：500,000円×1人）', amount: 500_000, kind: 'base' },
      { label: '直接支払制度により医療機関等へ支払済み（出産費用460,000円）', amount: 460_000, kind: 'deduct' },
      { label: '支給額（差額）', amount: 40_000, kind: 'result' },
    ]);
  });
  it('refuses a birth before the table and bad input', () => {
    expect(() => calculateShussan({ ...base, birthDate: '2023-03-31' }, shussan)).toThrow('2023-03-31 に適用される出産育児一時金の表がありません');
    expect(() => calculateShussan({ ...base, childCount: 0 }, shussan)).toThrow('出生児数は1以上で入力してください');
    expect(() => calculateShussan({ ...base, birthDate: '2026-02-30' }, shussan)).toThrow('出産日は正しい年月日で入力してください');
    expect(() => calculateShussan({ ...base, directPayment: { deliveryCostYen: -1 } }, shussan)).toThrow('出産費用に負の金額は入力できません');
  });
});

describe('葬祭費 (amount from the profile)', () => {
  it('osaka sample 50,000, kumamoto sample 30,000', () => {
    expect(calculateSousaihi(OSAKA).benefitYen).toBe(50_000);
    expect(calculateSousaihi(KUMAMOTO).breakdown).toEqual([{ label: '葬祭費（条例で定める額）', amount: 30_000, kind: 'result' }]);
  });
  it('a profile without an amount is refused, never a made-up amount', () => {
    const p = readJson('profiles/sample-osaka.json') as Record<string, unknown>;
    delete p.claims;
    const profile = ruleProfileSchema.parse(p);
    expect(() => calculateSousaihi(profile.claims.kokuho)).toThrow(ClaimSettingsError);
    expect(() => calculateSousaihi(profile.claims.kokuho)).toThrow('葬祭費の額が端末の設定に登録されていない');
  });
});
