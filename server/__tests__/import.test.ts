import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFile, residentRecordId, type ImportResult } from '../import/import';
import { openMyNumberConfirmations } from '../mynumber';
import { forTerminal } from '../sync';
import { makeMyNumber } from '../../testing/seed';
import { openInbox } from '../import/inbox';
import { SYNC_ENTITY_FIELDS } from '../../shared/sync/protocol';
import { fixedClock } from '../../testing/clock';
import { buildFile, jukiRow, kokuhoRow, type FileSpec } from '../../testing/interface-files';
import { resetDb, useSyncServer, type PgFixture } from '../../testing/server';

/**
 * Interface files into the central server (issue 15 §1, docs/interfaces/): real PostgreSQL, real files in a temp
 * dir. What a terminal pulls of an import: electron/core/sync/__tests__/import-pull.test.ts.
 */
const clock = fixedClock('2026-11-22T01:00:00Z');
let pg: PgFixture;
useSyncServer([], { clock }, (s) => ({ pg } = s));

let dir: string;
beforeEach(async () => {
  await resetDb(pg.pool);
  dir = await mkdtemp(join(tmpdir(), 'madoguchi-import-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(spec: FileSpec, rows: Iterable<readonly string[]>, name?: string): Promise<string> {
  const f = buildFile(spec, rows);
  const path = join(dir, name ?? f.name);
  await writeFile(path, f.bytes);
  return path;
}

async function run(spec: FileSpec, rows: Iterable<readonly string[]>): Promise<ImportResult> {
  return importFile(pg.pool, await write(spec, rows), { clock, source: 'cli' });
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const juki = (seq: number, kind: 'FULL' | 'DIFF' = 'FULL'): FileSpec => ({ interface: 'JUKI', kind, seq });

/** What the server holds: live and deleted residents, and the highest server_seq (any write moves it). */
async function serverState() {
  const r = await pg.pool.query<{ live: string; deleted: string; seq: string | null; juki: string; log: string }>(
    `SELECT count(*) FILTER (WHERE NOT deleted) AS live, count(*) FILTER (WHERE deleted) AS deleted, max(server_seq) AS seq,
            (SELECT count(*) FROM juki_residents) AS juki, (SELECT count(*) FROM import_log WHERE result = 'applied') AS log
     FROM entities WHERE entity = 'residents'`,
  );
  return r.rows[0]!;
}

async function residentPayload(atena: string): Promise<{ version: number; deleted: boolean; payload: Record<string, unknown> }> {
  const r = await pg.pool.query(`SELECT version, deleted, payload FROM entities WHERE entity = 'residents' AND payload->>'atena_no' = $1`, [atena]);
  return r.rows[0];
}

describe('住民記録: a file applied whole, refused whole, or a no-op', () => {
  it('an initial full load becomes residents the terminals of the municipality pull; the identical file again is a no-op', async () => {
    const r = await run(juki(1), range(1, 30).map((n) => jukiRow(n)));
    expect(r).toMatchObject({ result: 'applied', interface: 'JUKI', municipality: '271004', seq: 1, dataLines: 30, counts: { inserted: 30, updated: 0, removed: 0, unchanged: 0 } });
    expect(r.message).toContain('取込済み');
    const one = await residentPayload('100000007');
    expect(one).toMatchObject({ version: 1, deleted: false });
    expect(one.payload).toMatchObject({
      id: residentRecordId('271004', '100000007'), atena_no: '100000007', name_kanji: '窓口 太郎7', name_kana: 'マドグチ タロウ', name_kana_key: 'マドグチタロウ',
      birth_date: '1957-08-17', sex: '2', postal_code: '5300001', household_no: '500000002', dv_support: 0, non_disclosure: 0, view_suspended: 0,
      created_by: 'IMPORT', created_at: expect.stringMatching(/^2026-11-22T01:/),
    });
    // A whole resident row: every synced field, and no other — with the 個人番号 in place of the has_my_number a
    // terminal gets (the number stays on the server: forTerminal in server/sync.ts).
    expect(Object.keys(one.payload).sort()).toEqual([...SYNC_ENTITY_FIELDS.residents.filter((f) => f !== 'has_my_number'), 'my_number'].sort());
    expect(forTerminal('residents', one.payload)).toMatchObject({ has_my_number: 1 });
    expect(Object.keys(forTerminal('residents', one.payload)).sort()).toEqual([...SYNC_ENTITY_FIELDS.residents].sort());
    const juki1 = await pg.pool.query(`SELECT relationship, to_char(became_resident_on, 'YYYY-MM-DD') AS since, ido_reason FROM juki_residents WHERE atena_no = '100000007'`);
    expect(juki1.rows[0]).toEqual({ relationship: '妻', since: '2010-04-01', ido_reason: '00' });

    const before = await serverState();
    const again = await run(juki(1), range(1, 30).map((n) => jukiRow(n)));
    expect(again).toMatchObject({ result: 'noop', seq: 1 });
    expect(again.message).toContain('変更なし');
    expect(await serverState()).toEqual(before);
  });

  it('the same file offered twice at once is applied once and a no-op once (imports are serialised)', async () => {
    const path = await write(juki(1), range(1, 50).map((n) => jukiRow(n)));
    const both = await Promise.all([importFile(pg.pool, path, { clock, source: 'cli' }), importFile(pg.pool, path, { clock, source: 'inbox' })]);
    expect(both.map((r) => r.result).sort()).toEqual(['applied', 'noop']);
    expect(await serverState()).toMatchObject({ live: '50', log: '1' });
  });

  it('a sequence gap, and a repeat of an applied sequence with other content, are 連携エラー that change nothing', async () => {
    await run(juki(1), range(1, 5).map((n) => jukiRow(n)));
    const before = await serverState();
    const gap = await run(juki(3, 'DIFF'), [jukiRow(1, { address: '大阪市北区1', ido_reason: '21', ido_date: '20261121' })]);
    expect(gap.result).toBe('error');
    expect(gap.message).toMatch(/^連携エラー: ファイル連番が飛んでいます: 取込済みの最後は 1、このファイルは 3 です/);
    const repeat = await run(juki(1), range(1, 6).map((n) => jukiRow(n)));
    expect(repeat.result).toBe('error');
    expect(repeat.message).toContain('ファイル連番 1 は取込済みで');
    expect(repeat.message).toContain('内容が異なります');
    expect(await serverState()).toEqual(before);
    const first = await run({ interface: 'KOKUHO', seq: 2 }, [kokuhoRow(1)]);
    expect(first.message).toContain('最初のファイルは連番 1 です');
  });

  it('a wrong count or a wrong hash in the trailer is a 連携エラー', async () => {
    const rows = range(1, 4).map((n) => jukiRow(n));
    const count = await run({ ...juki(1), trailerCount: 5 }, rows);
    expect(count.message).toMatch(/7行目（トレーラ）: データ件数が 5 ですが、データ行（D）は 4 行あります/);
    const hash = await run({ ...juki(1), trailerSha: 'ab'.repeat(32) }, rows);
    expect(hash.message).toMatch(/7行目（トレーラ）: データ行の SHA-256 が一致しません/);
    // A file cut short in transit: no trailer at all.
    const f = buildFile(juki(1), rows);
    const cut = f.bytes.subarray(0, f.bytes.lastIndexOf('T,'));
    await writeFile(join(dir, f.name), cut);
    expect((await importFile(pg.pool, join(dir, f.name), { clock, source: 'cli' })).message).toContain('トレーラ（T）がありません');
    expect(await serverState()).toMatchObject({ live: '0', juki: '0', log: '0' });
  });

  it('a bad line names the line and the item, and checks every field with the shared domain rules', async () => {
    const rows = range(1, 8).map((n) => jukiRow(n));
    rows[2] = jukiRow(3, { birth_date: '20260230' }); // line 5: no 30 February
    rows[4] = jukiRow(5, { my_number: '123456789012' }); // line 7: wrong check digit
    rows[5] = jukiRow(6, { name_kana: 'まどぐちabc' }); // line 8: not カナ
    rows[6] = jukiRow(7, { name: '窓口\u202E花子' }); // line 9: a bidi override (shared/text.ts)
    rows[7] = jukiRow(8, { sex: '3' }); // line 10: no such code
    const r = await run(juki(1), rows);
    expect(r.result).toBe('error');
    const lines = r.message.split('\n');
    expect(lines[0]).toMatch(/^連携エラー: 5行目: 項目「生年月日」は西暦の年月日/);
    expect(lines[1]).toMatch(/^7行目: 項目「個人番号」の検査用数字が一致しません/);
    expect(lines[2]).toMatch(/^8行目: 項目「氏名_フリガナ」はカタカナ/);
    expect(lines[3]).toMatch(/^9行目: 項目「氏名」に文字の向きを変える制御文字は使えません/);
    expect(lines[4]).toMatch(/^10行目: 項目「性別」のコードが定義にありません/);
    // No value of the file is quoted (names and 個人番号 do not go into logs).
    expect(r.message).not.toContain('123456789012');
    expect(await serverState()).toMatchObject({ live: '0', log: '0' });
  });

  it('an unknown item, a missing item, an unknown record kind and a duplicate key are 連携エラー', async () => {
    const ids = [...(await import('../../shared/interfaces')).INTERFACES.JUKI!.items.map((i) => i.id)];
    const unknown = await run({ ...juki(1), items: [...ids.slice(0, -1), 'blood_type'] }, [jukiRow(1)]);
    expect(unknown.message).toContain('2行目（項目レコード）: 未定義の項目「blood_type」があります');
    const missing = await run({ ...juki(1), items: ids.filter((i) => i !== 'dv_support') }, [jukiRow(1)]);
    expect(missing.message).toContain('項目「支援措置対象（dv_support）」がありません');
    const kind = await run({ ...juki(1), extraLines: ['X,1,2,3'] }, [jukiRow(1), jukiRow(2)]);
    expect(kind.message).toContain('5行目: レコード種別「X」は定義にありません');
    const dup = await run(juki(1), [jukiRow(1), jukiRow(2), jukiRow(1)]);
    expect(dup.message).toContain('5行目: 項目「宛名番号」が3行目と同じです');
    expect(await serverState()).toMatchObject({ live: '0', log: '0' });
  });

  it('reads a CP932 file (NEC and IBM extension characters included) as declared in its header', async () => {
    const r = await run({ ...juki(1), encoding: 'CP932' }, [
      jukiRow(1, { name: '髙橋 ①子', name_kana: 'ﾀｶﾊｼ ｲﾁｺ', address: '大阪市北区梅田1丁目2番3号', katagaki: '㈱窓口ビル' }),
    ]);
    expect(r.result).toBe('applied');
    const p = (await residentPayload('100000001')).payload;
    expect(p).toMatchObject({ name_kanji: '髙橋 ①子', name_kana: 'タカハシ イチコ', name_kana_key: 'タカハシイチコ', katagaki: '㈱窓口ビル' });
    // The same bytes declared as UTF-8 are refused, naming the first line that does not decode.
    const f = buildFile({ ...juki(2, 'DIFF'), encoding: 'CP932' }, [jukiRow(1, { name: '髙橋 花子', ido_reason: '23', ido_date: '20261121' })]);
    const lied = Buffer.from(f.bytes.toString('latin1').replace('H,CP932,', 'H,UTF-8,'), 'latin1');
    await writeFile(join(dir, f.name), lied);
    const bad = await importFile(pg.pool, join(dir, f.name), { clock, source: 'cli' });
    expect(bad.message).toMatch(/連携エラー: 1行目: UTF-8 として読めないバイトがあります/);
  });

  it('is atomic: a 異動 file whose last line is bad changes nothing, not even the lines before it', async () => {
    await run(juki(1), range(1, 20).map((n) => jukiRow(n)));
    const before = await serverState();
    const rows = range(1, 20).map((n) => jukiRow(n, { address: `大阪市中央区${n}`, ido_reason: '21', ido_date: '20261121' }));
    rows.push(jukiRow(21, { ido_reason: '11', ido_date: '20261121', postal_code: '530-0001' }));
    const r = await run(juki(2, 'DIFF'), rows);
    expect(r.message).toMatch(/^連携エラー: 23行目: 項目「郵便番号」は7桁の半角数字です/);
    expect(await serverState()).toEqual(before);
    expect((await residentPayload('100000001')).payload.address).toBe('大阪府大阪市北区梅田2丁目2番2号');
    expect((await pg.pool.query('SELECT count(*) AS n FROM juki_ido')).rows[0].n).toBe('0');
    // Corrected and sent again under the same sequence number: applied.
    rows[20] = jukiRow(21, { ido_reason: '11', ido_date: '20261121' });
    expect(await run(juki(2, 'DIFF'), rows)).toMatchObject({ result: 'applied', counts: { inserted: 1, updated: 20, removed: 0, unchanged: 0 } });
  });
  it('is atomic when the database refuses a row while applying: the lines before it, the history and the log entry all go', async () => {
    await run(juki(1), range(1, 3).map((n) => jukiRow(n)));
    // A record (of another municipality) already under the ID the import gives 宛名番号 100000009: its insert must fail.
    await pg.pool.query(
      `INSERT INTO entities (entity, entity_id, version, payload, updated_by_terminal, municipality) VALUES ('residents', $1, 1, '{"atena_no": "1"}', 'T', '431001')`,
      [residentRecordId('271004', '100000009')],
    );
    const r = await run(juki(2, 'DIFF'), [jukiRow(1, { address: '大阪市中央区1', ido_reason: '21', ido_date: '20261121' }), jukiRow(9, { ido_reason: '11', ido_date: '20261121' })]);
    expect(r.result).toBe('error');
    expect(r.message).toContain('SQLSTATE 23505');
    expect(await residentPayload('100000001')).toMatchObject({ version: 1, payload: { address: '大阪府大阪市北区梅田2丁目2番2号' } });
    const counts = await pg.pool.query(`SELECT (SELECT count(*) FROM juki_ido) AS ido, (SELECT count(*) FROM import_log WHERE result = 'applied') AS applied,
      (SELECT count(*) FROM juki_residents WHERE ido_reason <> '00') AS moved`);
    expect(counts.rows[0]).toEqual({ ido: '0', applied: '1', moved: '0' });
  });
});

describe('住民記録: a different or a blank 個人番号 for a person who has one (seed 001)', () => {
  it('is held for a supervisor instead of applied: the person keeps their number, the rest of the line applies, a CLI-able list names it', async () => {
    expect((await run(juki(1), range(1, 4).map((n) => jukiRow(n)))).result).toBe('applied');
    const other = makeMyNumber(999_001);
    const diff = await run(juki(2, 'DIFF'), [
      jukiRow(1, { my_number: other, ido_reason: '24', ido_date: '20261120' }), // 個人番号変更: another number
      jukiRow(2, { my_number: '', address: '大阪府大阪市北区中之島1丁目3番20号', ido_reason: '21', ido_date: '20261120' }), // blank, and a move
      jukiRow(3, { address: '大阪府大阪市北区中之島1丁目3番21号', ido_reason: '21', ido_date: '20261120' }), // the same number: nothing held
    ]);
    expect(diff).toMatchObject({ result: 'applied', counts: { updated: 2, unchanged: 1 } });
    expect((await residentPayload('100000001')).payload).toMatchObject({ my_number: makeMyNumber(1) });
    expect((await residentPayload('100000002')).payload).toMatchObject({ my_number: makeMyNumber(2), address: '大阪府大阪市北区中之島1丁目3番20号' });
    expect((await residentPayload('100000003')).payload).toMatchObject({ my_number: makeMyNumber(3), address: '大阪府大阪市北区中之島1丁目3番21号' });
    const list = await openMyNumberConfirmations(pg.pool);
    expect(list.map((c) => [c.atenaNo, c.change, c.importId])).toEqual([['100000001', '別の個人番号', diff.importId], ['100000002', '空欄', diff.importId]]);
    expect(JSON.stringify(list)).not.toMatch(/[0-9]{12}/);
    const held = await pg.pool.query(`SELECT atena_no, held_number, proposed_number FROM mynumber_confirmations ORDER BY atena_no`);
    expect(held.rows).toEqual([
      { atena_no: '100000001', held_number: makeMyNumber(1), proposed_number: other },
      { atena_no: '100000002', held_number: makeMyNumber(2), proposed_number: null },
    ]);
    // The supervisor's list from the command line, without the numbers.
    const out = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--import', 'tsx', 'server/job-cli.ts', 'mynumber-confirmations'], { env: { ...process.env, DATABASE_URL: pg.url }, timeout: 60_000 }, (err, stdout) =>
        (err ? reject(err) : resolve(stdout)));
    });
    expect(out).toContain('確認待ちの個人番号の変更 2件（番号は表示しません）');
    expect(out).toMatch(/宛名番号 100000001\t別の個人番号/);
    expect(out).toMatch(/宛名番号 100000002\t空欄/);
    expect(out).not.toMatch(/[0-9]{12}/);
  }, 60_000);
});

describe('国保 資格', () => {
  it('a full load and a 異動 file with a 喪失 are kept server-side, one row per person and 資格取得年月日', async () => {
    const k = (seq: number, kind: 'FULL' | 'DIFF' = 'FULL'): FileSpec => ({ interface: 'KOKUHO', kind, seq, system: '国保システム' });
    expect(await run(k(1), range(1, 6).map((n) => kokuhoRow(n)))).toMatchObject({ result: 'applied', counts: { inserted: 6, updated: 0, unchanged: 0 } });
    const diff = await run(k(2, 'DIFF'), [
      kokuhoRow(2, { lost_on: '20261031', lose_reason: '02', lose_notified_on: '20261105' }),
      kokuhoRow(7, { acquired_on: '20261101', acquire_reason: '04' }),
      kokuhoRow(3),
    ]);
    expect(diff).toMatchObject({ result: 'applied', counts: { inserted: 1, updated: 1, unchanged: 1 } });
    const rows = await pg.pool.query(`SELECT atena_no, to_char(lost_on, 'YYYYMMDD') AS lost, lose_reason, income_class, symbol, number, branch FROM kokuho_shikaku WHERE atena_no IN ('100000002', '100000007') ORDER BY 1`);
    expect(rows.rows).toEqual([
      { atena_no: '100000002', lost: '20261031', lose_reason: '02', income_class: '03', symbol: '北', number: '10002', branch: '03' },
      { atena_no: '100000007', lost: null, lose_reason: null, income_class: '03', symbol: '北', number: '10007', branch: '02' },
    ]);
    // 国保 資格 does not travel to terminals (yet): no entity was written.
    expect((await serverState()).live).toBe('0');
    const bad = await run(k(3, 'DIFF'), [kokuhoRow(1, { lost_on: '20240301', lose_reason: '01' })]);
    expect(bad.message).toContain('3行目: 項目「資格喪失年月日」が資格取得年月日より前です');
  });
});

describe('the import log and the inbox folder', () => {
  it('records every import — applied, no-op, 連携エラー — with file, sequence, hash, counts and the server clock', async () => {
    const path = await write(juki(1), range(1, 3).map((n) => jukiRow(n)));
    await importFile(pg.pool, path, { clock, source: 'cli' });
    await importFile(pg.pool, path, { clock, source: 'cli' });
    await run({ ...juki(2, 'DIFF'), trailerCount: 9 }, [jukiRow(1, { ido_reason: '23', ido_date: '20261121' })]);
    const log = await pg.pool.query(
      `SELECT file_name, source, interface, municipality, file_kind, seq, data_lines, inserted, result, message, file_sha256, data_sha256,
              started_at, finished_at FROM import_log ORDER BY import_id`,
    );
    expect(log.rows.map((r) => [r.file_name, r.interface, r.seq, r.result, r.data_lines, r.inserted])).toEqual([
      ['JUKI_271004_20261122_1.csv', 'JUKI', '1', 'applied', 3, 3],
      ['JUKI_271004_20261122_1.csv', 'JUKI', '1', 'noop', null, 0],
      ['JUKI_271004_20261122_2.csv', 'JUKI', '2', 'error', null, 0],
    ]);
    const sha = (await import('node:crypto')).createHash('sha256').update(await readFile(path)).digest('hex');
    expect(log.rows[0].file_sha256).toBe(sha);
    expect(log.rows[0].data_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(log.rows[2].message).toContain('データ件数が 9 ですが');
    for (const r of log.rows) {
      // The injected clock (2026-11-22), not the day the test runs.
      expect(new Date(r.started_at).toISOString()).toMatch(/^2026-11-22T01:/);
      expect(r.finished_at.getTime()).toBeGreaterThanOrEqual(r.started_at.getTime());
    }
  });

  it('imports settled files from the inbox, moving them to done/ or error/ with a result file', async () => {
    const inbox = await openInbox(pg.pool, join(dir, 'inbox'), { clock, log: () => undefined });
    const good = buildFile(juki(1), range(1, 4).map((n) => jukiRow(n)));
    const bad = buildFile(juki(2, 'DIFF'), [jukiRow(1, { birth_date: '1999', ido_reason: '23', ido_date: '20261121' })]);
    await writeFile(join(dir, 'inbox', good.name), good.bytes);
    await writeFile(join(dir, 'inbox', bad.name), bad.bytes);
    await writeFile(join(dir, 'inbox', 'JUKI_271004_20261122_3.csv.tmp'), 'still being written');
    expect(await inbox.scan()).toEqual([]); // first sight: not settled yet
    const results = await inbox.scan();
    expect(results.map((r) => r.result)).toEqual(['applied', 'error']);
    expect((await readdir(join(dir, 'inbox'))).sort()).toEqual(['JUKI_271004_20261122_3.csv.tmp', 'done', 'error']);
    expect((await readdir(join(dir, 'inbox', 'done'))).sort()).toEqual([good.name, `${good.name}.result.json`]);
    expect((await readdir(join(dir, 'inbox', 'error'))).sort()).toEqual([bad.name, `${bad.name}.result.json`]);
    const result = JSON.parse(await readFile(join(dir, 'inbox', 'error', `${bad.name}.result.json`), 'utf8')) as ImportResult;
    expect(result).toMatchObject({ result: 'error', seq: 2, fileName: bad.name });
    expect(result.message).toMatch(/^連携エラー: 3行目: 項目「生年月日」/);
    expect((await serverState()).live).toBe('4');
    // The same file dropped in again: a no-op, kept in done/ under a name of its own.
    await writeFile(join(dir, 'inbox', good.name), good.bytes);
    await inbox.scan();
    expect((await inbox.scan()).map((r) => r.result)).toEqual(['noop']);
    expect(await readdir(join(dir, 'inbox', 'done'))).toContain('JUKI_271004_20261122_1-2.csv');
  });
});

describe('npm run server:import', () => {
  /** The CLI as IT runs it, against the test database (DATABASE_URL). */
  const cli = (...files: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', 'server/import-cli.ts', ...files], { env: { ...process.env, DATABASE_URL: pg.url }, timeout: 60_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
    });

  it('imports, reports progress and the result, and exits 1 on a 連携エラー', async () => {
    const good = await write(juki(1), range(1, 5).map((n) => jukiRow(n)));
    const ok = await cli(good);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('取込済み\tJUKI_271004_20261122_1.csv');
    expect(ok.stderr).toMatch(/読込 100% {2}5行/);
    const again = await cli(good);
    expect(again).toMatchObject({ code: 0, stdout: expect.stringContaining('変更なし') });
    const bad = await cli(await write({ ...juki(2, 'DIFF'), trailerSha: '0'.repeat(64) }, [jukiRow(1, { ido_reason: '23', ido_date: '20261121' })]));
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('連携エラー: 4行目（トレーラ）: データ行の SHA-256 が一致しません');
    const rows = await pg.pool.query(`SELECT source, result FROM import_log ORDER BY import_id`);
    expect(rows.rows).toEqual([{ source: 'cli', result: 'applied' }, { source: 'cli', result: 'noop' }, { source: 'cli', result: 'error' }]);
  }, 60_000);
});
