import { describe, expect, it } from 'vitest';
import { bRuiEligibility, certificateAvailability, claimAvailability, kokuhoClaimCoverage, kokuhoKubun, kokuhoMembership, kokuhoShikakuText, offersFor, type KokuhoShikaku } from '../availability';

const TODAY = '2026-11-22';
/** A 資格 from 2024-04-01, 所得区分 区分ウ, still current. */
const period = (over: Partial<KokuhoShikaku> = {}): KokuhoShikaku => ({
  insurerNo: '270017', symbol: '大1', number: '100001', branch: '01', acquiredOn: '2024-04-01', acquireReason: '02',
  lostOn: null, loseReason: null, incomeClass: '03', ...over,
});
const kokuho = [period()];
const adult = (records: readonly KokuhoShikaku[]) => ({ birthDate: '1990-06-15', kokuho: records, kodomo: [] });

describe('国保 membership from the imported 資格 records, on the date that matters', () => {
  const lost = [period({ lostOn: '2026-10-31', loseReason: '01' })];
  it('before 取得: no; on the 取得日: yes; the day before the 喪失日: yes; on the 喪失日 and after: no, naming the 喪失', () => {
    expect(kokuhoMembership(adult(lost), '2024-03-31')).toEqual({ available: false, reason: '令和6年3月31日は国保の資格がありません（資格取得日は令和6年4月1日です）' });
    expect(kokuhoMembership(adult(lost), '2024-04-01').available).toBe(true);
    expect(kokuhoMembership(adult(lost), '2026-10-30').available).toBe(true);
    expect(kokuhoMembership(adult(lost), '2026-10-31')).toEqual({ available: false, reason: '令和8年10月31日は国保の資格がありません（令和8年10月31日に喪失（転出））' });
    expect(kokuhoMembership(adult(lost), TODAY).reason).toContain('令和8年10月31日に喪失（転出）');
  });

  it('a period as staff read it: 記号番号・枝番, 取得日 and 事由, 喪失日 and 事由, 所得区分', () => {
    expect(kokuhoShikakuText(lost[0]!)).toBe('記号 大1 番号 100001 枝番 01・令和6年4月1日取得（社会保険離脱）・令和8年10月31日に喪失（転出）・所得区分 区分ウ');
    expect(kokuhoShikakuText(period({ incomeClass: null }))).toContain('喪失なし・所得区分 登録なし');
  });

  it('no 資格 record at all: 国保の資格がありません (a registered insurer number no longer counts)', () => {
    expect(kokuhoMembership(adult([]), TODAY)).toEqual({ available: false, reason: '国保の資格がありません' });
  });

  it('a second period after a 喪失 (再加入) covers its own dates', () => {
    const two = [period({ lostOn: '2025-06-01', loseReason: '02' }), period({ acquiredOn: '2026-02-01', acquireReason: '02' })];
    expect(kokuhoMembership(adult(two), '2025-12-31').reason).toContain('令和7年6月1日に喪失（社会保険加入）');
    expect(kokuhoMembership(adult(two), TODAY).available).toBe(true);
  });

  it('a 高額療養費 is refused for a 診療月 with no day in the 資格, naming the month; the month of the 喪失 still counts', () => {
    const input = (m: string) => ({ serviceMonth: m, kubun: 'ウ', charges: [{ memberId: 'a', institutionCode: '2710000001', institutionName: '病院', category: 'medical-outpatient', totalCostYen: 100000, copayYen: 30000 }] });
    expect(kokuhoClaimCoverage('kokuho_kogaku', input('2026-10'), lost).available).toBe(true);
    const nov = kokuhoClaimCoverage('kokuho_kogaku', input('2026-11'), lost);
    expect(nov).toEqual({ available: false, reason: '令和8年11月診療分は国保の資格がありません（令和8年10月31日に喪失（転出））' });
    expect(kokuhoClaimCoverage('kokuho_kogaku', input('2024-03'), lost).reason).toContain('令和6年3月診療分は国保の資格がありません');
    expect(kokuhoClaimCoverage('kokuho_kogaku', input('2026-10'), []).reason).toBe('国保の資格がありません');
  });

  it('a 療養費 by its 支払日: refused on the 喪失日, accepted the day before', () => {
    expect(kokuhoClaimCoverage('kokuho_ryoyohi', { costYen: 10000, paidOn: '2026-10-30' }, lost).available).toBe(true);
    const r = kokuhoClaimCoverage('kokuho_ryoyohi', { costYen: 10000, paidOn: '2026-10-31' }, lost);
    expect(r.available).toBe(false);
    expect(r.reason).toContain('令和8年10月');
    expect(r.reason).toContain('令和8年10月31日に喪失（転出）');
    expect(kokuhoClaimCoverage('kodomo_shokan', {}, []).available).toBe(true);
  });

  it('the 限度区分 comes from the 所得区分 of the 資格: filled when not typed, refused when typed differently', () => {
    expect(kokuhoKubun('kokuho_gendogaku', {}, kokuho, TODAY)).toEqual({ ok: true, details: { kubun: 'ウ' } });
    expect(kokuhoKubun('kokuho_gendogaku', { kubun: 'ウ' }, kokuho, TODAY)).toEqual({ ok: true, details: { kubun: 'ウ' } });
    const wrong = kokuhoKubun('kokuho_gendogaku', { kubun: 'ア' }, kokuho, TODAY);
    expect(wrong).toEqual({ ok: false, field: 'details.kubun', reason: '限度区分「ア」は国保の資格の所得区分（区分ウ）と異なります。区分は「ウ」です' });
    expect(kokuhoKubun('kokuho_shikaku', { limitKubun: null }, kokuho, TODAY)).toEqual({ ok: true, details: { limitKubun: 'ウ' } });
    expect(kokuhoKubun('kokuho_gengaku', { kubun: 'オ' }, [period({ incomeClass: '05' })], TODAY).ok).toBe(true);
    expect(kokuhoKubun('kokuho_gendogaku', { kubun: 'ア' }, [period({ incomeClass: null })], TODAY)).toMatchObject({ ok: false, reason: '国保の資格に所得区分がありません（限度区分を決められません）' });
    expect(kokuhoKubun('kokuho_shikaku', { limitKubun: null }, [period({ incomeClass: '09' })], TODAY)).toEqual({ ok: true, details: { limitKubun: null } });
    expect(kokuhoKubun('kokuho_oshirase', {}, [], TODAY)).toEqual({ ok: true, details: {} });
  });
});

