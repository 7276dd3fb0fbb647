import { describe, it, expect } from 'vitest';
import {
  activeEntries,
  addEntry,
  correctEntry,
  doseLabel,
  ROUTINE_VACCINES,
  VACCINE_CODES,
  validateVaccinationEntry,
  vaccineByCode,
  type VaccinationRecord,
} from '../vaccination';

const ctx = { birthDate: '2025-04-10', today: '2026-04-01' };
const entry = (over: Record<string, unknown> = {}) => ({
  id: 'e1',
  vaccine: 'hib',
  stage: '初回',
  doseNumber: 1,
  administeredOn: '2025-06-10',
  lotNumber: 'AB123',
  institution: 'さくら小児科',
  overseas: false,
  ...over,
});

function build(...entries: Record<string, unknown>[]): VaccinationRecord[] {
  let h: VaccinationRecord[] = [];
  for (const e of entries) {
    const r = addEntry(h, e, ctx);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    h = r.history;
  }
  return h;
}

describe('vaccine data', () => {
  it('lists the routine vaccines with Japanese names and unique codes', () => {
    const names = ROUTINE_VACCINES.map((v) => v.name);
    for (const n of ['ヒブ', '小児用肺炎球菌', 'B型肝炎', '四種混合', '五種混合', 'BCG', '水痘', '日本脳炎', '二種混合']) {
      expect(names).toContain(n);
    }
    expect(names.some((n) => n.startsWith('ロタ'))).toBe(true);
    expect(names.some((n) => n.startsWith('MR'))).toBe(true);
    expect(names.some((n) => n.startsWith('HPV'))).toBe(true);
    expect(new Set(VACCINE_CODES).size).toBe(VACCINE_CODES.length);
    expect(vaccineByCode('je')?.stages.map((s) => s.stage)).toEqual(['1期初回', '1期追加', '2期']);
  });
  it('labels doses', () => {
    expect(doseLabel('1期初回', 1)).toBe('1期初回1回目');
    expect(doseLabel(null, 2)).toBe('2回目');
  });
});

describe('validateVaccinationEntry', () => {
  it('accepts a valid entry, trimming text', () => {
    const r = validateVaccinationEntry(entry({ institution: ' さくら小児科 ' }), ctx);
    expect(r).toEqual({ ok: true, value: entry() });
  });

  it('accepts a dose on the day of birth and on today, and an overseas dose without a lot number', () => {
    expect(validateVaccinationEntry(entry({ vaccine: 'hepb', stage: null, administeredOn: '2025-04-10' }), ctx).ok).toBe(true);
    expect(validateVaccinationEntry(entry({ administeredOn: '2026-04-01' }), ctx).ok).toBe(true);
    expect(validateVaccinationEntry(entry({ overseas: true, lotNumber: null, institution: 'Kaiser Clinic' }), ctx).ok).toBe(true);
  });

  it('refuses a date before birth with a Japanese message', () => {
    expect(validateVaccinationEntry(entry({ administeredOn: '2025-04-09' }), ctx)).toEqual({
      ok: false,
      errors: [{ path: 'administeredOn', message: '接種日（令和7年4月9日）が生年月日（令和7年4月10日）より前です' }],
    });
  });

  it('refuses a date in the future', () => {
    expect(validateVaccinationEntry(entry({ administeredOn: '2026-04-02' }), ctx)).toEqual({
      ok: false,
      errors: [{ path: 'administeredOn', message: '接種日（令和8年4月2日）が未来の日付です（本日は令和8年4月1日）' }],
    });
  });

  it('refuses an impossible date', () => {
    const r = validateVaccinationEntry(entry({ administeredOn: '2025-02-29' }), ctx);
    expect(r).toEqual({ ok: false, errors: [{ path: 'administeredOn', message: '接種日は正しい年月日で入力してください（例: 2026-04-01）' }] });
  });

  it('refuses a dose beyond the allowed count of its stage', () => {
    expect(validateVaccinationEntry(entry({ doseNumber: 3 }), ctx).ok).toBe(true);
    expect(validateVaccinationEntry(entry({ doseNumber: 4 }), ctx)).toEqual({
      ok: false,
      errors: [{ path: 'doseNumber', message: 'ヒブの初回は3回までです（4回目は登録できません）' }],
    });
    expect(validateVaccinationEntry(entry({ vaccine: 'je', stage: '1期初回', doseNumber: 3 }), ctx).ok).toBe(false);
    expect(validateVaccinationEntry(entry({ vaccine: 'bcg', stage: null, doseNumber: 2 }), ctx)).toEqual({
      ok: false,
      errors: [{ path: 'doseNumber', message: 'BCGは1回までです（2回目は登録できません）' }],
    });
  });

  it('refuses a stage the vaccine does not have', () => {
    expect(validateVaccinationEntry(entry({ stage: '1期' }), ctx)).toEqual({
      ok: false,
      errors: [{ path: 'stage', message: 'ヒブの期・区分は「初回」・「追加」から選択してください' }],
    });
    expect(validateVaccinationEntry(entry({ vaccine: 'bcg', stage: '1期' }), ctx)).toEqual({
      ok: false,
      errors: [{ path: 'stage', message: 'BCGには期の区分がありません（回数のみ入力してください）' }],
    });
  });

  it('refuses an unknown vaccine, a zero dose and missing fields with Japanese messages', () => {
    const r = validateVaccinationEntry(entry({ vaccine: 'covid', doseNumber: 0, institution: '' }), ctx);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors).toEqual(
        expect.arrayContaining([
          { path: 'vaccine', message: 'ワクチンを一覧から選択してください' },
          { path: 'doseNumber', message: '回数は1以上です' },
          { path: 'institution', message: '医療機関を入力してください' },
        ]),
      );
    }
  });

  it('refuses a second valid record of the same dose', () => {
    const h = build(entry());
    const r = validateVaccinationEntry(entry({ id: 'e2', administeredOn: '2025-06-11' }), { ...ctx, history: h });
    expect(r).toEqual({
      ok: false,
      errors: [{ path: 'doseNumber', message: 'ヒブ 初回1回目は既に登録されています（令和7年6月10日接種。誤りを直す場合は訂正してください）' }],
    });
    expect(validateVaccinationEntry(entry({ id: 'e2', doseNumber: 2 }), { ...ctx, history: h }).ok).toBe(true);
  });
});

