/**
 * 医療扶助・介護扶助 flows as terminals push them (issue 17; entity 'fujo_flows', shared/domain/seikatsu/flows.ts). The
 * server decides on its own: it rebuilds the flow from its history with the same pure state machine the terminal ran
 * (startFlow, then applyAction step by step — states, guards, inputs and the claim workflow's two-person rule), giving
 * each step's member of staff only the 生活保護 functions the server's own records say they held at that moment
 * (server/mynumber.ts rightProblem: staff, role ceiling, grant approved, started, not expired, not yet revoked), and
 * accepts the version only when the rebuilt record is exactly the one pushed. A version never rewrites the history
 * the server already holds; a step is not dated after the server's clock nor before the step it follows. The person
 * must be a 保護受給者 (the server's seiho_jukyu, imported from the 生活保護 system) on the 申請日 and on the 扶助開始日
 * of a 開始 決定.
 *
 * Each new check and 決裁 must carry the member's own signature: a WebAuthn assertion over the step's hash
 * (shared/domain/seikatsu/step-proof.ts), verified here against that member's credential the server holds in force
 * (assertionProblem, server/identity.ts, as for identity approvals) — a typed staff ID is not a check or a 決裁. Entry
 * steps (申請受理, 照会, 回答 …) carry the logged-in member's staff ID only, like a claim's 受付 (entered_by).
 */
import { createHash } from 'node:crypto';
import { assertionProblem, type Ctx } from './identity';
import { rightProblem } from './staff-rights';
import { jimuRight } from '../shared/domain/rights';
import {
  FLOW_KINDS,
  FLOW_TRANSITIONS,
  applyAction,
  jukyuOn,
  canonicalJson as canonical,
  startFlow,
  stepNeedsSignature,
  stepSubject,
  type FlowAction,
  type FlowFunction,
  type FlowKind,
  type FlowRecord,
  type FlowStep,
  type JukyuRow,
  type StepProofs,
} from '../shared/domain/seikatsu';

const FUNCTIONS: readonly FlowFunction[] = ['claim.enter', 'claim.check', 'claim.approve'];
/** How far a step's time may run ahead of the server's clock (terminal clocks drift; sync.clockSkew warns at less). */
const FUTURE_SLACK_MS = 10 * 60 * 1000;

function parseFlow(json: unknown): FlowRecord | null {
  if (typeof json !== 'string') return null;
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    return null;
  }
  if (!v || typeof v !== 'object') return null;
  const f = v as Partial<FlowRecord>;
  if (!(FLOW_KINDS as readonly unknown[]).includes(f.kind) || typeof f.residentId !== 'string' || !Array.isArray(f.history) || f.history.length === 0) return null;
  const wellFormed = f.history.every((h: unknown) => {
    const s = h as Partial<FlowStep> | null;
    return !!s && typeof s.action === 'string' && typeof s.by === 'string' && typeof s.at === 'string' && !Number.isNaN(Date.parse(s.at)) && !!s.input && typeof s.input === 'object' && !Array.isArray(s.input);
  });
  return wellFormed ? (f as FlowRecord) : null;
}

const labelOf = (kind: FlowKind, action: string): string =>
  action === 'receive' ? '申請受理' : (FLOW_TRANSITIONS[kind].find((t) => t.action === action)?.label ?? action);

/**
 * Why a pushed version of a flow is refused (`invalid: …` / `forbidden: …`), or null. `stored`: the server's record
 * (null for a new one); `rec`: the record as it would be stored.
 */
