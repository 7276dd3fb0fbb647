import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruleProfileSchema } from '../../profile';
import { loadRuleTables } from '../rule-tables';
import { readJson, RESOURCES, RULE_FILES } from './fixtures';

const clone = <T>(v: T): T => structuredClone(v);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe('shipped rule tables (resources/rules)', () => {
  it('every file in resources/rules is a valid table, and together they are complete', () => {
    const files = readdirSync(join(RESOURCES, 'rules')).filter((f) => f.endsWith('.json')).map((f) => `rules/${f}`);
    expect(files.sort()).toEqual([...RULE_FILES].sort());
    const t = loadRuleTables(files.map(readJson), files);
    expect(t.kogaku.periods.map((p) => [p.validFrom, p.validTo])).toEqual([
      ['2015-01-01', '2026-07-31'],
      ['2026-08-01', null],
    ]);
    expect(t.kogaku.periods.map((p) => p.limits.ウ)).toEqual([
      { base: 80_100, costThreshold: 267_000, excessRatePercent: 1, manyTimes: 44_400 },
      { base: 85_800, costThreshold: 286_000, excessRatePercent: 1, manyTimes: 44_400 },
    ]);
    expect(t.kogaku.periods.map((p) => p.householdCombineMinimum)).toEqual([21_000, 21_000]);
    expect(t.shussan.periods).toEqual([{ validFrom: '2023-04-01', validTo: null, perChild: 500_000, reducedPerChild: 488_000 }]);
  });

  it('the 2026-08 period is honest about what is not confirmed', () => {
    const p = loadRuleTables(RULE_FILES.map(readJson)).kogaku.periods[1];
    expect(p?.manyTimesConfirmed).toBe(false);
    expect(p?.annualCap).toBeNull();
    expect(p?.note).toMatch(/未確定/);
  });

  it('notes are shown to staff as they are: plain Japanese, no field names of the table (e.g. annualCap)', () => {
    const t = loadRuleTables(RULE_FILES.map(readJson));
    const notes = t.kogaku.periods.map((p) => p.note).filter((n): n is string => typeof n === 'string');
    expect(notes.length).toBeGreaterThan(0);
    for (const n of notes) expect(n).not.toMatch(/[A-Za-z_]{3,}|null|:/);
  });
});

describe('loadRuleTables refuses bad tables with Japanese messages', () => {
  const [kogaku, shussan] = RULE_FILES.map(readJson) as [Json, Json];
  const refuses = (docs: unknown[], message: RegExp | string) =>
    expect(() => loadRuleTables(docs, ['kogaku.json', 'shussan.json'])).toThrow(message);

  it('a gap or overlap between periods', () => {
    const gap = clone(kogaku);
    gap.periods[1].validFrom = '2026-08-02';
    refuses([gap, shussan], 'kogaku.json periods.1.validFrom: 適用期間は前の期間の翌日（2026-08-01）から始めてください');
    const open = clone(kogaku);
    open.periods[0].validTo = null;
    refuses([open, shussan], '最後の期間以外は適用終了日が必要です');
  });
  it('negative or fractional amounts, a flat 区分 with a rate, an unknown 区分', () => {
    const neg = clone(kogaku);
    neg.periods[0].limits.ウ.base = -1;
    refuses([neg, shussan], 'periods.0.limits.ウ.base: 基本額に負の金額は入力できません');
    const mixed = clone(kogaku);
    mixed.periods[0].limits.エ.excessRatePercent = 1;
    refuses([mixed, shussan], '医療費の基準額と加算率は両方指定するか');
    const extra = clone(kogaku);
    extra.periods[0].limits.カ = extra.periods[0].limits.オ;
    refuses([extra, shussan], /kogaku.json periods.0.limits/);
  });
  it('an unknown kind, a duplicate or a missing table', () => {
    refuses([{ ...kogaku, kind: 'kokuho-x' }, shussan], 'ルール表の種類（kind）が正しくありません');
    refuses([kogaku, kogaku], 'kokuho-kogaku の表が複数あります');
    refuses([kogaku], '出産育児一時金の表（kokuho-shussan）がありません');
    const cheap = clone(shussan);
    cheap.periods[0].reducedPerChild = 600_000;
    refuses([kogaku, cheap], '対象外の額が通常の額を超えています');
  });
});

describe('rule profiles with the claims section', () => {
  it('both shipped profiles validate; osaka ships the 大阪府 model, kumamoto the free one', () => {
    const osaka = ruleProfileSchema.parse(readJson('profiles/sample-osaka.json'));
    const kumamoto = ruleProfileSchema.parse(readJson('profiles/sample-kumamoto.json'));
    expect([osaka.sample, kumamoto.sample]).toEqual([true, true]);
    expect(osaka.claims.kodomo).toEqual({
      reimbursement: {
        kind: 'per-day-copay', copayPerDay: 500, chargedDaysPerMonth: 2, separateInpatientOutpatient: true,
        separateDental: true, pharmacyFree: true, monthlyCapPerChild: 2500,
      },
      claimDeadline: { years: 2, basis: 'service-month' },
    });
    expect(kumamoto.claims.kodomo).toEqual({ reimbursement: { kind: 'free' }, claimDeadline: { years: 5, basis: 'service-month' } });
    expect([osaka.claims.kokuho.sousaihi, kumamoto.claims.kokuho.sousaihi]).toEqual([
      { amount: 50_000, deadlineYears: 2 },
      { amount: 30_000, deadlineYears: 2 },
    ]);
  });

  it('a profile without claims still validates, with the documented defaults', () => {
    const p = readJson('profiles/sample-kumamoto.json') as Json;
    delete p.claims;
    const parsed = ruleProfileSchema.parse(p);
    expect(parsed.claims).toEqual({
      kodomo: {
        reimbursement: {
          kind: 'per-day-copay', copayPerDay: 500, chargedDaysPerMonth: 2, separateInpatientOutpatient: true,
          separateDental: true, pharmacyFree: true, monthlyCapPerChild: 2500,
        },
        claimDeadline: { years: 2, basis: 'service-month' },
      },
      kokuho: { ryouyouhiBenefitRate: 0.7, sousaihi: { amount: null, deadlineYears: 2 } },
      notes: [],
    });
    // Defaults are fresh objects, not a shared mutable one.
    expect(ruleProfileSchema.parse(p).claims.kodomo.reimbursement).not.toBe(parsed.claims.kodomo.reimbursement);
  });

  it.each([
    [{ kodomo: { reimbursement: { kind: 'half' } } }, '償還払いの計算方式（kind）は per-day-copay または free です'],
    [{ kokuho: { ryouyouhiBenefitRate: 0.705 } }, '給付割合は0.01単位で指定してください'],
    [{ kokuho: { sousaihi: { amount: -1 } } }, '葬祭費の額に負の値は指定できません'],
    [{ kodomo: { claimDeadline: { years: 2.5 } } }, '申請期限の年数は整数で指定してください'],
  ])('refuses claims %o', (claims, message) => {
    const p = { ...(readJson('profiles/sample-osaka.json') as Json), claims };
    const r = ruleProfileSchema.safeParse(p);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.message)).toContain(message);
  });
});
