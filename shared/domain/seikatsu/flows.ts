/**
 * The 医療扶助 and 介護扶助 flows of a 福祉事務所 (seed 001 別添1 (3)(4)) as pure state machines. A flow is a record
 * with a state, the facts its steps recorded and its history; `applyAction` checks one step (state, the staff
 * member's right, the two-person rule, the step's input) and returns the next record or a Japanese refusal.
 *
 * The two-person rule is the claim workflow's (electron/core/claims/claim-service.ts check/decide, and the sync
 * check of shared/sync/scope.ts for claims): whoever entered or corrected an input does not check it; whoever
 * entered or checked does not approve (決裁). Here the "entered" set is everyone who recorded a step since the last
 * 決裁 — the inputs a 決定 rests on — and each 決定 (開始/却下, and the 廃止) needs one check and one 決裁.
 *
 * Flows:
 * - 医療扶助（要否意見書による）: 申請受理 → 他法照会 → 他法回答 → 要否意見書 発行 → 要否意見書 返戻 → 嘱託医 判定
 *   → 確認 → 決定（決裁: 開始 or 却下） → 廃止 起案 → 確認 → 廃止（決裁）. When the 他法 answer says another law pays,
 *   the way goes from the answer to 確認 → 却下 (the recipient is referred to that law).
 * - 医療扶助（要否意見書によらない: 軽微・突発）: 申請受理 → 確認 → 決定（決裁） → 廃止 起案 → 確認 → 廃止.
 * - 介護扶助: 申請 → 介護保険 資格・認定 照会 → 回答 → 確認 → 決定（決裁） → 居宅介護支援計画 依頼 → 計画 受理
 *   → 廃止 起案 → 確認 → 廃止. The seed puts the 決定 before the 居宅介護支援計画 (別添1 (4): 4. 決定, then
 *   (2) 居宅介護支援計画の確認 5–6, then (3) 7. 月別の給付券); 介護券 wait for the received plan.
 */
import { z } from 'zod';
import { text } from '../../text';
import { isoDate } from '../claims/common';
import { aidOfTicketKind, medicalInstitutionCode, ticketValidity, type TicketKind } from './ticket';
import { twoPersonProblem, type PersonRule } from '../claims/two-person';

export { twoPersonProblem, type PersonRule };

/** The 事務 functions of shared/domain/rights.ts a step needs (JimuFunction's claim functions). */
export type FlowFunction = 'claim.enter' | 'claim.check' | 'claim.approve';


export const FLOW_KINDS = ['iryo_ikensho', 'iryo_direct', 'kaigo'] as const;
export type FlowKind = (typeof FLOW_KINDS)[number];
export const FLOW_KIND_LABELS: Readonly<Record<FlowKind, string>> = {
  iryo_ikensho: '医療扶助（要否意見書による）',
  iryo_direct: '医療扶助（要否意見書によらない）',
  kaigo: '介護扶助',
};

export const FLOW_STATES = [
  'received',
  'tahou_queried',
  'tahou_answered',
  'opinion_issued',
  'opinion_returned',
  'doctor_reviewed',
  'insurance_queried',
  'insurance_answered',
  'checked',
  'decided',
  'rejected',
  'plan_requested',
  'plan_received',
  'abolish_proposed',
  'abolish_checked',
  'abolished',
] as const;
export type FlowState = (typeof FLOW_STATES)[number];

export const FLOW_STATE_LABELS: Readonly<Record<FlowState, string>> = {
  received: '申請受理',
  tahou_queried: '他法照会中',
  tahou_answered: '他法回答済み',
  opinion_issued: '要否意見書 発行済み',
  opinion_returned: '要否意見書 返戻済み',
  doctor_reviewed: '嘱託医 判定済み',
  insurance_queried: '介護保険 資格・認定 照会中',
  insurance_answered: '介護保険 回答済み',
  checked: '確認済み（決裁待ち）',
  decided: '決定（扶助開始）',
  rejected: '却下',
  plan_requested: '居宅介護支援計画 依頼済み',
  plan_received: '居宅介護支援計画 受理',
  abolish_proposed: '廃止 起案',
  abolish_checked: '廃止 確認済み（決裁待ち）',
  abolished: '廃止',
};

