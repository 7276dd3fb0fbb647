import { CARE_LEVELS, OTHER_LAWS, STEP_INPUTS, type FlowAction } from '../../../../shared/domain/seikatsu';
import { parseDateInput } from '../../../../shared/domain/wareki';

/**
 * The inputs of each step of a 扶助 flow as the screen asks for them: the keys, labels and kinds of STEP_INPUTS
 * (shared/domain/seikatsu/flows.ts), which checks them — here before sending, and again in the core.
 */
export type StepField =
  | { key: string; label: string; kind: 'date' | 'text'; required?: boolean; hint?: string }
  | { key: string; label: string; kind: 'select'; choices: readonly { value: string; label: string }[]; required?: boolean; hint?: string }
  | { key: string; label: string; kind: 'multi'; choices: readonly string[] };

const note: StepField = { key: 'note', label: '備考', kind: 'text' };
const yesNo = (yes: string, no: string) => [
  { value: 'true', label: yes },
  { value: 'false', label: no },
];
const plain = (xs: readonly string[]) => xs.map((x) => ({ value: x, label: x }));

export const STEP_FIELDS: Readonly<Record<FlowAction, readonly StepField[]>> = {
  tahou_query: [
    { key: 'queriedOn', label: '照会日', kind: 'date', required: true },
    { key: 'agency', label: '照会先', kind: 'text', required: true },
    { key: 'laws', label: '照会する他法', kind: 'multi', choices: OTHER_LAWS },
    note,
  ],
  tahou_answer: [
    { key: 'answeredOn', label: '回答日', kind: 'date', required: true },
    { key: 'otherLawApplies', label: '他法で医療を受けられるか', kind: 'select', choices: yesNo('受けられる（他法を優先）', '受けられない'), required: true },
    note,
  ],
  issue_opinion: [
    { key: 'issuedOn', label: '交付日', kind: 'date', required: true },
    { key: 'institutionCode', label: '指定医療機関コード', kind: 'text', required: true, hint: '7桁または10桁の半角数字' },
    { key: 'institutionName', label: '指定医療機関名', kind: 'text', required: true },
  ],
  return_opinion: [{ key: 'returnedOn', label: '受理日', kind: 'date', required: true }],
  doctor_review: [
    { key: 'reviewedOn', label: '判定日', kind: 'date', required: true },
    { key: 'doctorName', label: '嘱託医', kind: 'text', required: true },
    { key: 'judgement', label: '判定', kind: 'select', choices: plain(['要', '否']), required: true },
    note,
  ],
  insurance_query: [
    { key: 'queriedOn', label: '照会日', kind: 'date', required: true },
    { key: 'agency', label: '照会先', kind: 'text', required: true },
  ],
  insurance_answer: [
    { key: 'answeredOn', label: '回答日', kind: 'date', required: true },
    { key: 'insured', label: '介護保険の被保険者か', kind: 'select', choices: yesNo('被保険者である', '被保険者でない'), required: true },
    { key: 'careLevel', label: '要介護状態区分', kind: 'select', choices: plain(CARE_LEVELS), hint: '認定がなければ選ばない' },
    note,
  ],
  check: [note],
  decide: [
    { key: 'decidedOn', label: '決定日', kind: 'date', required: true },
    { key: 'decision', label: '決定', kind: 'select', choices: plain(['開始', '却下']), required: true },
    { key: 'aidStartOn', label: '扶助開始日', kind: 'date', hint: '開始のときだけ入力' },
    { key: 'reason', label: '理由', kind: 'text', hint: '却下のときは必ず入力' },
  ],
  request_plan: [
    { key: 'requestedOn', label: '依頼日', kind: 'date', required: true },
    { key: 'provider', label: '居宅介護支援事業者', kind: 'text', required: true },
  ],
  receive_plan: [{ key: 'receivedOn', label: '受理日', kind: 'date', required: true }],
  propose_abolish: [
    { key: 'abolishedOn', label: '廃止日', kind: 'date', required: true },
    { key: 'reason', label: '廃止の理由', kind: 'text', required: true },
  ],
  check_abolish: [note],
  approve_abolish: [note],
};

/** What the form keeps: text as typed (dates too), chosen values, ticked laws. */
export type StepForm = Record<string, string | string[]>;

/** The step's input from the form: dates read as ISO (unreadable text kept, for the schema to refuse), booleans, null for an empty optional choice. */
export function stepInput(action: FlowAction, form: StepForm): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of STEP_FIELDS[action]) {
    const v = form[f.key];
    if (f.kind === 'multi') {
      out[f.key] = Array.isArray(v) ? v : [];
      continue;
    }
    const s = typeof v === 'string' ? v.trim() : '';
    if (f.kind === 'date') {
      if (s === '') out[f.key] = f.required ? '' : null;
      else {
        const r = parseDateInput(s);
        out[f.key] = r.ok ? r.iso : s;
      }
    } else if (f.kind === 'select' && (f.key === 'otherLawApplies' || f.key === 'insured')) {
      if (s !== '') out[f.key] = s === 'true';
    } else if (f.kind === 'select' && f.key === 'careLevel') {
      out[f.key] = s === '' ? null : s;
    } else if (s !== '' || f.required || f.key === 'reason' || f.key === 'note') {
      out[f.key] = s;
    }
  }
  return out;
}

/** The schema's refusals by field (the first message of each), or an empty record when the input is valid. */
export function stepErrors(action: FlowAction, input: Record<string, unknown>): Record<string, string> {
  const r = STEP_INPUTS[action].safeParse(input);
  if (r.success) return {};
  const out: Record<string, string> = {};
  for (const i of r.error.issues) {
    const k = String(i.path[0] ?? '');
    out[k] ??= i.message;
  }
  return out;
}

/** The facts a flow's steps recorded (flows.ts FlowFacts) as the screen reads them. */
export interface FlowFactsView {
  otherLawApplies?: boolean;
  opinionInstitution?: { code: string; name: string };
  judgement?: string;
  insured?: boolean;
  careLevel?: string | null;
  decision?: string;
  aidStartOn?: string;
  planReceivedOn?: string;
  abolishedOn?: string;
}
