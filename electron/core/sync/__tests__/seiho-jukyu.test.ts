import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { residentRecordId, type ImportResult } from '../../../../server/import/import';
import { clockFrom } from '../../../../testing/clock';
import { jukiRow, seihoRow, type FileSpec, importBuilt } from '../../../../testing/interface-files';
import { resetDb, useSyncServer, type SyncServerFixture } from '../../../../testing/server';
import { closeTerminals, openTerminal, type TestTerminal } from '../../../../testing/terminals';
import { insertRecord } from '../../db/records';
import { SyncEngine } from '../sync-engine';

/**
 * 保護受給 from its interface to the terminal (issue 17): a real server (PostgreSQL) imports SEIHO files (全件, then
 * 異動: 開始, 変更, 廃止) into seiho_jukyu and 'seiho_jukyu' entities naming the resident; a terminal serving only
 * 生活保護 pulls exactly the recipients and their records, a 国保-only terminal none; no terminal can push one; a
 * line for a 宛名番号 not among the residents is held on the server (not a 連携エラー) and sent once the resident arrives.
 */
const clock = clockFrom('2026-11-22T01:00:00Z');
let fixture: SyncServerFixture;
useSyncServer(['SEIK', 'KOKU'], {
  clock,
  scopes: { SEIK: { municipality: '271004', jimu: ['seikatsu'] }, KOKU: { municipality: '271004', jimu: ['kokuho'] } },
}, (s) => (fixture = s));

