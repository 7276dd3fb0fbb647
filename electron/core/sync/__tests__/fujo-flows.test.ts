import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { residentRecordId } from '../../../../server/import/import';
import { jimuRight, type Right, type Role } from '../../../../shared/domain/rights';
import { seikatsuRecipientNumber, type FlowRecord } from '../../../../shared/domain/seikatsu';
import { clockFrom } from '../../../../testing/clock';
import { jukiRow, seihoRow, type FileSpec, importBuilt } from '../../../../testing/interface-files';
import { resetDb, useSyncServer, type SyncServerFixture } from '../../../../testing/server';
import { refreshPopulations } from '../../../../server/population';
import { closeTerminals, openTerminal, type TestTerminal } from '../../../../testing/terminals';
import type { Actor } from '../../actor';
import { insertRecord } from '../../db/records';
import { ResidentService } from '../../residents/resident-service';
import { FujoService } from '../../seikatsu/fujo-service';
import { SyncEngine } from '../sync-engine';
import { makeSoftCredential, signAssertion, type SoftCredential } from '../../../../testing/webauthn';

/**
 * 扶助 flows from the counter to the central server and back (issue 17): a terminal serving only 生活保護 runs the
 * flows with its real service; the server (real PostgreSQL) replays each pushed history through the same state
 * machine with its own grants, accepts the honest ones and refuses the forged ones in the same push — approver ==
 * checker, a state the history does not reach, a step by staff the server gives no 生活保護 right, a rewritten
 * history — while the rest of the batch is applied; a second terminal pulls what was accepted.
 */
const clock = clockFrom('2026-11-22T01:00:00Z');
const M = '271004';
const SCOPE = { municipality: M, jimu: ['seikatsu' as const] };
let fixture: SyncServerFixture;
useSyncServer(['FUKU', 'FUKU2'], { clock, scopes: { FUKU: SCOPE, FUKU2: SCOPE } }, (s) => (fixture = s));

let dir: string;
const open: TestTerminal[] = [];
beforeEach(async () => {
  await resetDb(fixture.pg.pool);
  dir = await mkdtemp(join(tmpdir(), 'madoguchi-fujo-'));
});
afterEach(async () => {
  closeTerminals(open);
  await rm(dir, { recursive: true, force: true });
});

const run = (spec: FileSpec, rows: Iterable<readonly string[]>) => importBuilt(fixture.pg.pool, dir, spec, rows, clock);
const rid = (n: number) => residentRecordId(M, String(100000000 + n));

const AT = '2026-04-01T00:00:00.000Z';
const book = (id: string) => ({ id, version: 1, created_at: AT, created_by: 'T', updated_at: AT, updated_by: 'T', deleted: 0 });
const serverEntity = (entity: string, id: string, payload: Record<string, unknown>) =>
  fixture.pg.pool.query(`INSERT INTO entities (entity, entity_id, version, payload, updated_by_terminal, municipality) VALUES ($1, $2, 1, $3, 'T', $4)`, [entity, id, JSON.stringify({ ...book(id), ...payload }), M]);

/** Each member's authenticator (a soft credential): on the server's records, pulled by the terminals. */
const creds: Record<string, SoftCredential> = {};

/** A member of staff as the server holds them: entity 'staff', grants in force since 2000, their authenticator. */
async function serverStaff(staffId: string, role: Role, rights: Right[], revokedAt: string | null = null): Promise<void> {
  await serverEntity('staff', randomUUID(), { staff_id: staffId, name: `職員 ${staffId}`, role, password_hash: 'x', password_changed_at: AT, disabled: 0, demo: 0 });
  for (const right of rights) {
    await serverEntity('staff_grants', randomUUID(), {
      staff_id: staffId, right_name: right, approved_by: 'D7001', reason: 'テスト', approval_status: 'legacy', revoked_at: revokedAt, revoked_by: revokedAt ? 'A0001' : null, valid_from: '2000-04-01T00:00:00.000Z', expires_at: null,
    });
  }
  const cred = (creds[staffId] = makeSoftCredential());
  await serverEntity('authenticators', randomUUID(), {
    staff_id: staffId, credential_id: cred.credentialId, public_key: cred.publicKeyCose, counter: 0, transports: '["internal"]', label: 'テスト用仮想認証器', registered_by: staffId, approval_status: 'legacy',
  });
  // As an import or an identity push would: the staff population decides which terminals get them.
  await refreshPopulations(fixture.pg.pool, clock.now());
}

