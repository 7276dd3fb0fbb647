import { JIMU, type Jimu } from './rights';
import type { PopulationSettings } from './profile';
import { addDays, ageOn, daysInMonth, parseIso, toIso } from './wareki';

/**
 * Who a terminal of each 事務 holds (issue 16 §1). The terminal's copy is justified only for 縮退運用 (seed 003:
 * 業務端末 data is 一時保管, the server is the system of record), so each 事務 declares in its rule profile
 * (`population`, populationSettingsSchema) the people its counter serves, and the server sends a terminal only
 * those (server/population.ts). A person is in a 事務's population when
 * - their age falls in one of its age bands (こども医療: 0歳 through the 18歳年度末; 予防接種: the routine
 *   schedule's ages), or
 * - they are a 保護者 of a child in such a band (when the 事務 says so), or
 * - (国保) they belong to a 世帯 with a current 国保 資格, or hold any 国保 資格 record, or
 * - a record of the 事務 names them: a certificate, a claim (its 対象者 or 申請者), a こども医療 受給資格, a 接種歴.
 * 生活保護 (issue 17) has, for now, only the last: its population is anyone a record of the 事務 names — no age
 * bands, no 保護者, no 世帯 — since who receives 保護 is known only from its records (the 保護受給 interface and the
 * 扶助 records, in progress), not from an age. So it has no settings in populationSettingsSchema.
 * The age bands are turned into birth-date bounds here, once, so the server's SQL only compares dates.
 */

/** An age band: from the day `fromAge` is attained through the 3月31日 after `throughFiscalYearEndOfAge` is (none: no end). */
export interface AgeBand {
  fromAge: number;
  throughFiscalYearEndOfAge: number | null;
}

/** Inclusive bounds on the birth date of the people inside a band on a day; null means unbounded. */
export interface BirthDateBounds {
  bornOnOrAfter: string | null;
  bornOnOrBefore: string;
}

/**
 * The birth dates inside `band` on `today`. An age N is attained on the day before the N-th birthday
 * (年齢計算ニ関スル法律), so a person is at least `fromAge` when their `fromAge`-th birthday is at most one day away;
 * they are still inside when the first 3月31日 on or after attaining `throughFiscalYearEndOfAge` is not yet past.
 * That 3月31日 is in year Y = (birth year + age) for birthdays up to 4月1日, + 1 after; it is on or after today
 * when Y is at least the year of today's 年度末, so the earliest birth date inside is 4月2日 of (that year − age − 1).
 */
export function birthDateBounds(today: string, band: AgeBand): BirthDateBounds {
  const t = parseIso(today);
  // Latest birth date with ageOn(birth, today) >= fromAge: near the date fromAge years back (a birthday tomorrow
  // already counts), then settled on ageOn's exact rule (2月29日 birthdays included) a day or two either way.
  const back = toIso(t.y - band.fromAge, t.m, Math.min(t.d, daysInMonth(t.y - band.fromAge, t.m)));
  let latest = addDays(back, 1);
  while (latest > today || ageOn(latest, today) < band.fromAge) latest = addDays(latest, -1);
  while (addDays(latest, 1) <= today && ageOn(addDays(latest, 1), today) >= band.fromAge) latest = addDays(latest, 1);
  if (band.throughFiscalYearEndOfAge === null) return { bornOnOrAfter: null, bornOnOrBefore: latest };
  const fiscalYearEnd = t.m <= 3 ? t.y : t.y + 1;
  return { bornOnOrAfter: toIso(fiscalYearEnd - band.throughFiscalYearEndOfAge - 1, 4, 2), bornOnOrBefore: latest };
}

/** Whether a birth date is inside a band on `today` (the bounds above, for one person). */
export function inAgeBand(birthDate: string, today: string, band: AgeBand): boolean {
  const b = birthDateBounds(today, band);
  return birthDate <= b.bornOnOrBefore && (b.bornOnOrAfter === null || birthDate >= b.bornOnOrAfter);
}

/** What the server's population query needs per 事務, resolved for one day. */
export interface JimuPopulationRule {
  jimu: Jimu;
  bands: BirthDateBounds[];
  guardians: boolean;
  kokuhoHouseholds: boolean;
}

/** Each 事務's rule on `today` from the profile's settings (the same shape for every 事務, so one query serves all). */
export function populationRules(s: PopulationSettings, today: string): JimuPopulationRule[] {
  return JIMU.map((jimu) => {
    switch (jimu) {
      case 'kodomo':
        return rule(jimu, [{ fromAge: 0, throughFiscalYearEndOfAge: s.kodomo.childrenThroughFiscalYearEndOfAge }], s.kodomo.guardians, false);
      case 'kokuho':
        return rule(jimu, [], false, s.kokuho.households);
      case 'yobou':
        return rule(jimu, s.yobou.ageBands, s.yobou.guardians, false);
      case 'seikatsu':
        // Only the people its records name (the query's last part, server/population.ts): no bands, 保護者 or 世帯.
        return rule(jimu, [], false, false);
    }
  });
  function rule(jimu: Jimu, bands: AgeBand[], guardians: boolean, kokuhoHouseholds: boolean): JimuPopulationRule {
    return { jimu, bands: bands.map((b) => birthDateBounds(today, b)), guardians, kokuhoHouseholds };
  }
}

/** Fields of a record that name a person (a resident's ID) who must then be on the terminals of its 事務. */
export const PERSON_REFERENCE_FIELDS = ['resident_id', 'applicant_id', 'guardian_id'] as const;

/** Entities that are a person's own (or their links), sent only to terminals whose population holds the person. */
export const PERSON_ENTITIES = ['residents', 'health_insurance', 'resident_guardians'] as const;
