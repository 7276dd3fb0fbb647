import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { residentRecordId, type ImportResult } from '../import/import';
import { runIdoWork, scheduleIdoWork, type IdoWorkResult } from '../jobs/ido-work';
import { dailyJobDue } from '../jobs/daily';
import { SYNC_ENTITY_FIELDS } from '../../shared/sync/protocol';
import { fixedClock } from '../../testing/clock';
import { jukiRow, type FileSpec, importBuilt } from '../../testing/interface-files';
import { resetDb, useSyncServer, type PgFixture } from '../../testing/server';

/**
 * The daily 異動 job (issue 15 §2, server/jobs/ido-work.ts): real PostgreSQL, real 住民記録 files. What a terminal
 * pulls of it and shows on its 回収リスト: electron/core/sync/__tests__/ido-work-pull.test.ts.
 */
const clock = fixedClock('2026-11-22T01:00:00Z');
let pg: PgFixture;
useSyncServer([], { clock }, (s) => ({ pg } = s));

let dir: string;
beforeEach(async () => {
  await resetDb(pg.pool);
  dir = await mkdtemp(join(tmpdir(), 'madoguchi-ido-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run = (spec: FileSpec, rows: Iterable<readonly string[]>): Promise<ImportResult> => importBuilt(pg.pool, dir, spec, rows, clock);
const juki = (seq: number, kind: 'FULL' | 'DIFF' = 'FULL'): FileSpec => ({ interface: 'JUKI', kind, seq });
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const atena = (n: number) => String(100000000 + n);
/** A child (n = 5): born 2016, a resident since birth. */
const CHILD = { birth_date: '20160510', became_resident_on: '20160510', ido_date: '20160510', relationship: '子' };

/** A certificate as a terminal pushes it (every synced field), stored as the push stores it. */
async function certificate(n: number, certType: string, over: Record<string, unknown> = {}): Promise<string> {
  const id = randomUUID();
  const payload: Record<string, unknown> = {
    id, version: 1, created_at: '2026-11-01T01:00:00.000Z', created_by: 'D1001', updated_at: '2026-11-01T01:00:00.000Z', updated_by: 'D1001', deleted: 0,
    resident_id: residentRecordId('271004', atena(n)), cert_type: certType, certificate_no: `C${n}${certType.length}`, public_payer_no: null, issue_kind: 'new',
    reissue_reason: null, issue_date: '2026-11-01', valid_from: '2026-11-01', valid_to: '2027-07-31', guardian_id: null, status: 'valid', superseded_by: null,
    details_json: '{}', name_choice: 'real', print_sex: 1, end_reason: null, recall_status: 'none', recall_date: null, recall_kind: null, ...over,
  };
  expect(Object.keys(payload).sort()).toEqual([...SYNC_ENTITY_FIELDS.certificates].sort());
  await pg.pool.query(
    `INSERT INTO entities (entity, entity_id, version, payload, updated_by_terminal, deleted, municipality, jimu, owner_terminal)
     VALUES ('certificates', $1, 1, $2, 'DEMO-01', false, '271004', $3, NULL)`,
    [id, payload, certType.split('_')[0]],
  );
  return id;
}

async function cert(id: string) {
  const r = await pg.pool.query<{ version: number; payload: Record<string, unknown>; updated_by_terminal: string }>(
    `SELECT version, payload, updated_by_terminal FROM entities WHERE entity = 'certificates' AND entity_id = $1`, [id]);
  return r.rows[0]!;
}

/** Everything the job may write: entity versions (server_seq), candidates, markers. */
async function state() {
  const r = await pg.pool.query(
    `SELECT (SELECT max(server_seq) FROM entities) AS seq, (SELECT count(*) FROM entities) AS entities,
            (SELECT count(*) FROM shikaku_candidates) AS candidates, (SELECT count(*) FROM juki_ido_processed) AS processed`);
  return r.rows[0];
}

describe('the daily 異動 job', () => {
  it('a 転出 cancels the person\'s valid certificates onto the 回収リスト (reason 転出), records 喪失 candidates, and a second run changes nothing', async () => {
    const full = await run(juki(1), range(1, 6).map((n) => jukiRow(n, n === 5 ? CHILD : {})));
    expect(full.message).toContain('取込済み');
    const kodomo = await certificate(5, 'kodomo');
    const kokuho = await certificate(5, 'kokuho_shikaku');
    const old = await certificate(5, 'kodomo', { status: 'superseded', recall_status: 'recalled', end_reason: '更新' });
    const other = await certificate(4, 'kodomo');
    const diff = await run(juki(2, 'DIFF'), [
      jukiRow(5, { ...CHILD, ido_reason: '31', ido_date: '20261119', notified_on: '20261110', removed: '1', removed_on: '20261119' }),
      jukiRow(4, { address: '大阪府大阪市中央区本町1丁目1番1号', ido_reason: '21', ido_date: '20261120' }),
    ]);
    expect(diff.result).toBe('applied');

    const r = await runIdoWork(pg.pool, { clock, source: 'cli' });
    expect(r).toMatchObject({ result: 'done', counts: { files: 1, idoLines: 2, removals: 1, certificates: 2, candidates: 2 } });
    expect(r.message).toContain('証の取消・回収リスト 2件');
    for (const id of [kodomo, kokuho]) {
      const c = await cert(id);
      expect(c).toMatchObject({ version: 2, updated_by_terminal: 'SERVER' });
      expect(c.payload).toMatchObject({ version: 2, status: 'cancelled', end_reason: '転出（異動日 2026-11-19）', recall_status: 'pending', updated_by: 'JOB', valid_to: '2027-07-31' });
      expect(c.payload.updated_at).toMatch(/^2026-11-22T01:/);
      expect(Object.keys(c.payload).sort()).toEqual([...SYNC_ENTITY_FIELDS.certificates].sort());
    }
    // Not valid any more (already superseded and returned), or another person's (a 転居): untouched.
    expect(await cert(old)).toMatchObject({ version: 1, payload: { status: 'superseded', recall_status: 'recalled' } });
    expect(await cert(other)).toMatchObject({ version: 1, payload: { status: 'valid', recall_status: 'none' } });
    // The certificate's history: a 取消 event, in the certificate's 事務.
    const events = await pg.pool.query(`SELECT jimu, payload FROM entities WHERE entity = 'certificate_events' ORDER BY jimu`);
    expect(events.rows.map((e) => [e.jimu, e.payload.certificate_id, e.payload.event, e.payload.reason])).toEqual([
      ['kodomo', kodomo, 'cancel', '転出（異動日 2026-11-19）'],
      ['kokuho', kokuho, 'cancel', '転出（異動日 2026-11-19）'],
    ]);
    expect(Object.keys(events.rows[0].payload).sort()).toEqual([...SYNC_ENTITY_FIELDS.certificate_events].sort());
    const cands = await pg.pool.query(
      `SELECT atena_no, jimu, loss_reason, to_char(ido_date, 'YYYYMMDD') AS ido, to_char(notified_on, 'YYYYMMDD') AS notified, status FROM shikaku_candidates ORDER BY jimu`);
    // The child had no こども 受給資格 on the server: the kodomo candidate is closed as such; the kokuho one stays open.
    expect(cands.rows).toEqual([
      { atena_no: atena(5), jimu: 'kodomo', loss_reason: '転出', ido: '20261119', notified: '20261110', status: 'no_shikaku' },
      { atena_no: atena(5), jimu: 'kokuho', loss_reason: '転出', ido: '20261119', notified: '20261110', status: 'open' },
    ]);

    const before = await state();
    const again = await runIdoWork(pg.pool, { clock, source: 'cli' });
    expect(again).toMatchObject({ result: 'done', counts: { files: 0, idoLines: 0, removals: 0, certificates: 0, candidates: 0 } });
    expect(again.message).toContain('変更なし');
    expect(await state()).toEqual(before);
    // Each run is logged with counts only (no 宛名番号, no name).
    const log = await pg.pool.query(`SELECT job, source, result, files, ido_lines, removals, certificates, candidates, message, started_at FROM job_log ORDER BY job_id`);
    expect(log.rows.map((l) => [l.result, l.files, l.ido_lines, l.removals, l.certificates, l.candidates])).toEqual([['done', 1, 2, 1, 2, 2], ['done', 0, 0, 0, 0, 0]]);
    expect(log.rows[0].started_at.toISOString()).toMatch(/^2026-11-22T01:00:/); // the injected clock
    expect(JSON.stringify(log.rows)).not.toContain(atena(5));
    expect(JSON.stringify(log.rows)).not.toContain('窓口');
  });

  it('a 転入 or 住所変更 does nothing to certificates; a 死亡 does what a 転出 does, with reason 死亡; later files are processed by the next run', async () => {
    await run(juki(1), range(1, 6).map((n) => jukiRow(n)));
    const ids = Object.fromEntries(await Promise.all([1, 2, 3].map(async (n) => [n, await certificate(n, 'kodomo')] as const)));
    await run(juki(2, 'DIFF'), [
      jukiRow(1, { address: '大阪府大阪市中央区本町2丁目2番2号', ido_reason: '21', ido_date: '20261120' }),
      jukiRow(2, { ido_reason: '23', ido_date: '20261120' }),
      jukiRow(7, { ido_reason: '11', ido_date: '20261120', became_resident_on: '20261120' }),
    ]);
    const seq = (await state()).seq;
    expect(await runIdoWork(pg.pool, { clock, source: 'cli' })).toMatchObject({ result: 'done', counts: { files: 1, idoLines: 3, removals: 0, certificates: 0, candidates: 0 } });
    expect((await state()).seq).toBe(seq);
    for (const n of [1, 2, 3]) expect(await cert(ids[n]!)).toMatchObject({ version: 1, payload: { status: 'valid' } });

    await run(juki(3, 'DIFF'), [jukiRow(3, { ido_reason: '32', ido_date: '20261121', notified_on: '20261121', removed: '1', removed_on: '20261121' })]);
    expect(await runIdoWork(pg.pool, { clock, source: 'cli' })).toMatchObject({ counts: { files: 1, idoLines: 1, removals: 1, certificates: 1, candidates: 2 } });
    expect((await cert(ids[3]!)).payload).toMatchObject({ status: 'cancelled', end_reason: '死亡（異動日 2026-11-21）', recall_status: 'pending' });
    expect((await pg.pool.query(`SELECT DISTINCT loss_reason FROM shikaku_candidates`)).rows).toEqual([{ loss_reason: '死亡' }]);
    for (const n of [1, 2]) expect(await cert(ids[n]!)).toMatchObject({ version: 1, payload: { status: 'valid' } });
  });

  it('is due once a day on the timer: from the configured hour (Japan time), until a timer run is done that day', async () => {
    // 2026-11-22T01:00Z is 10:00 in Japan.
    expect(await dailyJobDue(pg.pool, 'ido-work', new Date('2026-11-22T01:00:00Z'), 11)).toBe(false);
    expect(await dailyJobDue(pg.pool, 'ido-work', new Date('2026-11-22T01:00:00Z'), 6)).toBe(true);
    await runIdoWork(pg.pool, { clock, source: 'cli' });
    expect(await dailyJobDue(pg.pool, 'ido-work', new Date('2026-11-22T01:00:00Z'), 6)).toBe(true); // a CLI run is not the day's timer run
    await runIdoWork(pg.pool, { clock, source: 'timer' });
    expect(await dailyJobDue(pg.pool, 'ido-work', new Date('2026-11-22T14:00:00Z'), 6)).toBe(false); // 23:00 the same day
    expect(await dailyJobDue(pg.pool, 'ido-work', new Date('2026-11-22T21:00:00Z'), 6)).toBe(true); // 06:00 the next day
  });

  it('the server\'s timer runs the job once that day (by the injected clock), whatever the number of checks', async () => {
    await run(juki(1), [1, 2, 3].map((n) => jukiRow(n)));
    await run(juki(2, 'DIFF'), [jukiRow(2, { ido_reason: '32', ido_date: '20261121', removed: '1', removed_on: '20261121' })]);
    const results: IdoWorkResult[] = [];
    const stop = scheduleIdoWork(pg.pool, { clock, hour: 6, checkMs: 20, onResult: (r) => results.push(r) });
    try {
      await new Promise((done) => setTimeout(done, 400));
    } finally {
      stop();
    }
    expect(results.map((r) => [r.result, r.counts.files, r.counts.removals])).toEqual([['done', 1, 1]]);
    const log = await pg.pool.query(`SELECT source, result FROM job_log`);
    expect(log.rows).toEqual([{ source: 'timer', result: 'done' }]);
  });
});

/** A こども 受給資格 as a terminal's 認定 pushes it (every synced field), stored as the push stores it. */
async function shikaku(n: number, over: Record<string, unknown> = {}): Promise<string> {
  const id = randomUUID();
  const payload: Record<string, unknown> = {
    id, version: 1, created_at: '2026-11-01T01:00:00.000Z', created_by: 'D7001', updated_at: '2026-11-01T01:00:00.000Z', updated_by: 'D7001', deleted: 0,
    resident_id: residentRecordId('271004', atena(n)), atena_no: atena(n), claim_id: randomUUID(), guardian_id: residentRecordId('271004', atena(n - 1)),
    acquired_on: '2016-05-10', acquire_reason: '01', insurer_name: '大阪市', insurance_kind: '国民健康保険', insured_relation: '家族', insurance_symbol: '北',
    insurance_number: '10001', insurance_branch: '01', delivery_json: '{"method":"窓口"}', lost_on: null, lose_reason: null, lose_notified_on: null, ...over,
  };
  expect(Object.keys(payload).sort()).toEqual([...SYNC_ENTITY_FIELDS.kodomo_shikaku].sort());
  await pg.pool.query(
    `INSERT INTO entities (entity, entity_id, version, payload, updated_by_terminal, deleted, municipality, jimu, owner_terminal)
     VALUES ('kodomo_shikaku', $1, 1, $2, 'DEMO-01', false, '271004', 'kodomo', NULL)`,
    [id, payload],
  );
  return id;
}

async function held(id: string) {
  const r = await pg.pool.query<{ version: number; payload: Record<string, unknown>; updated_by_terminal: string; server_seq: string }>(
    `SELECT version, payload, updated_by_terminal, server_seq FROM entities WHERE entity = 'kodomo_shikaku' AND entity_id = $1`, [id]);
  return r.rows[0]!;
}

const at = (iso: string) => fixedClock(iso);

describe('the daily job and こども医療 受給資格', () => {
  it('a 転出 ends the child\'s 受給資格 (喪失日 = 異動日 + 1, 事由 転出, 届出日) and puts the 医療証 on the 回収リスト; a 死亡 with 事由 死亡; a second run changes nothing', async () => {
    await run(juki(1), range(1, 9).map((n) => jukiRow(n, n === 2 || n === 5 || n === 8 ? CHILD : {})));
    const moved = await shikaku(5);
    const died = await shikaku(8, { acquired_on: '2020-04-01', acquire_reason: '02' });
    const stays = await shikaku(2, { acquired_on: '2020-04-01' });
    const medical = await certificate(5, 'kodomo');
    await run(juki(2, 'DIFF'), [
      jukiRow(5, { ...CHILD, ido_reason: '31', ido_date: '20261119', notified_on: '20261110', removed: '1', removed_on: '20261119' }),
      jukiRow(8, { ...CHILD, ido_reason: '32', ido_date: '20261120', removed: '1', removed_on: '20261120' }),
      jukiRow(2, { ...CHILD, ido_reason: '21', ido_date: '20261120' }),
    ]);
    const seq = Number((await state()).seq);

    const r = await runIdoWork(pg.pool, { clock, source: 'cli' });
    expect(r).toMatchObject({ result: 'done', counts: { removals: 2, certificates: 1, candidates: 4, candidatesClosed: 2, kodomoIdoLosses: 2, kodomoAgeLosses: 0 } });
    expect(r.message).toContain('こども医療 受給資格の喪失 — 転出・死亡 2件（喪失候補 2件を処理）、18歳年度末 0件');
    const m = await held(moved);
    expect(m).toMatchObject({ version: 2, updated_by_terminal: 'SERVER' });
    expect(Number(m.server_seq)).toBeGreaterThan(seq);
    expect(m.payload).toMatchObject({ version: 2, lost_on: '2026-11-20', lose_reason: '02', lose_notified_on: '2026-11-10', updated_by: 'JOB', acquired_on: '2016-05-10' });
    expect(m.payload.updated_at).toMatch(/^2026-11-22T01:/);
    expect(Object.keys(m.payload).sort()).toEqual([...SYNC_ENTITY_FIELDS.kodomo_shikaku].sort());
    expect((await held(died)).payload).toMatchObject({ version: 2, lost_on: '2026-11-21', lose_reason: '03', lose_notified_on: null });
    expect(await held(stays)).toMatchObject({ version: 1, payload: { lost_on: null } });
    // The 医療証 on the 回収リスト, as before.
    expect((await cert(medical)).payload).toMatchObject({ status: 'cancelled', recall_status: 'pending', end_reason: '転出（異動日 2026-11-19）' });
    const cands = await pg.pool.query(`SELECT atena_no, jimu, status, done_job_id FROM shikaku_candidates ORDER BY atena_no, jimu`);
    expect(cands.rows).toEqual([
      { atena_no: atena(5), jimu: 'kodomo', status: 'applied', done_job_id: String(r.jobId) },
      { atena_no: atena(5), jimu: 'kokuho', status: 'open', done_job_id: null },
      { atena_no: atena(8), jimu: 'kodomo', status: 'applied', done_job_id: String(r.jobId) },
      { atena_no: atena(8), jimu: 'kokuho', status: 'open', done_job_id: null },
    ]);
    const log = await pg.pool.query(`SELECT kodomo_ido_losses, kodomo_age_losses, candidates_closed FROM job_log WHERE job_id = $1`, [r.jobId]);
    expect(log.rows).toEqual([{ kodomo_ido_losses: 2, kodomo_age_losses: 0, candidates_closed: 2 }]);

    const before = await state();
    const again = await runIdoWork(pg.pool, { clock, source: 'cli' });
    expect(again.counts).toMatchObject({ files: 0, candidatesClosed: 0, kodomoIdoLosses: 0, kodomoAgeLosses: 0 });
    expect(again.message).toContain('変更なし');
    expect(await state()).toEqual(before);
    expect((await held(moved)).version).toBe(2);
  });

  it('a 受給資格 already lost at the counter is not touched by a later 転出 (the candidate is closed as no_shikaku)', async () => {
    await run(juki(1), range(1, 6).map((n) => jukiRow(n, n === 5 ? CHILD : {})));
    const lost = await shikaku(5, { lost_on: '2026-10-01', lose_reason: '99', lose_notified_on: '2026-10-01' });
    await run(juki(2, 'DIFF'), [jukiRow(5, { ...CHILD, ido_reason: '34', ido_date: '20261119', removed: '1', removed_on: '20261119' })]);
    expect((await runIdoWork(pg.pool, { clock, source: 'cli' })).counts).toMatchObject({ candidatesClosed: 1, kodomoIdoLosses: 0 });
    expect(await held(lost)).toMatchObject({ version: 1, payload: { lost_on: '2026-10-01', lose_reason: '99' } });
    const c = await pg.pool.query(`SELECT status FROM shikaku_candidates WHERE jimu = 'kodomo'`);
    expect(c.rows).toEqual([{ status: 'no_shikaku' }]);
  });

  it('18歳年度末: a 4/1 birthday ends on 3/31 of the year the child turns 18, a 4/2 birthday a year later; the job\'s Japan date decides; a re-run changes nothing', async () => {
    await run(juki(1), range(1, 6).map((n) => jukiRow(n, n === 4 ? { birth_date: '20080401' } : n === 5 ? { birth_date: '20080402' } : {})));
    const april1 = await shikaku(4, { acquired_on: '2008-04-01' });
    const april2 = await shikaku(5, { acquired_on: '2008-04-02' });

    // 2026-03-31 23:59 in Japan (14:59Z): both still current.
    const lastDay = await runIdoWork(pg.pool, { clock: at('2026-03-31T14:59:00Z'), source: 'cli' });
    expect(lastDay).toMatchObject({ result: 'done', counts: { kodomoAgeLosses: 0 } });
    expect(lastDay.message).toContain('変更なし');
    expect((await held(april1)).version).toBe(1);

    // 2026-04-01 00:00 in Japan (2026-03-31T15:00Z): the 4/1 birthday's 資格 ends (喪失日 4/1, 年齢到達); the 4/2 one goes on.
    const r = await runIdoWork(pg.pool, { clock: at('2026-03-31T15:00:00Z'), source: 'cli' });
    expect(r).toMatchObject({ result: 'done', counts: { files: 0, kodomoAgeLosses: 1 } });
    expect(r.message).toContain('18歳年度末 1件');
    expect(await held(april1)).toMatchObject({ version: 2, updated_by_terminal: 'SERVER', payload: { version: 2, lost_on: '2026-04-01', lose_reason: '01', lose_notified_on: null, updated_by: 'JOB' } });
    expect(await held(april2)).toMatchObject({ version: 1, payload: { lost_on: null } });
    const before = await state();
    expect((await runIdoWork(pg.pool, { clock: at('2026-04-01T03:00:00Z'), source: 'cli' })).counts.kodomoAgeLosses).toBe(0);
    expect(await state()).toEqual(before);

    // A year on: 2027-03-31 in Japan nothing; 2027-04-01 the 4/2 birthday's.
    expect((await runIdoWork(pg.pool, { clock: at('2027-03-31T01:00:00Z'), source: 'cli' })).counts.kodomoAgeLosses).toBe(0);
    expect((await runIdoWork(pg.pool, { clock: at('2027-04-01T01:00:00Z'), source: 'cli' })).counts.kodomoAgeLosses).toBe(1);
    expect(await held(april2)).toMatchObject({ version: 2, payload: { lost_on: '2027-04-01', lose_reason: '01' } });
    expect(await held(april1)).toMatchObject({ version: 2 });
    const log = await pg.pool.query(`SELECT kodomo_age_losses AS n FROM job_log ORDER BY job_id`);
    expect(log.rows.map((l) => l.n)).toEqual([0, 1, 0, 0, 1]);
  });
});