describe('B類 定期接種 (減免): 65歳以上, 60〜64歳は障がいのある方', () => {
  it('an 11-year-old is not eligible, and is told why', () => {
    const r = bRuiEligibility({ birthDate: '2015-05-05', kokuho, kodomo: [] }, TODAY);
    expect(r.available).toBe(false);
    expect(r.reason).toContain('65歳以上');
    expect(r.reason).toContain('11歳');
  });

  it('65 on the day before the 65th birthday (年齢計算ニ関スル法律), not a day earlier', () => {
    expect(bRuiEligibility({ birthDate: '1961-11-23', kokuho: [], kodomo: [] }, TODAY).available).toBe(true); // attains 65 on 11-22
    expect(bRuiEligibility({ birthDate: '1961-11-24', kokuho: [], kodomo: [] }, TODAY).available).toBe(false); // still 64
  });

  it('60〜64: only with a qualifying 障がい on record', () => {
    const p = { birthDate: '1964-01-01', kokuho: [], kodomo: [] };
    expect(bRuiEligibility(p, TODAY).available).toBe(false);
    expect(bRuiEligibility(p, TODAY).reason).toContain('障がいの情報が登録されていません');
    expect(bRuiEligibility({ ...p, disability: true }, TODAY).available).toBe(true);
    expect(bRuiEligibility({ birthDate: '1970-01-01', kokuho: [], kodomo: [], disability: true }, TODAY).available).toBe(false); // 56
  });
});

describe('certificates and claims of a person', () => {
  const certified = { id: 'k1', birthDate: '2015-05-05', acquiredOn: '2015-05-05', acquireReason: '01', guardianId: null, lostOn: null, loseReason: null, loseNotifiedOn: null };
  const child = { birthDate: '2015-05-05', kokuho: [], kodomo: [certified] };
  const elder = { birthDate: '1950-03-03', kokuho, kodomo: [] };

  it('the child: こども医療証 yes; 国保 certificates and claims no (no 資格); B類 減免 no', () => {
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
