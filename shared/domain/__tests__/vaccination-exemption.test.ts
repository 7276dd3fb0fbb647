import { describe, it, expect } from 'vitest';
import {
  B_VACCINES,
  decideExemption,
  DEFAULT_EXEMPTION_RULES,
  REJECTION_REASONS,
  reviewExemptionApplication,
  type ExemptionApplication,
} from '../vaccination-exemption';

const app = (over: Partial<ExemptionApplication> = {}): ExemptionApplication => ({
  applicationDate: '2026-10-01',
  taxStatus: '非課税',
  vaccine: '高齢者インフルエンザ',
  ...over,
});

describe('decideExemption', () => {
  it.each(B_VACCINES)('交付 for a 非課税 household and for 生活保護 (%s)', (vaccine) => {
    expect(decideExemption(app({ vaccine, taxStatus: '非課税' }))).toEqual({ kind: '交付' });
    expect(decideExemption(app({ vaccine, taxStatus: '生活保護' }))).toEqual({ kind: '交付' });
  });

  it('却下 with the reason for a 課税 household', () => {
    expect(decideExemption(app({ taxStatus: '課税' }))).toEqual({
      kind: '却下',
      rejectionReason: '市町村民税課税世帯のため、自己負担金減免の対象外です',
    });
  });

  it('follows the municipality rules given as data', () => {
    const onlyWelfare = { ...DEFAULT_EXEMPTION_RULES, exemptTaxStatuses: ['生活保護'] as const };
    expect(decideExemption(app({ taxStatus: '非課税' }), onlyWelfare)).toEqual({ kind: '却下', rejectionReason: REJECTION_REASONS.taxed });
    expect(decideExemption(app({ taxStatus: '生活保護' }), onlyWelfare)).toEqual({ kind: '交付' });
    const noCovid = { ...DEFAULT_EXEMPTION_RULES, vaccines: ['高齢者インフルエンザ', '高齢者肺炎球菌'] as const };
    expect(decideExemption(app({ vaccine: '新型コロナ' }), noCovid)).toEqual({
      kind: '却下',
      rejectionReason: '新型コロナは自己負担金減免の対象外のワクチンです',
    });
  });
});

describe('reviewExemptionApplication', () => {
  const today = { today: '2026-10-01' };
  it('parses and decides', () => {
    expect(reviewExemptionApplication(app({ taxStatus: '課税' }), today)).toMatchObject({ ok: true, decision: { kind: '却下' } });
    expect(reviewExemptionApplication(app(), today)).toEqual({ ok: true, application: app(), decision: { kind: '交付' } });
  });
  it('refuses invalid input with Japanese messages instead of deciding', () => {
    const r = reviewExemptionApplication({ applicationDate: '2026-02-30', taxStatus: '不明', vaccine: 'HPV' }, today);
    expect(r).toEqual({
      ok: false,
      errors: [
        { path: 'applicationDate', message: '申請日は正しい年月日で入力してください（例: 2026-04-01）' },
        { path: 'taxStatus', message: '課税有無を選択してください（非課税・課税・生活保護）' },
        { path: 'vaccine', message: '減免の対象となるワクチンを選択してください' },
      ],
    });
  });
  it('refuses an application dated in the future', () => {
    expect(reviewExemptionApplication(app({ applicationDate: '2026-10-02' }), today)).toEqual({
      ok: false,
      errors: [{ path: 'applicationDate', message: '申請日が未来の日付です' }],
    });
  });
});
