import { describe, expect, it } from 'vitest';
import { retentionSettingsSchema } from '../profile';
import { certificateEnd, claimEnd, kodomoShikakuEnd, pastRetention, retentionCutoff } from '../retention';

/** The retention rules both the terminal's purge and the server's job read (issue 16 §3). */
describe('retention rules', () => {
  it('cuts off the same day N years back; 2月29日 becomes 2月28日', () => {
    expect(retentionCutoff('2026-11-22', 5)).toBe('2021-11-22');
    expect(retentionCutoff('2028-02-29', 5)).toBe('2023-02-28');
    expect(pastRetention('2021-11-21', '2021-11-22')).toBe(true);
    expect(pastRetention('2021-11-22', '2021-11-22')).toBe(false);
    expect(pastRetention(null, '2099-01-01')).toBe(false);
  });

  it('end events: a certificate from its 回収 or end of validity, a claim from its 決定 (date in Japan), a 資格 from its 喪失日', () => {
    expect(certificateEnd({ status: 'valid', valid_to: '2022-07-31', recall_status: 'none', recall_date: null })).toBe('2022-07-31');
    expect(certificateEnd({ status: 'valid', valid_to: null, recall_status: 'none', recall_date: null })).toBeNull();
    expect(certificateEnd({ status: 'superseded', valid_to: '2023-07-31', recall_status: 'recalled', recall_date: '2022-01-10' })).toBe('2022-01-10');
    expect(certificateEnd({ status: 'cancelled', valid_to: '2021-03-31', recall_status: 'not_returned', recall_date: '2022-01-10' })).toBe('2021-03-31');
    expect(certificateEnd({ status: 'superseded', valid_to: null, recall_status: 'pending', recall_date: null })).toBeNull();
    expect(certificateEnd({ status: 'superseded', valid_to: '2021-03-31', recall_status: 'pending', recall_date: null })).toBe('2021-03-31');
    expect(claimEnd({ state: 'decided', decided_at: '2021-11-21T15:00:00.000Z' })).toBe('2021-11-22');
    expect(claimEnd({ state: 'withdrawn', decided_at: null })).toBeNull();
    expect(kodomoShikakuEnd({ lost_on: '2024-04-01' })).toBe('2024-04-01');
    expect(kodomoShikakuEnd({ lost_on: null })).toBeNull();
  });

  it('the profile setting: 5 years by default, whole years 1–30, Japanese messages', () => {
    expect(retentionSettingsSchema.parse({})).toEqual({ certificatesYears: 5, claimsYears: 5, kodomoShikakuYears: 5 });
    const bad = retentionSettingsSchema.safeParse({ certificatesYears: 0, claimsYears: 2.5, kodomoShikakuYears: '5' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.message)).toEqual(['証の保存年限は1年以上です', '請求の保存年限は整数の年数で指定してください', '受給資格の保存年限は年数（整数）で指定してください']);
    expect(retentionSettingsSchema.safeParse({ vaccinationYears: 5 }).success).toBe(false); // 接種歴 are never purged: no such setting
  });
});
