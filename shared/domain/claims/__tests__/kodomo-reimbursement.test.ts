import { describe, expect, it } from 'vitest';
import type { KodomoReimbursementModel } from '../../profile';
import { ClaimInputError } from '../common';
import { calculateKodomoReimbursement, type ReceiptLineInput } from '../kodomo-reimbursement';
import { shippedProfile } from './fixtures';

const OSAKA = shippedProfile('sample-osaka').claims.kodomo.reimbursement;
const FREE = shippedProfile('sample-kumamoto').claims.kodomo.reimbursement;

/** A receipt line: 2026-04, clinic A, 医科・通院; override what the case needs. */
function line(p: Partial<ReceiptLineInput> & Pick<ReceiptLineInput, 'days' | 'paidYen'>): ReceiptLineInput {
  return {
    serviceMonth: '2026-04',
    institutionCode: '2710000001',
    institutionName: 'Aこどもクリニック',
    category: 'medical-outpatient',
    totalPoints: 10_000,
    ...p,
  };
}
const A = { institutionCode: '2710000001', institutionName: 'A小児科' };
const B = { institutionCode: '2710000002', institutionName: 'B耳鼻科' };
const C = { institutionCode: '2710000003', institutionName: 'C眼科' };
const D = { institutionCode: '2710000004', institutionName: 'D皮膚科' };
const H = { institutionCode: '2710000009', institutionName: 'H総合病院' };
const P = { institutionCode: '2740000001', institutionName: 'P薬局', category: 'pharmacy' as const };

function run(lines: ReceiptLineInput[], model: KodomoReimbursementModel = OSAKA) {
  return calculateKodomoReimbursement({ lines }, model);
}

