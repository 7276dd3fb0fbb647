import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runIdoWork } from '../../../../server/jobs/ido-work';
import { clockFrom } from '../../../../testing/clock';
import { createSeededCore, loginSeeded, type SeededCore } from '../../../../testing/core';
import { must } from '../../../../testing/db';
import { jukiRow, importBuilt } from '../../../../testing/interface-files';
import { resetDb, useSyncServer, type SyncServerFixture } from '../../../../testing/server';
import { queueSeedPeople, serverClient } from '../../../../testing/terminals';
import { insertRecord } from '../../db/records';
import type { Actor } from '../../actor';
import type { CentralServerClient } from '../../net/server-client';

/**
 * こども医療 受給資格 between a terminal and the central server (issue 15 §2/§3), real SQLCipher and PostgreSQL over
 * mutual TLS: a 交付申請 entered, checked and decided (認定) by three people at the terminal makes the 受給資格,
 * which the server accepts; the server's daily job ends it after a 転出 in the 住民記録 feed; after the next pull the
 * terminal refuses a こども医療証 and a 償還 month after the 喪失, and the server refuses the same when a terminal
 * skips its own rules.
 */
const clock = clockFrom('2026-11-22T01:00:00Z');
let fixture: SyncServerFixture;
useSyncServer(['DEMO-01'], { clock }, (s) => (fixture = s));

let dir: string;
let t: SeededCore;
let client: CentralServerClient;
let clerk: Actor, checker: Actor, approver: Actor;
beforeEach(async () => {
  await resetDb(fixture.pg.pool);
  dir = await mkdtemp(join(tmpdir(), 'madoguchi-kodomo-'));
  t = await createSeededCore({ clock, households: 2 });
  queueSeedPeople(t.core.db); // the people are the server's too
  client = serverClient(fixture, 'DEMO-01', t.core.audit);
  t.core.sync.attach(client);
  await t.core.sync.runOnce();
  clerk = await loginSeeded(t, 'c', 'D1001');
  checker = await loginSeeded(t, 'k', 'D2001');
  approver = await loginSeeded(t, 'a', 'D7001');
});
afterEach(async () => {
  client.close?.();
  t.cleanup();
  await rm(dir, { recursive: true, force: true });
});

const rejections = () => t.core.db.prepare('SELECT entity, reason FROM sync_rejections ORDER BY mutation_id').all() as { entity: string; reason: string }[];
const identity = { presenter: '本人', documents: ['個人番号カード'], agent: null, confirmed: { name: true, birthDate: true, sex: true, address: true } };
const bank = { bankCode: '0001', branchCode: '100', depositType: '普通', accountNumber: '1234567', holderKana: 'しんせい ちち', publicFundAccount: false, publicFundConsent: false };
const line = (serviceMonth: string) => ({ serviceMonth, institutionCode: '2712345', institutionName: '梅田こどもクリニック', category: 'medical-outpatient', days: 1, totalCostYen: 3000, paidYen: 900 });

/** 交付申請 of a child: entered by one, checked by another, 認定 by a third, at the terminal. Returns the claim. */
async function certify(childId: string, guardianId: string) {
  const received = await t.core.claims.receive(clerk, {
    kind: 'kodomo_shikaku', residentId: childId, applicantId: guardianId, applicationDate: '2026-11-20', identity, bank: null, draftKey: null,
    input: {
      acquiredOn: '2026-11-01', acquireReason: '01', guardianId,
      insurance: { insurerName: '大阪市', kind: '国民健康保険', relation: '家族', symbol: '北', number: '10001', branch: '01' },
      delivery: { method: '窓口' },
    },
  });
  const checked = t.core.claims.check(checker, { claimId: received.id, version: received.version, mode: 'confirm', figures: {}, confirmedAll: true });
  expect(checked.result).toBe('checked');
  const decided = t.core.claims.decide(approver, { claimId: received.id, version: checked.claim.version, decision: '認定', reason: null, overrideReason: null });
  expect(decided).toMatchObject({ state: 'decided', decision: '認定', enteredBy: 'D1001', checkedBy: 'D2001', decidedBy: 'D7001' });
  return received;
}

