import { createHash } from 'node:crypto';
import { generateAuthenticationOptions, type AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { AuditAction } from '../../../shared/audit/actions';
import { jimuRight } from '../../../shared/domain/rights';
import {
  FLOW_KIND_LABELS,
  FLOW_STATE_LABELS,
  FLOW_TRANSITIONS,
  applyAction,
  availableActions,
  jukyuInForce,
  jukyuOn,
  startFlow,
  stepNeedsSignature,
  stepSubject,
  type FlowAction,
  type FlowActor,
  type FlowFunction,
  type FlowKind,
  type FlowRecord,
  type FlowRefusal,
  type FlowState,
  type FlowResult,
  type JukyuRow,
  type StepProofs,
} from '../../../shared/domain/seikatsu';
import type { FujoDetail, FujoSummary, JukyuView } from '../../../shared/ipc/seikatsu-contract';
import { aidKindsOf, SEIHO_AID_KINDS } from '../../../shared/interfaces/seiho';
import { todayInJapan } from '../../../shared/domain/wareki';
import type { Actor } from '../actor';
import type { AuditLog } from '../audit/audit-log';
import { activeAuthenticators, verifyAssertion, type WebAuthnConfig } from '../auth/webauthn';
import type { Db } from '../db/database';
import { insertRecord, updateRecord, type Stamp } from '../db/records';
import { DomainError } from '../errors';
import type { Clock } from '../platform';
import type { ResidentRow, ResidentService } from '../residents/resident-service';

export interface FujoFlowRow {
  id: string;
  version: number;
  resident_id: string;
  flow_no: string;
  kind: FlowKind;
  state: FlowState;
  applied_on: string;
  record_json: string;
  proofs_json: string;
  updated_at: string;
}

interface JukyuRecord extends JukyuRow {
  caseworker: string;
  aid_kinds?: string;
}

const FUNCTIONS: readonly FlowFunction[] = ['claim.enter', 'claim.check', 'claim.approve'];
/** Flows nothing more can be done with (a queue never lists them). */
const FINAL: readonly FlowState[] = ['rejected', 'abolished'];
/** The refusal codes of the state machine as audit `why` codes (shared/audit/detail-labels.ts). */
const WHY: Readonly<Record<FlowRefusal['code'], string>> = { state: 'state', forbidden: 'forbidden', own_entry: 'own_entry', own_check: 'own_check', rule: 'rule', input: 'invalid' };
const ERROR_CODE: Readonly<Record<FlowRefusal['code'], 'RULE' | 'FORBIDDEN' | 'VALIDATION'>> = { state: 'RULE', forbidden: 'FORBIDDEN', own_entry: 'RULE', own_check: 'RULE', rule: 'RULE', input: 'VALIDATION' };

const labelOf = (kind: FlowKind, action: FlowAction | 'receive'): string =>
  action === 'receive' ? '申請受理' : (FLOW_TRANSITIONS[kind].find((t) => t.action === action)?.label ?? action);

/**
 * 生活保護 医療扶助・介護扶助 at the counter (issue 17): the flows of shared/domain/seikatsu/flows.ts as records of the
 * 事務 seikatsu. Each step is a new version of the fujo_flows row (its record_json the FlowRecord the pure machine
 * returned), written with its outbox row and its audit entry in one transaction, like a claim's steps; refusals
 * are audited with their `why`. The person must be a 保護受給者 (seiho_jukyu, from the server) on the 申請日, and on
 * the 扶助開始日 of a 開始 決定. The central server replays each pushed history itself (server/fujo.ts).
 */
export class FujoService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly residents: ResidentService,
    private readonly terminalId: string,
    private readonly webauthn: WebAuthnConfig,
  ) {}

  private stamp(actor: Actor): Stamp {
    return { by: actor.staffId, at: this.clock.now().toISOString() };
  }

  private today(): string {
    return todayInJapan(this.clock.now());
  }

  /** The member of staff as the state machine sees them: the 生活保護 functions their rights hold. */
  private flowActor(actor: Actor): FlowActor {
    return { staffId: actor.staffId, functions: FUNCTIONS.filter((f) => actor.rights.includes(jimuRight('seikatsu', f))) };
  }

  private mayView(actor: Actor): boolean {
    return this.flowActor(actor).functions.length > 0;
  }

  private refuse(actor: Actor, action: AuditAction, why: string, error: DomainError, target: string | null = null, detail: Record<string, unknown> = {}): never {
    return this.audit.refuse({ staffId: actor.staffId, action, targetAtenaNo: target, detail: { why, ...detail } }, error);
  }

  private refuseFlow(actor: Actor, action: AuditAction, r: FlowRefusal, target: string, detail: Record<string, unknown>): never {
    return this.refuse(actor, action, WHY[r.code], new DomainError(ERROR_CODE[r.code], r.message), target, detail);
  }

  private jukyuOf(residentId: string): JukyuRecord[] {
    return this.db
      .prepare<[string], JukyuRecord>('SELECT started_on, changed_on, ended_on, change_reason, case_no, caseworker FROM seiho_jukyu WHERE resident_id = ? AND deleted = 0')
      .all(residentId);
  }

  /**
   * The person's 保護受給 records as the screens show them (ケース番号, 保護開始日, 扶助の種類, 地区担当員), latest
   * first. No rights and no audit here: the caller lists them with the person's flows (fujo.byResident).
   */
  jukyuViews(residentId: string): JukyuView[] {
    const today = this.today();
    const labels: Readonly<Record<string, string>> = SEIHO_AID_KINDS;
    return this.db
      .prepare<[string], JukyuRecord & { aid_kinds: string }>('SELECT started_on, changed_on, ended_on, change_reason, case_no, caseworker, aid_kinds FROM seiho_jukyu WHERE resident_id = ? AND deleted = 0 ORDER BY started_on DESC')
      .all(residentId)
      .map((r) => ({
        caseNo: r.case_no,
        startedOn: r.started_on,
        changedOn: r.changed_on,
        endedOn: r.ended_on,
        changeReason: r.change_reason,
        caseworker: r.caseworker,
        aidKinds: aidKindsOf(r.aid_kinds).map((c) => labels[c] ?? c),
        inForce: jukyuInForce(r, today),
      }));
  }

  /** Refused unless the person receives 保護 on `on` by the 保護受給 records the server sent. */
  private requireRecipient(actor: Actor, action: AuditAction, resident: ResidentRow, on: string, what: string, detail: Record<string, unknown>): void {
    if (jukyuOn(this.jukyuOf(resident.id), on)) return;
    this.refuse(actor, action, 'not_recipient', new DomainError('RULE', `この方は${what}（${on}）に生活保護を受けていません（保護受給の記録がありません）。扶助の手続きはできません。`), resident.atena_no, detail);
  }

  /** Dates a step records (照会日, 決定日 …) are not after today; the 扶助開始日 and 廃止日 may be. */
  private futureDate(input: unknown): string | null {
    if (!input || typeof input !== 'object') return null;
    const today = this.today();
    for (const [k, v] of Object.entries(input as Record<string, unknown>)) {
      if (k === 'aidStartOn' || k === 'abolishedOn') continue;
      if (k.endsWith('On') && typeof v === 'string' && /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(v) && v > today) return k;
    }
    return null;
  }

  private nextFlowNo(): string {
    const prefix = `H${this.today().replaceAll('-', '')}-${this.terminalId}-`;
    const n = this.db.prepare<[string], { n: number }>("SELECT count(*) AS n FROM fujo_flows WHERE flow_no LIKE ? ESCAPE '\\'").get(`${prefix.replaceAll('_', '\\_')}%`)?.n ?? 0;
    return `${prefix}${String(n + 1).padStart(4, '0')}`;
  }

  requireFlow(flowId: string): FujoFlowRow {
    const row = this.db.prepare<[string], FujoFlowRow>('SELECT * FROM fujo_flows WHERE id = ? AND deleted = 0').get(flowId);
    if (!row) throw new DomainError('NOT_FOUND', '該当する扶助の記録が見つかりません。');
    return row;
  }

  private decode(row: FujoFlowRow): FlowRecord {
    return JSON.parse(row.record_json) as FlowRecord;
  }

  /** 申請受理: a new flow in state 'received', entered by `actor`, for a person receiving 保護 on the 申請日. */
  start(actor: Actor, req: { kind: FlowKind; residentId: string; appliedOn: string; note?: string }): FujoDetail {
    const fa = this.flowActor(actor);
    if (!fa.functions.includes('claim.enter')) this.refuse(actor, 'fujo.start', 'forbidden', new DomainError('FORBIDDEN', '扶助の申請を受理する権限がありません。'));
    const resident = this.residents.requireRow(actor, req.residentId, 'fujo.start');
    const detail = { kind: req.kind, appliedOn: req.appliedOn };
    if (req.appliedOn > this.today()) {
      this.refuse(actor, 'fujo.start', 'future_date', new DomainError('VALIDATION', '申請日に未来の日付は入力できません。', { appliedOn: '申請日に未来の日付は入力できません' }), resident.atena_no, detail);
    }
    const s = this.stamp(actor);
    const r = startFlow(req.kind, fa, { residentId: req.residentId, appliedOn: req.appliedOn, note: req.note ?? '' }, s.at);
    if (!r.ok) this.refuseFlow(actor, 'fujo.start', r, resident.atena_no, detail);
    this.requireRecipient(actor, 'fujo.start', resident, req.appliedOn, '申請日', detail);
    const id = this.db.transaction(() => {
      const flowNo = this.nextFlowNo();
      const flowId = insertRecord(this.db, 'fujo_flows', {
        resident_id: resident.id,
        flow_no: flowNo,
        kind: r.flow.kind,
        state: r.flow.state,
        applied_on: r.flow.facts.appliedOn,
        record_json: JSON.stringify(r.flow),
        proofs_json: '{}',
      }, s);
      this.audit.append({ staffId: actor.staffId, action: 'fujo.start', targetAtenaNo: resident.atena_no, outcome: 'success', detail: { flowId, flowNo, kind: req.kind, appliedOn: req.appliedOn } });
      return flowId;
    })();
    return this.detailOf(actor, this.requireFlow(id), resident);
  }

  /**
   * Every check of a step short of the signature, each refusal audited: the flow at the version the screen showed,
   * the rights, the state machine (state, two-person rule, input), dates, and the 保護受給 on a 開始's 扶助開始日.
   * Returns the next record and the hash a signed step's assertion must be made over.
   */
  private prepare(actor: Actor, req: { flowId: string; version: number; action: FlowAction; input: unknown }, at: string) {
    const row = this.requireFlow(req.flowId);
    const resident = this.residents.requireRow(actor, row.resident_id, 'fujo.step');
    const atena = resident.atena_no;
    const detail = { flowId: row.id, step: req.action, flowState: row.state };
    const fa = this.flowActor(actor);
    if (fa.functions.length === 0) this.refuse(actor, 'fujo.step', 'forbidden', new DomainError('FORBIDDEN', '生活保護の扶助の手続きを行う権限がありません。'), atena, detail);
    if (row.version !== req.version) this.refuse(actor, 'fujo.step', 'stale', new DomainError('CONFLICT', 'この扶助の記録はほかの操作で更新されています。画面を開き直してください。'), atena, detail);
    const r: FlowResult = applyAction(this.decode(row), req.action, fa, req.input, at);
    if (!r.ok) this.refuseFlow(actor, 'fujo.step', r, atena, detail);
    const future = this.futureDate(req.input);
    if (future) this.refuse(actor, 'fujo.step', 'future_date', new DomainError('VALIDATION', '未来の日付は入力できません。', { [future]: '未来の日付は入力できません' }), atena, detail);
    if (req.action === 'decide' && r.flow.facts.decision === '開始' && r.flow.facts.aidStartOn) {
      this.requireRecipient(actor, 'fujo.step', resident, r.flow.facts.aidStartOn, '扶助開始日', detail);
    }
    const taken = r.flow.history.at(-1)!;
    const hash = createHash('sha256').update(stepSubject(row.id, row.version, taken), 'utf8').digest('base64url');
    return { row, resident, atena, detail, flow: r.flow, hash, signed: stepNeedsSignature(row.kind, req.action) };
  }

  /**
   * Before a check or a 決裁: the same checks as the step, then the options for the member's authenticator, whose
   * challenge is the step's hash (shared/domain/seikatsu/step-proof.ts). An entry step needs none (`hash` null).
   */
  async stepBegin(actor: Actor, req: { flowId: string; version: number; action: FlowAction; input: unknown }): Promise<{ options: Record<string, unknown> | null; hash: string | null }> {
    const p = this.prepare(actor, req, this.clock.now().toISOString());
    if (!p.signed) return { options: null, hash: null };
    const options = await generateAuthenticationOptions({
      rpID: this.webauthn.rpID,
      timeout: 120_000,
      userVerification: 'required',
      challenge: Buffer.from(p.hash, 'base64url'),
      allowCredentials: activeAuthenticators(this.db, actor.staffId).map((c) => ({ id: c.credential_id, transports: JSON.parse(c.transports) as never })),
    });
    return { options: options as unknown as Record<string, unknown>, hash: p.hash };
  }

  /**
   * One step of the flow (照会, 回答, 確認, 決定, 廃止 …) at the version the screen showed. A check or a 決裁 carries
   * the member's assertion over the step's hash (stepBegin), verified against their own credential and stored with
   * the flow for the server to verify again.
   */
  async step(actor: Actor, req: { flowId: string; version: number; action: FlowAction; input: unknown; assertion?: AuthenticationResponseJSON | null }): Promise<FujoDetail> {
    const s = this.stamp(actor);
    const p = this.prepare(actor, req, s.at);
    const proofs = JSON.parse(p.row.proofs_json) as StepProofs;
    if (p.signed) {
      if (!req.assertion) {
        this.refuse(actor, 'fujo.step', 'no_signature', new DomainError('VALIDATION', '確認・決裁には認証器による本人の確認が必要です。'), p.atena, p.detail);
      }
      if (!(await verifyAssertion(this.db, this.webauthn, actor.staffId, p.hash, req.assertion, s))) {
        this.refuse(actor, 'fujo.step', 'assertion_not_verified', new DomainError('FORBIDDEN', '認証器による確認ができませんでした（この手続きの内容に対する本人の署名ではないか、登録された認証器ではありません）。'), p.atena, p.detail);
      }
      proofs[String(p.flow.history.length - 1)] = { hash: p.hash, assertion: req.assertion as unknown as Record<string, unknown> };
    }
    this.db.transaction(() => {
      updateRecord(this.db, 'fujo_flows', p.row.id, p.row.version, { state: p.flow.state, record_json: JSON.stringify(p.flow), ...(p.signed ? { proofs_json: JSON.stringify(proofs) } : {}) }, s);
      this.audit.append({ staffId: actor.staffId, action: 'fujo.step', targetAtenaNo: p.atena, outcome: 'success', detail: { flowId: p.row.id, step: req.action, flowState: p.flow.state, signed: p.signed } });
    })();
    return this.detailOf(actor, this.requireFlow(p.row.id), p.resident);
  }

  get(actor: Actor, flowId: string): FujoDetail {
    const row = this.requireFlow(flowId);
    const resident = this.residents.requireRow(actor, row.resident_id, 'fujo.view');
    if (!this.mayView(actor)) this.refuse(actor, 'fujo.view', 'forbidden', new DomainError('FORBIDDEN', '扶助の記録を表示する権限がありません。'), resident.atena_no, { flowId });
    this.audit.append({ staffId: actor.staffId, action: 'fujo.view', targetAtenaNo: resident.atena_no, outcome: 'success', detail: { flowId } });
    return this.detailOf(actor, row, resident);
  }

  byResident(actor: Actor, residentId: string): FujoSummary[] {
    const resident = this.residents.requireRow(actor, residentId, 'fujo.byResident');
    if (!this.mayView(actor)) this.refuse(actor, 'fujo.byResident', 'forbidden', new DomainError('FORBIDDEN', '扶助の記録を表示する権限がありません。'), resident.atena_no);
    const rows = this.rowsOf(residentId);
    this.audit.append({ staffId: actor.staffId, action: 'fujo.byResident', targetAtenaNo: resident.atena_no, outcome: 'success', detail: { count: rows.length } });
    return rows.map((r) => this.summaryOf(actor, r, resident));
  }

  /**
   * The flows waiting for a step this member of staff may take: 'check' (確認), 'approve' (決定・廃止の決裁) or 'enter'
   * (照会・回答・計画・廃止の起案). Nobody sees their own entry in the check list, nor what they entered or checked in
   * the 決裁 list (the two-person rule, as the state machine applies it).
   */
  queue(actor: Actor, queue: 'enter' | 'check' | 'approve'): FujoSummary[] {
    const fn: FlowFunction = queue === 'check' ? 'claim.check' : queue === 'approve' ? 'claim.approve' : 'claim.enter';
    const fa = this.flowActor(actor);
    if (fa.functions.length === 0) this.refuse(actor, 'fujo.queue', 'forbidden', new DomainError('FORBIDDEN', '扶助の記録を表示する権限がありません。'), null, { queue });
    const marks = FINAL.map(() => '?').join(', ');
    const rows = this.db
      .prepare<string[], FujoFlowRow>(`SELECT * FROM fujo_flows WHERE deleted = 0 AND state NOT IN (${marks}) ORDER BY applied_on, flow_no LIMIT 2000`)
      .all(...FINAL)
      .filter((r) => {
        const flow = this.decode(r);
        const mine = availableActions(flow, fa);
        return FLOW_TRANSITIONS[flow.kind].some((t) => t.fn === fn && mine.includes(t.action) && t.from.includes(flow.state));
      })
      .slice(0, 500);
    this.audit.append({ staffId: actor.staffId, action: 'fujo.queue', outcome: 'success', detail: { queue, count: rows.length } });
    return rows.flatMap((r) => {
      const resident = this.residents.findRow(r.resident_id);
      return resident ? [this.summaryOf(actor, r, resident)] : [];
    });
  }

  /**
   * A person's flows, decoded (oldest 申請日 first): what the 医療券・調剤券・介護券 issuance reads with ticketPeriod.
   * No rights and no audit here — the caller (a service that checks both) decides what is shown.
   */
  flowsOf(residentId: string): FlowRecord[] {
    return this.rowsOf(residentId).reverse().map((r) => this.decode(r));
  }

  private rowsOf(residentId: string): FujoFlowRow[] {
    return this.db.prepare<[string], FujoFlowRow>('SELECT * FROM fujo_flows WHERE resident_id = ? AND deleted = 0 ORDER BY applied_on DESC, flow_no DESC').all(residentId);
  }

  private summaryOf(actor: Actor, row: FujoFlowRow, resident: ResidentRow): FujoSummary {
    const flow = this.decode(row);
    return {
      id: row.id,
      version: row.version,
      flowNo: row.flow_no,
      kind: row.kind,
      kindLabel: FLOW_KIND_LABELS[row.kind],
      state: row.state,
      stateLabel: FLOW_STATE_LABELS[row.state],
      residentId: row.resident_id,
      residentName: resident.name_kanji,
      atenaNo: resident.atena_no,
      appliedOn: row.applied_on,
      updatedAt: row.updated_at,
      available: availableActions(flow, this.flowActor(actor)).map((action) => ({ action, label: labelOf(flow.kind, action) })),
    };
  }

  private detailOf(actor: Actor, row: FujoFlowRow, resident: ResidentRow): FujoDetail {
    const flow = this.decode(row);
    const jukyu = jukyuOn(this.jukyuOf(resident.id), row.applied_on);
    return {
      ...this.summaryOf(actor, row, resident),
      enteredBy: flow.enteredBy,
      checkedBy: flow.checkedBy,
      facts: flow.facts as unknown as Record<string, unknown>,
      history: flow.history.map((h) => ({ action: h.action, label: labelOf(flow.kind, h.action), by: h.by, at: h.at, input: h.input })),
      caseNo: jukyu?.case_no ?? null,
      caseworker: jukyu?.caseworker ?? null,
    };
  }
}
