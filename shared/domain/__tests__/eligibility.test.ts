import { describe, it, expect } from 'vitest';
import { certificateValidity, eighteenthFiscalYearEnd, kodomoEligibility } from '../eligibility';

describe('eighteenthFiscalYearEnd', () => {
  it.each([
    ['2008-04-01', '2026-03-31'],
    ['2008-04-02', '2027-03-31'],
    ['2008-02-29', '2026-03-31'],
    ['2008-03-31', '2026-03-31'],
    ['2007-04-01', '2025-03-31'],
    ['2008-01-01', '2026-03-31'],
    ['2008-12-31', '2027-03-31'],
    ['2012-02-29', '2030-03-31'],
  ])('born %s → %s', (birth, end) => {
    expect(eighteenthFiscalYearEnd(birth)).toBe(end);
  });
  it('rejects invalid birth dates', () => {
    expect(() => eighteenthFiscalYearEnd('2007-02-29')).toThrow(RangeError);
  });
});

describe('kodomoEligibility', () => {
  it('eligible through 3/31, not on 4/1', () => {
    expect(kodomoEligibility('2008-04-01', '2026-03-31')).toEqual({ eligible: true, endsOn: '2026-03-31' });
    const r = kodomoEligibility('2008-04-01', '2026-04-01');
    expect(r).toEqual({
      eligible: false,
      endsOn: '2026-03-31',
      reason: '18歳年度末（2026年3月31日＝令和8年3月31日）を過ぎています',
    });
  });
  it('born 4/2 stays eligible one more fiscal year', () => {
    expect(kodomoEligibility('2008-04-02', '2026-04-01')).toEqual({ eligible: true, endsOn: '2027-03-31' });
    expect(kodomoEligibility('2008-04-02', '2027-04-01').eligible).toBe(false);
  });
  it('born 2/29', () => {
    expect(kodomoEligibility('2008-02-29', '2026-03-31').eligible).toBe(true);
    expect(kodomoEligibility('2008-02-29', '2026-04-01').eligible).toBe(false);
  });
  it('eligible on the birth date itself', () => {
    expect(kodomoEligibility('2026-11-22', '2026-11-22')).toEqual({ eligible: true, endsOn: '2045-03-31' });
  });
  it('not eligible when born after the reference date', () => {
    expect(kodomoEligibility('2026-11-23', '2026-11-22')).toEqual({
      eligible: false, endsOn: null, reason: '生年月日が基準日より後です',
    });
  });
  it('throws on invalid dates', () => {
    expect(() => kodomoEligibility('2010-01-01', '2026-02-30')).toThrow(RangeError);
  });
});

describe('certificateValidity', () => {
  const renewal = { month: 8, day: 1 };
  it('validTo is the day before the next renewal strictly after validFrom', () => {
    expect(certificateValidity({ birthIso: '2015-06-01', issueIso: '2026-11-22', renewal }))
      .toEqual({ validFrom: '2026-11-22', validTo: '2027-07-31' });
    expect(certificateValidity({ birthIso: '2015-06-01', issueIso: '2026-08-01', renewal }))
      .toEqual({ validFrom: '2026-08-01', validTo: '2027-07-31' });
    expect(certificateValidity({ birthIso: '2015-06-01', issueIso: '2026-07-31', renewal }))
      .toEqual({ validFrom: '2026-07-31', validTo: '2026-07-31' });
  });
  it('validFromIso overrides issueIso', () => {
    expect(certificateValidity({ birthIso: '2015-06-01', issueIso: '2026-07-20', validFromIso: '2026-08-01', renewal }))
      .toEqual({ validFrom: '2026-08-01', validTo: '2027-07-31' });
  });
  it('without renewal, validTo is the 18th fiscal year end', () => {
    expect(certificateValidity({ birthIso: '2015-06-01', issueIso: '2026-11-22', renewal: null }))
      .toEqual({ validFrom: '2026-11-22', validTo: '2034-03-31' });
  });
  it('caps at the 18th fiscal year end when earlier than the renewal', () => {
    expect(certificateValidity({ birthIso: '2008-04-01', issueIso: '2025-11-22', renewal }))
      .toEqual({ validFrom: '2025-11-22', validTo: '2026-03-31' });
  });
  it('issuance on 3/31 of the final year is valid for that single day; 4/1 throws', () => {
    expect(certificateValidity({ birthIso: '2008-04-01', issueIso: '2026-03-31', renewal }))
      .toEqual({ validFrom: '2026-03-31', validTo: '2026-03-31' });
    expect(() => certificateValidity({ birthIso: '2008-04-01', issueIso: '2026-04-01', renewal }))
      .toThrow(RangeError);
    expect(() => certificateValidity({ birthIso: '2008-04-01', issueIso: '2026-04-01', renewal }))
      .toThrow('18歳年度末');
  });
  it('throws when born after validFrom', () => {
    expect(() => certificateValidity({ birthIso: '2026-12-01', issueIso: '2026-11-22', renewal: null }))
      .toThrow('生年月日が基準日より後です');
  });
  it('rejects an invalid renewal date', () => {
    expect(() => certificateValidity({ birthIso: '2015-06-01', issueIso: '2026-11-22', renewal: { month: 2, day: 30 } }))
      .toThrow(RangeError);
  });
  it('renewal on 2/29 falls on 3/1 in non-leap years', () => {
    expect(certificateValidity({ birthIso: '2015-06-01', issueIso: '2026-11-22', renewal: { month: 2, day: 29 } }))
      .toEqual({ validFrom: '2026-11-22', validTo: '2027-02-28' });
    expect(certificateValidity({ birthIso: '2015-06-01', issueIso: '2027-11-22', renewal: { month: 2, day: 29 } }))
      .toEqual({ validFrom: '2027-11-22', validTo: '2028-02-28' });
  });
});
