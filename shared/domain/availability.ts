/**
 * What may be offered for a person, from the data the terminal has (issue 14 §5, issue 15 §3): each certificate
 * type and each claim kind is available or not, with the reason shown to staff. The core refuses with the same
 * reason (certificates.issue, claims.receive) and sends the result with the resident (residents.get), so the
 * screen only reflects it. 国保 membership is the 国保 被保険者資格 imported from the 国保 system (the terminal's
 * kokuho_shikaku records, docs/interfaces/kokuho.md), on the date that matters: today for a certificate, the
 * 診療月 or date of a claim. The central server checks pushed 国保 certificates and claims with the same rules.
 */
import { CERT_TYPES, type CertType } from './certificate-types';
import { CLAIM_INPUT_SCHEMAS, CLAIM_KINDS, type ClaimKind } from './claims/claim-kinds';
import { firstDayOfMonth, formatMonthJa, isYearMonth, lastDayOfMonth } from './claims/common';
import { KOGAKU_KUBUN, type KogakuKubun } from './claims/rule-tables';
import { kodomoEligibility } from './eligibility';
import { NO_KODOMO_SHIKAKU, kodomoCoversMonth, kodomoOutsideReason, kodomoShikakuOn, kodomoShikakuText, type KodomoShikaku } from './kodomo-shikaku';
import { KOKUHO_ACQUIRE_REASONS, KOKUHO_INCOME_CLASSES, KOKUHO_LOSE_REASONS } from '../interfaces/kokuho';
import { ageOn, formatWareki, isValidIsoDate } from './wareki';

export type Availability = { available: true; reason: null } | { available: false; reason: string };

/** One 国保 資格 period as imported (dates ISO; codes of the interface's code lists). */
export interface KokuhoShikaku {
  insurerNo: string;
  symbol: string;
  number: string;
  branch: string;
  acquiredOn: string;
  acquireReason: string;
  lostOn: string | null;
  loseReason: string | null;
  incomeClass: string | null;
}

/**
 * The person's data the rules read. `kokuho`: the person's 国保 資格 periods (none: not a member). `disability`:
 * whether a qualifying 障がい is on record (null: no data).
 */
export interface PersonFacts {
  birthDate: string;
  kokuho: readonly KokuhoShikaku[];
  /** The person's こども医療 受給資格 (認定 records; none: not certified). */
  kodomo: readonly KodomoShikaku[];
  disability?: boolean | null;
}

const OK: Availability = { available: true, reason: null };
const no = (reason: string): Availability => ({ available: false, reason });

export const NO_KOKUHO = '国保の資格がありません';

/** The 資格 period that covers `date` (取得日 ≤ date and no 喪失日 or 喪失日 > date), or null. */
export function kokuhoShikakuOn(records: readonly KokuhoShikaku[], date: string): KokuhoShikaku | null {
  return records.find((r) => r.acquiredOn <= date && (r.lostOn === null || r.lostOn > date)) ?? null;
}

/** '令和8年10月31日に喪失（転出）'. */
export function kokuhoLossText(r: KokuhoShikaku): string | null {
  if (!r.lostOn) return null;
  const why = r.loseReason ? (KOKUHO_LOSE_REASONS as Record<string, string>)[r.loseReason] ?? r.loseReason : null;
  return `${formatWareki(r.lostOn)}に喪失${why ? `（${why}）` : ''}`;
}

/** One 資格 period for staff: 記号・番号・枝番, 取得日（事由）, 喪失日（事由） or 継続中, 所得区分. */
export function kokuhoShikakuText(r: KokuhoShikaku): string {
  const acquire = (KOKUHO_ACQUIRE_REASONS as Record<string, string>)[r.acquireReason] ?? r.acquireReason;
  const income = r.incomeClass ? (KOKUHO_INCOME_CLASSES as Record<string, string>)[r.incomeClass] ?? r.incomeClass : '登録なし';
  return `記号 ${r.symbol} 番号 ${r.number} 枝番 ${r.branch}・${formatWareki(r.acquiredOn)}取得（${acquire}）・${kokuhoLossText(r) ?? '喪失なし'}・所得区分 ${income}`;
}

/** Why the person has no 資格 at `at` (a date, or a month 'YYYY-MM' whose days all lie outside every period). */
function outside(records: readonly KokuhoShikaku[], at: string, label: string): Availability {
  if (!records.length) return no(NO_KOKUHO);
  const from = isYearMonth(at) ? firstDayOfMonth(at) : at;
  const lost = records.filter((r) => r.lostOn !== null && r.lostOn <= from).sort((a, b) => (a.lostOn! < b.lostOn! ? -1 : 1)).pop();
  if (lost) return no(`${label}は国保の資格がありません（${kokuhoLossText(lost)}）`);
  const first = [...records].sort((a, b) => (a.acquiredOn < b.acquiredOn ? -1 : 1))[0]!;
  return no(`${label}は国保の資格がありません（資格取得日は${formatWareki(first.acquiredOn)}です）`);
}

