import { describe, expect, it } from 'vitest';
import { bRuiEligibility, certificateAvailability, claimAvailability, isKokuhoInsurer, kokuhoMembership, offersFor } from '../availability';

const TODAY = '2026-11-22';
const kokuho = { insurerNo: '270017' };
const shaho = { insurerNo: '06270017' };

describe('国保 membership from the registered insurance', () => {
  it('a 6-digit 保険者番号 is 国民健康保険; 8 digits (協会けんぽ・組合・共済・後期高齢者) are not', () => {
    expect(isKokuhoInsurer('270017')).toBe(true);
    expect(isKokuhoInsurer('06270017')).toBe(false);
    expect(isKokuhoInsurer('39271004')).toBe(false);
    expect(isKokuhoInsurer('27001')).toBe(false);
  });

  it('no insurance, or another insurer, is no 国保 membership, with the reason', () => {
    expect(kokuhoMembership({ birthDate: '1990-06-15', insurance: kokuho })).toEqual({ available: true, reason: null });
    const none = kokuhoMembership({ birthDate: '1990-06-15', insurance: null });
    expect(none).toEqual({ available: false, reason: '国保の資格情報がありません（健康保険の登録がありません）' });
    const other = kokuhoMembership({ birthDate: '1990-06-15', insurance: shaho });
    expect(other.available).toBe(false);
    expect(other.reason).toContain('国保の資格情報がありません');
    expect(other.reason).toContain('06270017');
  });
});

describe('B類 定期接種 (減免): 65歳以上, 60〜64歳は障がいのある方', () => {
  it('an 11-year-old is not eligible, and is told why', () => {
    const r = bRuiEligibility({ birthDate: '2015-05-05', insurance: kokuho }, TODAY);
    expect(r.available).toBe(false);
    expect(r.reason).toContain('65歳以上');
    expect(r.reason).toContain('11歳');
  });

  it('65 on the day before the 65th birthday (年齢計算ニ関スル法律), not a day earlier', () => {
    expect(bRuiEligibility({ birthDate: '1961-11-23', insurance: null }, TODAY).available).toBe(true); // attains 65 on 11-22
    expect(bRuiEligibility({ birthDate: '1961-11-24', insurance: null }, TODAY).available).toBe(false); // still 64
  });

  it('60〜64: only with a qualifying 障がい on record', () => {
    const p = { birthDate: '1964-01-01', insurance: null };
    expect(bRuiEligibility(p, TODAY).available).toBe(false);
    expect(bRuiEligibility(p, TODAY).reason).toContain('障がいの情報が登録されていません');
    expect(bRuiEligibility({ ...p, disability: true }, TODAY).available).toBe(true);
    expect(bRuiEligibility({ birthDate: '1970-01-01', insurance: null, disability: true }, TODAY).available).toBe(false); // 56
  });
});

describe('certificates and claims of a person', () => {
  const child = { birthDate: '2015-05-05', insurance: shaho };
  const elder = { birthDate: '1950-03-03', insurance: kokuho };

  it('the child: こども医療証 yes; 国保 certificates and claims no (社保); B類 減免 no', () => {
    expect(certificateAvailability('kodomo', child, TODAY).available).toBe(true);
    for (const t of ['kokuho_shikaku', 'kokuho_oshirase', 'kokuho_gendogaku', 'kokuho_gengaku', 'kokuho_tokutei'] as const) expect(certificateAvailability(t, child, TODAY).available).toBe(false);
    expect(certificateAvailability('yobou_genmen', child, TODAY).available).toBe(false);
    expect(certificateAvailability('yobou_shomei', child, TODAY).available).toBe(true);
    expect(claimAvailability('kokuho_kogaku', child, TODAY).available).toBe(false);
    expect(claimAvailability('yobou_genmen', child, TODAY).available).toBe(false);
    expect(claimAvailability('kodomo_shokan', child, TODAY).available).toBe(true);
    expect(claimAvailability('yobou_kyusai', child, TODAY).available).toBe(true);
  });

  it('the elder 国保 member: 国保 and B類 yes; こども医療証 no, with the 18歳年度末 reason', () => {
    const o = offersFor(elder, TODAY);
    expect(o.kokuho.available).toBe(true);
    expect(o.certificates.kokuho_shikaku.available).toBe(true);
    expect(o.certificates.yobou_genmen.available).toBe(true);
    expect(o.claims.yobou_genmen.available).toBe(true);
    expect(o.claims.kokuho_sousai.available).toBe(true);
    expect(o.certificates.kodomo.available).toBe(false);
    expect(o.certificates.kodomo.reason).toContain('18歳年度末');
  });
});
