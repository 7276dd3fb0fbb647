import { describe, expect, it } from 'vitest';
import { findDuplicateTicket, monthlyTicketLines, parseTicketRequest, prepareTicket, ticketValidity, type ExistingTicket, type TicketKey, type TicketRequestInput } from '../ticket';

const BASE: TicketRequestInput = {
  kind: '医療券',
  shinryo: '入院外',
  month: '2026-05',
  residentId: 'r-1',
  recipientNo: '0000018',
  publicPayerNo: '12270104',
  institutionCode: '2712345678',
  institutionName: '大阪みなと診療所',
  caseNo: '1020304',
  caseworker: 'w1001',
  diseaseNames: ['高血圧症'],
  selfPayYen: 0,
  coverage: '単独',
  aidStartOn: '2026-04-10',
};

const problemsOf = (input: unknown) => {
  const r = parseTicketRequest(input);
  return r.ok ? [] : r.problems;
};

describe('ticketValidity: the month, from the 扶助開始日, up to the day before the 廃止日', () => {
  const cases: [string, string, string, string | null, string, string][] = [
    ['a whole month', '2026-05', '2026-04-10', null, '2026-05-01', '2026-05-31'],
    ['開始 mid-month', '2026-04', '2026-04-10', null, '2026-04-10', '2026-04-30'],
    ['開始 on the 1st', '2026-04', '2026-04-01', null, '2026-04-01', '2026-04-30'],
    ['開始 on the last day', '2026-04', '2026-04-30', null, '2026-04-30', '2026-04-30'],
    ['廃止 mid-month: through the day before', '2026-06', '2026-04-10', '2026-06-16', '2026-06-01', '2026-06-15'],
    ['廃止 on the 1st of the next month: the whole month', '2026-06', '2026-04-10', '2026-07-01', '2026-06-01', '2026-06-30'],
    ['開始 and 廃止 in one month', '2026-04', '2026-04-10', '2026-04-20', '2026-04-10', '2026-04-19'],
    ['February of a leap year', '2028-02', '2026-04-10', null, '2028-02-01', '2028-02-29'],
    ['廃止 on the 2nd: one day', '2026-06', '2026-04-10', '2026-06-02', '2026-06-01', '2026-06-01'],
  ];
  for (const [name, month, start, abolished, from, to] of cases) {
    it(name, () => expect(ticketValidity(month, start, abolished)).toEqual({ ok: true, from, to }));
  }
  const refused: [string, string, string, string | null, string][] = [
    ['a month before the 開始', '2026-03', '2026-04-10', null, '扶助開始日（2026-04-10）より前の月の券は発行できません'],
    ['the month after a 廃止 (a 廃止 stops next month’s 券)', '2026-07', '2026-04-10', '2026-06-16', '廃止日（2026-06-16）以後の月の券は発行できません（廃止日の前日まで有効）'],
    ['廃止 on the 1st of the month', '2026-06', '2026-04-10', '2026-06-01', '廃止日（2026-06-01）以後の月の券は発行できません（廃止日の前日まで有効）'],
    ['a bad month', '2026-13', '2026-04-10', null, '対象年月は年月（例: 2026-04）で入力してください'],
    ['a bad 開始日', '2026-05', '2026-02-30', null, '扶助開始日が正しい日付ではありません'],
  ];
  for (const [name, month, start, abolished, message] of refused) {
    it(`refused: ${name}`, () => expect(ticketValidity(month, start, abolished)).toEqual({ ok: false, message }));
  }
});