describe('correctEntry', () => {
  const at = '2026-04-01T10:00:00+09:00';

  it('marks the old entry 無効 and appends the corrected one; the history grows and keeps the old entry', () => {
    const before = build(entry(), entry({ id: 'e2', doseNumber: 2, administeredOn: '2025-08-10' }));
    const snapshot = structuredClone(before);
    const r = correctEntry(before, 'e1', entry({ id: 'e3', administeredOn: '2025-06-12' }), '手帳の写しの読み誤り', { ...ctx, at });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.history).toHaveLength(before.length + 1);
    const old = r.history.find((x) => x.id === 'e1');
    expect(old).toMatchObject({
      administeredOn: '2025-06-10',
      invalid: true,
      invalidatedReason: '手帳の写しの読み誤り',
      invalidatedAt: at,
      replacedBy: 'e3',
    });
    expect(r.history.at(-1)).toMatchObject({ id: 'e3', administeredOn: '2025-06-12', invalid: false, replaces: 'e1' });
    expect(activeEntries(r.history).map((x) => x.id)).toEqual(['e2', 'e3']);
    expect(before).toEqual(snapshot); // the input is not modified
  });

  it('allows the corrected entry to keep the same dose as the one it replaces', () => {
    const h = build(entry());
    expect(correctEntry(h, 'e1', entry({ id: 'e9', lotNumber: 'AB124' }), 'ロット番号の誤り', { ...ctx, at }).ok).toBe(true);
  });

  it('corrects a correction, keeping the whole chain', () => {
    const h = build(entry());
    const r1 = correctEntry(h, 'e1', entry({ id: 'e2', lotNumber: 'X1' }), '誤記', { ...ctx, at });
    if (!r1.ok) throw new Error('first correction failed');
    const r2 = correctEntry(r1.history, 'e2', entry({ id: 'e3', lotNumber: 'X2' }), '再訂正', { ...ctx, at });
    if (!r2.ok) throw new Error('second correction failed');
    expect(r2.history.map((x) => [x.id, x.invalid])).toEqual([['e1', true], ['e2', true], ['e3', false]]);
  });

  it('refuses without a reason, for an unknown or already invalid entry, or a reused id', () => {
    const h = build(entry());
    const bad = (r: ReturnType<typeof correctEntry>) => (r.ok ? null : r.errors[0]?.message);
    expect(bad(correctEntry(h, 'e1', entry({ id: 'e2' }), '  ', { ...ctx, at }))).toBe('訂正理由を入力してください');
    expect(bad(correctEntry(h, 'nope', entry({ id: 'e2' }), '誤記', { ...ctx, at }))).toBe('訂正する接種歴が見つかりません');
    expect(bad(correctEntry(h, 'e1', entry({ id: 'e1' }), '誤記', { ...ctx, at }))).toBe('訂正後の接種歴には新しいIDが必要です');
    const r = correctEntry(h, 'e1', entry({ id: 'e2' }), '誤記', { ...ctx, at });
    if (!r.ok) throw new Error('correction failed');
    expect(bad(correctEntry(r.history, 'e1', entry({ id: 'e3' }), '誤記', { ...ctx, at }))).toBe(
      'この接種歴は既に無効です（訂正後の記録を訂正してください）',
    );
  });

  it('validates the replacement like a new entry and then changes nothing', () => {
    const h = build(entry());
    const r = correctEntry(h, 'e1', entry({ id: 'e2', administeredOn: '2027-01-01' }), '誤記', { ...ctx, at });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]?.message).toContain('未来の日付です');
    expect(h[0]?.invalid).toBe(false);
  });
});
