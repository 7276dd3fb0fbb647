/**
 * Claim deadlines (申請期限). The number of years is profile data; the counting follows the 民法:
 *
 *  - 起算日: the day after the event (初日不算入, 民法140条). The right to a benefit can be exercised
 *    from the event on (民法166条), so the period starts the next day.
 *  - 満了日: the day before the day in the last year that corresponds to the 起算日 (民法143条2項);
 *    when that year has no such day (起算日 2月29日), the last day of that month (同項ただし書).
 *    E.g. funeral 2024-06-15 → 起算日 2024-06-16 → 2 years end on 2026-06-15.
 *  - The 満了日 itself is still in time; the next day is expired.
 *
 * Why these events and years:
 *  - 葬祭費 (and the other 国保 benefits): 国民健康保険法110条, 2 years from when the right can be
 *    exercised, i.e. from the day after the funeral.
 *  - こども医療費 償還払い: the 助成 is a 金銭の給付 by the municipality; 地方自治法236条 makes such rights
 *    lapse after 5 years unless a law says otherwise, and many 条例 set 2 years like the health insurance
 *    laws. Hence `claims.kodomo.claimDeadline.years` in the profile (osaka sample 2, kumamoto sample 5).
 *    The event is the payment at the counter: with basis 'service-month' (default) it is taken as the last
 *    day of the 診療月, or the payment date when the guardian paid later (a bill paid after the month);
 *    this never starts the period before the resident could claim. With 'payment-date' the payment date
 *    must be entered.
 *
 * Not modelled: 民法142条 (a period ending on a Sunday/holiday running to the next working day) — we
 * hold no holiday calendar; the approver's override covers such a case.
 */
import { z } from 'zod';
import type { ClaimSettings } from '../profile';
import { addDays, isLeapYear, parseIso, toIso } from '../wareki';
import { ClaimInputError, isYearMonth, isoDate, lastDayOfMonth, parseClaimInput, yearMonth } from './common';

export type DeadlineResult = {
  /** 起算日 (the day after the event). */
  startsOn: string;
  /** 満了日: the last day a claim is in time. */
  deadline: string;
  /** The application date is after the deadline. */
  expired: boolean;
};

/** 満了日 of a period of `years` years counted from the day after `eventIso` (民法140条・143条). */
export function periodEnd(eventIso: string, years: number): string {
  if (!Number.isInteger(years) || years < 1) throw new RangeError(`期間の年数は1以上の整数で指定してください（${years}）`);
  const start = parseIso(addDays(eventIso, 1));
  const y = start.y + years;
  if (start.m === 2 && start.d === 29 && !isLeapYear(y)) return toIso(y, 2, 28);
  return addDays(toIso(y, start.m, start.d), -1);
}

const deadlineInputSchema = z
  .object({
    eventDate: isoDate('起算の基準日'),
    applicationDate: isoDate('申請日'),
  })
  .strict();

/** The deadline for a claim whose right arose on `eventDate`, judged on `applicationDate`. */
export function deadlineFrom(eventDate: string, years: number, applicationDate: string): DeadlineResult {
  const v = parseClaimInput(deadlineInputSchema, { eventDate, applicationDate });
  const deadline = periodEnd(v.eventDate, years);
  return { startsOn: addDays(v.eventDate, 1), deadline, expired: v.applicationDate > deadline };
}

export const kodomoDeadlineInputSchema = z
  .object({
    serviceMonth: yearMonth('診療年月'),
    /** 支払日 (optional with basis 'service-month'). */
    paidOn: isoDate('支払日').nullable().optional(),
    applicationDate: isoDate('申請日'),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.paidOn && isYearMonth(v.serviceMonth) && v.paidOn < `${v.serviceMonth}-01`) {
      ctx.addIssue({ code: 'custom', path: ['paidOn'], message: '支払日が診療月より前です' });
    }
  });
export type KodomoDeadlineInput = z.input<typeof kodomoDeadlineInputSchema>;

/** Deadline of one receipt line of a こども医療費 償還払い claim. */
export function kodomoClaimDeadline(
  input: KodomoDeadlineInput,
  rule: ClaimSettings['kodomo']['claimDeadline'],
): DeadlineResult {
  const v = parseClaimInput(kodomoDeadlineInputSchema, input);
  let event: string;
  if (rule.basis === 'payment-date') {
    if (!v.paidOn) throw new ClaimInputError([{ path: 'paidOn', message: '支払日を入力してください' }]);
    event = v.paidOn;
  } else {
    const monthEnd = lastDayOfMonth(v.serviceMonth);
    event = v.paidOn && v.paidOn > monthEnd ? v.paidOn : monthEnd;
  }
  return deadlineFrom(event, rule.years, v.applicationDate);
}

/** 葬祭費: `deadlineYears` (国保法110条: 2) from the day after the funeral. */
export function sousaihiDeadline(
  input: { funeralDate: string; applicationDate: string },
  settings: ClaimSettings['kokuho'],
): DeadlineResult {
  const v = parseClaimInput(
    z.object({ funeralDate: isoDate('葬祭を行った日'), applicationDate: isoDate('申請日') }).strict(),
    input,
  );
  return deadlineFrom(v.funeralDate, settings.sousaihi.deadlineYears, v.applicationDate);
}
