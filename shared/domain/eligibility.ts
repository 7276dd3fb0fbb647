/**
 * こども医療費助成 eligibility: up to 「18歳に達した日以後における最初の3月31日」.
 */
import { addDays, daysInMonth, formatWareki, isLeapYear, parseIso, toIso } from './wareki';

export type EligibilityResult =
  | { eligible: true; endsOn: string }
  | { eligible: false; endsOn: string | null; reason: string };

/** The date the person attains 18 (年齢計算ニ関スル法律): the day before the 18th anniversary. */
function attains18On(birthIso: string): string {
  const b = parseIso(birthIso);
  const y = b.y + 18;
  const anniversary = b.m === 2 && b.d === 29 && !isLeapYear(y) ? toIso(y, 3, 1) : toIso(y, b.m, b.d);
  return addDays(anniversary, -1);
}

/** 18歳に達した日以後における最初の3月31日. */
export function eighteenthFiscalYearEnd(birthIso: string): string {
  const attained = attains18On(birthIso);
  const y = parseIso(attained).y;
  const march31 = toIso(y, 3, 31);
  return attained <= march31 ? march31 : toIso(y + 1, 3, 31);
}

function formatSeireki(iso: string): string {
  const { y, m, d } = parseIso(iso);
  return `${y}年${m}月${d}日`;
}

export function kodomoEligibility(birthIso: string, onIso: string): EligibilityResult {
  parseIso(onIso);
  const endsOn = eighteenthFiscalYearEnd(birthIso);
  if (birthIso > onIso) {
    return { eligible: false, endsOn: null, reason: '生年月日が基準日より後です' };
  }
  if (onIso > endsOn) {
    return {
      eligible: false,
      endsOn,
      reason: `18歳年度末（${formatSeireki(endsOn)}＝${formatWareki(endsOn)}）を過ぎています`,
    };
  }
  return { eligible: true, endsOn };
}

/** The first occurrence of month/day strictly after `afterIso` (2/29 → 3/1 in non-leap years). */
function nextRenewalAfter(afterIso: string, renewal: { month: number; day: number }): string {
  const { month, day } = renewal;
  if (!Number.isInteger(month) || month < 1 || month > 12 || !Number.isInteger(day) || day < 1 || day > daysInMonth(2000, month)) {
    throw new RangeError(`更新日（${month}月${day}日）が正しくありません`);
  }
  const candidate = (y: number): string =>
    month === 2 && day === 29 && !isLeapYear(y) ? toIso(y, 3, 1) : toIso(y, month, day);
  const y = parseIso(afterIso).y;
  const thisYear = candidate(y);
  return thisYear > afterIso ? thisYear : candidate(y + 1);
}

export function certificateValidity(params: {
  birthIso: string;
  issueIso: string;
  validFromIso?: string;
  renewal: { month: number; day: number } | null;
}): { validFrom: string; validTo: string } {
  parseIso(params.issueIso);
  const validFrom = params.validFromIso ?? params.issueIso;
  const result = kodomoEligibility(params.birthIso, validFrom);
  if (!result.eligible) {
    throw new RangeError(`有効期間開始日（${formatSeireki(validFrom)}）に対象外のため受給者証を交付できません：${result.reason}`);
  }
  let validTo = result.endsOn;
  if (params.renewal) {
    const beforeRenewal = addDays(nextRenewalAfter(validFrom, params.renewal), -1);
    if (beforeRenewal < validTo) validTo = beforeRenewal;
  }
  return { validFrom, validTo };
}
