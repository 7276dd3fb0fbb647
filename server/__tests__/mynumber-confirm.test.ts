import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFile } from '../import/import';
import { decideMyNumberConfirmation, openMyNumberConfirmations, type MyNumberDecision } from '../mynumber';
import { forTerminal } from '../sync';
import { makeMyNumber } from '../../testing/seed';
import { fixedClock } from '../../testing/clock';
import { buildFile, jukiRow, type FileSpec } from '../../testing/interface-files';
import { resetDb, useSyncServer, type PgFixture } from '../../testing/server';

/**
 * Seed 001, the supervisor's decision on a held 個人番号 change (server/mynumber.ts decideMyNumberConfirmation,
 * `npm run server:job -- mynumber-confirm`): real PostgreSQL, real 住基 files through the import.
 */
const clock = fixedClock('2026-11-22T01:00:00Z');
let pg: PgFixture;
useSyncServer([], { clock }, (s) => ({ pg } = s));

const M = '271004';
let dir: string;
beforeEach(async () => {
  await resetDb(pg.pool);
  dir = await mkdtemp(join(tmpdir(), 'madoguchi-mnconfirm-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const juki = (seq: number, kind: 'FULL' | 'DIFF' = 'FULL'): FileSpec => ({ interface: 'JUKI', kind, seq });
async function run(spec: FileSpec, rows: (readonly string[])[]) {
  const f = buildFile(spec, rows);
  const path = join(dir, f.name);
  await writeFile(path, f.bytes);
  const r = await importFile(pg.pool, path, { clock, source: 'cli' });
  expect(r.result).toBe('applied');
  return r;
}

/** A member of staff as the server holds them (entities 'staff' and, with `grant`, an in-force 'audit.review' grant). */
async function staff(staffId: string, role: string, opts: { disabled?: number; grant?: Record<string, unknown> | null; municipality?: string } = {}) {
  const m = opts.municipality ?? M;
  await pg.pool.query(`INSERT INTO entities (entity, entity_id, version, payload, updated_by_terminal, municipality) VALUES ('staff', $1, 1, $2, 'T', $3)`,
    [randomUUID(), JSON.stringify({ staff_id: staffId, role, disabled: opts.disabled ?? 0 }), m]);
  if (opts.grant === null) return;
  const grant = { staff_id: staffId, right_name: 'audit.review', approval_status: 'approved', revoked_at: null, valid_from: '2000-04-01T00:00:00.000Z', expires_at: null, ...opts.grant }; // in force on any day the CLI's own clock reads (the suite also runs at ±400 days)
  await pg.pool.query(`INSERT INTO entities (entity, entity_id, version, payload, updated_by_terminal, municipality) VALUES ('staff_grants', $1, 1, $2, 'T', $3)`,
    [randomUUID(), JSON.stringify(grant), m]);
}

const resident = async (atena: string) =>
  (await pg.pool.query<{ version: number; server_seq: string; payload: Record<string, unknown> }>(
    `SELECT version, server_seq, payload FROM entities WHERE entity = 'residents' AND payload->>'atena_no' = $1`, [atena])).rows[0]!;
const confirmation = async (id: number) =>
  (await pg.pool.query(`SELECT resolved_at, resolved_by, decision, reason FROM mynumber_confirmations WHERE confirmation_id = $1`, [id])).rows[0];
const maxSeq = async () => Number((await pg.pool.query<{ s: string }>(`SELECT max(server_seq) AS s FROM entities`)).rows[0]!.s);

const other = makeMyNumber(999_001);
/** Person 1 held with another number, person 2 with a blank one (a 住基 DIFF after the initial load); their IDs. */
async function held(): Promise<{ another: number; blank: number }> {
  await run(juki(1), [1, 2, 3].map((n) => jukiRow(n)));
  await run(juki(2, 'DIFF'), [
    jukiRow(1, { my_number: other, ido_reason: '24', ido_date: '20261120' }),
    jukiRow(2, { my_number: '', ido_reason: '24', ido_date: '20261120' }),
  ]);
  const list = await openMyNumberConfirmations(pg.pool);
  expect(list.map((c) => [c.atenaNo, c.change])).toEqual([['100000001', '別の個人番号'], ['100000002', '空欄']]);
  return { another: list[0]!.confirmationId, blank: list[1]!.confirmationId };
}

const decide = (d: MyNumberDecision) => decideMyNumberConfirmation(pg.pool, d, clock.now());

describe('a supervisor decides a held 個人番号 change', () => {
  beforeEach(async () => {
    await staff('S9001', 'supervisor');
  });

  it('apply: the proposed number becomes the resident\'s as a new version terminals pull; resolved with the decision and the reason', async () => {
    const { another } = await held();
    const before = await resident('100000001');
    const seqBefore = await maxSeq();
    const r = await decide({ confirmationId: another, decision: 'apply', staffId: 'S9001', reason: '  住基の個人番号変更通知を確認した\u3000' });
    expect(r).toMatchObject({ status: 'decided', decision: 'apply', atenaNo: '100000001', municipality: M, version: before.version + 1, resolvedBy: 'S9001' });
    const after = await resident('100000001');
    expect(after.version).toBe(before.version + 1);
    expect(after.payload).toMatchObject({ my_number: other, version: before.version + 1, updated_by: 'S9001', name_kanji: before.payload.name_kanji });
    expect(Number(after.server_seq)).toBeGreaterThan(seqBefore);
    expect(forTerminal('residents', after.payload)).toMatchObject({ has_my_number: 1 });
    // The reason through text(): trimmed (an ideographic space too), NFC.
    expect(await confirmation(another)).toMatchObject({ resolved_by: 'S9001', decision: 'apply', reason: '住基の個人番号変更通知を確認した', resolved_at: expect.any(Date) });
    expect((await openMyNumberConfirmations(pg.pool)).map((c) => c.confirmationId)).not.toContain(another);
  });

  it('apply of a blank: the resident has no number any more (has_my_number 0 for terminals)', async () => {
    const { blank } = await held();
    const before = await resident('100000002');
    expect(await decide({ confirmationId: blank, decision: 'apply', staffId: 'S9001', reason: '個人番号の削除を確認' })).toMatchObject({ status: 'decided', version: before.version + 1 });
    const after = await resident('100000002');
    expect(after.payload.my_number).toBeNull();
    expect(forTerminal('residents', after.payload)).toMatchObject({ has_my_number: 0 });
  });

  it('dismiss: the held number stays, the record is not touched; resolved', async () => {
    const { another } = await held();
    const before = await resident('100000001');
    expect(await decide({ confirmationId: another, decision: 'dismiss', staffId: 'S9001', reason: '住基の誤り' })).toMatchObject({ status: 'decided', decision: 'dismiss', version: null });
    expect(await resident('100000001')).toEqual(before);
    expect(await confirmation(another)).toMatchObject({ decision: 'dismiss', resolved_by: 'S9001', reason: '住基の誤り' });
  });

  it('a decision on one already resolved is refused in Japanese; nothing changes', async () => {
    const { another } = await held();
    await decide({ confirmationId: another, decision: 'dismiss', staffId: 'S9001', reason: '住基の誤り' });
    const before = [await resident('100000001'), await confirmation(another), await maxSeq()];
    const r = await decide({ confirmationId: another, decision: 'apply', staffId: 'S9001', reason: 'やはり適用' });
    expect(r).toEqual({ status: 'refused', message: expect.stringMatching(new RegExp(`^確認番号 ${another} の個人番号の変更は 2026-11-22T01:\\d\\d:\\d\\d\\.000Z に S9001 が決定済み（却下）です。変更はしていません。$`)) });
    expect([await resident('100000001'), await confirmation(another), await maxSeq()]).toEqual(before);
    expect(await decide({ confirmationId: 999_999, decision: 'dismiss', staffId: 'S9001', reason: 'x' })).toEqual({ status: 'refused', message: '確認番号 999999 の個人番号の変更は見つかりません。' });
  });

  it('an apply after the resident\'s number changed since it was held is refused (a second held change for the same person)', async () => {
    const { another } = await held();
    const third = makeMyNumber(999_002);
    await run(juki(3, 'DIFF'), [jukiRow(1, { my_number: third, ido_reason: '24', ido_date: '20261121' })]);
    const second = (await openMyNumberConfirmations(pg.pool)).find((c) => c.atenaNo === '100000001' && c.confirmationId !== another)!.confirmationId;
    await decide({ confirmationId: second, decision: 'apply', staffId: 'S9001', reason: '最新の通知' });
    expect((await resident('100000001')).payload.my_number).toBe(third);
    const r = await decide({ confirmationId: another, decision: 'apply', staffId: 'S9001', reason: '古い通知' });
    expect(r).toMatchObject({ status: 'refused', message: expect.stringContaining('保留された後に変わっています') });
    expect((await resident('100000001')).payload.my_number).toBe(third);
    expect((await confirmation(another)).resolved_at).toBeNull();
    expect(await decide({ confirmationId: another, decision: 'dismiss', staffId: 'S9001', reason: '古い通知' })).toMatchObject({ status: 'decided' });
  });
});

describe('who may decide, and the reason: by the server\'s own records and the text() rules; a refusal changes nothing', () => {
  it.each([
    ['unknown staff', async () => undefined, 'S0404', '職員ID S0404 は団体 271004 の職員として中央サーバに登録されていません。'],
    ['staff of another municipality', async () => staff('S9002', 'supervisor', { municipality: '431001' }), 'S9002', '職員ID S9002 は団体 271004 の職員として中央サーバに登録されていません。'],
    ['disabled', async () => staff('S9003', 'supervisor', { disabled: 1 }), 'S9003', '職員ID S9003 は無効にされています。'],
    ['a clerk (role outside supervision)', async () => staff('D1001', 'clerk'), 'D1001', '職員ID D1001 の役割では個人番号の変更を決定できません（監督者の権限「監査ログの点検」が必要です）。'],
    ['a supervisor without the grant', async () => staff('S9004', 'supervisor', { grant: null }), 'S9004', expect.stringContaining('付与されていない')],
    ['a supervisor whose grant was revoked', async () => staff('S9005', 'supervisor', { grant: { revoked_at: '2026-11-01T00:00:00.000Z' } }), 'S9005', expect.stringContaining('付与されていない')],
  ])('%s', async (_, setup, staffId, message) => {
    await setup();
    const { another } = await held();
    const before = [await resident('100000001'), await confirmation(another), await maxSeq()];
    expect(await decide({ confirmationId: another, decision: 'apply', staffId, reason: '確認済み' })).toEqual({ status: 'refused', message });
    expect([await resident('100000001'), await confirmation(another), await maxSeq()]).toEqual(before);
  });

  it('the reason is required, one line, without direction controls; the decision is apply or dismiss', async () => {
    await staff('S9001', 'supervisor');
    const { another } = await held();
    const d = { confirmationId: another, decision: 'apply' as const, staffId: 'S9001' };
    expect(await decide({ ...d, reason: '  ' })).toEqual({ status: 'refused', message: '理由を入力してください' });
    expect(await decide({ ...d, reason: '確認\n済み' })).toEqual({ status: 'refused', message: '理由に改行や制御文字は使えません' });
    expect(await decide({ ...d, reason: '確認\u202e済み' })).toEqual({ status: 'refused', message: '理由に文字の向きを変える制御文字は使えません' });
    expect(await decide({ ...d, reason: 'あ'.repeat(501) })).toEqual({ status: 'refused', message: '理由は500文字以内で入力してください' });
    expect(await decide({ ...d, decision: 'keep' as 'apply', reason: '確認済み' })).toEqual({ status: 'refused', message: '決定は apply（適用）か dismiss（却下）で指定してください' });
    expect((await confirmation(another)).resolved_at).toBeNull();
  });
});

describe('npm run server:job -- mynumber-confirm', () => {
  const job = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', 'server/job-cli.ts', ...args], { env: { ...process.env, DATABASE_URL: pg.url }, timeout: 60_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
    });

  it('applies with the staff ID and reason given, without printing a number; a second decision exits 1 with the message; misuse exits 2', async () => {
    await staff('S9001', 'supervisor');
    const { another } = await held();
    const ok = await job('mynumber-confirm', String(another), 'apply', '--by', 'S9001', '--reason', '住基の番号変更通知を確認');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(new RegExp(`^確認番号 ${another}\\t団体 271004\\t宛名番号 100000001\\t適用しました（住民の記録の版 \\d+、番号は表示しません）\\t決定者 S9001\\t`));
    expect(ok.stdout).not.toMatch(/[0-9]{12}/);
    expect((await resident('100000001')).payload.my_number).toBe(other);
    const again = await job('mynumber-confirm', String(another), 'dismiss', '--by', 'S9001', '--reason', '重ねて');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`決定できません: 確認番号 ${another} の個人番号の変更は`);
    expect(again.stderr).toContain('決定済み（適用）です。変更はしていません。');
    expect((await job('mynumber-confirm', String(another), 'apply', '--by', 'S9001')).code).toBe(2);
  }, 120_000);
});
