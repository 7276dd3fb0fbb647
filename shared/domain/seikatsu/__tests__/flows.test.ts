import { describe, expect, it } from 'vitest';
import { FLOW_TRANSITIONS, aidPeriodFor, applyAction, availableActions, startFlow, ticketPeriod, twoPersonProblem, type FlowAction, type FlowActor, type FlowKind, type FlowRecord } from '../flows';

const ALL: FlowActor['functions'] = ['claim.enter', 'claim.check', 'claim.approve'];
const A: FlowActor = { staffId: 'w1001', functions: ['claim.enter'] }; // 地区担当員
const B: FlowActor = { staffId: 's2001', functions: ['claim.enter', 'claim.check'] }; // 査察指導員
const C: FlowActor = { staffId: 'k3001', functions: ALL }; // 課長 (決裁)
const AT = '2026-04-10T01:00:00Z';

const INPUTS: Record<FlowAction, unknown> = {
  tahou_query: { queriedOn: '2026-04-02', agency: '大阪市 自立支援医療担当', laws: ['自立支援医療', '介護保険'] },
  tahou_answer: { answeredOn: '2026-04-03', otherLawApplies: false },
  issue_opinion: { issuedOn: '2026-04-04', institutionCode: '2712345678', institutionName: '大阪みなと診療所' },
  return_opinion: { returnedOn: '2026-04-08' },
  doctor_review: { reviewedOn: '2026-04-09', doctorName: '嘱託 一郎', judgement: '要' },
  insurance_query: { queriedOn: '2026-04-02', agency: '大阪市 介護保険担当' },
  insurance_answer: { answeredOn: '2026-04-03', insured: true, careLevel: '要介護2' },
  check: {},
  decide: { decidedOn: '2026-04-10', decision: '開始', aidStartOn: '2026-04-10' },
  request_plan: { requestedOn: '2026-04-11', provider: 'みなと居宅介護支援事業所' },
  receive_plan: { receivedOn: '2026-04-15' },
  propose_abolish: { abolishedOn: '2026-06-16', reason: '治癒' },
  check_abolish: {},
  approve_abolish: {},
};

/** Who takes each step on the happy path: A enters, B checks, C approves. */
const actorFor = (a: FlowAction): FlowActor => (a === 'check' || a === 'check_abolish' ? B : a === 'decide' || a === 'approve_abolish' ? C : A);

function start(kind: FlowKind): FlowRecord {
  const r = startFlow(kind, A, { residentId: 'r-1', appliedOn: '2026-04-01' }, AT);
  if (!r.ok) throw new Error(r.message);
  return r.flow;
}

function run(kind: FlowKind, actions: FlowAction[], overrides: Partial<Record<FlowAction, unknown>> = {}): FlowRecord {
  let f = start(kind);
  for (const a of actions) {
    const r = applyAction(f, a, actorFor(a), overrides[a] ?? INPUTS[a], AT);
    if (!r.ok) throw new Error(`${a}: ${r.message}`);
    f = r.flow;
  }
  return f;
}

const PATHS: Record<FlowKind, [FlowAction[], string[]]> = {
  iryo_ikensho: [
    ['tahou_query', 'tahou_answer', 'issue_opinion', 'return_opinion', 'doctor_review', 'check', 'decide', 'propose_abolish', 'check_abolish', 'approve_abolish'],
    ['received', 'tahou_queried', 'tahou_answered', 'opinion_issued', 'opinion_returned', 'doctor_reviewed', 'checked', 'decided', 'abolish_proposed', 'abolish_checked', 'abolished'],
  ],
  iryo_direct: [
    ['check', 'decide', 'propose_abolish', 'check_abolish', 'approve_abolish'],
    ['received', 'checked', 'decided', 'abolish_proposed', 'abolish_checked', 'abolished'],
  ],
  kaigo: [
    ['insurance_query', 'insurance_answer', 'check', 'decide', 'request_plan', 'receive_plan', 'propose_abolish', 'check_abolish', 'approve_abolish'],
    ['received', 'insurance_queried', 'insurance_answered', 'checked', 'decided', 'plan_requested', 'plan_received', 'abolish_proposed', 'abolish_checked', 'abolished'],
  ],
};