export const OTHER_LAWS = ['自立支援医療', '介護保険', '障害者医療', '難病医療', '感染症法', 'その他'] as const;
export const CARE_LEVELS = ['要支援1', '要支援2', '要介護1', '要介護2', '要介護3', '要介護4', '要介護5'] as const;

const note = text({ label: '備考', max: 400 }).default('');
const reason = (label: string) => text({ label, min: 1, max: 400, requiredMessage: `${label}を入力してください` });

/** Inputs of each step (zod, Japanese messages). */
export const STEP_INPUTS = {
  tahou_query: z.strictObject({
    queriedOn: isoDate('照会日'),
    agency: text({ label: '照会先', min: 1, max: 100 }),
    laws: z.array(z.enum(OTHER_LAWS, { error: `照会する他法は${OTHER_LAWS.join('・')}から選びます` })).min(1, '照会する他法を1つ以上選んでください'),
    note,
  }),
  tahou_answer: z.strictObject({
    answeredOn: isoDate('回答日'),
    otherLawApplies: z.boolean({ error: '他法で医療を受けられるかを選んでください' }),
    note,
  }),
  issue_opinion: z.strictObject({
    issuedOn: isoDate('交付日'),
    institutionCode: medicalInstitutionCode,
    institutionName: text({ label: '指定医療機関名', min: 1, max: 100 }),
  }),
  return_opinion: z.strictObject({ returnedOn: isoDate('受理日') }),
  doctor_review: z.strictObject({
    reviewedOn: isoDate('判定日'),
    doctorName: text({ label: '嘱託医', min: 1, max: 60 }),
    judgement: z.enum(['要', '否'], { error: '嘱託医の判定は要か否です' }),
    note,
  }),
  insurance_query: z.strictObject({ queriedOn: isoDate('照会日'), agency: text({ label: '照会先', min: 1, max: 100 }) }),
  insurance_answer: z.strictObject({
    answeredOn: isoDate('回答日'),
    insured: z.boolean({ error: '介護保険の被保険者かどうかを選んでください' }),
    careLevel: z.enum(CARE_LEVELS, { error: `要介護状態区分は${CARE_LEVELS.join('・')}のいずれかです` }).nullable(),
    note,
  }),
  check: z.strictObject({ note }),
  decide: z.strictObject({
    decidedOn: isoDate('決定日'),
    decision: z.enum(['開始', '却下'], { error: '決定は開始か却下です' }),
    aidStartOn: isoDate('扶助開始日').nullable().default(null),
    reason: text({ label: '理由', max: 400 }).default(''),
  }),
  request_plan: z.strictObject({ requestedOn: isoDate('依頼日'), provider: text({ label: '居宅介護支援事業者', min: 1, max: 100 }) }),
  receive_plan: z.strictObject({ receivedOn: isoDate('受理日') }),
  propose_abolish: z.strictObject({ abolishedOn: isoDate('廃止日'), reason: reason('廃止の理由') }),
  check_abolish: z.strictObject({ note }),
  approve_abolish: z.strictObject({ note }),
} as const;
export type FlowAction = keyof typeof STEP_INPUTS;

export interface FlowFacts {
  appliedOn: string;
  otherLawApplies?: boolean;
  opinionInstitution?: { code: string; name: string };
  judgement?: '要' | '否';
  insured?: boolean;
  careLevel?: string | null;
  decision?: '開始' | '却下';
  aidStartOn?: string;
  planReceivedOn?: string;
  abolishedOn?: string;
}

export interface FlowStep {
  action: FlowAction | 'receive';
  by: string;
  at: string;
  input: Record<string, unknown>;
}

export interface FlowRecord {
  kind: FlowKind;
  residentId: string;
  state: FlowState;
  /** Everyone who recorded a step since the last 決裁 (the inputs the next 決定 rests on). */
  enteredBy: string[];
  /** Who checked them (null until checked). */
  checkedBy: string | null;
  facts: FlowFacts;
  history: FlowStep[];
}