describe('こども医療費 償還払い (大阪府 model: 500円/日, 月2日まで, 月2,500円上限)', () => {
  it.each([
    // [case, lines, per-line copay, per-line 助成額, total 助成額]
    // 1 day: 500 copay; 2,000 − 500 = 1,500.
    ['1日', [line({ days: 1, paidYen: 2000 })], [500], [1500], 1500],
    // 2 days: 500 × 2 = 1,000; 4,000 − 1,000 = 3,000.
    ['2日', [line({ days: 2, paidYen: 4000 })], [1000], [3000], 3000],
    // 3rd day not charged: still 1,000; 6,000 − 1,000 = 5,000.
    ['3日目は負担なし', [line({ days: 3, paidYen: 6000 })], [1000], [5000], 5000],
    // Same clinic, same month, two receipts: 1 day (500) then only 1 of 2 days left (500).
    // 2,000 − 500 = 1,500; 3,000 − 500 = 2,500; total 4,000.
    ['同月同機関の2枚目', [line({ days: 1, paidYen: 2000 }), line({ days: 2, paidYen: 3000 })], [500, 500], [1500, 2500], 4000],
    // Cap exactly reached: 1,000 + 1,000 + 500 = 2,500; the 4th clinic then bears nothing.
    // (4,000−1,000) + (4,000−1,000) + (2,000−500) + (2,000−0) = 3,000 + 3,000 + 1,500 + 2,000 = 9,500.
    [
      '月額上限ちょうど2,500円',
      [line({ ...A, days: 2, paidYen: 4000 }), line({ ...B, days: 2, paidYen: 4000 }), line({ ...C, days: 1, paidYen: 2000 }), line({ ...D, days: 1, paidYen: 2000 })],
      [1000, 1000, 500, 0],
      [3000, 3000, 1500, 2000],
      9500,
    ],
    // Cap crossed inside a line: 1,000 + 1,000 + min(1,000, 500 left) = 2,500.
    // 3,000 + 3,000 + (4,000 − 500) = 9,500.
    [
      '月額上限を行の途中で超える',
      [line({ ...A, days: 2, paidYen: 4000 }), line({ ...B, days: 2, paidYen: 4000 }), line({ ...C, days: 2, paidYen: 4000 })],
      [1000, 1000, 500],
      [3000, 3000, 3500],
      9500,
    ],
    // Month boundary: an inpatient stay over 3/29–4/2: 3 days in March, 2 in April, each month charged 2 days.
    // 9,000 − 1,000 = 8,000; 6,000 − 1,000 = 5,000; total 13,000.
    [
      '月をまたぐ入院',
      [
        line({ ...H, serviceMonth: '2026-03', category: 'medical-inpatient', days: 3, paidYen: 9000 }),
        line({ ...H, serviceMonth: '2026-04', category: 'medical-inpatient', days: 2, paidYen: 6000 }),
      ],
      [1000, 1000],
      [8000, 5000],
      13000,
    ],
    // Pharmacy free: clinic 1 day 500 → 1,000; pharmacy 0 → 2,400; total 3,400.
    ['調剤は負担なし', [line({ ...A, days: 1, paidYen: 1500 }), line({ ...P, days: 1, paidYen: 2400 })], [500, 0], [1000, 2400], 3400],
    // Dental counted apart at the same institution: 1,000 each; 3,000 + 3,000.
    [
      '歯科は別計算',
      [line({ ...H, category: 'medical-outpatient', days: 2, paidYen: 4000 }), line({ ...H, category: 'dental-outpatient', days: 2, paidYen: 4000 })],
      [1000, 1000],
      [3000, 3000],
      6000,
    ],
    // 入院 and 通院 at the same hospital counted apart: 1,000 each.
    [
      '入院と通院は別計算',
      [line({ ...H, category: 'medical-inpatient', days: 2, paidYen: 20000 }), line({ ...H, category: 'medical-outpatient', days: 2, paidYen: 4000 })],
      [1000, 1000],
      [19000, 3000],
      22000,
    ],
    // Deductions: 100,000 − 20,000 (高額療養費) − 5,000 (附加給付金) − 3,000 (他公費) − 1,000 = 71,000.
    [
      '高額療養費・附加給付金・他公費を差し引く',
      [line({ ...H, category: 'medical-inpatient', days: 10, totalPoints: 50_000, paidYen: 100_000, highCostBenefitYen: 20_000, supplementaryBenefitYen: 5000, otherPublicYen: 3000 })],
      [1000],
      [71000],
      71000,
    ],
    // A cheap visit: 1 day but only 300 paid → copay 300, 助成額 0; the next clinic still owes 500 × 2.
    ['負担額が500円未満', [line({ ...A, days: 1, paidYen: 300 }), line({ ...B, days: 2, paidYen: 4000 })], [300, 1000], [0, 3000], 3000],
  ])('%s', (_name, lines, copays, subsidies, total) => {
    const r = run(lines);
    expect(r.lines.map((l) => l.copayYen)).toEqual(copays);
    expect(r.lines.map((l) => l.subsidyYen)).toEqual(subsidies);
    expect(r.subsidyYen).toBe(total);
    expect(r.totalPaidYen - r.totalDeductionsYen - r.totalCopayYen).toBe(total);
  });

  it('the monthly cap is per month: 2,500 in March and 2,500 in April', () => {
    const month = (m: string) => [A, B, C].map((i) => line({ ...i, serviceMonth: m, days: 2, paidYen: 4000 }));
    const r = run([...month('2026-03'), ...month('2026-04')]);
    expect(r.copayByMonth).toEqual([
      { serviceMonth: '2026-03', copayYen: 2500, capYen: 2500 },
      { serviceMonth: '2026-04', copayYen: 2500, capYen: 2500 },
    ]);
    expect(r.subsidyYen).toBe(6 * 4000 - 5000); // 19,000
  });

  it('a model that does not separate dental charges the dental receipt of the same institution no more days', () => {
    const model = { ...OSAKA, separateDental: false } as KodomoReimbursementModel;
    const r = run([line({ ...H, category: 'medical-outpatient', days: 2, paidYen: 4000 }), line({ ...H, category: 'dental-outpatient', days: 2, paidYen: 4000 })], model);
    expect(r.lines.map((l) => l.copayYen)).toEqual([1000, 0]);
    expect(r.subsidyYen).toBe(7000); // 3,000 + 4,000
  });

  it('explains every line in Japanese, with line indexes', () => {
    const r = run([line({ ...A, days: 3, paidYen: 6000, totalPoints: 2000 }), line({ ...P, days: 1, paidYen: 800, totalCostYen: 2670, totalPoints: undefined })]);
    expect(r.breakdown.filter((b) => b.lineIndex === 0)).toEqual([
      { label: '令和8年4月診療 A小児科（医科・通院・3日） 医療費総額（2000点×10円）', amount: 20000, kind: 'info', lineIndex: 0 },
      { label: '令和8年4月診療 A小児科（医科・通院・3日） 支払額', amount: 6000, kind: 'base', lineIndex: 0 },
      { label: '一部自己負担（1日500円×2日、3日目以降は負担なし）', amount: 1000, kind: 'deduct', lineIndex: 0 },
      { label: '助成額', amount: 5000, kind: 'result', lineIndex: 0 },
    ]);
    expect(r.breakdown.find((b) => b.lineIndex === 1 && b.kind === 'deduct')).toEqual({
      label: '一部自己負担（調剤は負担なし）', amount: 0, kind: 'deduct', lineIndex: 1,
    });
    expect(r.breakdown.at(-1)).toEqual({ label: '助成額の合計', amount: 5800, kind: 'result' });
  });

  it('says when the monthly cap cut a copay', () => {
    const r = run([A, B, C].map((i) => line({ ...i, days: 2, paidYen: 4000 })));
    expect(r.breakdown.filter((b) => b.lineIndex === 2 && b.kind === 'deduct')[0]?.label).toBe(
      '一部自己負担（1日500円×2日、月額上限2,500円に達したため500円）',
    );
  });
});

