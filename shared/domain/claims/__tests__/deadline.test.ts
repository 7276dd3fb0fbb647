import { describe, expect, it } from 'vitest';
import { ClaimInputError } from '../common';
import { deadlineFrom, kodomoClaimDeadline, periodEnd, sousaihiDeadline } from '../deadline';
import { shippedProfile } from './fixtures';

const OSAKA = shippedProfile('sample-osaka').claims;
const KUMAMOTO = shippedProfile('sample-kumamoto').claims;

describe('periodEnd (民法140条・143条: counted from the next day, ends the day before the corresponding day)', () => {
  it.each([
    ['2024-06-15', 2, '2026-06-15'],
    ['2024-12-31', 2, '2026-12-31'],
    ['2024-04-30', 5, '2029-04-30'],
    // 起算日 2024-02-29; 2026 has no 2/29 → end of February (143条2項ただし書)
    ['2024-02-28', 2, '2026-02-28'],
    // 起算日 2024-03-01 → the day before 2026-03-01
    ['2024-02-29', 2, '2026-02-28'],
    // 起算日 2023-03-01 → the day before 2024-03-01 is 2024-02-29 (leap year)
    ['2023-02-28', 1, '2024-02-29'],
  ])('event %s + %i years → %s', (event, years, end) => {
    expect(periodEnd(event, years)).toBe(end);
  });
});

describe('葬祭費: 2 years from the day after the funeral', () => {
  it.each([
    // funeral 2024-06-15 → 起算日 2024-06-16 → 満了日 2026-06-15
    ['2026-06-14', false],
    ['2026-06-15', false], // the deadline day itself is in time
    ['2026-06-16', true], // the day after is not
  ])('applied on %s → expired %s', (applicationDate, expired) => {
    expect(sousaihiDeadline({ funeralDate: '2024-06-15', applicationDate }, OSAKA.kokuho)).toEqual({
      startsOn: '2024-06-16',
      deadline: '2026-06-15',
      expired,
    });
  });
  it('refuses impossible dates in Japanese', () => {
    expect(() => sousaihiDeadline({ funeralDate: '2024-02-30', applicationDate: '2026-01-01' }, OSAKA.kokuho)).toThrow(
      '葬祭を行った日は正しい年月日で入力してください',
    );
  });
});

describe('こども医療費 償還払い: years from the profile, from the day after the 診療月 (or a later payment)', () => {
  it.each([
    // osaka sample, 2 years: 診療月 2024-04 → 起算日 2024-05-01 → 満了日 2026-04-30
    ['osaka', { serviceMonth: '2024-04', applicationDate: '2026-04-30' }, '2026-04-30', false],
    ['osaka', { serviceMonth: '2024-04', applicationDate: '2026-05-01' }, '2026-04-30', true],
    // paid during the month: the month end still counts
    ['osaka', { serviceMonth: '2024-04', paidOn: '2024-04-10', applicationDate: '2026-05-01' }, '2026-04-30', true],
    // paid after the month (a bill): from the day after the payment → 2026-05-20
    ['osaka', { serviceMonth: '2024-04', paidOn: '2024-05-20', applicationDate: '2026-05-20' }, '2026-05-20', false],
    ['osaka', { serviceMonth: '2024-04', paidOn: '2024-05-20', applicationDate: '2026-05-21' }, '2026-05-20', true],
    // February of a leap year: 2024-02-29 → 起算日 2024-03-01 → 2026-02-28
    ['osaka', { serviceMonth: '2024-02', applicationDate: '2026-02-28' }, '2026-02-28', false],
    ['osaka', { serviceMonth: '2024-02', applicationDate: '2026-03-01' }, '2026-02-28', true],
    // kumamoto sample, 5 years: 2024-04 → 2029-04-30
    ['kumamoto', { serviceMonth: '2024-04', applicationDate: '2029-04-30' }, '2029-04-30', false],
    ['kumamoto', { serviceMonth: '2024-04', applicationDate: '2029-05-01' }, '2029-04-30', true],
  ] as const)('%s %o', (who, input, deadline, expired) => {
    const rule = (who === 'osaka' ? OSAKA : KUMAMOTO).kodomo.claimDeadline;
    const r = kodomoClaimDeadline(input, rule);
    expect([r.deadline, r.expired]).toEqual([deadline, expired]);
  });

  it("basis 'payment-date' needs the payment date and counts from it", () => {
    const rule = { years: 2, basis: 'payment-date' as const };
    expect(kodomoClaimDeadline({ serviceMonth: '2024-04', paidOn: '2024-04-10', applicationDate: '2026-04-10' }, rule)).toEqual({
      startsOn: '2024-04-11', deadline: '2026-04-10', expired: false,
    });
    expect(() => kodomoClaimDeadline({ serviceMonth: '2024-04', applicationDate: '2026-04-10' }, rule)).toThrow('支払日を入力してください');
  });

  it.each([
    [{ serviceMonth: '2024-13', applicationDate: '2026-01-01' }, 'serviceMonth', '診療年月は年月（例: 2026-04）で入力してください'],
    [{ serviceMonth: '2024-04', applicationDate: '2026-04-31' }, 'applicationDate', '申請日は正しい年月日で入力してください（例: 2026-04-01）'],
    [{ serviceMonth: '2024-04', paidOn: '2024-03-31', applicationDate: '2026-01-01' }, 'paidOn', '支払日が診療月より前です'],
  ])('refuses %o', (input, path, message) => {
    try {
      kodomoClaimDeadline(input, OSAKA.kodomo.claimDeadline);
      expect.unreachable('should have thrown');
    } catch (e) {
      expect(e).toBeInstanceOf(ClaimInputError);
      expect((e as ClaimInputError).issues).toContainEqual({ path, message });
    }
  });
});

describe('deadlineFrom', () => {
  it('refuses a non-integer number of years', () => {
    expect(() => deadlineFrom('2024-01-01', 1.5, '2025-01-01')).toThrow('期間の年数は1以上の整数で指定してください');
  });
});
