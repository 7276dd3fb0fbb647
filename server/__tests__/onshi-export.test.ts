import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runOnshiExport, scheduleOnshiExport, type OnshiExportResult } from '../export/onshi';
import { OutboxError, writeToOutbox } from '../export/outbox';
import { residentRecordId } from '../import/import';
import { ONSHI_ITEMS, readOnshiFile } from '../../shared/interfaces/online-shikaku';
import { seikatsuRecipientNumber } from '../../shared/domain/seikatsu/numbers';
import { SYNC_ENTITY_FIELDS } from '../../shared/sync/protocol';
import { clockFrom } from '../../testing/clock';
import { importBuilt, jukiRow, seihoRow, type FileSpec } from '../../testing/interface-files';
import { makeMyNumber } from '../../testing/seed';
import { resetDb, useSyncServer, type PgFixture } from '../../testing/server';
import { ticketRecordProblem } from '../../shared/domain/certificate-types';

/**
 * The オンライン資格確認 file (ONSHI, issue 17) from the central server's own records into the policy's outbox: real
 * PostgreSQL (residents and 保護受給 imported through their interfaces, 給付券 stored as a push leaves them), real
 * files in a temp outbox, read back with the definition's reader.
 */
const day1 = clockFrom('2026-11-22T01:00:00Z');
const day2 = clockFrom('2026-11-23T01:00:00Z');
let pg: PgFixture;
useSyncServer([], { clock: day1 }, (s) => ({ pg } = s));