let dir: string;
beforeEach(async () => {
  await resetDb(fixture.pg.pool);
  dir = await mkdtemp(join(tmpdir(), 'madoguchi-seiho-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run = (spec: FileSpec, rows: Iterable<readonly string[]>): Promise<ImportResult> => importBuilt(fixture.pg.pool, dir, spec, rows, clock);
const seiho = (seq: number, kind: 'FULL' | 'DIFF' = 'FULL'): FileSpec => ({ interface: 'SEIHO', kind, seq, system: '生活保護システム' });
const juki = (seq: number, kind: 'FULL' | 'DIFF' = 'FULL'): FileSpec => ({ interface: 'JUKI', kind, seq });
const rid = (n: number) => residentRecordId('271004', String(100000000 + n));

/** Residents 1–6; 保護 全件 for 1, 2, 3 and 99 (no such resident); 異動: 開始 of 4, 変更 of 1, 廃止 of 2. */
async function importAll(): Promise<void> {
  expect(await run(juki(1), [1, 2, 3, 4, 5, 6].map((n) => jukiRow(n)))).toMatchObject({ result: 'applied' });
  const full = await run(seiho(1), [seihoRow(1), seihoRow(2), seihoRow(3), seihoRow(99)]);
  expect(full).toMatchObject({ result: 'applied', counts: { inserted: 4, updated: 0, removed: 0, unchanged: 0, held: 1 } });
  expect(full.message).toContain('宛名番号が住民記録にない 1 行は中央サーバで保留');
  const diff = await run(seiho(2, 'DIFF'), [
    seihoRow(4, { case_no: '70000009', started_on: '20261101', change_reason: '11', aid_kinds: '01 04 05' }),
    seihoRow(1, { changed_on: '20261015', change_reason: '21', aid_kinds: '01 03' }),
    seihoRow(2, { ended_on: '20261031', change_reason: '31' }),
  ]);
  expect(diff).toMatchObject({ result: 'applied', counts: { inserted: 1, updated: 2, removed: 0, unchanged: 0, held: 0 } });
}

describe('保護受給 import (SEIHO) into the central server', () => {
  it('全件 then 異動 (開始, 変更, 廃止) land in seiho_jukyu and as seikatsu records naming the resident; no 個人番号', async () => {
    await importAll();
    const rows = await fixture.pg.pool.query(
      `SELECT case_no, atena_no, to_char(started_on, 'YYYY-MM-DD') AS started, to_char(changed_on, 'YYYY-MM-DD') AS changed, to_char(ended_on, 'YYYY-MM-DD') AS ended,
              change_reason, aid_kinds, caseworker, office_code, resident_id FROM seiho_jukyu ORDER BY atena_no`,
    );
    expect(rows.rows).toEqual([
      { case_no: '70000000', atena_no: '100000001', started: '2025-04-01', changed: '2026-10-15', ended: null, change_reason: '21', aid_kinds: '01 03', caseworker: 'W3001', office_code: '271004', resident_id: rid(1) },
      { case_no: '70000000', atena_no: '100000002', started: '2025-04-01', changed: null, ended: '2026-10-31', change_reason: '31', aid_kinds: '01 03 04', caseworker: 'W3001', office_code: '271004', resident_id: rid(2) },
      { case_no: '70000001', atena_no: '100000003', started: '2025-04-01', changed: null, ended: null, change_reason: '00', aid_kinds: '01 03 04', caseworker: 'W3001', office_code: '271004', resident_id: rid(3) },
      { case_no: '70000009', atena_no: '100000004', started: '2026-11-01', changed: null, ended: null, change_reason: '11', aid_kinds: '01 04 05', caseworker: 'W3001', office_code: '271004', resident_id: rid(4) },
      { case_no: '70000033', atena_no: '100000099', started: '2025-04-01', changed: null, ended: null, change_reason: '00', aid_kinds: '01 03 04', caseworker: 'W3001', office_code: '271004', resident_id: null },
    ]);
    const ents = await fixture.pg.pool.query(
      `SELECT payload->>'atena_no' AS atena, version, jimu, payload->>'resident_id' AS resident, payload->>'ended_on' AS ended, payload ? 'office_code' AS office,
              payload ? 'my_number' AS my_number FROM entities WHERE entity = 'seiho_jukyu' ORDER BY 1`,
    );
    expect(ents.rows).toEqual([
      { atena: '100000001', version: 2, jimu: 'seikatsu', resident: rid(1), ended: null, office: false, my_number: false },
      { atena: '100000002', version: 2, jimu: 'seikatsu', resident: rid(2), ended: '2026-10-31', office: false, my_number: false },
      { atena: '100000003', version: 1, jimu: 'seikatsu', resident: rid(3), ended: null, office: false, my_number: false },
      { atena: '100000004', version: 1, jimu: 'seikatsu', resident: rid(4), ended: null, office: false, my_number: false },
    ]);
    // server/population.ts: the 事務 seikatsu holds exactly the people its records name.
    const pop = await fixture.pg.pool.query(`SELECT resident_id FROM population WHERE municipality = '271004' AND jimu = 'seikatsu' ORDER BY 1`);
    expect(pop.rows.map((r) => r.resident_id)).toEqual([rid(1), rid(2), rid(3), rid(4)].sort());
  });

  it('the same 異動 file again is a no-op; a 廃止 before its 開始 is a 連携エラー that changes nothing', async () => {
    await importAll();
    const bad = await run(seiho(3, 'DIFF'), [seihoRow(3, { ended_on: '20250301', change_reason: '31' })]);
    expect(bad.result).toBe('error');
    expect(bad.message).toContain('3行目: 項目「保護廃止年月日」が保護開始年月日より後ではありません');
    const kept = await fixture.pg.pool.query(`SELECT ended_on FROM seiho_jukyu WHERE atena_no = '100000003'`);
    expect(kept.rows).toEqual([{ ended_on: null }]);
  });
});

describe('who receives 保護受給, and who may write it', () => {
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
  const count = (t: TestTerminal, table: string) => (t.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

  it('a 生活保護-only terminal pulls exactly the recipients and their records; a 国保-only terminal none; a held line arrives with its resident', async () => {
    await importAll();
    const s = terminal('SEIK');
    const k = terminal('KOKU');
    await pullAll(s);
    await pullAll(k);
    expect(s.engine.waitingCount()).toBe(0);
    expect(s.db.prepare('SELECT atena_no FROM residents ORDER BY atena_no').all()).toEqual(['100000001', '100000002', '100000003', '100000004'].map((atena_no) => ({ atena_no })));
    const cases = s.db.prepare('SELECT resident_id, case_no, atena_no, head_flag, started_on, changed_on, ended_on, change_reason, caseworker, aid_kinds, version FROM seiho_jukyu ORDER BY atena_no').all();
    expect(cases).toEqual([
      { resident_id: rid(1), case_no: '70000000', atena_no: '100000001', head_flag: '2', started_on: '2025-04-01', changed_on: '2026-10-15', ended_on: null, change_reason: '21', caseworker: 'W3001', aid_kinds: '01 03', version: 2 },
      { resident_id: rid(2), case_no: '70000000', atena_no: '100000002', head_flag: '2', started_on: '2025-04-01', changed_on: null, ended_on: '2026-10-31', change_reason: '31', caseworker: 'W3001', aid_kinds: '01 03 04', version: 2 },
      { resident_id: rid(3), case_no: '70000001', atena_no: '100000003', head_flag: '1', started_on: '2025-04-01', changed_on: null, ended_on: null, change_reason: '00', caseworker: 'W3001', aid_kinds: '01 03 04', version: 1 },
      { resident_id: rid(4), case_no: '70000009', atena_no: '100000004', head_flag: '2', started_on: '2026-11-01', changed_on: null, ended_on: null, change_reason: '11', caseworker: 'W3001', aid_kinds: '01 04 05', version: 1 },
    ]);
    // Nothing else of a person's: no certificates, claims, 国保 or こども records.
    for (const table of ['certificates', 'claims', 'kokuho_shikaku', 'kodomo_shikaku', 'health_insurance', 'resident_guardians', 'vaccination_records']) expect(count(s, table), table).toBe(0);
    expect(count(k, 'seiho_jukyu')).toBe(0);
    expect(count(k, 'residents')).toBe(0);

    // The held line's person arrives by a 住民記録 異動 (転入): the line becomes a record and reaches the terminal with them.
    expect(await run(juki(2, 'DIFF'), [jukiRow(99, { ido_reason: '11', ido_date: '20261120' })])).toMatchObject({ result: 'applied' });
    const linked = await fixture.pg.pool.query(`SELECT resident_id FROM seiho_jukyu WHERE atena_no = '100000099'`);
    expect(linked.rows).toEqual([{ resident_id: rid(99) }]);
    await pullAll(s);
    await pullAll(k);
    expect(s.engine.waitingCount()).toBe(0);
    expect(s.db.prepare(`SELECT r.atena_no FROM seiho_jukyu j JOIN residents r ON r.id = j.resident_id WHERE j.atena_no = '100000099'`).all()).toEqual([{ atena_no: '100000099' }]);
    expect(count(s, 'residents')).toBe(5);
    expect(count(k, 'seiho_jukyu') + count(k, 'residents')).toBe(0);
  });

  it('a terminal cannot push a 保護受給 record (a forged insert or edit is refused as forbidden; the server keeps its record)', async () => {
    await importAll();
    const t = terminal('SEIK');
    await pullAll(t);
    const at = '2026-11-22T01:00:00.000Z';
    insertRecord(t.db, 'seiho_jukyu', {
      resident_id: rid(3), case_no: '99999999', atena_no: '100000003', household_no: '1', head_flag: '1', started_on: '2026-01-01', changed_on: null, ended_on: null,
      change_reason: '11', caseworker: 'W3001', aid_kinds: '01',
    }, { by: 'D1001', at });
    const held = t.db.prepare('SELECT id FROM seiho_jukyu WHERE atena_no = ? AND case_no = ?').get('100000002', '70000000') as { id: string };
    t.db.prepare(`INSERT INTO outbox (client_uuid, entity, entity_id, op, payload, created_at, created_by) VALUES (?, 'seiho_jukyu', ?, 'update', ?, ?, 'D1001')`)
      .run(crypto.randomUUID(), held.id, JSON.stringify({ id: held.id, version: 3, ended_on: null, change_reason: '00' }), at);
    for (let i = 0; i < 3 && t.engine.status().pending > 0; i++) await t.engine.pushOnce(t.client);
    const rejections = t.db.prepare('SELECT entity, reason FROM sync_rejections ORDER BY mutation_id').all();
    const forbidden = { entity: 'seiho_jukyu', reason: 'forbidden: 保護受給は生活保護システムから中央サーバに取り込みます（端末からは変更できません）' };
    expect(rejections).toEqual([forbidden, forbidden]);
    const server = await fixture.pg.pool.query(`SELECT payload->>'case_no' AS case_no, version, payload->>'ended_on' AS ended FROM entities WHERE entity = 'seiho_jukyu' AND payload->>'atena_no' IN ('100000002', '100000003') ORDER BY payload->>'atena_no'`);
    expect(server.rows).toEqual([{ case_no: '70000000', version: 2, ended: '2026-10-31' }, { case_no: '70000001', version: 1, ended: null }]);
  });
});