export async function fujoFlowProblem(
  ctx: Ctx, entityId: string, stored: Record<string, unknown> | null, rec: Record<string, unknown>, deleted: boolean, now: Date,
): Promise<string | null> {
  const c = ctx.c;
  const municipality = ctx.scope.municipality;
  if (deleted) return 'forbidden: 扶助の記録は削除できません（廃止の決定で終えます）';
  const flow = parseFlow(rec.record_json);
  if (!flow) return 'invalid: 扶助の記録（record_json）を読めません';
  if (rec.kind !== flow.kind || rec.resident_id !== flow.residentId || rec.state !== flow.state || rec.applied_on !== flow.facts?.appliedOn) {
    return 'invalid: 扶助の記録の種類・住民・状態・申請日が記録の内容と一致しません';
  }
  let held = 0;
  if (stored) {
    const before = parseFlow(stored.record_json);
    if (!before) return 'invalid: 中央サーバの扶助の記録を読めません';
    if (before.kind !== flow.kind || before.residentId !== flow.residentId) return 'invalid: 扶助の種類または住民は変えられません';
    const kept = before.history.length <= flow.history.length && before.history.every((s, i) => canonical(s) === canonical(flow.history[i]));
    if (!kept) return 'invalid: 中央サーバにある扶助の手続きの履歴は書き換えられません';
    held = before.history.length;
  }
  // Steps in order of time, none after the server's clock.
  const limit = now.getTime() + FUTURE_SLACK_MS;
  for (let i = 0; i < flow.history.length; i++) {
    const t = Date.parse(flow.history[i]!.at);
    if (t > limit) return `invalid: 扶助の手続き ${i + 1}（${labelOf(flow.kind, flow.history[i]!.action)}）の日時が中央サーバの時刻より後です`;
    if (i > 0 && t < Date.parse(flow.history[i - 1]!.at)) return `invalid: 扶助の手続き ${i + 1} の日時が前の手続きより前です`;
  }

  // Who held which 生活保護 function at the moment of each new step, by the server's own records.
  const memo = new Map<string, Promise<boolean>>();
  const holds = (staffId: string, fn: FlowFunction, at: string): Promise<boolean> => {
    const key = `${staffId}\u0000${fn}\u0000${at}`;
    if (!memo.has(key)) memo.set(key, rightProblem(c, municipality, staffId, jimuRight('seikatsu', fn), at).then((p) => p === null));
    return memo.get(key)!;
  };
  const actorOf = async (step: FlowStep, index: number) => {
    // Steps the server accepted before were checked then (a grant revoked since does not undo them).
    if (index < held) return { staffId: step.by, functions: FUNCTIONS };
    const functions: FlowFunction[] = [];
    for (const fn of FUNCTIONS) if (await holds(step.by, fn, step.at)) functions.push(fn);
    return { staffId: step.by, functions };
  };

  const first = flow.history[0]!;
  if (first.action !== 'receive') return 'invalid: 扶助の記録が申請受理から始まっていません';
  let replay = startFlow(flow.kind, await actorOf(first, 0), first.input, first.at);
  for (let i = 1; replay.ok && i < flow.history.length; i++) {
    const step = flow.history[i]!;
    if (!FLOW_ACTIONS_SET.has(step.action)) return `invalid: 扶助の手続き ${i + 1} の操作（${step.action}）がありません`;
    const next = applyAction(replay.flow, step.action as FlowAction, await actorOf(step, i), step.input, step.at);
    if (!next.ok) {
      const where = `扶助の手続き ${i + 1}（${labelOf(flow.kind, step.action)}、${step.by}）`;
      return next.code === 'forbidden'
        ? `forbidden: 中央サーバの記録では、${where}の時点でこの職員に必要な生活保護の権限がありません`
        : `invalid: ${where}は認められません。${next.message}`;
    }
    replay = next;
  }
  if (!replay.ok) {
    return replay.code === 'forbidden'
      ? `forbidden: 中央サーバの記録では、申請受理（${first.by}）の時点でこの職員に生活保護の申請入力の権限がありません`
      : `invalid: 申請受理が認められません。${replay.message}`;
  }
  if (canonical(replay.flow) !== canonical(flow)) return 'invalid: 扶助の記録（状態・確認者・記録した事実）が手続きの履歴から導けるものと一致しません';

  // Each new check and 決裁: the member's own signature over exactly this step (shared/domain/seikatsu/step-proof.ts).
  let proofs: StepProofs;
  try {
    proofs = JSON.parse(typeof rec.proofs_json === 'string' ? rec.proofs_json : '{}') as StepProofs;
  } catch {
    return 'invalid: 扶助の記録の署名（proofs_json）を読めません';
  }
  for (let i = Math.max(held, 1); i < flow.history.length; i++) {
    const step = flow.history[i]!;
    if (!stepNeedsSignature(flow.kind, step.action)) continue;
    const where = `扶助の手続き ${i + 1}（${labelOf(flow.kind, step.action)}、${step.by}）`;
    const proof = Object.prototype.hasOwnProperty.call(proofs, String(i)) ? proofs[String(i)] : undefined;
    const hash = createHash('sha256').update(stepSubject(entityId, i, step), 'utf8').digest('base64url');
    if (!proof || proof.hash !== hash) return `forbidden: ${where}に本人の認証器による署名がありません`;
    const p = await assertionProblem(ctx, step.by, hash, proof.assertion, '確認・決裁');
    if (p) return `forbidden: ${where}: ${p}`;
  }

  // A 保護受給者 on the 申請日 (a new flow) and on the 扶助開始日 of a new 開始 決定.
  const dates: { on: string; what: string }[] = [];
  if (held === 0) dates.push({ on: flow.facts.appliedOn, what: '申請日' });
  for (let i = Math.max(held, 1); i < flow.history.length; i++) {
    const s = flow.history[i]!;
    if (s.action === 'decide' && s.input.decision === '開始' && typeof s.input.aidStartOn === 'string') dates.push({ on: s.input.aidStartOn, what: '扶助開始日' });
  }
  if (dates.length) {
    const rows = await c.query<JukyuRow>(
      `SELECT to_char(started_on, 'YYYY-MM-DD') AS started_on, to_char(changed_on, 'YYYY-MM-DD') AS changed_on, to_char(ended_on, 'YYYY-MM-DD') AS ended_on,
              change_reason, case_no FROM seiho_jukyu WHERE municipality = $1 AND resident_id = $2`,
      [municipality, flow.residentId],
    );
    for (const d of dates) {
      if (!jukyuOn(rows.rows, d.on)) return `invalid: 中央サーバの保護受給の記録では、この方は${d.what}（${d.on}）に生活保護を受けていません`;
    }
  }
  return null;
}

const FLOW_ACTIONS_SET: ReadonlySet<string> = new Set(Object.values(FLOW_TRANSITIONS).flatMap((ts) => ts.map((t) => t.action)));