describe('one ticket per recipient, month, 指定機関 and 診療別', () => {
  const existing: ExistingTicket[] = [
    { id: 't1', issueNo: '2605000001', status: 'valid', residentId: 'r-1', month: '2026-05', institutionCode: '2712345678', shinryo: '入院外' },
    { id: 't2', issueNo: '2605000002', status: 'cancelled', residentId: 'r-1', month: '2026-05', institutionCode: '2799999999', shinryo: '入院外' },
  ];
  const key: TicketKey = { residentId: 'r-1', month: '2026-05', institutionCode: '2712345678', shinryo: '入院外' };
  const cases: [string, Partial<typeof key>, string | null][] = [
    ['the same four: a duplicate', {}, 't1'],
    ['another month', { month: '2026-06' }, null],
    ['another recipient', { residentId: 'r-2' }, null],
    ['another 指定機関 (two institutions in one month)', { institutionCode: '2711111111' }, null],
    ['another 診療別 at the same institution', { shinryo: '歯科' }, null],
    ['only a cancelled ticket: not a duplicate', { institutionCode: '2799999999' }, null],
  ];
  for (const [name, change, dupId] of cases) {
    it(name, () => {
      const d = findDuplicateTicket(existing, { ...key, ...change });
      expect(d?.ticket.id ?? null).toBe(dupId);
      if (d) expect(d.message).toBe('この受給者の2026-05の入院外の券は、この指定機関にすでに交付されています（交付番号 2605000001）');
    });
  }
});

describe('ticket input', () => {
  it('a 医療券 単独 passes', () => expect(problemsOf(BASE)).toEqual([]));

  const refused: [string, Partial<TicketRequestInput> & Record<string, unknown>, string, string][] = [
    ['医療券 without 傷病名', { diseaseNames: [] }, 'diseaseNames', '医療券には傷病名が必要です'],
    ['医療券 with 診療別 調剤', { shinryo: '調剤' }, 'shinryo', '医療券の診療別は入院・入院外・歯科・訪問看護です'],
    ['調剤券 without 処方箋発行元', { kind: '調剤券', shinryo: '調剤' }, 'prescriberCode', '調剤券には処方箋発行元医療機関が必要です'],
    ['調剤券 with 診療別 入院', { kind: '調剤券', shinryo: '入院', prescriberCode: '2712345678' }, 'shinryo', '調剤券の診療別は調剤です'],
    ['処方箋発行元 on a 医療券', { prescriberCode: '2712345678' }, 'prescriberCode', '処方箋発行元医療機関は調剤券にだけ書きます'],
    ['併用 without 社会保険', { coverage: '併用' }, 'socialInsurance', '併用の券には社会保険（保険者番号・記号・番号）が必要です'],
    ['単独 with 社会保険', { socialInsurance: { insurerNo: '06270011', symbol: 'A', number: '12' } }, 'socialInsurance', '単独の券に社会保険は書きません（併用を選んでください）'],
    ['a negative 本人支払額', { selfPayYen: -1 }, 'selfPayYen', '本人支払額に負の金額は入力できません'],
    ['a fractional 本人支払額', { selfPayYen: 10.5 }, 'selfPayYen', '本人支払額は1円単位の整数で入力してください'],
    ['a 受給者番号 with a wrong check digit', { recipientNo: '0000017' }, 'recipientNo', '受給者番号の検証番号が一致しません'],
    ['a 公費負担者番号 of another 法別', { publicPayerNo: '88131016' }, 'publicPayerNo', '公費負担者番号の法別番号が88です（生活保護は12）'],
    ['a 指定医療機関コード of 8 digits', { institutionCode: '27123456' }, 'institutionCode', '指定医療機関コードは7桁または10桁の半角数字です'],
    ['介護券 with 傷病名', { kind: '介護券', shinryo: '介護' }, 'diseaseNames', '介護券に傷病名は書きません'],
    ['no ケース番号', { caseNo: '' }, 'caseNo', 'ケース番号は1〜10桁の半角数字です'],
    ['a 地区担当員 that is not a staff ID', { caseworker: '担当' }, 'caseworker', '地区担当員は職員ID（英数字3〜32文字）です'],
    ['廃止日 not after 開始日', { abolishedOn: '2026-04-10' }, 'abolishedOn', '廃止日は扶助開始日より後の日付です'],
    ['an unknown field', { myNumber: '123456789012' }, '', ''],
  ];
  for (const [name, change, path, message] of refused) {
    it(`refused: ${name}`, () => {
      const p = problemsOf({ ...BASE, ...change });
      expect(p.length).toBeGreaterThan(0);
      if (message) expect(p).toContainEqual({ path, message });
    });
  }

  it('a 調剤券 and a 併用 医療券 with their items pass', () => {
    expect(problemsOf({ ...BASE, kind: '調剤券', shinryo: '調剤', institutionCode: '2740000011', prescriberCode: '2712345678', diseaseNames: [] })).toEqual([]);
    expect(problemsOf({ ...BASE, coverage: '併用', selfPayYen: 3000, socialInsurance: { insurerNo: '06270011', symbol: '記号', number: '123', branch: '01' } })).toEqual([]);
    expect(problemsOf({ ...BASE, kind: '介護券', shinryo: '介護', institutionCode: '2770000001', diseaseNames: [] })).toEqual([]);
  });
});

