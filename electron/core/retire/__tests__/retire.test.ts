import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clockFrom } from '../../../../testing/clock';
import { createSeededCore, RESOURCES_DIR } from '../../../../testing/core';
import { call, freePort, useSyncServer, type PgFixture, type SyncServerFixture } from '../../../../testing/server';
import { queueSeedPeople, serverClient } from '../../../../testing/terminals';
import { createCore, databasePath, keyFilePath } from '../../app-core';
import { AUDIT_SEED_FILE } from '../../audit/checkpoint';
import { openDatabase } from '../../db/database';
import { FileKeyProvider } from '../../db/file-key-provider';
import { RETIRED_RECEIPT_FILE } from '../../db/retired';
import { loadRuleProfile, profilePath } from '../../profile/load-profile';
import { RetireRefusedError, retireTerminal, type RetireTransport } from '../retire';

/**
 * Retiring a terminal (issue 16 §4) against the real central server: real PostgreSQL (embedded), real mutual TLS
 * with enrolled certificates, real SQLCipher data directories laid out as the app lays them out.
 */
const AT = '2026-11-22T01:00:00Z';
let fixture: SyncServerFixture, pg: PgFixture;
useSyncServer(['DEMO-01', 'DEMO-02', 'DEMO-04'], { clock: clockFrom(AT) }, (s) => ({ pg } = fixture = s));

const ROOT = resolve(import.meta.dirname, '../../../..');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A seeded terminal's data directory (closed), with one resident's name and the keys as they were. */
async function seededDir(terminalId: string, opts: { queue?: boolean } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), `madoguchi-retire-${terminalId}-`));
  dirs.push(dataDir);
  const s = await createSeededCore({ clock: clockFrom(AT), households: 2, terminalId, dataDir });
  const queued = opts.queue ? queueSeedPeople(s.core.db) : 0;
  const name = (s.core.db.prepare('SELECT name_kanji AS n FROM residents WHERE deleted = 0 ORDER BY atena_no LIMIT 1').get() as { n: string }).n;
  const pending = s.core.sync.status().pending;
  s.core.close();
  const dbKey = readFileSync(keyFilePath(dataDir), 'utf8').trim();
  const auditKey = readFileSync(join(dataDir, AUDIT_SEED_FILE), 'utf8').trim();
  return { dataDir, name, dbKey, auditKey, queued, pending };
}

const keyProvider = (dataDir: string) => new FileKeyProvider(keyFilePath(dataDir));

/** Every file under `dir` with its bytes. */
function filesUnder(dir: string): { path: string; bytes: Buffer }[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((p) => statSync(p).isFile())
    .map((p) => ({ path: p, bytes: readFileSync(p) }));
}

function expectNothingOf(dir: string, secrets: string[]): void {
  for (const f of filesUnder(dir)) {
    for (const s of secrets) {
      expect(f.bytes.includes(Buffer.from(s, 'utf8')), `${f.path} contains ${s.slice(0, 6)}…`).toBe(false);
      if (/^[0-9a-f]{64}$/.test(s)) expect(f.bytes.includes(Buffer.from(s, 'hex')), `${f.path} holds a key's raw bytes`).toBe(false);
    }
  }
}

function expectOpenRefused(dataDir: string): void {
  expect(() => openDatabase({ path: databasePath(dataDir), keyProvider: keyProvider(dataDir) })).toThrow(/この端末は廃止されています/);
  const profile = loadRuleProfile(profilePath(RESOURCES_DIR, 'sample-osaka'));
  expect(() => createCore({ dataDir, keyProvider: keyProvider(dataDir), clock: clockFrom(AT), profile })).toThrow(/この端末は廃止されています/);
  // Refused before any key or database is created: the receipt is all there is.
  expect(readdirSync(dataDir)).toEqual([RETIRED_RECEIPT_FILE]);
}

