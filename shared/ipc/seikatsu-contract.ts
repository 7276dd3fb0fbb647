import { z } from 'zod';
import { jimuRight } from '../domain/rights';
import { FLOW_KINDS, FLOW_STATES, STEP_INPUTS } from '../domain/seikatsu/flows';
import { needs, needsAny } from './access';
import { id, isoDate, jsonInput, webauthnJson } from './fields';
import { text } from '../text';

/**
 * 生活保護 医療扶助・介護扶助 (issue 17): the flows of shared/domain/seikatsu/flows.ts at the counter — 申請受理, each
 * step (照会, 回答, 要否意見書, 嘱託医, 確認, 決定, 計画, 廃止) with the claim workflow's two-person rule, the 要確認 /
 * 要決裁 lists and a resident's flows. A step's input travels as a JSON object and is checked by the step's own
 * schema (STEP_INPUTS, Japanese messages) in the service.
 */
const FLOW_ACTIONS = Object.keys(STEP_INPUTS) as [keyof typeof STEP_INPUTS, ...(keyof typeof STEP_INPUTS)[]];
const anySeikatsuClaimRight = needsAny([jimuRight('seikatsu', 'claim.enter'), jimuRight('seikatsu', 'claim.check'), jimuRight('seikatsu', 'claim.approve')]);

const kind = z.enum(FLOW_KINDS, '扶助の種類を選択してください');
const state = z.enum(FLOW_STATES);
const action = z.enum(FLOW_ACTIONS, '操作の指定が正しくありません');
const json = z.record(z.string(), z.unknown());

export const fujoActionView = z.object({ action, label: z.string() });

export const fujoSummary = z.object({
  id,
  version: z.number().int(),
  flowNo: z.string(),
  kind,
  kindLabel: z.string(),
  state,
  stateLabel: z.string(),
  residentId: id,
  residentName: z.string(),
  atenaNo: z.string(),
  appliedOn: z.string(),
  updatedAt: z.string(),
  /** The steps the asking member of staff may take now (the two-person rule and their rights applied). */
  available: z.array(fujoActionView),
});
export type FujoSummary = z.infer<typeof fujoSummary>;

export const fujoDetail = fujoSummary.extend({
  enteredBy: z.array(z.string()),
  checkedBy: z.string().nullable(),
  facts: json,
  history: z.array(z.object({ action: z.string(), label: z.string(), by: z.string(), at: z.string(), input: json })),
  /** 保護受給 in force on the 申請日 (ケース番号, 地区担当員). */
  caseNo: z.string().nullable(),
  caseworker: z.string().nullable(),
});
export type FujoDetail = z.infer<typeof fujoDetail>;

/** A 保護受給 record of the person (seiho_jukyu, imported by the server; read-only at the terminal). */
export const jukyuView = z.object({
  caseNo: z.string(),
  startedOn: z.string(),
  changedOn: z.string().nullable(),
  endedOn: z.string().nullable(),
  changeReason: z.string(),
  caseworker: z.string(),
  /** 扶助の種類 in words (生活扶助, 医療扶助 …). */
  aidKinds: z.array(z.string()),
  /** In force today (jukyuInForce). */
  inForce: z.boolean(),
});
export type JukyuView = z.infer<typeof jukyuView>;

export const seikatsuChannels = {
  'fujo.start': {
    access: needs(jimuRight('seikatsu', 'claim.enter')),
    request: z.object({ kind, residentId: id, appliedOn: isoDate, note: text({ label: '備考', max: 400 }).default('') }).strict(),
    response: fujoDetail,
  },
  /** Before a check or a 決裁: the options for the member's authenticator (challenge: the step's hash; none for an entry). */
  'fujo.stepBegin': {
    access: anySeikatsuClaimRight,
    request: z.object({ flowId: id, version: z.number().int().min(1), action, input: jsonInput }).strict(),
    response: z.object({ options: json.nullable(), hash: z.string().nullable() }),
  },
  'fujo.step': {
    access: anySeikatsuClaimRight,
    request: z.object({ flowId: id, version: z.number().int().min(1), action, input: jsonInput, assertion: webauthnJson.nullable().default(null) }).strict(),
    response: fujoDetail,
  },
  'fujo.get': { access: anySeikatsuClaimRight, request: z.object({ flowId: id }).strict(), response: fujoDetail },
  'fujo.byResident': { access: anySeikatsuClaimRight, request: z.object({ residentId: id }).strict(), response: z.object({ flows: z.array(fujoSummary), jukyu: z.array(jukyuView) }) },
  'fujo.queue': {
    access: anySeikatsuClaimRight,
    request: z.object({ queue: z.enum(['enter', 'check', 'approve'], '一覧の種類が正しくありません') }).strict(),
    response: z.object({ flows: z.array(fujoSummary) }),
  },
} as const;
