import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ticketPeriod } from '../../../../shared/domain/seikatsu';
import { clockFrom } from '../../../../testing/clock';
import { createSeededCore, loginSeeded, type SeededCore } from '../../../../testing/core';
import { auditOf, count, must } from '../../../../testing/db';
import { rejectsWith } from '../../../../testing/errors';
import type { ResidentSeed } from '../../../../testing/seed';
import { uuidv7 } from '../../db/records';
import { signAssertion } from '../../../../testing/webauthn';
import type { Actor } from '../../actor';

/**
 * 医療扶助・介護扶助 at the counter against the real core (SQLCipher database, hash-chained audit, outbox): each flow
 * through its states with three different people (D1001 enters, D2001 checks, D7001 decides), the two-person rule,
 * the rights of the 事務 seikatsu, and the 保護受給 records (seiho_jukyu, as the server sends them).
 */
let s: SeededCore;
let clerk: Actor;
let checker: Actor;
let approver: Actor;
let outsider: Actor;

const at = '2026-11-22T01:00:00.000Z';
const recipient = () => must(s.edges.byName.testParent);
const exRecipient = () => must(s.edges.byName.elder);
const nobody = () => must(s.edges.byName.shahoMember);

/** A 保護受給 row as the server's import makes it (pulled; never written at the terminal). */
function jukyu(r: ResidentSeed, started: string, ended: string | null = null, caseNo = '70000001'): void {
  s.core.db
    .prepare(
      `INSERT INTO seiho_jukyu (id, version, created_at, created_by, updated_at, updated_by, deleted, resident_id, case_no, atena_no, household_no, head_flag,
         started_on, changed_on, ended_on, change_reason, caseworker, aid_kinds) VALUES (?, 1, ?, 'SERVER', ?, 'SERVER', 0, ?, ?, ?, '1', '1', ?, NULL, ?, ?, 'W3001', '01 04 05')`,
    )
    .run(uuidv7(), at, at, r.id, caseNo, r.atenaNo, started, ended, ended ? '31' : '00');
}

beforeEach(async () => {
  s = await createSeededCore({ clock: clockFrom('2026-11-22T01:00:00Z'), households: 2 });
  clerk = await loginSeeded(s, 'c', 'D1001');
  checker = await loginSeeded(s, 'k', 'D2001');
  approver = await loginSeeded(s, 'a', 'D7001');
  outsider = await loginSeeded(s, 'o', 'D1002');
  jukyu(recipient(), '2025-04-01');
  jukyu(exRecipient(), '2025-04-01', '2026-10-31', '70000002');
});
afterEach(() => s.cleanup());

const fujo = () => s.core.fujo;
let signCount = 50_000;
/** A step as the screen takes it: the options (the step's hash for a check or 決裁), the member's authenticator signs, the step. */
async function step(a: Actor, flow: { id: string; version: number }, action: Parameters<SeededCore['core']['fujo']['step']>[1]['action'], input: unknown) {
  const req = { flowId: flow.id, version: flow.version, action, input };
  const { hash } = await fujo().stepBegin(a, req);
  const cfg = s.core.auth.options.webauthn;
  const assertion = hash === null ? null : signAssertion(must(s.edges.credentials[a.staffId]), { challenge: hash }, cfg.origins[0] ?? 'http://localhost', cfg.rpID, signCount++);
  return fujo().step(a, { ...req, assertion: assertion as never });
}
const call = <T>(fn: () => T) => Promise.resolve().then(fn);