describe('each flow through its states with a second and a third person', () => {
  for (const kind of Object.keys(PATHS) as FlowKind[]) {
    it(kind, () => {
      const [actions, states] = PATHS[kind];
      let f = start(kind);
      const seen = [f.state as string];
      for (const a of actions) {
        const r = applyAction(f, a, actorFor(a), INPUTS[a], AT);
        expect(r.ok, a).toBe(true);
        if (r.ok) f = r.flow;
        seen.push(f.state);
      }
      expect(seen).toEqual(states);
      expect(f.history.map((s) => s.by)).toEqual(['w1001', ...actions.map((a) => actorFor(a).staffId)]);
      expect(f.facts.abolishedOn).toBe('2026-06-16');
      expect(ticketPeriod(f)).toEqual({ ok: true, aidStartOn: '2026-04-10', abolishedOn: '2026-06-16' });
    });
  }
  it('every transition of the table is walked by a path', () => {
    for (const kind of Object.keys(PATHS) as FlowKind[]) {
      for (const t of FLOW_TRANSITIONS[kind]) expect(PATHS[kind][0], `${kind} ${t.action}`).toContain(t.action);
    }
  });
});

describe('allowed and refused steps (table)', () => {
  type Row = [name: string, kind: FlowKind, before: FlowAction[], action: FlowAction, actor: FlowActor, input: unknown, expected: string | null];
  const rows: Row[] = [
    // state
    ['要否意見書 before the 他法 answer', 'iryo_ikensho', ['tahou_query'], 'issue_opinion', A, INPUTS.issue_opinion, '「他法照会中」の記録に「要否意見書の発行」はできません'],
    ['決定 before the check', 'iryo_ikensho', ['tahou_query', 'tahou_answer', 'issue_opinion', 'return_opinion', 'doctor_review'], 'decide', C, INPUTS.decide, '「嘱託医 判定済み」の記録に「決定（決裁）」はできません'],
    ['an action of another flow', 'iryo_direct', [], 'tahou_query', A, INPUTS.tahou_query, '医療扶助（要否意見書によらない）に「tahou_query」の操作はありません'],
    ['却下 with a reason', 'iryo_direct', ['check'], 'decide', C, { decidedOn: '2026-04-10', decision: '却下', reason: '他法優先' }, null],
    ['check before the 他法 answer says another law pays', 'iryo_ikensho', ['tahou_query', 'tahou_answer'], 'check', B, {}, '他法の回答のあとは要否意見書を発行します（他法で受けられる場合だけ確認へ進めます）'],
    ['介護 plan before the 決定', 'kaigo', ['insurance_query', 'insurance_answer'], 'request_plan', A, INPUTS.request_plan, '「介護保険 回答済み」の記録に「居宅介護支援計画の依頼」はできません'],
    // rights
    ['a clerk checks', 'iryo_direct', [], 'check', { staffId: 'x9', functions: ['claim.enter'] }, {}, '「確認（二重チェック）」には「申請の確認（二重チェック）」の権限が必要です'],
    ['a checker approves', 'iryo_direct', ['check'], 'decide', { staffId: 'x9', functions: ['claim.check'] }, INPUTS.decide, '「決定（決裁）」には「申請の決裁」の権限が必要です'],
    // two-person rule
    ['the enterer checks', 'iryo_direct', [], 'check', { staffId: 'w1001', functions: ALL }, {}, '自分が入力・訂正した記録は確認できません。別の職員が二重チェックしてください。'],
    ['a checker may enter a step too (then not check it)', 'iryo_ikensho', ['tahou_query', 'tahou_answer', 'issue_opinion', 'return_opinion'], 'doctor_review', B, INPUTS.doctor_review, null],
    ['the checker approves', 'iryo_direct', ['check'], 'decide', { staffId: 's2001', functions: ALL }, INPUTS.decide, '自分が二重チェックした記録は決裁できません。'],
    ['the enterer approves', 'iryo_direct', ['check'], 'decide', { staffId: 'w1001', functions: ALL }, INPUTS.decide, '自分が入力・訂正した記録は決裁できません。'],
    ['a third person approves', 'iryo_direct', ['check'], 'decide', C, INPUTS.decide, null],
    ['廃止: its enterer checks', 'iryo_direct', ['check', 'decide', 'propose_abolish'], 'check_abolish', { staffId: 'w1001', functions: ALL }, {}, '自分が入力・訂正した記録は確認できません。別の職員が二重チェックしてください。'],
    ['廃止: who approved the 開始 may check the 廃止 (a new decision)', 'iryo_direct', ['check', 'decide', 'propose_abolish'], 'check_abolish', C, {}, null],
    ['廃止: its checker approves', 'iryo_direct', ['check', 'decide', 'propose_abolish', 'check_abolish'], 'approve_abolish', { staffId: 's2001', functions: ALL }, {}, '自分が二重チェックした記録は決裁できません。'],
    // rules of the 決定
    ['開始 when the 嘱託医 says 否', 'iryo_ikensho', ['tahou_query', 'tahou_answer', 'issue_opinion', 'return_opinion', 'doctor_review', 'check'], 'decide', C, INPUTS.decide, '嘱託医が要と判定していないため、医療扶助は開始できません'],
    ['開始 without 扶助開始日', 'iryo_direct', ['check'], 'decide', C, { decidedOn: '2026-04-10', decision: '開始' }, '開始の決定には扶助開始日が必要です'],
    ['開始 before the 申請日', 'iryo_direct', ['check'], 'decide', C, { decidedOn: '2026-04-10', decision: '開始', aidStartOn: '2026-03-31' }, '扶助開始日は申請日より前にできません'],
    ['却下 without a reason', 'iryo_direct', ['check'], 'decide', C, { decidedOn: '2026-04-10', decision: '却下' }, '却下の理由を入力してください'],
    ['介護 開始 without 要介護状態区分', 'kaigo', ['insurance_query', 'insurance_answer', 'check'], 'decide', C, INPUTS.decide, '要介護状態区分の回答がないため、介護扶助は開始できません'],
    ['廃止日 not after the 開始', 'iryo_direct', ['check', 'decide'], 'propose_abolish', A, { abolishedOn: '2026-04-10', reason: '治癒' }, '廃止日は扶助開始日より後の日付です'],
    ['廃止 without a reason', 'iryo_direct', ['check', 'decide'], 'propose_abolish', A, { abolishedOn: '2026-06-16', reason: '' }, '廃止の理由を入力してください'],
    ['他法照会 without a law', 'iryo_ikensho', [], 'tahou_query', A, { queriedOn: '2026-04-02', agency: '担当', laws: [] }, '照会する他法を1つ以上選んでください'],
  ];
  const overridesFor = (name: string): Partial<Record<FlowAction, unknown>> =>
    name.startsWith('開始 when the 嘱託医') ? { doctor_review: { ...(INPUTS.doctor_review as object), judgement: '否' } } : name.startsWith('介護 開始 without') ? { insurance_answer: { answeredOn: '2026-04-03', insured: false, careLevel: null } } : {};
  for (const [name, kind, before, action, actor, input, expected] of rows) {
    it(`${expected === null ? 'allowed' : 'refused'}: ${name}`, () => {
      const f = run(kind, before, overridesFor(name));
      const r = applyAction(f, action, actor, input, AT);
      if (expected === null) expect(r.ok).toBe(true);
      else expect(r.ok ? null : r.message).toBe(expected);
      if (!r.ok) expect(f.history.length).toBe(before.length + 1); // nothing changed
    });
  }
});

