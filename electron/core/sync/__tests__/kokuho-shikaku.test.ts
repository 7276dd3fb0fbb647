import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ImportResult } from '../../../../server/import/import';
import { clockFrom } from '../../../../testing/clock';
import { createSeededCore, loginSeeded, type SeededCore } from '../../../../testing/core';
import { auditOf, must } from '../../../../testing/db';
import { kokuhoRow, type FileSpec, importBuilt } from '../../../../testing/interface-files';
import { resetDb, useSyncServer, type SyncServerFixture } from '../../../../testing/server';
import { closeTerminals, openTerminal, queueSeedPeople, serverClient, type TestTerminal } from '../../../../testing/terminals';
import { insertRecord } from '../../db/records';
import { SyncEngine } from '../sync-engine';
import type { Actor } from '../../actor';
import type { CentralServerClient } from '../../net/server-client';

/**
 * 国保 被保険者資格 from its interface to the terminal, enforced (issue 15 §2/§3): a real server (PostgreSQL) imports a
 * 国保 file, terminals serving 国保 pull the 資格 records (others do not), no terminal can push one, and the core and
 * the server both refuse a 国保 certificate or claim outside the 資格.
 */
const clock = clockFrom('2026-11-22T01:00:00Z');
let fixture: SyncServerFixture;
useSyncServer(['DEMO-01', 'KODO'], { clock, scopes: { KODO: { municipality: '271004', jimu: ['kodomo'] } } }, (s) => (fixture = s));