/**
 * The member's grants revoked on the server at `at`, after the terminal last pulled (it worked offline since): the
 * terminal still holds them, the server's records say otherwise.
 */
async function revokeOnServer(staffId: string, at: string): Promise<void> {
  await fixture.pg.pool.query(
    `UPDATE entities SET payload = payload || jsonb_build_object('revoked_at', $2::text, 'revoked_by', 'A0001') WHERE entity = 'staff_grants' AND payload->>'staff_id' = $1`,
    [staffId, at],
  );
}

/** The logged-in member as the core hands them to a service (the terminal's own grants). */
const actor = (staffId: string, fns: ('claim.enter' | 'claim.check' | 'claim.approve')[]): Actor => ({
  staffId, name: staffId, role: 'approver', rights: fns.map((f) => jimuRight('seikatsu', f)), demo: false, loggedInAt: clock.now().toISOString(), locked: false,
});
const clerk = actor('W1001', ['claim.enter']);
const checker = actor('W2001', ['claim.check']);
const approver = actor('W7001', ['claim.check', 'claim.approve']);
/** Holds the rights at this terminal only: the server has no grant for W9001. */
const stranger = actor('W9001', ['claim.enter']);

function terminal(id: string) {
  const t = openTerminal(fixture, id, clock);
  open.push(t);
  const engine = new SyncEngine(t.db, t.audit, clock, id);
  const fujo = new FujoService(t.db, t.audit, clock, new ResidentService(t.db, t.audit, clock), id, { rpID: 'localhost', rpName: '窓口端末（テスト）', origins: ['http://localhost'] });
  return { ...t, engine, fujo };
}
type Term = ReturnType<typeof terminal>;
let signCount = 1;
/** A step as the screen takes it: the options (a check's or 決裁's hash), the member's authenticator signs, the step. */
async function step(t: Term, a: Actor, flow: { id: string; version: number }, action: Parameters<FujoService['step']>[1]['action'], input: Record<string, unknown>) {
  const req = { flowId: flow.id, version: flow.version, action, input };
  const { hash } = await t.fujo.stepBegin(a, req);
  const assertion = hash === null ? null : signAssertion(creds[a.staffId]!, { challenge: hash }, 'http://localhost', 'localhost', signCount++);
  return t.fujo.step(a, { ...req, assertion: assertion as never });
}
const pullAll = async (t: Term) => {
  for (let i = 0; i < 20; i++) if (!(await t.engine.pullOnce(t.client, 500)).more) break;
};
const pushAll = async (t: Term) => {
  for (let i = 0; i < 5 && t.engine.status().pending > 0; i++) await t.engine.pushOnce(t.client);
};

/** A flow record written as a terminal would write it, with `record` whatever the test forges. */
function forge(t: Term, record: FlowRecord, flowNo: string, proofs = '{}'): string {
  return insertRecord(t.db, 'fujo_flows', {
    resident_id: record.residentId, flow_no: flowNo, kind: record.kind, state: record.state, applied_on: record.facts.appliedOn, record_json: JSON.stringify(record), proofs_json: proofs,
  }, { by: record.history.at(-1)!.by, at: clock.now().toISOString() });
}

const serverFlows = async () =>
  (await fixture.pg.pool.query<{ flow_no: string; version: number; state: string }>(
    `SELECT payload->>'flow_no' AS flow_no, version, payload->>'state' AS state FROM entities WHERE entity = 'fujo_flows' ORDER BY 1`)).rows;