describe('retiring a terminal with a central server', () => {
  it('sends what is unsent, has the server record it, destroys keys and database, leaves a receipt; nothing opens it again; the server refuses the terminal afterwards', async () => {
    const t = await seededDir('DEMO-01', { queue: true });
    expect(t.queued).toBeGreaterThan(0);
    let client: RetireTransport | null = null;
    const receipt = await retireTerminal({ dataDir: t.dataDir, keyProvider: keyProvider(t.dataDir), clock: clockFrom('2026-11-23T09:00:00Z'), server: (audit) => (client = serverClient(fixture, 'DEMO-01', audit)) });
    expect(client).not.toBeNull();

    // The server holds everything the terminal had queued and recorded the retirement.
    const held = await pg.pool.query<{ last: string }>('SELECT last_mutation_id AS last FROM terminals WHERE terminal_id = $1', ['DEMO-01']);
    expect(Number(held.rows[0]!.last)).toBeGreaterThanOrEqual(t.queued);
    const retired = await pg.pool.query<{ municipality: string; last_mutation_id: string; audit_seq: string }>('SELECT municipality, last_mutation_id, audit_seq FROM retired_terminals WHERE terminal_id = $1', ['DEMO-01']);
    expect(retired.rows).toEqual([{ municipality: '271004', last_mutation_id: held.rows[0]!.last, audit_seq: expect.any(String) }]);
    const auditHead = await pg.pool.query<{ s: string }>('SELECT head_seq AS s FROM audit_heads WHERE terminal_id = $1', ['DEMO-01']);
    expect(retired.rows[0]!.audit_seq).toBe(auditHead.rows[0]!.s);
    expect(Number(auditHead.rows[0]!.s)).toBeGreaterThan(0);

    // The receipt: terminal, the injected clock's time, what went with its size, the server's acknowledgement.
    expect(receipt).toEqual({
      receipt: 'madoguchi-retirement',
      terminalId: 'DEMO-01',
      retiredAt: expect.stringMatching(/^2026-11-23T09:/),
      removed: expect.arrayContaining([
        { file: 'madoguchi.key', bytes: 64 },
        { file: AUDIT_SEED_FILE, bytes: 64 },
        { file: 'madoguchi.db', bytes: expect.any(Number) },
      ]),
      server: { acknowledged: true, retiredAt: expect.stringMatching(/^2026-11-22T/), lastMutationId: Number(held.rows[0]!.last), auditSeq: Number(auditHead.rows[0]!.s) },
    });
    // Keys first, then the database.
    expect(receipt.removed.map((r) => r.file).slice(0, 2)).toEqual(['madoguchi.key', AUDIT_SEED_FILE]);
    expect(receipt.removed.find((r) => r.file === 'madoguchi.db')!.bytes).toBeGreaterThan(100_000);
    expect(JSON.parse(readFileSync(join(t.dataDir, RETIRED_RECEIPT_FILE), 'utf8'))).toEqual(receipt);

    // Only the receipt is left, and no file holds a resident's name or either key.
    expect(readdirSync(t.dataDir)).toEqual([RETIRED_RECEIPT_FILE]);
    expectNothingOf(t.dataDir, [t.name, t.dbKey, t.auditKey]);
    expectOpenRefused(t.dataDir);
    await expect(retireTerminal({ dataDir: t.dataDir, keyProvider: keyProvider(t.dataDir), clock: clockFrom(AT), server: (audit) => serverClient(fixture, 'DEMO-01', audit) })).rejects.toThrow(/この端末は廃止されています/);

    // The server answers the retired terminal's push and pull with the reason; another terminal still syncs.
    const cert = fixture.pki.terminals['DEMO-01']!;
    const push = await call(fixture.port, fixture.pki.ca, cert, 'POST', '/v1/push', { terminalId: 'DEMO-01', mutations: [] });
    expect(push).toEqual({ status: 403, body: { error: 'retired', message: expect.stringContaining('DEMO-01 was retired') } });
    const pull = await call(fixture.port, fixture.pki.ca, cert, 'GET', '/v1/pull?cursor=0');
    expect(pull).toEqual({ status: 403, body: { error: 'retired', message: expect.stringContaining('was retired') } });
    expect((await call(fixture.port, fixture.pki.ca, cert, 'GET', '/v1/push/state')).status).toBe(403);
    expect((await call(fixture.port, fixture.pki.ca, fixture.pki.terminals['DEMO-02']!, 'GET', '/v1/push/state')).status).toBe(200);
    // Asked again, the same acknowledgement.
    const again = await call(fixture.port, fixture.pki.ca, cert, 'POST', '/v1/terminals/retire', { terminalId: 'DEMO-01', lastMutationId: 0, auditSeq: 0 });
    expect(again).toEqual({ status: 200, body: { terminalId: 'DEMO-01', retired: true, ...(({ acknowledged: _, ...rest }) => rest)(receipt.server as { acknowledged: true }) } });
  }, 60_000);

  it('refuses, changing nothing, when the server cannot be reached and records are unsent', async () => {
    const t = await seededDir('DEMO-02', { queue: true });
    expect(t.pending).toBeGreaterThanOrEqual(t.queued);
    const before = readdirSync(t.dataDir).sort();
    const closedPort = await freePort();
    const attempt = retireTerminal({ dataDir: t.dataDir, keyProvider: keyProvider(t.dataDir), clock: clockFrom(AT), server: (audit) => serverClient(fixture, 'DEMO-02', audit, { port: closedPort }) });
    await expect(attempt).rejects.toThrow(RetireRefusedError);
    await expect(attempt).rejects.toThrow(new RegExp(`中央サーバに接続できないため、端末を廃止できません（未送信の記録 ${t.pending} 件、.*データは何も変更していません`));
    // Keys, database and its records are all there; no receipt; the server recorded nothing.
    expect(readdirSync(t.dataDir).sort()).toEqual(before);
    expect(readFileSync(keyFilePath(t.dataDir), 'utf8').trim()).toBe(t.dbKey);
    const db = openDatabase({ path: databasePath(t.dataDir), keyProvider: keyProvider(t.dataDir) });
    try {
      expect((db.prepare('SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL').get() as { n: number }).n).toBe(t.pending);
      expect(db.prepare('SELECT 1 FROM residents WHERE name_kanji = ?').get(t.name)).toBeDefined();
    } finally {
      db.close();
    }
    expect((await pg.pool.query('SELECT 1 FROM retired_terminals WHERE terminal_id = $1', ['DEMO-02'])).rowCount).toBe(0);
    // A server-configured terminal may not take the no-server override instead.
    await expect(retireTerminal({ dataDir: t.dataDir, keyProvider: keyProvider(t.dataDir), clock: clockFrom(AT), server: (audit) => serverClient(fixture, 'DEMO-02', audit), withoutServer: true })).rejects.toThrow(/サーバなしでは廃止できません/);
    expect(readdirSync(t.dataDir).sort()).toEqual(before);
  }, 60_000);

  it('a terminal that has synced with a server may not be retired without it', async () => {
    const t = await seededDir('DEMO-04');
    const profile = loadRuleProfile(profilePath(RESOURCES_DIR, 'sample-osaka'));
    const core = createCore({ dataDir: t.dataDir, keyProvider: keyProvider(t.dataDir), clock: clockFrom(AT), profile });
    const client = serverClient(fixture, 'DEMO-04', core.audit);
    try {
      core.sync.attach(client);
      await core.sync.runOnce();
      expect(core.sync.status().online).toBe(true);
    } finally {
      client.close();
      core.close();
    }
    const before = readdirSync(t.dataDir).sort();
    await expect(retireTerminal({ dataDir: t.dataDir, keyProvider: keyProvider(t.dataDir), clock: clockFrom(AT), server: null, withoutServer: true })).rejects.toThrow(/この端末は中央サーバと同期した記録があるため、サーバなしでは廃止できません/);
    expect(readdirSync(t.dataDir).sort()).toEqual(before);
  }, 60_000);
});