describe('医療扶助（要否意見書による）: 申請受理 → 他法照会 → 要否意見書 → 嘱託医 → 確認 → 決定 → 廃止', () => {
  it('runs the whole flow with three different people; nobody checks or decides their own entry', async () => {
    let f = fujo().start(clerk, { kind: 'iryo_ikensho', residentId: recipient().id, appliedOn: '2026-11-20' });
    expect(f).toMatchObject({ state: 'received', flowNo: 'H20261122-DEMO-01-0001', enteredBy: ['D1001'], caseNo: '70000001', caseworker: 'W3001', kindLabel: '医療扶助（要否意見書による）' });
    expect(f.available.map((a) => a.action)).toEqual(['tahou_query']);
    f = await step(clerk, f, 'tahou_query', { queriedOn: '2026-11-20', agency: '大阪市保健所', laws: ['自立支援医療'] });
    f = await step(clerk, f, 'tahou_answer', { answeredOn: '2026-11-21', otherLawApplies: false });
    f = await step(clerk, f, 'issue_opinion', { issuedOn: '2026-11-21', institutionCode: '2712345', institutionName: '梅田クリニック' });
    f = await step(clerk, f, 'return_opinion', { returnedOn: '2026-11-21' });
    f = await step(clerk, f, 'doctor_review', { reviewedOn: '2026-11-22', doctorName: '嘱託　医師', judgement: '要' });
    expect(f.state).toBe('doctor_reviewed');

    // The clerk holds no check right; the checker who did not enter checks; nobody decides what they checked.
    await rejectsWith(call(() => step(clerk, f, 'check', {})), 'FORBIDDEN', /申請の確認/);
    await rejectsWith(call(() => step(approver, f, 'decide', { decidedOn: '2026-11-22', decision: '開始', aidStartOn: '2026-11-20' })), 'RULE', /確認済み|できません/);
    expect(fujo().queue(checker, 'check').map((q) => q.id)).toEqual([f.id]);
    f = await step(checker, f, 'check', { note: '' });
    expect(f).toMatchObject({ state: 'checked', checkedBy: 'D2001' });
    await rejectsWith(call(() => step(checker, f, 'decide', { decidedOn: '2026-11-22', decision: '開始', aidStartOn: '2026-11-20' })), 'FORBIDDEN', /決裁/);
    expect(fujo().queue(approver, 'approve').map((q) => q.id)).toEqual([f.id]);
    f = await step(approver, f, 'decide', { decidedOn: '2026-11-22', decision: '開始', aidStartOn: '2026-11-20' });
    expect(f).toMatchObject({ state: 'decided', enteredBy: [], checkedBy: null, facts: { decision: '開始', aidStartOn: '2026-11-20', judgement: '要' } });

    // 廃止: its own entry, check and 決裁 — the approver who checks it may not also approve it.
    f = await step(clerk, f, 'propose_abolish', { abolishedOn: '2026-12-31', reason: '治癒' });
    f = await step(approver, f, 'check_abolish', {});
    await rejectsWith(call(() => step(approver, f, 'approve_abolish', {})), 'RULE', /自分が二重チェックした記録は決裁できません/);
    await rejectsWith(call(() => step(checker, f, 'approve_abolish', {})), 'FORBIDDEN');
    expect(f.state).toBe('abolish_checked');

    const history = f.history.map((h) => `${h.action}:${h.by}`);
    expect(history).toEqual([
      'receive:D1001', 'tahou_query:D1001', 'tahou_answer:D1001', 'issue_opinion:D1001', 'return_opinion:D1001', 'doctor_review:D1001',
      'check:D2001', 'decide:D7001', 'propose_abolish:D1001', 'check_abolish:D7001',
    ]);
    // Every step is a version of the row with its outbox entry and its audit entry.
    expect(f.version).toBe(10);
    expect(count(s.core.db, "SELECT count(*) AS n FROM outbox WHERE entity = 'fujo_flows' AND entity_id = ?", f.id)).toBe(10);
    expect(auditOf(s.core.db, 'fujo.step').filter((e) => e.outcome === 'success')).toHaveLength(9);
    const refusals = auditOf(s.core.db, 'fujo.step').filter((e) => e.outcome === 'rejected').map((e) => e.detail.why);
    expect(refusals).toEqual(['forbidden', 'state', 'forbidden', 'own_check', 'forbidden']);

    // The flows of the person, decoded, give the 券 period (ticketPeriod) once decided.
    const [flow] = fujo().flowsOf(recipient().id);
    expect(ticketPeriod(must(flow))).toEqual({ ok: true, aidStartOn: '2026-11-20', abolishedOn: null });
  });

  it('when another law pays, the answer goes to 確認 and a 却下 (with its reason); a 開始 is refused', async () => {
    let f = fujo().start(clerk, { kind: 'iryo_ikensho', residentId: recipient().id, appliedOn: '2026-11-20' });
    f = await step(clerk, f, 'tahou_query', { queriedOn: '2026-11-20', agency: '大阪市保健所', laws: ['自立支援医療'] });
    f = await step(clerk, f, 'tahou_answer', { answeredOn: '2026-11-21', otherLawApplies: true });
    await rejectsWith(call(() => step(clerk, f, 'issue_opinion', { issuedOn: '2026-11-21', institutionCode: '2712345', institutionName: '梅田クリニック' })), 'RULE', /他法で医療を受けられる/);
    f = await step(checker, f, 'check', {});
    await rejectsWith(call(() => step(approver, f, 'decide', { decidedOn: '2026-11-22', decision: '開始', aidStartOn: '2026-11-20' })), 'RULE', /他法で医療を受けられる/);
    f = await step(approver, f, 'decide', { decidedOn: '2026-11-22', decision: '却下', reason: '自立支援医療の対象' });
    expect(f.state).toBe('rejected');
    expect(ticketPeriod(must(fujo().flowsOf(recipient().id)[0]))).toMatchObject({ ok: false });
    expect(fujo().queue(clerk, 'enter')).toEqual([]);
  });
});