describe('prepareTicket and the monthly run', () => {
  it('gives the validity and the 交付番号, and refuses a duplicate and a month after the 廃止', () => {
    const r = prepareTicket({ ...BASE, month: '2026-04' }, [], '2604000001');
    expect(r.ok && { from: r.value.validFrom, to: r.value.validTo, no: r.value.issueNo }).toEqual({ from: '2026-04-10', to: '2026-04-30', no: '2604000001' });
    const dup = prepareTicket(BASE, [{ id: 'x', issueNo: '1', status: 'valid', residentId: 'r-1', month: '2026-05', institutionCode: '2712345678', shinryo: '入院外' }], '2605000002');
    expect(dup.ok).toBe(false);
    const late = prepareTicket({ ...BASE, month: '2026-07', abolishedOn: '2026-06-16' }, [], '2607000001');
    expect(late).toEqual({ ok: false, problems: [{ path: 'month', message: '廃止日（2026-06-16）以後の月の券は発行できません（廃止日の前日まで有効）' }] });
    expect(prepareTicket(BASE, [], 'ab-1')).toEqual({ ok: false, problems: [{ path: 'issueNo', message: '交付番号は英大文字・数字20文字以内です' }] });
  });

  it('monthly 医療券 for two institutions and a 調剤券; a 廃止 stops next month’s 券', () => {
    const standing = [
      { residentId: 'r-1', institutionCode: '2712345678', shinryo: '入院外' as const, month: '', aidStartOn: '2026-04-10', abolishedOn: null },
      { residentId: 'r-1', institutionCode: '2722222222', shinryo: '歯科' as const, month: '', aidStartOn: '2026-04-10', abolishedOn: null },
      { residentId: 'r-1', institutionCode: '2740000011', shinryo: '調剤' as const, month: '', aidStartOn: '2026-04-10', abolishedOn: null },
      { residentId: 'r-2', institutionCode: '2712345678', shinryo: '入院外' as const, month: '', aidStartOn: '2026-01-05', abolishedOn: '2026-05-20' },
    ];
    const may = monthlyTicketLines('2026-05', standing, []);
    expect(may.map((m) => [m.line.residentId, m.line.institutionCode, m.line.shinryo, m.from, m.to])).toEqual([
      ['r-1', '2712345678', '入院外', '2026-05-01', '2026-05-31'],
      ['r-1', '2722222222', '歯科', '2026-05-01', '2026-05-31'],
      ['r-1', '2740000011', '調剤', '2026-05-01', '2026-05-31'],
      ['r-2', '2712345678', '入院外', '2026-05-01', '2026-05-19'],
    ]);
    const june = monthlyTicketLines('2026-06', standing, [{ id: 'a', issueNo: '1', status: 'valid', residentId: 'r-1', month: '2026-06', institutionCode: '2722222222', shinryo: '歯科' }]);
    // r-2 was abolished in May: no June ticket. r-1's 歯科 already issued for June.
    expect(june.map((m) => [m.line.residentId, m.line.shinryo])).toEqual([['r-1', '入院外'], ['r-1', '調剤']]);
  });
});