export interface FlowActor {
  staffId: string;
  /** The functions the member of staff holds in the 生活保護 事務 (from the grants; shared/domain/rights.ts). */
  functions: readonly FlowFunction[];
}

export interface TransitionDef {
  action: FlowAction;
  label: string;
  from: readonly FlowState[];
  /** The next state (the 決定 goes to 'decided' or 'rejected' by its input). */
  to: FlowState | ((input: Record<string, unknown>) => FlowState);
  fn: FlowFunction;
  person: PersonRule;
  /** A refusal from the facts and the step's input, or null. */
  guard?: (flow: FlowRecord, input: Record<string, unknown>) => string | null;
}

const decideGuard = (flow: FlowRecord, input: Record<string, unknown>): string | null => {
  const f = flow.facts;
  if (input.decision === '開始') {
    if (f.otherLawApplies) return '他法で医療を受けられるため、医療扶助は開始できません（却下して関係機関へ案内します）';
    if (flow.kind === 'iryo_ikensho' && f.judgement !== '要') return '嘱託医が要と判定していないため、医療扶助は開始できません';
    if (flow.kind === 'kaigo' && !f.careLevel) return '要介護状態区分の回答がないため、介護扶助は開始できません';
    if (!input.aidStartOn) return '開始の決定には扶助開始日が必要です';
    if (String(input.aidStartOn) < f.appliedOn) return '扶助開始日は申請日より前にできません';
  } else {
    if (input.aidStartOn) return '却下の決定に扶助開始日は書きません';
    if (!String(input.reason ?? '').trim()) return '却下の理由を入力してください';
  }
  return null;
};

const toDecision = (input: Record<string, unknown>): FlowState => (input.decision === '開始' ? 'decided' : 'rejected');

const abolishGuard = (flow: FlowRecord, input: Record<string, unknown>): string | null =>
  flow.facts.aidStartOn && String(input.abolishedOn) <= flow.facts.aidStartOn ? '廃止日は扶助開始日より後の日付です' : null;

const ABOLISH: readonly TransitionDef[] = [
  { action: 'check_abolish', label: '廃止の確認', from: ['abolish_proposed'], to: 'abolish_checked', fn: 'claim.check', person: 'not_enterer' },
  { action: 'approve_abolish', label: '廃止の決裁', from: ['abolish_checked'], to: 'abolished', fn: 'claim.approve', person: 'not_enterer_nor_checker' },
];