describe('医療扶助（要否意見書によらない）and 介護扶助', () => {
  it('iryo_direct: whoever entered may not check; whoever checked may not decide (and neither sees it in their list)', async () => {
    let f = fujo().start(checker, { kind: 'iryo_direct', residentId: recipient().id, appliedOn: '2026-11-22' });
    await rejectsWith(call(() => step(checker, f, 'check', {})), 'RULE', /自分が入力・訂正した記録は確認できません/);
    expect(fujo().queue(checker, 'check')).toEqual([]);
    f = await step(approver, f, 'check', {});
    await rejectsWith(call(() => step(approver, f, 'decide', { decidedOn: '2026-11-22', decision: '開始', aidStartOn: '2026-11-22' })), 'RULE', /自分が二重チェックした記録は決裁できません/);
    expect(fujo().queue(approver, 'approve')).toEqual([]);
    // The flow stays checked until a third person decides.
    expect(f.state).toBe('checked');
    const audit = auditOf(s.core.db, 'fujo.step').filter((e) => e.outcome === 'rejected').map((e) => e.detail.why);
    expect(audit).toEqual(['own_entry', 'own_check']);
  });

  it('kaigo: everyone who entered a step is kept out of the check, and the checker out of the 決定', async () => {
    let f = fujo().start(clerk, { kind: 'kaigo', residentId: recipient().id, appliedOn: '2026-11-01' });
    f = await step(clerk, f, 'insurance_query', { queriedOn: '2026-11-02', agency: '大阪市介護保険課' });
    f = await step(checker, f, 'insurance_answer', { answeredOn: '2026-11-05', insured: false, careLevel: '要介護2' });
    // Both the clerk and the checker entered: neither checks; the approver checks, and then cannot decide.
    await rejectsWith(call(() => step(checker, f, 'check', {})), 'RULE', /自分が入力・訂正した/);
    f = await step(approver, f, 'check', {});
    expect(f).toMatchObject({ state: 'checked', enteredBy: ['D1001', 'D2001'], checkedBy: 'D7001' });
    await rejectsWith(call(() => step(approver, f, 'decide', { decidedOn: '2026-11-10', decision: '開始', aidStartOn: '2026-11-01' })), 'RULE', /二重チェック/);
    expect(f.state).toBe('checked');
  });

  it('kaigo with three people reaches 計画 受理 and gives the 介護券 period', async () => {
    let f = fujo().start(clerk, { kind: 'kaigo', residentId: recipient().id, appliedOn: '2026-11-01' });
    f = await step(clerk, f, 'insurance_query', { queriedOn: '2026-11-02', agency: '大阪市介護保険課' });
    f = await step(clerk, f, 'insurance_answer', { answeredOn: '2026-11-05', insured: false, careLevel: '要介護2' });
    f = await step(checker, f, 'check', {});
    f = await step(approver, f, 'decide', { decidedOn: '2026-11-10', decision: '開始', aidStartOn: '2026-11-01' });
    expect(ticketPeriod(must(fujo().flowsOf(recipient().id)[0]))).toEqual({ ok: false, message: '居宅介護支援計画を受理していないため、介護券は交付できません' });
    f = await step(clerk, f, 'request_plan', { requestedOn: '2026-11-11', provider: 'ケアプランセンター北' });
    f = await step(clerk, f, 'receive_plan', { receivedOn: '2026-11-20' });
    expect(f.state).toBe('plan_received');
    expect(ticketPeriod(must(fujo().flowsOf(recipient().id)[0]))).toEqual({ ok: true, aidStartOn: '2026-11-01', abolishedOn: null });
    expect(fujo().byResident(checker, recipient().id).map((x) => [x.kind, x.stateLabel])).toEqual([['kaigo', '居宅介護支援計画 受理']]);
    // The 保護受給 the resident screen shows beside the flows: in force today, or ended (廃止).
    expect(fujo().jukyuViews(recipient().id)).toEqual([
      { caseNo: '70000001', startedOn: '2025-04-01', changedOn: null, endedOn: null, changeReason: '00', caseworker: 'W3001', aidKinds: ['生活扶助', '医療扶助', '介護扶助'], inForce: true },
    ]);
    expect(fujo().jukyuViews(exRecipient().id)).toMatchObject([{ caseNo: '70000002', endedOn: '2026-10-31', inForce: false }]);
    expect(fujo().jukyuViews(nobody().id)).toEqual([]);
  });
});