describe('end to end: 認定 at the terminal → accepted by the server → ended by the job → refused at the terminal and the server', () => {
  it('a newborn\'s 受給資格 from its 交付申請 to its 喪失 by a 転出', async () => {
    const child = must(t.edges.byName.newborn);
    const parent = must(t.edges.byName.newbornParent);
    const kodomoIssue = () => t.core.lifecycle.issue(clerk, {
      type: 'kodomo', residentId: child.id, issueKind: 'new', reissueReason: null, details: { guardianId: parent.id }, nameChoice: 'real', printSex: true,
      residentVersion: must(t.core.residents.findRow(child.id)).version,
    });
    expect(() => kodomoIssue()).toThrow('受給資格がありません');

    const received = await certify(child.id, parent.id);
    const local = t.core.db.prepare('SELECT id, claim_id, acquired_on, lost_on FROM kodomo_shikaku WHERE resident_id = ? AND deleted = 0').all(child.id) as { id: string; claim_id: string }[];
    expect(local).toEqual([{ id: expect.any(String), claim_id: received.id, acquired_on: '2026-11-01', lost_on: null }]);
    const shikakuId = local[0]!.id;
    // Within the 資格 now: the 医療証 and a 償還 for November.
    const cert = kodomoIssue();
    expect(cert).toMatchObject({ status: 'valid' });
    const november = await t.core.claims.receive(clerk, { kind: 'kodomo_shokan', residentId: child.id, applicantId: parent.id, applicationDate: '2026-11-22', identity, bank, draftKey: null, input: { lines: [line('2026-11')] } });

    await t.core.sync.runOnce();
    expect(rejections()).toEqual([]);
    expect(t.core.sync.status().failed).toBe(0);
    const onServer = await fixture.pg.pool.query(`SELECT entity_id, version, jimu, payload->>'claim_id' AS claim FROM entities WHERE entity = 'kodomo_shikaku'`);
    expect(onServer.rows).toEqual([{ entity_id: shikakuId, version: 1, jimu: 'kodomo', claim: received.id }]);
    const held = await fixture.pg.pool.query(`SELECT entity_id FROM entities WHERE entity_id = ANY($1) ORDER BY entity_id`, [[cert.id, november.id]]);
    expect(held.rows).toHaveLength(2);

    // The 住民記録 feed: the child moved out on 11-21 (転出届 on 11-15).
    const person = { atena_no: child.atenaNo, birth_date: '20261101', became_resident_on: '20261101', relationship: '子', name: '新生　児' };
    const juki = (seq: number, over: Record<string, string>) =>
      importBuilt(fixture.pg.pool, dir, { interface: 'JUKI', kind: 'DIFF', seq }, [jukiRow(0, { ...person, ...over })], clock);
    expect(await juki(1, { ido_reason: '31', ido_date: '20261121', notified_on: '20261115', removed: '1', removed_on: '20261121' })).toMatchObject({ result: 'applied' });
    const job = await runIdoWork(fixture.pg.pool, { clock, source: 'cli' });
    expect(job).toMatchObject({ result: 'done', counts: { removals: 1, certificates: 1, candidatesClosed: 1, kodomoIdoLosses: 1 } });

    await t.core.sync.runOnce();
    expect(t.core.db.prepare('SELECT version, lost_on, lose_reason, lose_notified_on, updated_by FROM kodomo_shikaku WHERE id = ?').get(shikakuId))
      .toEqual({ version: 2, lost_on: '2026-11-22', lose_reason: '02', lose_notified_on: '2026-11-15', updated_by: 'JOB' });
    expect(t.core.lifecycle.recallList(clerk).map((c) => [c.id, c.recallStatus, c.endReason])).toEqual([[cert.id, 'pending', '転出（異動日 2026-11-21）']]);
    expect(t.core.residents.findRow(child.id)).toBeNull();

    // The family moves back the next day (転入): the child is a resident again, but the ended 資格 does not come back.
    expect(await juki(2, { ido_reason: '11', ido_date: '20261122', became_resident_on: '20261122', notified_on: '20261122' })).toMatchObject({ result: 'applied' });
    expect((await runIdoWork(fixture.pg.pool, { clock, source: 'cli' })).counts).toMatchObject({ removals: 0, kodomoIdoLosses: 0, kodomoAgeLosses: 0 });
    await t.core.sync.runOnce();
    expect(t.core.residents.findRow(child.id)).toMatchObject({ atena_no: child.atenaNo });

    // The terminal refuses a 医療証 today (a new 交付申請 is needed) and a 償還 line for December; November (11-01〜11-21) had 資格.
    expect(() => kodomoIssue()).toThrow('令和8年11月22日はこども医療費助成の受給資格がありません（令和8年11月21日まで（転出））');
    await expect(t.core.claims.receive(clerk, { kind: 'kodomo_shokan', residentId: child.id, applicantId: parent.id, applicationDate: '2026-11-22', identity, bank, draftKey: null, input: { lines: [line('2026-11'), line('2026-12')] } }))
      .rejects.toThrow('2行目（令和8年12月診療分）: 令和8年12月診療分はこども医療費助成の受給資格がありません（令和8年11月21日まで（転出））');

    // A terminal skipping its own rules (forged outbox entries) meets the same rules at the server.
    const at = '2026-11-22T02:00:00.000Z';
    const row = t.core.db.prepare('SELECT * FROM certificates WHERE id = ?').get(cert.id) as Record<string, unknown>;
    const { id: _id, version: _v, created_at: _ca, created_by: _cb, updated_at: _ua, updated_by: _ub, ...fields } = row;
    insertRecord(t.core.db, 'certificates', { ...fields, certificate_no: 'F0000001', issue_date: '2026-11-22', valid_from: '2026-11-22', status: 'valid', end_reason: null, recall_status: 'none' }, { by: 'D1001', at });
    const claim = t.core.db.prepare('SELECT * FROM claims WHERE id = ?').get(november.id) as Record<string, unknown>;
    const { id: _cid, version: _cv, created_at: _cca, created_by: _ccb, updated_at: _cua, updated_by: _cub, ...claimFields } = claim;
    insertRecord(t.core.db, 'claims', { ...claimFields, claim_no: 'F-0001', input_json: JSON.stringify({ lines: [line('2026-12')] }) }, { by: 'D1001', at });
    await t.core.sync.runOnce();
    expect(rejections()).toEqual([
      { entity: 'certificates', reason: 'invalid: 令和8年11月22日はこども医療費助成の受給資格がありません（令和8年11月21日まで（転出））' },
      { entity: 'claims', reason: 'invalid: 1行目（令和8年12月診療分）: 令和8年12月診療分はこども医療費助成の受給資格がありません（令和8年11月21日まで（転出））' },
    ]);
  });

  it('a 喪失 entered at the counter is pushed and accepted; the server keeps it, and the job leaves it alone', async () => {
    const child = must(t.edges.byName.newborn);
    const parent = must(t.edges.byName.newbornParent);
    const claim = await certify(child.id, parent.id);
    const row = t.core.db.prepare('SELECT id, version FROM kodomo_shikaku WHERE claim_id = ?').get(claim.id) as { id: string; version: number };
    await t.core.sync.runOnce();
    t.core.kodomoShikaku.lose(approver, { shikakuId: row.id, version: row.version, lostOn: '2026-11-21', loseReason: '99', notifiedOn: '2026-11-21' });
    await t.core.sync.runOnce();
    expect(rejections()).toEqual([]);
    const held = await fixture.pg.pool.query(`SELECT version, payload->>'lost_on' AS lost, payload->>'lose_reason' AS why FROM entities WHERE entity = 'kodomo_shikaku' AND entity_id = $1`, [row.id]);
    expect(held.rows).toEqual([{ version: 2, lost: '2026-11-21', why: '99' }]);
    expect((await runIdoWork(fixture.pg.pool, { clock, source: 'cli' })).counts).toMatchObject({ kodomoIdoLosses: 0, kodomoAgeLosses: 0 });
  });
});