/** 国保 membership on `date` (a certificate: today). */
export function kokuhoMembership(p: PersonFacts, date: string): Availability {
  return kokuhoShikakuOn(p.kokuho, date) ? OK : outside(p.kokuho, date, formatWareki(date));
}

/** Whether any day of the month 'YYYY-MM' lies within a 資格 period. */
export function kokuhoCoversMonth(records: readonly KokuhoShikaku[], month: string): boolean {
  const from = firstDayOfMonth(month);
  const to = lastDayOfMonth(month);
  return records.some((r) => r.acquiredOn <= to && (r.lostOn === null || r.lostOn > from));
}

/** The date or month a 国保 claim is about: 療養費 its 支払日, 高額療養費 its 診療月, 出産育児一時金 the 出産日; null when none applies or the input is not valid yet. */
export function kokuhoClaimDate(kind: ClaimKind, input: unknown): { month: string } | { date: string } | null {
  const parsed = (CLAIM_INPUT_SCHEMAS[kind] as { safeParse(v: unknown): { success: boolean; data?: unknown } }).safeParse(input);
  if (!parsed.success) return null;
  const v = parsed.data as Record<string, unknown>;
  if (kind === 'kokuho_kogaku' && typeof v.serviceMonth === 'string' && isYearMonth(v.serviceMonth)) return { month: v.serviceMonth };
  if (kind === 'kokuho_ryoyohi' && typeof v.paidOn === 'string' && isValidIsoDate(v.paidOn)) return { date: v.paidOn };
  if (kind === 'kokuho_shussan' && typeof v.birthDate === 'string' && isValidIsoDate(v.birthDate)) return { date: v.birthDate };
  return null;
}

/**
 * A 国保 claim against the 資格 on its date: a 高額療養費 whose 診療月 has no day within a 資格 period, a 療養費
 * paid or a birth on a day outside the 資格, is refused naming the month (or day). Other kinds: available.
 */
export function kokuhoClaimCoverage(kind: ClaimKind, input: unknown, records: readonly KokuhoShikaku[]): Availability {
  if (!kind.startsWith('kokuho_')) return OK;
  if (!records.length) return no(NO_KOKUHO);
  const at = kokuhoClaimDate(kind, input);
  if (!at) return OK;
  if ('month' in at) return kokuhoCoversMonth(records, at.month) ? OK : outside(records, at.month, `${formatMonthJa(at.month)}診療分`);
  if (kokuhoShikakuOn(records, at.date)) return OK;
  const label = kind === 'kokuho_ryoyohi' ? `支払日（${formatWareki(at.date)}）の属する${formatMonthJa(at.date.slice(0, 7))}` : `出産日（${formatWareki(at.date)}）`;
  return outside(records, at.date, label);
}

/** 所得区分 codes '01'〜'05' are the 限度額適用区分 ア〜オ (70歳未満); the others are 70歳以上's. */
export function kubunOfIncomeClass(code: string | null): KogakuKubun | null {
  if (!code) return null;
  const i = Number(code) - 1;
  return i >= 0 && i < KOGAKU_KUBUN.length && /^0[1-5]$/.test(code) ? KOGAKU_KUBUN[i]! : null;
}

/**
 * The 限度区分 of a 国保 certificate from the 所得区分 of the 資格 on `date`: `details` with the 区分 filled in when
 * none was given, or a problem when the given one differs or the 資格 has none. The 区分 lives in `kubun`
 * (限度額適用認定証, 減額認定証) or `limitKubun` (資格確認書, optional there).
 */
export function kokuhoKubun(type: CertType, details: Record<string, unknown>, records: readonly KokuhoShikaku[], date: string):
  { ok: true; details: Record<string, unknown> } | { ok: false; field: string; reason: string } {
  const field = type === 'kokuho_shikaku' ? 'limitKubun' : type === 'kokuho_gendogaku' || type === 'kokuho_gengaku' ? 'kubun' : null;
  if (!field) return { ok: true, details };
  const r = kokuhoShikakuOn(records, date);
  const code = r?.incomeClass ?? null;
  const kubun = kubunOfIncomeClass(code);
  const given = details[field] ?? null;
  const name = code ? (KOKUHO_INCOME_CLASSES as Record<string, string>)[code] ?? code : null;
  if (!kubun) {
    if (type === 'kokuho_shikaku' && given === null) return { ok: true, details };
    return { ok: false, field: `details.${field}`, reason: name ? `国保の資格の所得区分は「${name}」です（限度区分ア〜オの対象ではありません）` : '国保の資格に所得区分がありません（限度区分を決められません）' };
  }
  if (given !== null && given !== '' && given !== kubun) return { ok: false, field: `details.${field}`, reason: `限度区分「${String(given)}」は国保の資格の所得区分（${name}）と異なります。区分は「${kubun}」です` };
  return { ok: true, details: { ...details, [field]: kubun } };
}

/** B類 定期接種 (高齢者インフルエンザ・高齢者肺炎球菌・新型コロナ): 65歳以上, or 60〜64歳 with a qualifying 障がい. */
export const B_RUI_MIN_AGE = 65;
export const B_RUI_DISABILITY_MIN_AGE = 60;