describe("a check or a 決裁 is the member's own act", () => {
  it("needs their authenticator's signature over exactly that step: none, another member's, or one over another step is refused", async () => {
    const f = fujo().start(clerk, { kind: 'iryo_direct', residentId: recipient().id, appliedOn: '2026-11-20' });
    const req = { flowId: f.id, version: f.version, action: 'check' as const, input: { note: '' } };
    const cfg = s.core.auth.options.webauthn;
    const sign = (staffId: string, challenge: string) => signAssertion(must(s.edges.credentials[staffId]), { challenge }, cfg.origins[0] ?? 'http://localhost', cfg.rpID, signCount++) as never;
    await rejectsWith(fujo().step(checker, req), 'VALIDATION', /認証器による本人の確認が必要/);
    const { hash } = await fujo().stepBegin(checker, req);
    const other = await fujo().stepBegin(checker, { ...req, input: { note: '別の内容' } });
    expect(hash).not.toBeNull();
    expect(other.hash).not.toBe(hash);
    await rejectsWith(fujo().step(checker, { ...req, assertion: sign('D7001', must(hash)) }), 'FORBIDDEN', /認証器による確認ができませんでした/);
    await rejectsWith(fujo().step(checker, { ...req, assertion: sign('D2001', must(other.hash)) }), 'FORBIDDEN', /認証器による確認ができませんでした/);
    expect(fujo().flowsOf(recipient().id)[0]!.state).toBe('received');
    const done = await fujo().step(checker, { ...req, assertion: sign('D2001', must(hash)) });
    expect(done).toMatchObject({ state: 'checked', checkedBy: 'D2001', version: 2 });
    const proofs = JSON.parse((s.core.db.prepare('SELECT proofs_json FROM fujo_flows WHERE id = ?').get(f.id) as { proofs_json: string }).proofs_json) as Record<string, { hash: string }>;
    expect(Object.keys(proofs)).toEqual(['1']);
    expect(proofs['1']!.hash).toBe(hash);
    // An entry step needs none.
    expect(await fujo().stepBegin(clerk, { flowId: f.id, version: 2, action: 'propose_abolish', input: { abolishedOn: '2027-01-31', reason: '治癒' } }).catch((e: Error) => e.message)).toMatch(/決定（扶助開始）|できません/);
    const why = auditOf(s.core.db, 'fujo.step').filter((e) => e.outcome === 'rejected').map((e) => e.detail.why);
    expect(why).toEqual(['no_signature', 'assertion_not_verified', 'assertion_not_verified', 'state']);
  });
});