/** The transitions of each flow: the table the tests walk. */
export const FLOW_TRANSITIONS: Readonly<Record<FlowKind, readonly TransitionDef[]>> = {
  iryo_ikensho: [
    { action: 'tahou_query', label: '他法照会', from: ['received'], to: 'tahou_queried', fn: 'claim.enter', person: 'any' },
    { action: 'tahou_answer', label: '他法回答の記録', from: ['tahou_queried'], to: 'tahou_answered', fn: 'claim.enter', person: 'any' },
    {
      action: 'issue_opinion', label: '要否意見書の発行', from: ['tahou_answered'], to: 'opinion_issued', fn: 'claim.enter', person: 'any',
      guard: (f) => (f.facts.otherLawApplies ? '他法で医療を受けられるため、要否意見書は発行しません（却下して関係機関へ案内します）' : null),
    },
    { action: 'return_opinion', label: '要否意見書の返戻（受理）', from: ['opinion_issued'], to: 'opinion_returned', fn: 'claim.enter', person: 'any' },
    { action: 'doctor_review', label: '嘱託医の判定', from: ['opinion_returned'], to: 'doctor_reviewed', fn: 'claim.enter', person: 'any' },
    {
      action: 'check', label: '確認（二重チェック）', from: ['doctor_reviewed', 'tahou_answered'], to: 'checked', fn: 'claim.check', person: 'not_enterer',
      guard: (f) => (f.state === 'tahou_answered' && !f.facts.otherLawApplies ? '他法の回答のあとは要否意見書を発行します（他法で受けられる場合だけ確認へ進めます）' : null),
    },
    { action: 'decide', label: '決定（決裁）', from: ['checked'], to: toDecision, fn: 'claim.approve', person: 'not_enterer_nor_checker', guard: decideGuard },
    { action: 'propose_abolish', label: '廃止の起案', from: ['decided'], to: 'abolish_proposed', fn: 'claim.enter', person: 'any', guard: abolishGuard },
    ...ABOLISH,
  ],
  iryo_direct: [
    { action: 'check', label: '確認（二重チェック）', from: ['received'], to: 'checked', fn: 'claim.check', person: 'not_enterer' },
    { action: 'decide', label: '決定（決裁）', from: ['checked'], to: toDecision, fn: 'claim.approve', person: 'not_enterer_nor_checker', guard: decideGuard },
    { action: 'propose_abolish', label: '廃止の起案', from: ['decided'], to: 'abolish_proposed', fn: 'claim.enter', person: 'any', guard: abolishGuard },
    ...ABOLISH,
  ],
  kaigo: [
    { action: 'insurance_query', label: '介護保険 資格・認定 照会', from: ['received'], to: 'insurance_queried', fn: 'claim.enter', person: 'any' },
    { action: 'insurance_answer', label: '介護保険 回答の記録', from: ['insurance_queried'], to: 'insurance_answered', fn: 'claim.enter', person: 'any' },
    { action: 'check', label: '確認（二重チェック）', from: ['insurance_answered'], to: 'checked', fn: 'claim.check', person: 'not_enterer' },
    { action: 'decide', label: '決定（決裁）', from: ['checked'], to: toDecision, fn: 'claim.approve', person: 'not_enterer_nor_checker', guard: decideGuard },
    { action: 'request_plan', label: '居宅介護支援計画の依頼', from: ['decided'], to: 'plan_requested', fn: 'claim.enter', person: 'any' },
    { action: 'receive_plan', label: '居宅介護支援計画の受理', from: ['plan_requested'], to: 'plan_received', fn: 'claim.enter', person: 'any' },
    { action: 'propose_abolish', label: '廃止の起案', from: ['decided', 'plan_requested', 'plan_received'], to: 'abolish_proposed', fn: 'claim.enter', person: 'any', guard: abolishGuard },
    ...ABOLISH,
  ],
};

const FN_LABELS: Readonly<Record<FlowFunction, string>> = {
  'claim.enter': '申請の入力',
  'claim.check': '申請の確認（二重チェック）',
  'claim.approve': '申請の決裁',
};

/**
 * The two-person rule of the claim workflow as one pure check: a checker is not among those who entered; an
 * approver is neither among them nor the checker. A Japanese refusal, or null.
 */

export type FlowRefusal = { ok: false; code: 'state' | 'forbidden' | 'own_entry' | 'own_check' | 'rule' | 'input'; message: string };
export type FlowResult = { ok: true; flow: FlowRecord } | FlowRefusal;

const receiveInput = z.strictObject({
  residentId: z.string({ error: '受給者を指定してください' }).min(1, '受給者を指定してください'),
  appliedOn: isoDate('申請日'),
  note,
});

/** 申請受理: a new flow in state 'received', entered by `actor`. */
export function startFlow(kind: FlowKind, actor: FlowActor, input: unknown, at: string): FlowResult {
  if (!actor.functions.includes('claim.enter')) return { ok: false, code: 'forbidden', message: `申請受理には「${FN_LABELS['claim.enter']}」の権限が必要です` };
  const r = receiveInput.safeParse(input);
  if (!r.success) return { ok: false, code: 'input', message: r.error.issues.map((i) => i.message).join('、') };
  return {
    ok: true,
    flow: {
      kind,
      residentId: r.data.residentId,
      state: 'received',
      enteredBy: [actor.staffId],
      checkedBy: null,
      facts: { appliedOn: r.data.appliedOn },
      history: [{ action: 'receive', by: actor.staffId, at, input: r.data }],
    },
  };
}

