import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { residentRecordId, type ImportResult } from '../../../../server/import/import';
import { fixedClock } from '../../../../testing/clock';
import { jukiRow, type FileSpec, importBuilt } from '../../../../testing/interface-files';
import { resetDb, useSyncServer, type PgFixture, type SyncServerFixture } from '../../../../testing/server';
import { closeTerminals, openTerminal, type TestTerminal } from '../../../../testing/terminals';
import { insertRecord } from '../../db/records';
import { SyncEngine } from '../sync-engine';

/**
 * What an import of 住民記録 into the central server (server/import/) changes reaches the terminals of the
 * municipality by the ordinary pull: real PostgreSQL, real files, a real terminal core over mutual TLS.
 */
const clock = fixedClock('2026-11-22T01:00:00Z');
let fixture: SyncServerFixture, pg: PgFixture;
useSyncServer(['DEMO-01'], { clock }, (s) => ({ pg } = fixture = s));

let dir: string;
const open: TestTerminal[] = [];
beforeEach(async () => {
  await resetDb(pg.pool);
  dir = await mkdtemp(join(tmpdir(), 'madoguchi-import-'));
});
afterEach(async () => {
  closeTerminals(open);
  await rm(dir, { recursive: true, force: true });
});

const run = (spec: FileSpec, rows: Iterable<readonly string[]>): Promise<ImportResult> => importBuilt(pg.pool, dir, spec, rows, clock);

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const juki = (seq: number, kind: 'FULL' | 'DIFF' = 'FULL'): FileSpec => ({ interface: 'JUKI', kind, seq });

describe('what an import changes reaches the terminals by pull', () => {
  async function pullAll(t: TestTerminal & { engine: SyncEngine }) {
    for (let i = 0; i < 50; i++) if (!(await t.engine.pullOnce(t.client, 500)).more) break;
  }
  const row = (t: TestTerminal, atena: string) =>
    t.db.prepare('SELECT id, version, deleted, name_kanji, name_kana_key, address, household_no, has_my_number, dv_support FROM residents WHERE atena_no = ?').get(atena) as
      Record<string, unknown> | undefined;

  it('a full load, then a 異動 file that moves one resident and removes another (転出: dropped from the terminal)', async () => {
    const opened = openTerminal(fixture, 'DEMO-01', clock);
    open.push(opened);
    const t = { ...opened, engine: new SyncEngine(opened.db, opened.audit, clock, 'DEMO-01') };

    expect((await run(juki(1), range(1, 12).map((n) => jukiRow(n, n === 4 ? { dv_support: '1' } : {})))).result).toBe('applied');
    await pullAll(t);
    expect((t.db.prepare('SELECT count(*) AS n FROM residents WHERE deleted = 0').get() as { n: number }).n).toBe(12);
    expect(row(t, '100000004')).toMatchObject({ id: residentRecordId('271004', '100000004'), version: 1, deleted: 0, name_kanji: '窓口 太郎4', dv_support: 1, name_kana_key: 'マドグチタロウ', has_my_number: 1 });
    // The 個人番号 stays on the server (issue 16 §2): the terminal holds only that there is one.
    expect(await pg.pool.query(`SELECT payload->>'my_number' AS n FROM entities WHERE entity = 'residents' AND payload->>'atena_no' = '100000004'`)).toMatchObject({ rows: [{ n: expect.stringMatching(/^[0-9]{12}$/) }] });

    const diff = await run(juki(2, 'DIFF'), [
      jukiRow(4, { address: '大阪府大阪市中央区本町1丁目1番1号', household_no: '900000001', ido_reason: '21', ido_date: '20261120', notified_on: '20261121' }),
      jukiRow(9, { ido_reason: '31', ido_date: '20261119', notified_on: '20261110', removed: '1', removed_on: '20261119' }),
      jukiRow(5, { ido_reason: '23', ido_date: '20261121' }), // a 異動 that changes nothing the terminal holds: no new version
    ]);
    expect(diff).toMatchObject({ result: 'applied', counts: { inserted: 0, updated: 1, removed: 1, unchanged: 1 } });
    await pullAll(t);
    expect(row(t, '100000004')).toMatchObject({ version: 2, deleted: 0, address: '大阪府大阪市中央区本町1丁目1番1号', household_no: '900000001' });
    // Removed (転出) and named by no record: in no 事務's population any more, so its copy is dropped, not kept as a tombstone (issue 16 §1).
    expect(row(t, '100000009')).toBeUndefined();
    expect(row(t, '100000005')).toMatchObject({ version: 1 });
    expect((t.db.prepare('SELECT count(*) AS n FROM residents WHERE deleted = 0').get() as { n: number }).n).toBe(11);
    // The 異動 history and the items the terminal has no column for stay on the server.
    const ido = await pg.pool.query(`SELECT line_no, atena_no, ido_reason, to_char(ido_date, 'YYYYMMDD') AS d, removed FROM juki_ido ORDER BY line_no`);
    expect(ido.rows).toEqual([
      { line_no: 3, atena_no: '100000004', ido_reason: '21', d: '20261120', removed: false },
      { line_no: 4, atena_no: '100000009', ido_reason: '31', d: '20261119', removed: true },
      { line_no: 5, atena_no: '100000005', ido_reason: '23', d: '20261121', removed: false },
    ]);
  });

  it('a resident a terminal already holds (same 宛名番号) gets a new version, not a second record', async () => {
    const opened = openTerminal(fixture, 'DEMO-01', clock);
    open.push(opened);
    const t = { ...opened, engine: new SyncEngine(opened.db, opened.audit, clock, 'DEMO-01') };
    const id = insertRecord(t.db, 'residents', {
      atena_no: '100000001', name_kanji: '旧 氏名', name_kana: 'キュウ', name_kana_key: 'キユウ', birth_date: '1951-02-11', sex: '2',
      postal_code: '5300001', address: '旧住所', household_no: '1', dv_support: 0, non_disclosure: 1, view_suspended: 0,
    }, { by: 'D9001', at: '2026-11-22T01:00:00.000Z' });
    for (let i = 0; i < 5 && t.engine.status().pending > 0; i++) await t.engine.pushOnce(t.client);
    expect((await run(juki(1), [jukiRow(1), jukiRow(2)])).counts).toEqual({ inserted: 1, updated: 1, removed: 0, unchanged: 0 });
    await pullAll(t);
    // The terminal's own flag (非開示) is kept; the items of the file replace the rest.
    expect(row(t, '100000001')).toMatchObject({ id, version: 2, name_kanji: '窓口 太郎1' });
    expect((t.db.prepare('SELECT non_disclosure FROM residents WHERE id = ?').get(id) as { non_disclosure: number }).non_disclosure).toBe(1);
  });
});

