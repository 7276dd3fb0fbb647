/**
 * What may be offered for a person, from the data the terminal has (issue 14 §5): each certificate type and
 * each claim kind is available or not, with the reason shown to staff. The core refuses with the same reason
 * (certificates.issue, claims.receive) and sends the result with the resident (residents.get), so the screen
 * only reflects it. Until the system of record brings real 資格 data, 国保 membership is read from the
 * registered health insurance: a 6-digit 保険者番号 is a 国民健康保険 (市町村国保・国保組合); 8 digits are
 * 被用者保険 or 後期高齢者医療 (法別番号 + 都道府県 + 保険者別番号 + 検証番号).
 */
import { CERT_TYPES, type CertType } from './certificate-types';
import { CLAIM_KINDS, type ClaimKind } from './claims/claim-kinds';
import { kodomoEligibility } from './eligibility';
import { ageOn } from './wareki';

export type Availability = { available: true; reason: null } | { available: false; reason: string };

/** The person's data the rules read. `disability`: whether a qualifying 障がい is on record (null: no data). */
export interface PersonFacts {
  birthDate: string;
  insurance: { insurerNo: string } | null;
  disability?: boolean | null;
}

const OK: Availability = { available: true, reason: null };
const no = (reason: string): Availability => ({ available: false, reason });

/** 国民健康保険 insurer numbers have 6 digits; 被用者保険 and 後期高齢者医療 have 8. */
export function isKokuhoInsurer(insurerNo: string): boolean {
  return /^[0-9]{6}$/.test(insurerNo);
}

/** 国保 membership as the resident record shows it. */
export function kokuhoMembership(p: PersonFacts): Availability {
  if (!p.insurance) return no('国保の資格情報がありません（健康保険の登録がありません）');
  if (!isKokuhoInsurer(p.insurance.insurerNo)) return no(`国保の資格情報がありません（登録されている健康保険は国民健康保険ではありません：保険者番号 ${p.insurance.insurerNo}）`);
  return OK;
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
      return e.eligible ? OK : no(`こども医療費助成の対象外です（${e.reason}）`);
    }
    case 'kokuho_shikaku':
    case 'kokuho_oshirase':
    case 'kokuho_gendogaku':
    case 'kokuho_gengaku':
    case 'kokuho_tokutei':
      return kokuhoMembership(p);
    case 'yobou_genmen':
      return bRuiEligibility(p, today);
    case 'yobou_shomei':
      return OK;
  }
}

/**
 * Claims: 国保 給付 need 国保 membership, the B類 減免 the B類 age. A こども医療費 償還 and a 健康被害救済 may
 * concern past months or past vaccinations, so today's age does not decide them here.
 */
export function claimAvailability(kind: ClaimKind, p: PersonFacts, today: string): Availability {
  switch (kind) {
    case 'kokuho_ryoyohi':
    case 'kokuho_kogaku':
    case 'kokuho_shussan':
    case 'kokuho_sousai':
      return kokuhoMembership(p);
    case 'yobou_genmen':
      return bRuiEligibility(p, today);
    case 'kodomo_shokan':
    case 'yobou_kyusai':
      return OK;
  }
}

/** Every type and kind for one person (residents.get carries it; the screens only reflect it). */
export function offersFor(p: PersonFacts, today: string): { certificates: Record<CertType, Availability>; claims: Record<ClaimKind, Availability>; kokuho: Availability } {
  return {
    certificates: Object.fromEntries(CERT_TYPES.map((t) => [t, certificateAvailability(t, p, today)])) as Record<CertType, Availability>,
    claims: Object.fromEntries(CLAIM_KINDS.map((k) => [k, claimAvailability(k, p, today)])) as Record<ClaimKind, Availability>,
    kokuho: kokuhoMembership(p),
  };
}