/** The steps `actor` may take now (for a screen's buttons). */
export function availableActions(flow: FlowRecord, actor: FlowActor): FlowAction[] {
  return FLOW_TRANSITIONS[flow.kind]
    .filter((t) => t.from.includes(flow.state) && actor.functions.includes(t.fn) && !twoPersonProblem(t.person, actor.staffId, flow.enteredBy, flow.checkedBy))
    .map((t) => t.action);
}

/** One step: the next record, or a Japanese refusal (the record is never changed in place). */
export function applyAction(flow: FlowRecord, action: FlowAction, actor: FlowActor, input: unknown, at: string): FlowResult {
  const defs = FLOW_TRANSITIONS[flow.kind].filter((t) => t.action === action);
  if (defs.length === 0) return { ok: false, code: 'state', message: `${FLOW_KIND_LABELS[flow.kind]}に「${action}」の操作はありません` };
  const t = defs.find((d) => d.from.includes(flow.state));
  if (!t) return { ok: false, code: 'state', message: `「${FLOW_STATE_LABELS[flow.state]}」の記録に「${defs[0]!.label}」はできません` };
  if (!actor.functions.includes(t.fn)) return { ok: false, code: 'forbidden', message: `「${t.label}」には「${FN_LABELS[t.fn]}」の権限が必要です` };
  const person = twoPersonProblem(t.person, actor.staffId, flow.enteredBy, flow.checkedBy);
  if (person) return { ok: false, code: person.code, message: person.message };
  const parsed = STEP_INPUTS[action].safeParse(input ?? {});
  if (!parsed.success) return { ok: false, code: 'input', message: parsed.error.issues.map((i) => i.message).join('、') };
  const data = parsed.data as Record<string, unknown>;
  const refused = t.guard?.(flow, data) ?? null;
  if (refused) return { ok: false, code: 'rule', message: refused };
  const to = typeof t.to === 'function' ? t.to(data) : t.to;
  const facts: FlowFacts = { ...flow.facts, ...factsOf(flow, action, data) };
  // A 決裁 closes a decision: the next one (the 廃止) needs its own entry, check and approval.
  const closes = t.fn === 'claim.approve';
  return {
    ok: true,
    flow: {
      ...flow,
      state: to,
      enteredBy: closes ? [] : t.fn === 'claim.enter' && !flow.enteredBy.includes(actor.staffId) ? [...flow.enteredBy, actor.staffId] : flow.enteredBy,
      checkedBy: closes ? null : t.fn === 'claim.check' ? actor.staffId : flow.checkedBy,
      facts,
      history: [...flow.history, { action, by: actor.staffId, at, input: data }],
    },
  };
}

function factsOf(flow: FlowRecord, action: FlowAction, d: Record<string, unknown>): Partial<FlowFacts> {
  switch (action) {
    case 'tahou_answer':
      return { otherLawApplies: d.otherLawApplies as boolean };
    case 'issue_opinion':
      return { opinionInstitution: { code: String(d.institutionCode), name: String(d.institutionName) } };
    case 'doctor_review':
      return { judgement: d.judgement as '要' | '否' };
    case 'insurance_answer':
      return { insured: d.insured as boolean, careLevel: (d.careLevel as string | null) ?? null };
    case 'decide':
      return { decision: d.decision as '開始' | '却下', ...(d.aidStartOn ? { aidStartOn: String(d.aidStartOn) } : {}) };
    case 'receive_plan':
      return { planReceivedOn: String(d.receivedOn) };
    case 'approve_abolish': {
      // The 廃止日 proposed in the 起案 takes effect with the 決裁.
      const proposed = proposedAbolition(flow);
      return proposed ? { abolishedOn: proposed } : {};
    }
    default:
      return {};
  }
}

/** The proposed 廃止日 travels in the history until the 決裁; facts.abolishedOn is set when it is approved. */
function proposedAbolition(flow: FlowRecord): string | null {
  for (let i = flow.history.length - 1; i >= 0; i--) {
    const s = flow.history[i]!;
    if (s.action === 'propose_abolish') return String(s.input.abolishedOn);
  }
  return null;
}