describe('扶助 flows through the central server', () => {
  beforeEach(async () => {
    expect(await run({ interface: 'JUKI', kind: 'FULL', seq: 1 }, [1, 2, 3].map((n) => jukiRow(n)))).toMatchObject({ result: 'applied' });
    expect(await run({ interface: 'SEIHO', kind: 'FULL', seq: 1, system: '生活保護システム' }, [seihoRow(1), seihoRow(2)])).toMatchObject({ result: 'applied' });
    await serverStaff('W1001', 'clerk', [jimuRight('seikatsu', 'claim.enter')]);
    await serverStaff('W2001', 'checker', [jimuRight('seikatsu', 'claim.check')]);
    await serverStaff('W7001', 'approver', [jimuRight('seikatsu', 'claim.check'), jimuRight('seikatsu', 'claim.approve')]);
  });

  it('honest flows are accepted; forged ones are refused in the same push, and the rest of the batch is applied; a second terminal pulls them', async () => {
    const t = terminal('FUKU');
    await pullAll(t);
    expect(t.db.prepare('SELECT count(*) AS n FROM seiho_jukyu').get()).toEqual({ n: 2 });

    // Honest: 医療扶助（直接）by three people, and a 介護扶助 申請.
    let a = t.fujo.start(clerk, { kind: 'iryo_direct', residentId: rid(1), appliedOn: '2026-11-20' });
    a = await step(t, checker, a, 'check', {});
    a = await step(t, approver, a, 'decide', { decidedOn: '2026-11-22', decision: '開始', aidStartOn: '2026-11-20' });
    expect(a.history.map((h) => h.by)).toEqual(['W1001', 'W2001', 'W7001']);
    const legit = t.fujo.flowsOf(rid(1))[0]!;
    expect(legit.state).toBe('decided');

    // Forged 1: the checker also decides (the record names W7001 for both; the terminal's service would refuse it).
    const selfApproved: FlowRecord = {
      ...legit,
      checkedBy: null,
      history: legit.history.map((h) => (h.action === 'check' ? { ...h, by: 'W7001' } : h)),
    };
    forge(t, selfApproved, 'X-9001');
    // Forged 2: a state the history does not reach (申請受理 only, yet 決定).
    const receivedOnly = legit.history.slice(0, 1);
    forge(t, { ...legit, residentId: rid(2), state: 'decided', enteredBy: [], checkedBy: null, facts: { appliedOn: '2026-11-20', decision: '開始', aidStartOn: '2026-11-20' }, history: receivedOnly.map((h) => ({ ...h, input: { ...h.input, residentId: rid(2) } })) }, 'X-9002');
    // Honest in between: a 介護扶助 申請 for the second recipient.
    const c = t.fujo.start(clerk, { kind: 'kaigo', residentId: rid(2), appliedOn: '2026-11-21' });
    // Forged 3: entered by someone with rights at this terminal but none on the server's records.
    t.fujo.start(stranger, { kind: 'iryo_direct', residentId: rid(2), appliedOn: '2026-11-21' });

    // Forged 4: the honest history with typed IDs only — no signatures; forged 5: the honest flow's signatures copied.
    forge(t, legit, 'X-9004');
    const signed = (t.db.prepare('SELECT proofs_json FROM fujo_flows WHERE id = ?').get(a.id) as { proofs_json: string }).proofs_json;
    expect(Object.keys(JSON.parse(signed) as object)).toEqual(['1', '2']);
    forge(t, legit, 'X-9005', signed);

    await pushAll(t);
    expect(t.engine.status().pending).toBe(0);
    const rejections = t.db.prepare('SELECT entity, reason FROM sync_rejections ORDER BY mutation_id').all() as { entity: string; reason: string }[];
    expect(rejections.map((r) => r.entity)).toEqual(['fujo_flows', 'fujo_flows', 'fujo_flows', 'fujo_flows', 'fujo_flows']);
    expect(rejections[3]!.reason).toBe('forbidden: 扶助の手続き 2（確認（二重チェック）、W2001）に本人の認証器による署名がありません');
    expect(rejections[4]!.reason).toBe('forbidden: 扶助の手続き 2（確認（二重チェック）、W2001）に本人の認証器による署名がありません');
    expect(rejections[0]!.reason).toMatch(/^invalid: 扶助の手続き 3（決定（決裁）、W7001）は認められません。自分が二重チェックした記録は決裁できません。/);
    expect(rejections[1]!.reason).toBe('invalid: 扶助の記録（状態・確認者・記録した事実）が手続きの履歴から導けるものと一致しません');
    expect(rejections[2]!.reason).toBe('forbidden: 中央サーバの記録では、申請受理（W9001）の時点でこの職員に生活保護の申請入力の権限がありません');
    expect(await serverFlows()).toEqual([
      { flow_no: 'H20261122-FUKU-0001', version: 3, state: 'decided' },
      { flow_no: 'H20261122-FUKU-0002', version: 1, state: 'received' },
    ]);

    // A second 生活保護 terminal pulls the accepted flows with their people and can go on with them.
    const t2 = terminal('FUKU2');
    await pullAll(t2);
    expect(t2.db.prepare('SELECT flow_no, state, version FROM fujo_flows ORDER BY flow_no').all()).toEqual([
      { flow_no: 'H20261122-FUKU-0001', state: 'decided', version: 3 },
      { flow_no: 'H20261122-FUKU-0002', state: 'received', version: 1 },
    ]);
    expect(t2.fujo.flowsOf(rid(1))).toEqual([legit]);
    const next = await step(t2, clerk, { id: c.id, version: 1 }, 'insurance_query', { queriedOn: '2026-11-22', agency: '大阪市介護保険課' });
    expect(next.state).toBe('insurance_queried');
    await pushAll(t2);
    expect(t2.db.prepare('SELECT count(*) AS n FROM sync_rejections').get()).toEqual({ n: 0 });
    expect((await serverFlows())[1]).toEqual({ flow_no: 'H20261122-FUKU-0002', version: 2, state: 'insurance_queried' });
  });

  it('a 給付券 pushed after its flow in the same push stands on the flow the server has just accepted; one of a 扶助 not decided there is refused, the rest applied', async () => {
    const t = terminal('FUKU');
    await pullAll(t);
    let a = t.fujo.start(clerk, { kind: 'iryo_direct', residentId: rid(1), appliedOn: '2026-11-20' });
    a = await step(t, checker, a, 'check', {});
    expect((await step(t, approver, a, 'decide', { decidedOn: '2026-11-22', decision: '開始', aidStartOn: '2026-11-20' })).state).toBe('decided');
    // A 介護扶助 only received (申請受理): no 介護券 yet.
    t.fujo.start(clerk, { kind: 'kaigo', residentId: rid(2), appliedOn: '2026-11-21' });
    // The tickets as the terminal's issue stores them (electron/core/certificates/lifecycle-service.ts), after the flows in the outbox.
    const ticket = (residentId: string, type: 'seikatsu_iryo' | 'seikatsu_kaigo', no: string, extra: Record<string, unknown>) =>
      insertRecord(t.db, 'certificates', {
        resident_id: residentId, cert_type: type, certificate_no: no, public_payer_no: '12270104', issue_kind: 'new', reissue_reason: null, issue_date: '2026-11-22',
        valid_from: '2026-11-20', valid_to: '2026-11-30', guardian_id: null, status: 'valid', superseded_by: null, name_choice: 'real', print_sex: 1, end_reason: null,
        recall_status: 'none', recall_date: null, recall_kind: null,
        details_json: JSON.stringify({
          shinryo: '入院外', month: '2026-11', recipientNo: seikatsuRecipientNumber('', 1), publicPayerNo: '12270104', institutionCode: '2712345678', institutionName: '大阪第一病院',
          prescriberCode: null, caseNo: '4501', caseworker: 'W1001', diseaseNames: ['高血圧症'], selfPayYen: 0, coverage: '単独', socialInsurance: null,
          aidStartOn: '2026-11-20', abolishedOn: null, infectiousDisease37_2: false, lateElderly: false, prefecturalCost: false, ...extra,
        }),
      }, { by: 'W1001', at: clock.now().toISOString() });
    ticket(rid(2), 'seikatsu_kaigo', 'KG00000001', { shinryo: '介護', institutionCode: '2770000012', institutionName: '訪問介護さくら', diseaseNames: [] });
    const honest = ticket(rid(1), 'seikatsu_iryo', 'IR00000001', {});
    const outbox = t.db.prepare('SELECT entity FROM outbox ORDER BY rowid').all() as { entity: string }[];
    expect(outbox.map((o) => o.entity).lastIndexOf('fujo_flows')).toBeLessThan(outbox.map((o) => o.entity).indexOf('certificates'));

    // One push carries it all.
    await t.engine.pushOnce(t.client);
    expect(t.engine.status().pending).toBe(0);
    expect(t.db.prepare('SELECT entity, reason FROM sync_rejections ORDER BY mutation_id').all()).toEqual([
      { entity: 'certificates', reason: 'invalid: 中央サーバの扶助の記録では、介護扶助が開始の決定（決裁）に至っていないため、券は交付できません' },
    ]);
    expect(await serverFlows()).toEqual([
      { flow_no: 'H20261122-FUKU-0001', version: 3, state: 'decided' },
      { flow_no: 'H20261122-FUKU-0002', version: 1, state: 'received' },
    ]);
    const tickets = await fixture.pg.pool.query(`SELECT entity_id, payload->>'certificate_no' AS no FROM entities WHERE entity = 'certificates'`);
    expect(tickets.rows).toEqual([{ entity_id: honest, no: 'IR00000001' }]);
  });

  it('a version that rewrites the history the server holds, or deletes the flow, is refused; the server keeps its record', async () => {
    const t = terminal('FUKU');
    await pullAll(t);
    const a = t.fujo.start(clerk, { kind: 'iryo_direct', residentId: rid(1), appliedOn: '2026-11-20' });
    await pushAll(t);
    expect(await serverFlows()).toEqual([{ flow_no: 'H20261122-FUKU-0001', version: 1, state: 'received' }]);

    // The 申請日 moved back a year in the stored 申請受理, with a check added on top.
    const flow = t.fujo.flowsOf(rid(1))[0]!;
    const rewritten: FlowRecord = {
      ...flow, state: 'checked', checkedBy: 'W2001', facts: { appliedOn: '2025-11-20' },
      history: [{ ...flow.history[0]!, input: { ...flow.history[0]!.input, appliedOn: '2025-11-20' } }, { action: 'check', by: 'W2001', at: clock.now().toISOString(), input: { note: '' } }],
    };
    const outbox = t.db.prepare(`INSERT INTO outbox (client_uuid, entity, entity_id, op, payload, created_at, created_by) VALUES (?, 'fujo_flows', ?, 'update', ?, ?, 'W2001')`);
    outbox.run(randomUUID(), a.id, JSON.stringify({ id: a.id, version: 2, state: 'checked', applied_on: '2025-11-20', record_json: JSON.stringify(rewritten) }), clock.now().toISOString());
    outbox.run(randomUUID(), a.id, JSON.stringify({ id: a.id, version: 2, deleted: 1 }), clock.now().toISOString());
    await pushAll(t);
    expect(t.db.prepare('SELECT reason FROM sync_rejections ORDER BY mutation_id').all()).toEqual([
      { reason: 'invalid: 中央サーバにある扶助の手続きの履歴は書き換えられません' },
      { reason: 'forbidden: 扶助の記録は削除できません（廃止の決定で終えます）' },
    ]);
    expect(await serverFlows()).toEqual([{ flow_no: 'H20261122-FUKU-0001', version: 1, state: 'received' }]);
  });

  it("each step is judged by the server's grants at its own time: a right revoked after the step still counts, one revoked before does not", async () => {
    // W2002's 確認 right was revoked at 00:30, W2003's only at 02:00; both check at 01:00 (the terminal's clock).
    await serverStaff('W2002', 'checker', [jimuRight('seikatsu', 'claim.check')]);
    await serverStaff('W2003', 'checker', [jimuRight('seikatsu', 'claim.check')]);
    const t = terminal('FUKU');
    await pullAll(t);
    await revokeOnServer('W2002', '2026-11-22T00:30:00.000Z');
    await revokeOnServer('W2003', '2026-11-22T02:00:00.000Z');
    const early = t.fujo.start(clerk, { kind: 'iryo_direct', residentId: rid(1), appliedOn: '2026-11-20' });
    const late = t.fujo.start(clerk, { kind: 'iryo_direct', residentId: rid(2), appliedOn: '2026-11-20' });
    await step(t, actor('W2002', ['claim.check']), early, 'check', {});
    await step(t, actor('W2003', ['claim.check']), late, 'check', {});
    await pushAll(t);
    expect(t.db.prepare('SELECT reason FROM sync_rejections ORDER BY mutation_id').all()).toEqual([
      { reason: 'forbidden: 中央サーバの記録では、扶助の手続き 2（確認（二重チェック）、W2002）の時点でこの職員に必要な生活保護の権限がありません' },
    ]);
    expect(await serverFlows()).toEqual([
      { flow_no: 'H20261122-FUKU-0001', version: 1, state: 'received' },
      { flow_no: 'H20261122-FUKU-0002', version: 2, state: 'checked' },
    ]);
  });
});