export function bRuiEligibility(p: PersonFacts, today: string): Availability {
  const age = ageOn(p.birthDate, today);
  if (age >= B_RUI_MIN_AGE) return OK;
  if (age >= B_RUI_DISABILITY_MIN_AGE) {
    if (p.disability === true) return OK;
    return no(`B類定期接種の対象は65歳以上の方です（${age}歳）。60〜64歳は心臓・腎臓・呼吸器の機能またはHIVによる免疫の機能に障がいのある方のみ対象ですが、障がいの情報が${p.disability === false ? 'ありません' : '登録されていません'}`);
  }
  return no(`B類定期接種の対象は65歳以上（60〜64歳は一定の障がいのある方）です（${age}歳のため対象外）`);
}

export function certificateAvailability(type: CertType, p: PersonFacts, today: string): Availability {
  switch (type) {
    case 'kodomo': {
      const e = kodomoEligibility(p.birthDate, today);
      if (!e.eligible) return no(`こども医療費助成の対象外です（${e.reason}）`);
      return kodomoMembership(p, today);
    }
    case 'kokuho_shikaku':
    case 'kokuho_oshirase':
    case 'kokuho_gendogaku':
    case 'kokuho_gengaku':
    case 'kokuho_tokutei':
      return kokuhoMembership(p, today);
    case 'yobou_genmen':
      return bRuiEligibility(p, today);
    case 'yobou_shomei':
      return OK;
    // 生活保護の給付券: what decides is the 扶助's flow (a 開始 決定 whose period covers the ticket's month), which the
    // person's facts do not hold; the core checks it when issuing (CertificateLifecycle, seikatsu/flows.ts ticketPeriod).
    case 'seikatsu_iryo':
    case 'seikatsu_chozai':
    case 'seikatsu_kaigo':
      return OK;
  }
}

/**
 * Claims: 国保 給付 need a 国保 資格 (at some time: a claim may concern a month before a 喪失; kokuhoClaimCoverage
 * checks its date), the B類 減免 the B類 age. A こども医療費 償還 and a 健康被害救済 may concern past months or
 * past vaccinations, so today's age does not decide them here.
 */
export function claimAvailability(kind: ClaimKind, p: PersonFacts, today: string): Availability {
  switch (kind) {
    case 'kokuho_ryoyohi':
    case 'kokuho_kogaku':
    case 'kokuho_shussan':
    case 'kokuho_sousai':
      return p.kokuho.length ? OK : no(NO_KOKUHO);
    case 'yobou_genmen':
      return bRuiEligibility(p, today);
    case 'kodomo_shikaku': {
      const e = kodomoEligibility(p.birthDate, today);
      if (!e.eligible) return no(`こども医療費助成の対象外です（${e.reason}）`);
      const current = kodomoShikakuOn(p.kodomo, today);
      return current ? no(`すでに受給資格があります（${kodomoShikakuText(current)}）`) : OK;
    }
    case 'kodomo_shokan':
      return p.kodomo.length ? OK : no(NO_KODOMO_SHIKAKU);
    case 'yobou_kyusai':
      return OK;
  }
}

/** こども医療 受給資格 on `date` (a certificate: today). */
export function kodomoMembership(p: PersonFacts, date: string): Availability {
  return kodomoShikakuOn(p.kodomo, date) ? OK : no(kodomoOutsideReason(p.kodomo, date, formatWareki(date)));
}

/**
 * A こども医療費 償還 against the 受給資格: each line's 診療月 must have a day within a 資格; the first line outside is
 * refused naming its month. Other kinds: available. An input not valid yet is left to the input rules.
 */
export function kodomoClaimCoverage(kind: ClaimKind, input: unknown, records: readonly KodomoShikaku[]): Availability {
  if (kind !== 'kodomo_shokan') return OK;
  if (!records.length) return no(NO_KODOMO_SHIKAKU);
  const parsed = CLAIM_INPUT_SCHEMAS.kodomo_shokan.safeParse(input);
  if (!parsed.success) return OK;
  for (const [i, l] of parsed.data.lines.entries()) {
    if (!isYearMonth(l.serviceMonth) || kodomoCoversMonth(records, l.serviceMonth)) continue;
    return no(`${i + 1}行目（${formatMonthJa(l.serviceMonth)}診療分）: ${kodomoOutsideReason(records, l.serviceMonth, `${formatMonthJa(l.serviceMonth)}診療分`)}`);
  }
  return OK;
}

/** Every type and kind for one person (residents.get carries it; the screens only reflect it). */
export function offersFor(p: PersonFacts, today: string): { certificates: Record<CertType, Availability>; claims: Record<ClaimKind, Availability>; kokuho: Availability; kodomo: Availability } {
  return {
    kodomo: kodomoMembership(p, today),
    certificates: Object.fromEntries(CERT_TYPES.map((t) => [t, certificateAvailability(t, p, today)])) as Record<CertType, Availability>,
    claims: Object.fromEntries(CLAIM_KINDS.map((k) => [k, claimAvailability(k, p, today)])) as Record<ClaimKind, Availability>,
    kokuho: kokuhoMembership(p, today),
  };
}