describe('retiring a terminal that never had a central server', () => {
  const tsx = join(ROOT, 'node_modules/.bin/tsx');
  const run = (script: string, args: string[]): { code: number; out: string } => {
    try {
      return { code: 0, out: execFileSync(tsx, [script, ...args], { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' }) };
    } catch (e) {
      const err = e as { status: number | null; stderr: string; signal?: string; message: string };
      return { code: err.status ?? -1, out: `${err.stderr} ${err.signal ?? ''} ${err.message}` };
    }
  };

  it('npm run retire: refused without the explicit override; with it, retired locally; then nothing opens or provisions the directory', async () => {
    const t = await seededDir('DEMO-03');
    const before = readdirSync(t.dataDir).sort();
    const refused = run('electron/core/retire/cli.ts', ['--data-dir', t.dataDir]);
    expect(refused.code, refused.out).toBe(1);
    expect(refused.out).toContain('中央サーバが設定されていないため、廃止を届けられません');
    expect(readdirSync(t.dataDir).sort()).toEqual(before);

    const done = run('electron/core/retire/cli.ts', ['--data-dir', t.dataDir, '--without-server']);
    expect(done.code, done.out).toBe(0);
    expect(done.out).toContain('端末 DEMO-03 を廃止しました');
    const receipt = JSON.parse(readFileSync(join(t.dataDir, RETIRED_RECEIPT_FILE), 'utf8')) as Record<string, unknown>;
    expect(receipt).toMatchObject({ terminalId: 'DEMO-03', server: { acknowledged: false, reason: 'no_server' } });
    expect(readdirSync(t.dataDir)).toEqual([RETIRED_RECEIPT_FILE]);
    expectNothingOf(t.dataDir, [t.name, t.dbKey, t.auditKey]);
    expectOpenRefused(t.dataDir);

    const again = run('electron/core/retire/cli.ts', ['--data-dir', t.dataDir, '--without-server']);
    expect(again.code).toBe(1);
    expect(again.out).toContain('この端末は廃止されています');
    const file = join(t.dataDir, 'provision.json');
    writeFileSync(file, JSON.stringify({ terminalId: 'T009', admin: { staffId: 'A0001', name: '管理　太郎', password: 'correct-horse-battery' }, numberBlock: { first: 1, last: 10 } }));
    const provision = run('electron/core/provision/cli.ts', ['--data-dir', t.dataDir, '--file', file]);
    expect(provision.code).toBe(1);
    expect(provision.out).toContain('この端末は廃止されています');
    expect(readdirSync(t.dataDir).sort()).toEqual([RETIRED_RECEIPT_FILE, 'provision.json']);
  }, 60_000);
});