describe('refusals: nothing is written, each is audited with its why', () => {
  it('a member of staff without the 生活保護 rights, a non-recipient, an ended 保護, a future date, bad input, a stale version', async () => {
    const before = count(s.core.db, 'SELECT count(*) AS n FROM outbox');
    await rejectsWith(call(() => fujo().start(outsider, { kind: 'iryo_direct', residentId: recipient().id, appliedOn: '2026-11-20' })), 'FORBIDDEN');
    await rejectsWith(call(() => fujo().start(clerk, { kind: 'iryo_direct', residentId: nobody().id, appliedOn: '2026-11-20' })), 'RULE', /生活保護を受けていません/);
    // 保護 ended 2026-10-31: a 申請 on 2026-10-30 is taken, one on 2026-11-20 is not.
    await rejectsWith(call(() => fujo().start(clerk, { kind: 'kaigo', residentId: exRecipient().id, appliedOn: '2026-11-20' })), 'RULE', /申請日（2026-11-20）に生活保護を受けていません/);
    await rejectsWith(call(() => fujo().start(clerk, { kind: 'kaigo', residentId: recipient().id, appliedOn: '2026-11-23' })), 'VALIDATION', /未来の日付/);
    expect(count(s.core.db, 'SELECT count(*) AS n FROM outbox')).toBe(before);
    expect(count(s.core.db, 'SELECT count(*) AS n FROM fujo_flows')).toBe(0);

    const old = fujo().start(clerk, { kind: 'iryo_direct', residentId: exRecipient().id, appliedOn: '2026-10-30' });
    await rejectsWith(call(() => fujo().queue(outsider, 'check')), 'FORBIDDEN');
    await rejectsWith(call(() => step(outsider, old, 'check', {})), 'FORBIDDEN');
    let f = await step(checker, old, 'check', { note: '確認' });
    await rejectsWith(call(() => step(checker, old, 'check', {})), 'CONFLICT');
    // A 開始 from a day the person no longer receives 保護 is refused.
    await rejectsWith(call(() => step(approver, f, 'decide', { decidedOn: '2026-11-22', decision: '開始', aidStartOn: '2026-11-01' })), 'RULE', /扶助開始日（2026-11-01）に生活保護を受けていません/);
    await rejectsWith(call(() => step(approver, f, 'decide', { decidedOn: '2026-11-23', decision: '開始', aidStartOn: '2026-10-30' })), 'VALIDATION', /未来の日付/);
    await rejectsWith(call(() => step(approver, f, 'decide', { decidedOn: '2026-11-22', decision: '保留' })), 'VALIDATION', /決定は開始か却下です/);
    await rejectsWith(call(() => step(approver, f, 'tahou_query', {})), 'RULE', /操作はありません/);
    f = await step(approver, f, 'decide', { decidedOn: '2026-11-22', decision: '開始', aidStartOn: '2026-10-30' });
    expect(f).toMatchObject({ state: 'decided', version: 3 });

    const why = (action: string) => auditOf(s.core.db, action).filter((e) => e.outcome === 'rejected').map((e) => e.detail.why);
    expect(why('fujo.start')).toEqual(['forbidden', 'not_recipient', 'not_recipient', 'future_date']);
    expect(why('fujo.step')).toEqual(['forbidden', 'stale', 'not_recipient', 'future_date', 'invalid', 'state']);
    expect(why('fujo.queue')).toEqual(['forbidden']);
  });
});
