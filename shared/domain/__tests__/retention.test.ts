import { describe, expect, it } from 'vitest';
import { retentionSettingsSchema } from '../profile';
import { certificateEnd, claimEnd, fujoFlowEnd, kodomoShikakuEnd, pastRetention, RETENTION_KINDS, retentionCutoff, retentionYearsOf } from '../retention';

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
    expect(retentionSettingsSchema.parse({})).toEqual({ certificatesYears: 5, claimsYears: 5, kodomoShikakuYears: 5, fujoFlowsYears: 5 });
    const bad = retentionSettingsSchema.safeParse({ certificatesYears: 0, claimsYears: 2.5, kodomoShikakuYears: '5' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.message)).toEqual(['証の保存年限は1年以上です', '請求の保存年限は整数の年数で指定してください', '受給資格の保存年限は年数（整数）で指定してください']);
    expect(retentionSettingsSchema.safeParse({ vaccinationYears: 5 }).success).toBe(false); // 接種歴 are never purged: no such setting
  });

  it('a 扶助 flow (fujo_flows) ends at its 却下 (決定日) or its 廃止 (廃止日); an open, current or unreadable one has none', () => {
    expect(RETENTION_KINDS).toContain('fujo_flows');
    expect(retentionYearsOf(retentionSettingsSchema.parse({ fujoFlowsYears: 7 })).fujo_flows).toBe(7);
    const flow = (state: string, facts: Record<string, unknown>, history: { action: string; input: Record<string, unknown> }[] = []) =>
      JSON.stringify({ kind: 'iryo_direct', residentId: 'R', state, enteredBy: [], checkedBy: null, facts: { appliedOn: '2020-04-01', ...facts }, history: [{ action: 'receive', by: 'S1', at: '2020-04-01T00:00:00Z', input: {} }, ...history.map((h) => ({ by: 'S1', at: '2020-05-01T00:00:00Z', ...h }))] });
    const decide = (decision: string, decidedOn: string) => ({ action: 'decide', input: { decidedOn, decision, aidStartOn: decision === '開始' ? '2020-04-01' : null, reason: '' } });
    expect(fujoFlowEnd(flow('abolished', { aidStartOn: '2020-04-01', abolishedOn: '2021-11-21' }, [decide('開始', '2020-04-10')]))).toBe('2021-11-21');
    expect(fujoFlowEnd(flow('rejected', { decision: '却下' }, [decide('却下', '2020-05-12')]))).toBe('2020-05-12');
    // Open or current: no end, whatever dates it holds (a 廃止 only proposed is not one).
    expect(fujoFlowEnd(flow('received', {}))).toBeNull();
    expect(fujoFlowEnd(flow('decided', { aidStartOn: '2020-04-01' }, [decide('開始', '2020-04-10')]))).toBeNull();
    expect(fujoFlowEnd(flow('abolish_checked', { aidStartOn: '2020-04-01' }, [decide('開始', '2020-04-10'), { action: 'propose_abolish', input: { abolishedOn: '2020-06-30', reason: '転出' } }]))).toBeNull();
    // Unreadable: never purged.
    expect(fujoFlowEnd('{')).toBeNull();
    expect(fujoFlowEnd(null)).toBeNull();
    expect(fujoFlowEnd(flow('abolished', { abolishedOn: 'someday' }))).toBeNull();
    expect(fujoFlowEnd(flow('rejected', {}))).toBeNull();
  });
});