let dir: string;
beforeEach(async () => {
  await resetDb(fixture.pg.pool);
  dir = await mkdtemp(join(tmpdir(), 'madoguchi-kokuho-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run = (spec: FileSpec, rows: Iterable<readonly string[]>): Promise<ImportResult> => importBuilt(fixture.pg.pool, dir, spec, rows, clock);
const kokuho = (seq: number, kind: 'FULL' | 'DIFF' = 'FULL'): FileSpec => ({ interface: 'KOKUHO', kind, seq });
const rejections = (db: TestTerminal['db']) => db.prepare('SELECT entity, reason FROM sync_rejections ORDER BY mutation_id').all() as { entity: string; reason: string }[];

describe('who receives 国保 資格, and who may write it', () => {
  const open: TestTerminal[] = [];
  afterEach(() => closeTerminals(open));
  const terminal = (id: string) => {
    const t = openTerminal(fixture, id, clock);
    open.push(t);
    return { ...t, engine: new SyncEngine(t.db, t.audit, clock, id) };
  };
  const pullAll = async (t: ReturnType<typeof terminal>) => {
    for (let i = 0; i < 20; i++) if (!(await t.engine.pullOnce(t.client, 500)).more) break;
  };

  it('a terminal serving 国保 pulls the imported 資格 with its 喪失; a こども医療-only terminal of the same municipality receives none', async () => {
    expect(await run(kokuho(1), [kokuhoRow(1), kokuhoRow(2)])).toMatchObject({ result: 'applied' });
    expect(await run(kokuho(2, 'DIFF'), [kokuhoRow(2, { lost_on: '20261031', lose_reason: '01', lose_notified_on: '20261105' })])).toMatchObject({ result: 'applied', counts: { updated: 1 } });
    const k = terminal('DEMO-01');
    const kodo = terminal('KODO');
    await pullAll(k);
    await pullAll(kodo);
    const rows = k.db.prepare('SELECT atena_no, version, acquired_on, lost_on, lose_reason, lose_notified_on, income_class, symbol, number, branch FROM kokuho_shikaku ORDER BY atena_no').all();
    expect(rows).toEqual([
      { atena_no: '100000001', version: 1, acquired_on: '2024-04-01', lost_on: null, lose_reason: null, lose_notified_on: null, income_class: '03', symbol: '北', number: '10001', branch: '02' },
      { atena_no: '100000002', version: 2, acquired_on: '2024-04-01', lost_on: '2026-10-31', lose_reason: '01', lose_notified_on: '2026-11-05', income_class: '03', symbol: '北', number: '10002', branch: '03' },
    ]);
    expect((kodo.db.prepare('SELECT count(*) AS n FROM kokuho_shikaku').get() as { n: number }).n).toBe(0);
    // The server scoped them to 国保: the KODO terminal's pull never carried one.
    const scoped = await fixture.pg.pool.query(`SELECT DISTINCT jimu FROM entities WHERE entity = 'kokuho_shikaku'`);
    expect(scoped.rows).toEqual([{ jimu: 'kokuho' }]);
  });

  it('a terminal cannot push a 資格 record (a forged insert or edit is refused as forbidden; the server keeps its record)', async () => {
    await run(kokuho(1), [kokuhoRow(1)]);
    const t = terminal('DEMO-01');
    await pullAll(t);
    const at = '2026-11-22T01:00:00.000Z';
    insertRecord(t.db, 'kokuho_shikaku', {
      atena_no: '100000009', household_no: '1', insurer_no: '270009', symbol: '偽', number: '1', branch: '01', acquired_on: '2020-01-01', acquire_reason: '01', income_class: '01',
    }, { by: 'D1001', at });
    const held = t.db.prepare('SELECT id FROM kokuho_shikaku WHERE atena_no = ?').get('100000001') as { id: string };
    t.db.prepare(`INSERT INTO outbox (client_uuid, entity, entity_id, op, payload, created_at, created_by) VALUES (?, 'kokuho_shikaku', ?, 'update', ?, ?, 'D1001')`)
      .run(crypto.randomUUID(), held.id, JSON.stringify({ id: held.id, version: 2, lost_on: null, income_class: '01' }), at);
    for (let i = 0; i < 3 && t.engine.status().pending > 0; i++) await t.engine.pushOnce(t.client);
    expect(rejections(t.db)).toEqual([
      { entity: 'kokuho_shikaku', reason: 'forbidden: 国保の資格は国保システムから中央サーバに取り込みます（端末からは変更できません）' },
      { entity: 'kokuho_shikaku', reason: 'forbidden: 国保の資格は国保システムから中央サーバに取り込みます（端末からは変更できません）' },
    ]);
    const server = await fixture.pg.pool.query(`SELECT payload->>'atena_no' AS atena, version, payload->>'income_class' AS income FROM entities WHERE entity = 'kokuho_shikaku'`);
    expect(server.rows).toEqual([{ atena: '100000001', version: 1, income: '03' }]);
  });
});

describe('end to end: a 喪失 imported on the server ends 国保 certificates and claims at the terminal and at the server', () => {
  let t: SeededCore;
  let client: CentralServerClient;
  let clerk: Actor;
  beforeEach(async () => {
    t = await createSeededCore({ clock, households: 3 });
    queueSeedPeople(t.core.db); // the people are the server's too
    client = serverClient(fixture, 'DEMO-01', t.core.audit);
    t.core.sync.attach(client);
    await t.core.sync.runOnce();
    clerk = await loginSeeded(t, 'c', 'D1001');
  });
  afterEach(() => {
    client.close?.();
    t.cleanup();
  });

  it('import (one current member, one lost by 転出) → pull → 資格確認書 refused for the lost member and issued for the current one; forged pushes refused by the server', async () => {
    // Two adults the seed gave no 資格: the 国保 file is the only source of their membership.
    const people = t.core.db.prepare(`SELECT id, atena_no FROM residents r WHERE deleted = 0 AND view_suspended = 0 AND non_disclosure = 0 AND dv_support = 0 AND birth_date < '2000-01-01'
      AND NOT EXISTS (SELECT 1 FROM kokuho_shikaku k WHERE k.atena_no = r.atena_no) ORDER BY atena_no LIMIT 2`).all() as { id: string; atena_no: string }[];
    const [current, lost] = [must(people[0]), must(people[1])];
    const row = (p: { atena_no: string }, over: Record<string, string> = {}) => kokuhoRow(0, { atena_no: p.atena_no, head_atena_no: p.atena_no, ...over });
    const issue = (p: { id: string }) =>
      t.core.lifecycle.issue(clerk, { type: 'kokuho_shikaku', residentId: p.id, issueKind: 'new', reissueReason: null, details: {}, nameChoice: 'real', printSex: true, residentVersion: must(t.core.residents.findRow(p.id)).version });

    expect(() => issue(current)).toThrow('国保の資格がありません'); // nothing imported yet
    expect(await run(kokuho(1), [row(current), row(lost, { lost_on: '20261031', lose_reason: '01', lose_notified_on: '20261102' })])).toMatchObject({ result: 'applied' });
    await t.core.sync.runOnce();

    expect(() => issue(lost)).toThrow('国民健康保険 資格確認書は交付できません。令和8年11月22日は国保の資格がありません（令和8年10月31日に喪失（転出））');
    expect(auditOf(t.core.db, 'certificates.issue').at(-1)).toMatchObject({ outcome: 'rejected', targetAtenaNo: lost.atena_no, detail: { why: 'ineligible' } });
    const ok = issue(current);
    expect(ok).toMatchObject({ status: 'valid', details: { limitKubun: 'ウ' } }); // 所得区分 03 (区分ウ) from the record
    await t.core.sync.runOnce();
    expect(t.core.sync.status().failed).toBe(0);
    const pushed = await fixture.pg.pool.query(`SELECT payload->>'resident_id' AS r FROM entities WHERE entity = 'certificates' AND entity_id = $1`, [ok.id]);
    expect(pushed.rows).toEqual([{ r: current.id }]);

    // A terminal that skips its own rules (a forged outbox entry) meets the same rules at the server, which stores
    // the mutation as rejected and applies the rest.
    const at = '2026-11-22T01:00:00.000Z';
    const cert = t.core.db.prepare('SELECT * FROM certificates WHERE id = ?').get(ok.id) as Record<string, unknown>;
    const { id: _id, version: _v, created_at: _ca, created_by: _cb, updated_at: _ua, updated_by: _ub, ...fields } = cert;
    insertRecord(t.core.db, 'certificates', { ...fields, resident_id: lost.id, certificate_no: 'S9999999' }, { by: 'D1001', at });
    const claim = (serviceMonth: string, no: string) => insertRecord(t.core.db, 'claims', {
      claim_kind: 'kokuho_kogaku', claim_no: no, resident_id: lost.id, applicant_id: null, application_date: '2026-11-20', state: 'received',
      input_json: JSON.stringify({ kubun: 'ウ', serviceMonth, previousApplicableMonths: [], charges: [{ memberId: 'p', institutionCode: '2711111', institutionName: '北区総合病院', category: 'medical-inpatient', totalCostYen: 300000, copayYen: 90000 }] }),
      identity_json: '{}', bank_json: null, calc_json: '{}', amount_yen: 0, deadline: null, deadline_expired: 0, entered_by: 'D1001', revision: 1,
    }, { by: 'D1001', at });
    const outside = claim('2026-11', 'F-0001');
    const inside = claim('2026-10', 'F-0002');
    await t.core.sync.runOnce();
    expect(rejections(t.core.db)).toEqual([
      { entity: 'certificates', reason: 'invalid: 令和8年11月22日は国保の資格がありません（令和8年10月31日に喪失（転出））' },
      { entity: 'claims', reason: 'invalid: 令和8年11月診療分は国保の資格がありません（令和8年10月31日に喪失（転出））' },
    ]);
    const held = await fixture.pg.pool.query(`SELECT entity_id FROM entities WHERE entity = 'claims' AND entity_id = ANY($1)`, [[outside, inside]]);
    expect(held.rows).toEqual([{ entity_id: inside }]); // the month of the 喪失 still had 資格 days

    // A forged 訂正 moving the accepted claim into a month after the 喪失 is refused too; the server keeps version 1.
    const input = JSON.parse((t.core.db.prepare('SELECT input_json FROM claims WHERE id = ?').get(inside) as { input_json: string }).input_json) as Record<string, unknown>;
    t.core.db.prepare(`INSERT INTO outbox (client_uuid, entity, entity_id, op, payload, created_at, created_by) VALUES (?, 'claims', ?, 'update', ?, ?, 'D1001')`)
      .run(crypto.randomUUID(), inside, JSON.stringify({ id: inside, version: 2, input_json: JSON.stringify({ ...input, serviceMonth: '2026-12' }) }), at);
    await t.core.sync.runOnce();
    expect(rejections(t.core.db).at(-1)).toEqual({ entity: 'claims', reason: 'invalid: 令和8年12月診療分は国保の資格がありません（令和8年10月31日に喪失（転出））' });
    const kept = await fixture.pg.pool.query(`SELECT version FROM entities WHERE entity = 'claims' AND entity_id = $1`, [inside]);
    expect(kept.rows).toEqual([{ version: 1 }]);
  });
});
