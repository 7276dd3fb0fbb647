import { describe, expect, it } from 'vitest';
import { kodomoClaimCoverage, kodomoMembership } from '../availability';
import { kodomoCovers, kodomoCoversMonth, kodomoEndText, kodomoShikakuLastDay, kodomoShikakuOn, kodomoValidityWithin, type KodomoShikaku } from '../kodomo-shikaku';

/** Born 2010-04-02: attains 18 on 2028-04-01, so the 18歳年度末 is 2029-03-31. Born 2010-04-01: 2028-03-31. */
const rec = (over: Partial<KodomoShikaku> = {}): KodomoShikaku => ({
  id: 'k', birthDate: '2010-04-02', acquiredOn: '2020-06-01', acquireReason: '02', guardianId: null, lostOn: null, loseReason: null, loseNotifiedOn: null, ...over,
});
const facts = (records: KodomoShikaku[]) => ({ birthDate: '2010-04-02', kokuho: [], kodomo: records });

describe('こども 受給資格: the days it covers', () => {
  it('without 喪失 it runs to the 18歳年度末 (4/2 birthday: the next year; 4/1: the same year)', () => {
    expect(kodomoShikakuLastDay(rec())).toBe('2029-03-31');
    expect(kodomoShikakuLastDay(rec({ birthDate: '2010-04-01' }))).toBe('2028-03-31');
    expect(kodomoCovers(rec(), '2029-03-31')).toBe(true);
    expect(kodomoCovers(rec(), '2029-04-01')).toBe(false);
    expect(kodomoEndText(rec())).toBe('令和11年3月31日まで（18歳年度末）');
  });

  it('a 喪失日 is the first day not covered; a 喪失日 after the 18歳年度末 does not extend it', () => {
    const moved = rec({ lostOn: '2026-12-10', loseReason: '02' });
    expect(kodomoShikakuLastDay(moved)).toBe('2026-12-09');
    expect(kodomoCovers(moved, '2026-12-09')).toBe(true);
    expect(kodomoCovers(moved, '2026-12-10')).toBe(false);
    expect(kodomoEndText(moved)).toBe('令和8年12月9日まで（転出）');
    const late = rec({ lostOn: '2030-01-01', loseReason: '99' });
    expect(kodomoShikakuLastDay(late)).toBe('2029-03-31');
    expect(kodomoEndText(late)).toBe('令和11年3月31日まで（18歳年度末）');
  });

  it('before the 取得日 nothing is covered; a month counts when any of its days is covered', () => {
    expect(kodomoCovers(rec(), '2020-05-31')).toBe(false);
    expect(kodomoShikakuOn([rec()], '2020-06-01')?.id).toBe('k');
    expect(kodomoCoversMonth([rec()], '2020-05')).toBe(false);
    expect(kodomoCoversMonth([rec({ acquiredOn: '2020-05-31' })], '2020-05')).toBe(true);
    expect(kodomoCoversMonth([rec({ lostOn: '2026-12-01', loseReason: '03' })], '2026-12')).toBe(false);
    expect(kodomoCoversMonth([rec({ lostOn: '2026-12-02', loseReason: '03' })], '2026-12')).toBe(true);
  });

  it('the 医療証 validity is cut at the 資格’s last day; none when the 資格 does not cover its first day', () => {
    expect(kodomoValidityWithin([rec()], '2026-11-22', '2027-07-31')).toEqual({ validFrom: '2026-11-22', validTo: '2027-07-31' });
    expect(kodomoValidityWithin([rec({ lostOn: '2027-01-01', loseReason: '02' })], '2026-11-22', '2027-07-31')).toEqual({ validFrom: '2026-11-22', validTo: '2026-12-31' });
    expect(kodomoValidityWithin([rec({ lostOn: '2026-11-22', loseReason: '02' })], '2026-11-22', '2027-07-31')).toBeNull();
  });

  it('membership and claims name the 喪失 or the 取得日; no record: not certified', () => {
    expect(kodomoMembership(facts([]), '2026-11-22').reason).toContain('受給資格がありません');
    expect(kodomoMembership(facts([rec({ lostOn: '2026-10-01', loseReason: '03' })]), '2026-11-22').reason).toBe('令和8年11月22日はこども医療費助成の受給資格がありません（令和8年9月30日まで（死亡））');
    const line = (serviceMonth: string) => ({ serviceMonth, institutionCode: '2712345', institutionName: '梅田クリニック', category: 'medical-outpatient', days: 1, totalCostYen: 5000, paidYen: 1500 });
    expect(kodomoClaimCoverage('kodomo_shokan', { lines: [line('2020-06'), line('2020-05')] }, [rec()])).toEqual({ available: false, reason: '2行目（令和2年5月診療分）: 令和2年5月診療分はこども医療費助成の受給資格がありません（資格取得日は令和2年6月1日です）' });
    expect(kodomoClaimCoverage('kodomo_shokan', { lines: [line('2020-06')] }, [rec()]).available).toBe(true);
    expect(kodomoClaimCoverage('kokuho_kogaku', {}, []).available).toBe(true);
  });
});