let dir: string;
let outbox: string;
beforeEach(async () => {
  await resetDb(pg.pool);
  dir = await mkdtemp(join(tmpdir(), 'madoguchi-onshi-in-'));
  outbox = await mkdtemp(join(tmpdir(), 'madoguchi-onshi-out-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(outbox, { recursive: true, force: true });
});

const sha = (d: Uint8Array) => createHash('sha256').update(d).digest('hex');
const rid = (n: number) => residentRecordId('271004', String(100000000 + n));
const RN1 = seikatsuRecipientNumber('', 1);
const RN2 = seikatsuRecipientNumber('', 2);
const PAYER = '12270104';

const seiho = (seq: number, kind: 'FULL' | 'DIFF' = 'FULL'): FileSpec => ({ interface: 'SEIHO', kind, seq, system: '生活保護システム' });

/** Residents 1–4 (with 個人番号); 保護: 1 and 2 with 医療扶助, 3 with 介護扶助 only, 4 with 医療扶助 but no 券 yet. */
async function importPeople(): Promise<void> {
  expect(await importBuilt(pg.pool, dir, { interface: 'JUKI', seq: 1 }, [1, 2, 3, 4].map((n) => jukiRow(n)), day1)).toMatchObject({ result: 'applied' });
  const r = await importBuilt(pg.pool, dir, seiho(1), [
    seihoRow(1, { aid_kinds: '01 03 04' }),
    seihoRow(2, { aid_kinds: '01 04', started_on: '20260301' }),
    seihoRow(3, { aid_kinds: '01 05' }),
    seihoRow(4, { aid_kinds: '04' }),
  ], day1);
  expect(r).toMatchObject({ result: 'applied', counts: { inserted: 4, held: 0 } });
}

interface Ticket {
  type: 'seikatsu_iryo' | 'seikatsu_chozai' | 'seikatsu_kaigo';
  resident: number;
  no: string;
  validFrom: string;
  validTo: string;
  details: Record<string, unknown>;
}

/** A 給付券 as a terminal's push leaves it on the server: a 'certificates' entity of the 事務 seikatsu. */
async function putTicket(t: Ticket): Promise<string> {
  const id = randomUUID();
  const at = '2026-11-20T00:00:00.000Z';
  const payload = {
    id, version: 1, created_at: at, created_by: 'W3001', updated_at: at, updated_by: 'W3001', deleted: 0,
    resident_id: rid(t.resident), cert_type: t.type, certificate_no: t.no, public_payer_no: t.details.publicPayerNo, issue_kind: 'new', reissue_reason: null,
    issue_date: '2026-11-20', valid_from: t.validFrom, valid_to: t.validTo, guardian_id: null, status: 'valid', superseded_by: null,
    details_json: JSON.stringify(t.details), name_choice: 'real', print_sex: 1, end_reason: null, recall_status: 'none', recall_date: null, recall_kind: null,
  };
  expect(Object.keys(payload).sort()).toEqual([...SYNC_ENTITY_FIELDS.certificates].sort());
  // Exactly what the server accepts from a 生活保護 terminal's push (the details a terminal's issue stores).
  expect(ticketRecordProblem(t.type, payload)).toBeNull();
  await pg.pool.query(
    `INSERT INTO entities (entity, entity_id, version, payload, updated_by_terminal, deleted, municipality, jimu, owner_terminal)
     VALUES ('certificates', $1, 1, $2, 'SEIK', false, '271004', 'seikatsu', NULL)`,
    [id, payload],
  );
  return id;
}

/** A change pushed by a terminal: the next version of the certificate with `change` merged into its payload. */
async function changeTicket(id: string, change: Record<string, unknown>): Promise<void> {
  await pg.pool.query(
    `UPDATE entities SET version = version + 1, payload = payload || $2::jsonb || jsonb_build_object('version', version + 1),
            server_seq = nextval(pg_get_serial_sequence('entities', 'server_seq')), updated_at = now()
      WHERE entity = 'certificates' AND entity_id = $1`,
    [id, change],
  );
}

const iryo = (resident: number, recipientNo: string, over: Record<string, unknown> = {}): Record<string, unknown> => ({
  shinryo: '入院外', month: '2026-11', recipientNo, publicPayerNo: PAYER, institutionCode: '2712345678', institutionName: '窓口クリニック',
  prescriberCode: null, caseNo: String(70000000 + Math.floor(resident / 3)), caseworker: 'W3001', diseaseNames: ['高血圧症', '糖尿病'], selfPayYen: 0,
  coverage: '単独', socialInsurance: null, aidStartOn: '2025-04-01', abolishedOn: null, infectiousDisease37_2: false, lateElderly: false, prefecturalCost: false,
  ...over,
});

async function fileOf(name: string) {
  const bytes = await readFile(join(outbox, name));
  return { bytes, ...readOnshiFile(bytes, name, sha) };
}

const full = (r: Record<string, string | null | undefined>) => Object.fromEntries(ONSHI_ITEMS.map((i) => [i.id, r[i.id] ?? null]));
const run = (clock = day1): Promise<OnshiExportResult> => runOnshiExport(pg.pool, { clock, source: 'cli', outbox });
const exportLog = async () =>
  (await pg.pool.query(`SELECT seq, file_kind, file_name, qualification_records, ticket_records, withdrawn, file_sha256, data_sha256, result, message FROM export_log ORDER BY export_id`)).rows;

const QUAL1 = { record_kind: '1', recipient_no: RN1, public_payer_no: PAYER, name_kana: 'マドグチ タロウ', birth_date: '1951-02-11', sex: '2', qualified_from: '2025-04-01' };
const QUAL2 = { record_kind: '1', recipient_no: RN2, public_payer_no: PAYER, name_kana: 'マドグチ タロウ', birth_date: '1952-03-12', sex: '1', qualified_from: '2026-03-01' };
const TICKET1 = {
  record_kind: '2', recipient_no: RN1, public_payer_no: PAYER, institution_code: '2712345678', ticket_kind: '1', infectious_37_2: '0', late_elderly: '0',
  issue_no: '2611000001', confirm_method: '2', social_insurance: '0', disease_names: '高血圧症、糖尿病', shinryo: '2', coverage: '1', self_pay_yen: '0', prefectural: '0',
  valid_from: '2026-11-01', valid_to: '2026-11-30',
};
const TICKET2 = {
  record_kind: '2', recipient_no: RN2, public_payer_no: PAYER, institution_code: '2740000011', prescriber_code: '2712345678', ticket_kind: '2', infectious_37_2: '1',
  late_elderly: '0', issue_no: '2611000002', confirm_method: '2', social_insurance: '1', shinryo: '4', coverage: '2', self_pay_yen: '1200', prefectural: '1',
  valid_from: '2026-11-10', valid_to: '2026-11-30',
};

/** Two recipients with a 医療券 and a 調剤券, a third with a 介護券, a fourth with no 券. */
async function seedFirst(): Promise<{ iryoId: string }> {
  await importPeople();
  const iryoId = await putTicket({ type: 'seikatsu_iryo', resident: 1, no: '2611000001', validFrom: '2026-11-01', validTo: '2026-11-30', details: iryo(1, RN1) });
  await putTicket({
    type: 'seikatsu_chozai', resident: 2, no: '2611000002', validFrom: '2026-11-10', validTo: '2026-11-30',
    details: iryo(2, RN2, {
      shinryo: '調剤', institutionCode: '2740000011', institutionName: '窓口薬局', prescriberCode: '2712345678', diseaseNames: [], selfPayYen: 1200, coverage: '併用',
      socialInsurance: { insurerNo: '06270012', symbol: '北', number: '123', branch: '01' }, aidStartOn: '2026-11-10', infectiousDisease37_2: true, prefecturalCost: true,
    }),
  });
  await putTicket({
    type: 'seikatsu_kaigo', resident: 3, no: '2611000003', validFrom: '2026-11-01', validTo: '2026-11-30',
    details: iryo(3, seikatsuRecipientNumber('', 3), { shinryo: '介護', institutionCode: '2770000001', diseaseNames: [] }),
  });
  return { iryoId };
}

describe('the ONSHI export: FULL, then DIFF, into the outbox', () => {
  it('FULL: two recipients\' 資格, a 医療券 and a 調剤券, read back field by field; no 介護券, no 個人番号; export_log and numbering', async () => {
    await seedFirst();
    const r = await run();
    expect(r.result).toBe('done');
    expect(r.files).toEqual([expect.objectContaining({ municipality: '271004', result: 'written', kind: 'FULL', seq: 1, fileName: 'ONSHI_271004_20261122_1.csv', qualifications: 2, tickets: 2, withdrawn: 0, unnumbered: 1 })]);
    expect(r.files[0]!.message).toContain('受給者番号が未採番の受給者 1人は資格を送っていません');
    expect(await readdir(outbox)).toEqual(['ONSHI_271004_20261122_1.csv']);

    const f = await fileOf('ONSHI_271004_20261122_1.csv');
    expect(f.header).toEqual({ kind: 'FULL', municipality: '271004', system: '窓口端末 中央サーバ', createdOn: '2026-11-22', seq: 1 });
    const expected = [QUAL1, QUAL2, TICKET1, TICKET2].map(full);
    expect(f.records).toHaveLength(4);
    expected.forEach((e, n) => {
      for (const item of ONSHI_ITEMS) expect(f.records[n]![item.id], `${n + 1}件目 ${item.name}`).toBe(e[item.id]);
    });
    // The 介護券 (ONSHI is 医療扶助 only) and the 介護扶助-only recipient are absent.
    expect(f.records.some((x) => x.issue_no === '2611000003' || x.recipient_no === seikatsuRecipientNumber('', 3))).toBe(false);
    // No 個人番号 anywhere in the file (the residents carry one on the server).
    const text = f.bytes.toString('utf8');
    for (const n of [1, 2, 3, 4]) expect(text).not.toContain(makeMyNumber(n));
    expect(await pg.pool.query(`SELECT count(*)::int AS n FROM entities WHERE entity = 'residents' AND payload->>'my_number' IS NOT NULL`)).toMatchObject({ rows: [{ n: 4 }] });

    const log = await exportLog();
    expect(log).toEqual([{
      seq: '1', file_kind: 'FULL', file_name: 'ONSHI_271004_20261122_1.csv', qualification_records: 2, ticket_records: 2, withdrawn: 0,
      file_sha256: sha(f.bytes), data_sha256: f.bytes.toString('utf8').trim().split('\r\n').at(-1)!.split(',')[2], result: 'written', message: r.files[0]!.message,
    }]);
    expect((await pg.pool.query(`SELECT job, source, result, files, certificates FROM job_log`)).rows).toEqual([{ job: 'onshi-export', source: 'cli', result: 'done', files: 1, certificates: 2 }]);

    // Nothing changed: no file, the numbering untouched.
    const again = await run();
    expect(again.files).toEqual([expect.objectContaining({ result: 'nothing', seq: null, fileName: null })]);
    expect(await readdir(outbox)).toEqual(['ONSHI_271004_20261122_1.csv']);
    expect(await exportLog()).toHaveLength(1);
  });

  it('DIFF: only what changed (a 廃止 ends the 資格, a new 医療券); a cancelled 券 is not written and is reported once as withdrawn', async () => {
    const { iryoId } = await seedFirst();
    expect((await run()).files[0]).toMatchObject({ result: 'written', seq: 1 });

    expect(await importBuilt(pg.pool, dir, seiho(2, 'DIFF'), [seihoRow(2, { aid_kinds: '01 04', started_on: '20260301', ended_on: '20261125', change_reason: '31' })], day2)).toMatchObject({ result: 'applied' });
    await putTicket({ type: 'seikatsu_iryo', resident: 1, no: '2612000001', validFrom: '2026-12-01', validTo: '2026-12-31', details: iryo(1, RN1, { shinryo: '歯科', month: '2026-12', diseaseNames: ['う蝕症'] }) });
    await changeTicket(iryoId, { status: 'cancelled', end_reason: '誤交付' });

    const r = await run(day2);
    expect(r.files).toEqual([expect.objectContaining({ result: 'written', kind: 'DIFF', seq: 2, fileName: 'ONSHI_271004_20261123_2.csv', qualifications: 1, tickets: 1, withdrawn: 1 })]);
    expect(r.files[0]!.message).toContain('送信済みで取消・再交付された券 1件（定義に取消のレコードがないため、中間サーバー側での取消が必要です）');
    const f = await fileOf('ONSHI_271004_20261123_2.csv');
    expect(f.header).toMatchObject({ kind: 'DIFF', seq: 2, createdOn: '2026-11-23' });
    const expected = [
      { ...QUAL2, qualified_to: '2026-11-24' }, // 廃止日の前日まで
      { ...TICKET1, issue_no: '2612000001', shinryo: '3', disease_names: 'う蝕症', valid_from: '2026-12-01', valid_to: '2026-12-31' },
    ].map(full);
    expect(f.records).toHaveLength(2);
    expected.forEach((e, n) => {
      for (const item of ONSHI_ITEMS) expect(f.records[n]![item.id], `${n + 1}件目 ${item.name}`).toBe(e[item.id]);
    });
    expect(f.records.some((x) => x.issue_no === '2611000001')).toBe(false);

    // The withdrawal is reported once: the next file does not count it again.
    await putTicket({ type: 'seikatsu_chozai', resident: 1, no: '2612000002', validFrom: '2026-12-01', validTo: '2026-12-31',
      details: iryo(1, RN1, { shinryo: '調剤', month: '2026-12', prescriberCode: '2712345678', diseaseNames: [] }) });
    const third = await run(day2);
    expect(third.files[0]).toMatchObject({ result: 'written', seq: 3, fileName: 'ONSHI_271004_20261123_3.csv', qualifications: 0, tickets: 1, withdrawn: 0 });
    expect((await fileOf('ONSHI_271004_20261123_3.csv')).records.map((x) => x.issue_no)).toEqual(['2612000002']);
    expect((await exportLog()).map((l) => [l.seq, l.file_kind, l.withdrawn, l.result])).toEqual([['1', 'FULL', 0, 'written'], ['2', 'DIFF', 1, 'written'], ['3', 'DIFF', 0, 'written']]);
  });
});

describe('nothing outside the definition leaves the server, and nothing half-written', () => {
  it('a 7-digit 指定医療機関コード (valid on the 券, outside ONSHI) is a 連携エラー: no file, no temp file, export_log error; the numbering continues after the fix', async () => {
    await seedFirst();
    expect((await run()).files[0]).toMatchObject({ result: 'written', seq: 1 });
    const badId = await putTicket({ type: 'seikatsu_iryo', resident: 2, no: '2611000009', validFrom: '2026-11-01', validTo: '2026-11-30', details: iryo(2, RN2, { institutionCode: '2712345' }) });
    const sentBefore = (await pg.pool.query('SELECT * FROM onshi_sent ORDER BY record_key')).rows;

    const r = await run(day2);
    expect(r.result).toBe('error');
    expect(r.files).toEqual([expect.objectContaining({ result: 'error', kind: 'DIFF', seq: 2, fileName: null })]);
    expect(r.files[0]!.message).toBe(`連携エラー: 1件目: 項目「指定医療機関コード」は10桁の半角数字です（1件目 = 医療券 記録ID ${badId}）。ファイルは送信箱に出力していません`);
    expect(await readdir(outbox)).toEqual(['ONSHI_271004_20261122_1.csv']);
    expect((await pg.pool.query('SELECT * FROM onshi_sent ORDER BY record_key')).rows).toEqual(sentBefore);
    const log = await exportLog();
    expect(log[1]).toMatchObject({ seq: '2', file_kind: 'DIFF', file_name: 'ONSHI_271004_20261123_2.csv', result: 'error', file_sha256: null, message: r.files[0]!.message });
    expect((await pg.pool.query(`SELECT result FROM job_log ORDER BY job_id`)).rows.map((x) => x.result)).toEqual(['done', 'error']);

    // Corrected at the terminal (a new version with a 10-digit code): the next file takes the sequence number the error did not use.
    await changeTicket(badId, { details_json: JSON.stringify(iryo(2, RN2, { institutionCode: '2712345999' })) });
    const fixed = await run(day2);
    expect(fixed.files[0]).toMatchObject({ result: 'written', seq: 2, fileName: 'ONSHI_271004_20261123_2.csv', tickets: 1 });
    expect(await readdir(outbox)).toEqual(['ONSHI_271004_20261122_1.csv', 'ONSHI_271004_20261123_2.csv']);
  });

  it('one municipality\'s 連携エラー does not stop another\'s file; each has its own ファイル連番', async () => {
    await seedFirst();
    await putTicket({ type: 'seikatsu_iryo', resident: 2, no: '2611000009', validFrom: '2026-11-01', validTo: '2026-11-30', details: iryo(2, RN2, { institutionCode: '2712345' }) });
    // Another 団体 (272001): its own resident, 保護 and 医療券.
    expect(await importBuilt(pg.pool, dir, { interface: 'JUKI', municipality: '272001', seq: 1 }, [jukiRow(7)], day1)).toMatchObject({ result: 'applied' });
    expect(await importBuilt(pg.pool, dir, { ...seiho(1), municipality: '272001' }, [seihoRow(7, { aid_kinds: '04' })], day1)).toMatchObject({ result: 'applied' });
    const other = await putTicket({ type: 'seikatsu_iryo', resident: 7, no: '2611000007', validFrom: '2026-11-01', validTo: '2026-11-30', details: iryo(7, seikatsuRecipientNumber('', 7)) });
    await pg.pool.query(`UPDATE entities SET municipality = '272001', payload = payload || jsonb_build_object('resident_id', $2::text) WHERE entity = 'certificates' AND entity_id = $1`, [other, residentRecordId('272001', '100000007')]);

    const r = await run();
    expect(r.result).toBe('error');
    expect(r.files.map((f) => [f.municipality, f.result, f.seq, f.fileName])).toEqual([
      ['271004', 'error', 1, null],
      ['272001', 'written', 1, 'ONSHI_272001_20261122_1.csv'],
    ]);
    expect(await readdir(outbox)).toEqual(['ONSHI_272001_20261122_1.csv']);
    const f = await fileOf('ONSHI_272001_20261122_1.csv');
    expect(f.header.municipality).toBe('272001');
    expect(f.records.map((x) => [x.record_kind, x.recipient_no])).toEqual([['1', seikatsuRecipientNumber('', 7)], ['2', seikatsuRecipientNumber('', 7)]]);
  });

  it('two runs at once write one file (the second finds nothing new)', async () => {
    await seedFirst();
    const both = await Promise.all([run(), run()]);
    expect(both.map((r) => r.files[0]!.result).sort()).toEqual(['nothing', 'written']);
    expect(await readdir(outbox)).toEqual(['ONSHI_271004_20261122_1.csv']);
  });

  it('a file of the same name already in the outbox is never overwritten: the export fails, the temp file is removed, nothing is recorded as sent', async () => {
    await seedFirst();
    await writeFile(join(outbox, 'ONSHI_271004_20261122_1.csv'), 'someone else\n');
    const r = await run();
    expect(r.files[0]).toMatchObject({ result: 'error', seq: 1 });
    expect(r.files[0]!.message).toBe('出力エラー: 送信箱に同じ名前のファイル（ONSHI_271004_20261122_1.csv）があります。上書きはしません。ファイルは送信箱に出力していません');
    expect(await readdir(outbox)).toEqual(['ONSHI_271004_20261122_1.csv']);
    expect(await readFile(join(outbox, 'ONSHI_271004_20261122_1.csv'), 'utf8')).toBe('someone else\n');
    expect(await pg.pool.query('SELECT count(*)::int AS n FROM onshi_sent')).toMatchObject({ rows: [{ n: 0 }] });
    expect((await exportLog()).map((l) => l.result)).toEqual(['error']);
  });

  it('writeToOutbox: the file appears whole under its name; a refused write leaves no temp file', async () => {
    const bytes = new TextEncoder().encode('H,UTF-8\r\n');
    expect(await writeToOutbox(outbox, 'ONSHI_271004_20261122_5.csv', bytes)).toBe(join(outbox, 'ONSHI_271004_20261122_5.csv'));
    await expect(writeToOutbox(outbox, 'ONSHI_271004_20261122_5.csv', new TextEncoder().encode('other'))).rejects.toThrow(OutboxError);
    await expect(writeToOutbox(outbox, '../escape.csv', bytes)).rejects.toThrow('送信箱のファイル名が不正です');
    expect(await readdir(outbox)).toEqual(['ONSHI_271004_20261122_5.csv']);
    expect(await readFile(join(outbox, 'ONSHI_271004_20261122_5.csv'), 'utf8')).toBe('H,UTF-8\r\n');
  });

  it('with the outbox off nothing is produced', async () => {
    await seedFirst();
    const r = await runOnshiExport(pg.pool, { clock: day1, source: 'cli', outbox: null });
    expect(r).toMatchObject({ result: 'disabled', files: [] });
    expect(await exportLog()).toEqual([]);
  });
});

describe('the job: `npm run server:job -- onshi-export` and the daily timer', () => {
  const cli = (env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', 'server/job-cli.ts', 'onshi-export'], { env: { ...process.env, DATABASE_URL: pg.url, ...env }, timeout: 60_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
    });

  it('the CLI writes the file into EXPORT_OUTBOX (on the wall clock\'s date), and refuses when the outbox is off', async () => {
    await seedFirst();
    const off = await cli({ EXPORT_OUTBOX: 'off' });
    expect(off.code).toBe(1);
    expect(off.stderr).toContain('送信箱（EXPORT_OUTBOX）が off です');
    expect(await exportLog()).toEqual([]);

    const on = await cli({ EXPORT_OUTBOX: outbox });
    expect(on.stderr).toBe('');
    expect(on.code).toBe(0);
    const names = await readdir(outbox);
    expect(names).toEqual([expect.stringMatching(/^ONSHI_271004_[0-9]{8}_1\.csv$/)]);
    expect(on.stdout).toContain(`出力済み: ${names[0]}（全件`);
    // Both recipients' 資格 whatever the day (the 券 in the file depend on the window around the wall clock's date).
    expect((await fileOf(names[0]!)).records.filter((x) => x.record_kind === '1').map((x) => x.recipient_no)).toEqual([RN1, RN2]);
    expect((await pg.pool.query(`SELECT source, result FROM job_log`)).rows).toEqual([{ source: 'cli', result: 'done' }]);
  }, 90_000);

  it('the server\'s timer runs it once that day (by the injected clock), whatever the number of checks', async () => {
    await seedFirst();
    const results: OnshiExportResult[] = [];
    const stop = scheduleOnshiExport(pg.pool, { clock: day1, hour: 7, outbox, checkMs: 20, onResult: (r) => results.push(r) });
    try {
      await new Promise((done) => setTimeout(done, 400));
    } finally {
      stop();
    }
    expect(results.map((r) => [r.result, r.files.map((f) => f.fileName)])).toEqual([['done', ['ONSHI_271004_20261122_1.csv']]]);
    expect((await pg.pool.query(`SELECT source, result FROM job_log`)).rows).toEqual([{ source: 'timer', result: 'done' }]);
    expect(await readdir(outbox)).toEqual(['ONSHI_271004_20261122_1.csv']);
  });
});