describe('the 他法 path, tickets and the screen’s actions', () => {
  it('another law pays: no 要否意見書; check → 却下; no ticket', () => {
    const f = run('iryo_ikensho', ['tahou_query', 'tahou_answer'], { tahou_answer: { answeredOn: '2026-04-03', otherLawApplies: true } });
    const opinion = applyAction(f, 'issue_opinion', A, INPUTS.issue_opinion, AT);
    expect(opinion.ok ? null : opinion.message).toBe('他法で医療を受けられるため、要否意見書は発行しません（却下して関係機関へ案内します）');
    const checked = applyAction(f, 'check', B, {}, AT);
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    const start = applyAction(checked.flow, 'decide', C, INPUTS.decide, AT);
    expect(start.ok ? null : start.message).toBe('他法で医療を受けられるため、医療扶助は開始できません（却下して関係機関へ案内します）');
    const reject = applyAction(checked.flow, 'decide', C, { decidedOn: '2026-04-10', decision: '却下', reason: '自立支援医療で受診' }, AT);
    expect(reject.ok && reject.flow.state).toBe('rejected');
    if (reject.ok) {
      expect(availableActions(reject.flow, { staffId: 'z', functions: ALL })).toEqual([]);
      expect(ticketPeriod(reject.flow).ok).toBe(false);
    }
  });

  it('介護券 wait for the 居宅介護支援計画', () => {
    const decided = run('kaigo', ['insurance_query', 'insurance_answer', 'check', 'decide']);
    expect(ticketPeriod(decided)).toEqual({ ok: false, message: '居宅介護支援計画を受理していないため、介護券は交付できません' });
    const planned = run('kaigo', ['insurance_query', 'insurance_answer', 'check', 'decide', 'request_plan', 'receive_plan']);
    expect(ticketPeriod(planned)).toEqual({ ok: true, aidStartOn: '2026-04-10', abolishedOn: null });
  });

  it('a decided 医療扶助 gives tickets with no end until the 廃止 is approved', () => {
    const proposed = run('iryo_direct', ['check', 'decide', 'propose_abolish']);
    expect(ticketPeriod(proposed)).toEqual({ ok: true, aidStartOn: '2026-04-10', abolishedOn: null });
    expect(ticketPeriod(run('iryo_direct', ['check'])).ok).toBe(false);
  });

  it('aidPeriodFor: the period of the ticket\'s 扶助 that covers the month, else the latest decided one; with a 扶助開始日, only a period starting that day', () => {
    const first = run('iryo_direct', ['check', 'decide', 'propose_abolish', 'check_abolish', 'approve_abolish']); // 2026-04-10 to 2026-06-16
    const second = run('iryo_direct', ['check', 'decide'], { decide: { decidedOn: '2026-09-01', decision: '開始', aidStartOn: '2026-09-01' } });
    const kaigo = run('kaigo', ['insurance_query', 'insurance_answer', 'check', 'decide', 'request_plan', 'receive_plan']);
    const flows = [second, kaigo, first];
    expect(aidPeriodFor(flows, '医療券', '2026-05')).toEqual({ ok: true, aidStartOn: '2026-04-10', abolishedOn: '2026-06-16' });
    expect(aidPeriodFor(flows, '調剤券', '2026-10')).toEqual({ ok: true, aidStartOn: '2026-09-01', abolishedOn: null });
    // Covered by none (between the two): the latest, whose refusal for the month ticketValidity gives.
    expect(aidPeriodFor(flows, '医療券', '2026-07')).toEqual({ ok: true, aidStartOn: '2026-09-01', abolishedOn: null });
    expect(aidPeriodFor(flows, '医療券', 'not a month')).toEqual({ ok: true, aidStartOn: '2026-09-01', abolishedOn: null });
    expect(aidPeriodFor(flows, '介護券', '2026-05')).toEqual({ ok: true, aidStartOn: '2026-04-10', abolishedOn: null });
    // The 扶助開始日 the ticket carries: that period, covering or not; another day is refused.
    expect(aidPeriodFor(flows, '医療券', '2026-07', '2026-04-10')).toEqual({ ok: true, aidStartOn: '2026-04-10', abolishedOn: '2026-06-16' });
    expect(aidPeriodFor(flows, '医療券', '2026-05', '2026-05-01')).toEqual({
      ok: false, why: 'other_start', message: '扶助開始日（2026-05-01）の医療扶助の開始の決定（決裁）がないため、医療券は交付できません',
    });
    expect(aidPeriodFor([kaigo], '医療券', '2026-05')).toEqual({ ok: false, why: 'no_flow', message: 'この方には医療扶助の申請・決定の記録がないため、医療券は交付できません。' });
    expect(aidPeriodFor([second, run('kaigo', ['insurance_query'])], '介護券', '2026-05')).toEqual({
      ok: false, why: 'not_decided', message: '介護扶助が開始の決定（決裁）に至っていないため、券は交付できません',
    });
  });

  it('availableActions leaves out what the two-person rule refuses', () => {
    const f = start('iryo_direct');
    expect(availableActions(f, { staffId: 'w1001', functions: ALL })).toEqual([]);
    expect(availableActions(f, B)).toEqual(['check']);
  });

  it('startFlow needs the right and a date', () => {
    expect(startFlow('kaigo', { staffId: 's', functions: ['claim.check'] }, { residentId: 'r', appliedOn: '2026-04-01' }, AT)).toEqual({ ok: false, code: 'forbidden', message: '申請受理には「申請の入力」の権限が必要です' });
    const bad = startFlow('kaigo', A, { residentId: 'r', appliedOn: '2026-02-30' }, AT);
    expect(bad.ok ? null : bad.message).toBe('申請日は正しい年月日で入力してください（例: 2026-04-01）');
  });

  it('twoPersonProblem is the claim rule', () => {
    expect(twoPersonProblem('any', 'a', ['a'], 'a')).toBeNull();
    expect(twoPersonProblem('not_enterer', 'b', ['a'], null)).toBeNull();
    expect(twoPersonProblem('not_enterer_nor_checker', 'c', ['a'], 'b')).toBeNull();
    expect(twoPersonProblem('not_enterer_nor_checker', 'b', ['a'], 'b')).toEqual({ code: 'own_check', message: '自分が二重チェックした記録は決裁できません。' });
  });
});