describe('こども医療費 償還払い (free model)', () => {
  it.each([
    // Everything paid is refunded: 6,000.
    [[line({ days: 3, paidYen: 6000 })], 6000],
    // Less the deductions: 10,000 − 1,000 − 500 = 8,500; pharmacy 2,400; total 10,900.
    [[line({ days: 5, paidYen: 10_000, highCostBenefitYen: 1000, supplementaryBenefitYen: 500 }), line({ ...P, days: 1, paidYen: 2400 })], 10_900],
  ])('%#', (lines, total) => {
    const r = run(lines, FREE);
    expect(r.totalCopayYen).toBe(0);
    expect(r.subsidyYen).toBe(total);
    expect(r.copayByMonth).toEqual([{ serviceMonth: '2026-04', copayYen: 0, capYen: null }]);
  });
});

describe('invalid receipt lines are refused with a Japanese message', () => {
  it.each([
    [{ paidYen: -1 }, 'lines.0.paidYen', '支払額に負の金額は入力できません'],
    [{ paidYen: 100.5 }, 'lines.0.paidYen', '支払額は1円単位の整数で入力してください'],
    [{ days: 31 }, 'lines.0.days', '日数（31日）が診療月（令和8年4月）の日数（30日）を超えています'],
    [{ days: 0 }, 'lines.0.days', '日数は1日以上で入力してください'],
    [{ serviceMonth: '2026-13' }, 'lines.0.serviceMonth', '診療年月は年月（例: 2026-04）で入力してください'],
    [{ serviceMonth: '2026-4' }, 'lines.0.serviceMonth', '診療年月は年月（例: 2026-04）で入力してください'],
    [{ totalCostYen: 20000 }, 'lines.0.totalCostYen', '医療費総額または総点数のどちらか一方を入力してください'],
    [{ totalPoints: undefined }, 'lines.0.totalCostYen', '医療費総額または総点数のどちらか一方を入力してください'],
    [{ highCostBenefitYen: 1500, otherPublicYen: 600 }, 'lines.0.highCostBenefitYen', '高額療養費・附加給付金・他公費の合計が支払額を超えています'],
    [{ insurerPaidYen: 80_000, paidYen: 30_000 }, 'lines.0.paidYen', '保険者負担額と支払額の合計が医療費総額を超えています'],
    [{ institutionCode: '12345' }, 'lines.0.institutionCode', '医療機関コードは7桁または10桁の数字で入力してください'],
    [{ category: 'other' }, 'lines.0.category', '区分（医科・歯科の入院/通院、調剤）を選択してください'],
  ])('%o', (patch, path, message) => {
    const bad = { ...line({ days: 1, paidYen: 2000 }), ...patch } as ReceiptLineInput;
    let err: unknown;
    try {
      run([bad]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ClaimInputError);
    expect((err as ClaimInputError).issues).toContainEqual({ path, message });
    expect((err as Error).message).toContain(message);
  });

  it('accepts 29 days in February of a leap year, refuses them in other years', () => {
    expect(run([line({ serviceMonth: '2028-02', days: 29, paidYen: 2000 })]).subsidyYen).toBe(1000);
    expect(() => run([line({ serviceMonth: '2027-02', days: 29, paidYen: 2000 })])).toThrow('診療月（令和9年2月）の日数（28日）を超えています');
  });

  it('refuses more days at one institution in a month than the month has, and an empty claim', () => {
    expect(() => run([line({ days: 20, paidYen: 2000 }), line({ days: 11, paidYen: 2000 })])).toThrow(
      '同じ医療機関・区分・診療月の日数の合計（31日）が令和8年4月の日数（30日）を超えています',
    );
    expect(() => run([])).toThrow('領収書の明細を1行以上入力してください');
  });
});