/**
 * The 扶助 period tickets may be issued for, or a Japanese reason there is none: 医療券/調剤券 once the 医療扶助 is
 * decided (開始), 介護券 once the 介護扶助 is decided and its 居宅介護支援計画 received. An abolished flow still gives
 * its period (tickets of the months before the 廃止日; ticket.ts ticketValidity cuts them).
 */
export function ticketPeriod(flow: FlowRecord): { ok: true; aidStartOn: string; abolishedOn: string | null } | { ok: false; message: string } {
  const f = flow.facts;
  if (f.decision !== '開始' || !f.aidStartOn) return { ok: false, message: `${FLOW_KIND_LABELS[flow.kind]}が開始の決定（決裁）に至っていないため、券は交付できません` };
  if (flow.kind === 'kaigo' && !f.planReceivedOn) return { ok: false, message: '居宅介護支援計画を受理していないため、介護券は交付できません' };
  return { ok: true, aidStartOn: f.aidStartOn, abolishedOn: f.abolishedOn ?? null };
}

/** Why no 扶助 period is found for a ticket (the audit's `why`; shared/audit/detail-labels.ts). */
export type AidPeriodWhy = 'no_flow' | 'not_decided' | 'other_start';
export type AidPeriodChoice = { ok: true; aidStartOn: string; abolishedOn: string | null } | { ok: false; why: AidPeriodWhy; message: string };

/**
 * The 扶助 period a ticket of `ticketKind` for `month` is issued within, chosen from one person's flows — the one
 * rule for the terminal that issues it (electron/core/certificates/lifecycle-service.ts aidPeriod) and the server
 * that accepts it (server/sync.ts ticketFlowProblem): among the flows of the ticket's 扶助 (介護券: 介護扶助; 医療券・
 * 調剤券: 医療扶助) that give a period (ticketPeriod: decided 開始; 介護 with its plan received), the one whose period
 * covers the month (ticketValidity), else the latest (whose refusal for the month the caller shows with
 * ticketValidity). A refusal: no flow of the 扶助 ('no_flow'), none decided ('not_decided': the last flow's reason),
 * or, when `aidStartOn` is given (the server checks the ticket's stored 扶助開始日), no decided period starting that
 * day ('other_start').
 *
 * `month` is as received (unchecked); a month that is not 'YYYY-MM' is covered by no period.
 */
export function aidPeriodFor(flows: readonly FlowRecord[], ticketKind: TicketKind, month: unknown, aidStartOn?: string): AidPeriodChoice {
  const aid = aidOfTicketKind(ticketKind);
  const ofAid = flows.filter((f) => (aid === '介護扶助') === (f.kind === 'kaigo'));
  if (ofAid.length === 0) return { ok: false, why: 'no_flow', message: `この方には${aid}の申請・決定の記録がないため、${ticketKind}は交付できません。` };
  const periods = ofAid.map(ticketPeriod);
  let decided = periods.filter((p) => p.ok).sort((a, b) => (a.aidStartOn < b.aidStartOn ? -1 : 1));
  if (decided.length === 0) {
    const last = periods[periods.length - 1]!;
    return { ok: false, why: 'not_decided', message: last.ok ? '' : last.message };
  }
  if (aidStartOn !== undefined) {
    decided = decided.filter((p) => p.aidStartOn === aidStartOn);
    if (decided.length === 0) return { ok: false, why: 'other_start', message: `扶助開始日（${aidStartOn}）の${aid}の開始の決定（決裁）がないため、${ticketKind}は交付できません` };
  }
  const covering = typeof month === 'string' ? decided.filter((p) => ticketValidity(month, p.aidStartOn, p.abolishedOn).ok) : [];
  const from = covering.length ? covering : decided;
  const p = from[from.length - 1]!;
  return { ok: true, aidStartOn: p.aidStartOn, abolishedOn: p.abolishedOn };
}
