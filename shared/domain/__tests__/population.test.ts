import { describe, expect, it } from 'vitest';
import { birthDateBounds, inAgeBand, populationRules } from '../population';
import { populationSettingsSchema } from '../profile';
import { eighteenthFiscalYearEnd } from '../eligibility';
import { addDays, ageOn } from '../wareki';

/** Every day from `from` for `n` days. */
const days = (from: string, n: number) => Array.from({ length: n }, (_, i) => addDays(from, i));

describe('birth-date bounds of an age band (issue 16 §1)', () => {
  it('こども医療 0歳〜18歳年度末: exactly the children whose 18歳年度末 is not past, on every day of two years (4/1 and 4/2 birthdays, 2/29)', () => {
    const band = { fromAge: 0, throughFiscalYearEndOfAge: 18 };
    const births = [...days('2006-03-25', 20), ...days('2007-03-25', 20), '2008-02-29', '2008-03-01', '2026-12-06'];
    for (const today of days('2025-03-20', 800).filter((_, i) => i % 7 === 0 || i < 20 || (i > 360 && i < 380))) {
      for (const birth of births) {
        if (birth > today) continue;
        expect(inAgeBand(birth, today, band), `${birth} on ${today}`).toBe(eighteenthFiscalYearEnd(birth) >= today);
      }
    }
  });

  it('the 4/1 and 4/2 birthdays on 3/31 and 4/1', () => {
    const band = { fromAge: 0, throughFiscalYearEndOfAge: 18 };
    // Born 2008-04-01: attains 18 on 2026-03-31, so the 年度末 is that day. Born 2008-04-02: the next one.
    expect(inAgeBand('2008-04-01', '2026-03-31', band)).toBe(true);
    expect(inAgeBand('2008-04-01', '2026-04-01', band)).toBe(false);
    expect(inAgeBand('2008-04-02', '2026-04-01', band)).toBe(true);
    expect(inAgeBand('2008-04-02', '2027-03-31', band)).toBe(true);
    expect(inAgeBand('2008-04-02', '2027-04-01', band)).toBe(false);
  });

  it('from an age: the day before the birthday (年齢計算ニ関スル法律), with 2/29 birthdays, agreeing with ageOn', () => {
    for (const fromAge of [0, 1, 60, 65]) {
      for (const today of [...days('2027-02-25', 8), ...days('2028-02-25', 8), '2026-12-06', '2026-01-01']) {
        const b = birthDateBounds(today, { fromAge, throughFiscalYearEndOfAge: null });
        expect(b.bornOnOrAfter).toBeNull();
        expect(ageOn(b.bornOnOrBefore, today), `latest for ${fromAge} on ${today}`).toBeGreaterThanOrEqual(fromAge);
        const next = addDays(b.bornOnOrBefore, 1);
        if (next <= today) expect(ageOn(next, today), `the day after for ${fromAge} on ${today}`).toBeLessThan(fromAge);
      }
    }
    // Born 1962-02-29: 65 is attained on 2027-02-28 (the anniversary is 3/1 in a common year).
    expect(inAgeBand('1962-02-28', '2027-02-27', { fromAge: 65, throughFiscalYearEndOfAge: null })).toBe(true);
    expect(inAgeBand('1962-03-01', '2027-02-27', { fromAge: 65, throughFiscalYearEndOfAge: null })).toBe(false);
  });

  it('the profile defaults: こども 0〜18歳年度末 with 保護者; 国保 世帯; 予防接種 0〜16歳年度末 and 60歳から', () => {
    const s = populationSettingsSchema.parse({});
    const rules = populationRules(s, '2026-12-06');
    const kodomo = rules.find((r) => r.jimu === 'kodomo')!;
    expect(kodomo).toMatchObject({ guardians: true, kokuhoHouseholds: false, bands: [{ bornOnOrAfter: '2008-04-02', bornOnOrBefore: '2026-12-06' }] });
    expect(rules.find((r) => r.jimu === 'kokuho')).toMatchObject({ bands: [], guardians: false, kokuhoHouseholds: true });
    const yobou = rules.find((r) => r.jimu === 'yobou')!;
    expect(yobou.bands).toEqual([{ bornOnOrAfter: '2010-04-02', bornOnOrBefore: '2026-12-06' }, { bornOnOrAfter: null, bornOnOrBefore: '1966-12-07' }]);
  });

  it('生活保護: no age band, 保護者 or 世帯 — only the people its records name; it has no settings of its own', () => {
    const rules = populationRules(populationSettingsSchema.parse({}), '2026-12-06');
    expect(rules.map((r) => r.jimu)).toEqual(['kodomo', 'kokuho', 'yobou', 'seikatsu']);
    expect(rules.find((r) => r.jimu === 'seikatsu')).toEqual({ jimu: 'seikatsu', bands: [], guardians: false, kokuhoHouseholds: false });
    expect(populationSettingsSchema.safeParse({ seikatsu: {} }).success).toBe(false);
  });

  it('a profile that sets an impossible age is refused in Japanese', () => {
    const r = populationSettingsSchema.safeParse({ yobou: { ageBands: [{ fromAge: -1, throughFiscalYearEndOfAge: 16 }] } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe('予防接種の対象年齢（開始）は0歳以上です');
  });
});
