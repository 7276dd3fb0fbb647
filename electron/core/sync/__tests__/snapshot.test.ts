import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clockFrom } from '../../../../testing/clock';
import { createSeededCore, RESOURCES_DIR, loginSeeded } from '../../../../testing/core';
import { resetDb, useSyncServer, type ClientCert, type PgFixture, type PkiFixture, type SyncServerFixture } from '../../../../testing/server';
import { must } from '../../../../testing/db';
import { closeTerminals, openTerminal, serverClient, type TestTerminal } from '../../../../testing/terminals';
import { publishProfile } from '../../../../server/profiles';
import type { SyncApp } from '../../../../server/app';
import { issueTerminal, loadServerTls, pkiPaths } from '../../../../server/pki';
import { pruneTombstones } from '../../../../server/sync';
import type { Db } from '../../db/database';
import { insertRecord, updateRecord } from '../../db/records';
import type { AuditLog } from '../../audit/audit-log';
import { SyncEngine } from '../sync-engine';

/**
 * The terminal's copy against the server's: snapshots after a reset (pruned tombstones, a changed scope),
 * the checksum comparison, and revocations that come down by pull. Real PostgreSQL, real mutual TLS.
 */
const clock = clockFrom('2026-11-22T01:00:00Z');
const stamp = { by: 'D9001', at: '2026-11-22T01:00:00.000Z' };
let fixture: SyncServerFixture, pg: PgFixture, pki: PkiFixture, server: SyncApp;
useSyncServer(['DEMO-01', 'DEMO-02', 'DEMO-03'], { clock }, (s) => ({ pg, pki, server } = fixture = s));

type Terminal = TestTerminal & { engine: SyncEngine };
const open: Terminal[] = [];

const clientFor = (id: string, audit: AuditLog, cert?: ClientCert) => serverClient(fixture, id, audit, { cert });

/** A freshly provisioned terminal: an empty encrypted database and its engine. */
function terminal(id: string): Terminal {
  const opened = openTerminal(fixture, id, clock);
  const t = { ...opened, engine: new SyncEngine(opened.db, opened.audit, clock, id) };
  open.push(t);
  return t;
}

async function sync(t: Terminal): Promise<void> {
  for (let i = 0; i < 20 && t.engine.status().pending > 0; i++) await t.engine.pushOnce(t.client);
  for (let i = 0; i < 50; i++) if (!(await t.engine.pullOnce(t.client, 3)).more) break;
}

const ids = (db: Db, table: string, where = 'true'): string[] =>
  (db.prepare(`SELECT id FROM ${table} WHERE ${where} ORDER BY id`).all() as { id: string }[]).map((r) => r.id);

function resident(db: Db, atena: string): string {
  return insertRecord(db, 'residents', {
    atena_no: atena, name_kanji: `住民 ${atena}`, name_kana: 'ジュウミン', name_kana_key: 'ジユウミン', birth_date: '2015-06-01', sex: '1',
    postal_code: '5300001', address: '大阪市北区', household_no: atena, dv_support: 0, non_disclosure: 0, view_suspended: 0,
  }, stamp);
}

function certificate(db: Db, residentId: string, certType: string, no: string): string {
  return insertRecord(db, 'certificates', {
    resident_id: residentId, cert_type: certType, certificate_no: no, public_payer_no: '82270006', issue_kind: 'new', reissue_reason: null,
    issue_date: '2026-11-22', valid_from: '2026-11-22', valid_to: '2027-07-31', guardian_id: null, status: 'valid', superseded_by: null,
  }, stamp);
}

beforeEach(async () => {
  await resetDb(pg.pool);
});
afterEach(() => closeTerminals(open));

describe('snapshot after a reset', () => {
  it('pruned tombstones: the terminal rebuilds its copy, drops what the server no longer has, keeps unsent work', async () => {
    const x = terminal('DEMO-01');
    const r1 = resident(x.db, '1001');
    const r2 = resident(x.db, '1002');
    const c1 = certificate(x.db, r1, 'kodomo', '1000001');
    const c2 = certificate(x.db, r2, 'kodomo', '1000002');
    await sync(x);

    const y = terminal('DEMO-02');
    await sync(y);
    expect(ids(y.db, 'certificates')).toEqual([c1, c2].sort());

    // X deletes c2; the server prunes the tombstone before Y has seen it.
    updateRecord(x.db, 'certificates', c2, 1, { deleted: 1 }, stamp);
    await sync(x);
    await pg.pool.query("UPDATE entities SET updated_at = now() - interval '100 days' WHERE deleted");
    expect(await pruneTombstones(pg.pool, 90)).toBe(1);

    // Meanwhile Y holds a row the server never had (not in its outbox) and one unsent change of its own.
    y.db.prepare(
      `INSERT INTO residents (id, version, created_at, created_by, updated_at, updated_by, deleted, atena_no, name_kanji, name_kana, name_kana_key,
        birth_date, sex, postal_code, address, household_no, dv_support, non_disclosure, view_suspended)
       VALUES ('0190a000-0000-7000-8000-0000000000ff', 1, '', '', '', '', 0, '9999', '迷子', 'マイゴ', 'マイゴ', '2000-01-01', '9', '', '', '9999', 0, 0, 0)`,
    ).run();
    const r3 = resident(y.db, '1003');

    const first = await y.engine.pullOnce(y.client, 3);
    expect(first.reset).toBe('pruned');
    for (let i = 0; i < 50; i++) if (!(await y.engine.pullOnce(y.client, 3)).more) break;

    expect(ids(y.db, 'certificates')).toEqual([c1]); // the pruned deletion reached Y as an absence
    expect(ids(y.db, 'residents')).toEqual([r1, r2, r3].sort()); // the stray row went, the unsent one stayed
    const actions = y.audit.list({ limit: 100 }).map((e) => `${e.action}:${e.outcome}`);
    expect(actions).toEqual(expect.arrayContaining(['sync.reset:success', 'sync.snapshotDone:success']));

    await sync(y);
    expect(await y.engine.verifyChecksum(y.client)).toBe('match');
    expect(await x.engine.verifyChecksum(x.client)).toBe('skipped'); // X is behind the server's cursor
    await sync(x);
    expect(await x.engine.verifyChecksum(x.client)).toBe('match');
  });

  it('a checksum mismatch (a copy changed behind the engine) starts a snapshot that restores the server version', async () => {
    const x = terminal('DEMO-01');
    const r1 = resident(x.db, '1001');
    resident(x.db, '1002');
    await sync(x);
    const y = terminal('DEMO-02');
    await sync(y);
    expect(await y.engine.verifyChecksum(y.client)).toBe('match');

    y.db.prepare("UPDATE residents SET version = 7, address = '書き換え' WHERE id = ?").run(r1);
    expect(await y.engine.verifyChecksum(y.client)).toBe('mismatch');
    await sync(y);
    expect(y.db.prepare('SELECT version, address FROM residents WHERE id = ?').get(r1)).toEqual({ version: 1, address: '大阪市北区' });
    expect(await y.engine.verifyChecksum(y.client)).toBe('match');
  });

  it('a changed scope (re-enrolled for kokuho only): certificates of other 事務 leave the terminal, people stay', async () => {
    const x = terminal('DEMO-01');
    const r1 = resident(x.db, '1001');
    const kodomo = certificate(x.db, r1, 'kodomo', '1000001');
    const kokuho = certificate(x.db, r1, 'kokuho_shikaku', '2000001');
    await sync(x);
    const z = terminal('DEMO-03');
    await sync(z);
    expect(ids(z.db, 'certificates')).toEqual([kodomo, kokuho].sort());

    await issueTerminal(pki.dir, 'DEMO-03', { force: true, scope: { municipality: '271004', jimu: ['kokuho'] } });
    server.reloadTls(await loadServerTls(pki.dir));
    const p = pkiPaths(pki.dir);
    z.client.close?.();
    z.client = clientFor('DEMO-03', z.audit, { cert: readFileSync(p.terminalCert('DEMO-03'), 'utf8'), key: readFileSync(p.terminalKey('DEMO-03'), 'utf8') });
    expect((await z.engine.pullOnce(z.client)).reset).toBe('scope_changed');
    await sync(z);
    expect(ids(z.db, 'certificates')).toEqual([kokuho]);
    expect(ids(z.db, 'residents')).toEqual([r1]);
    expect(await z.engine.verifyChecksum(z.client)).toBe('match');
  });
});

describe('users and revocations come down by pull', () => {
  it('a member of staff disabled centrally is refused at the next login on this terminal, even offline', async () => {
    const a = await createSeededCore({ clock, households: 1 });
    const clientA = clientFor('DEMO-01', a.core.audit);
    try {
      a.core.sync.attach(clientA);
      await a.core.sync.runOnce();
      expect(a.core.sync.status()).toMatchObject({ online: true, pending: 0 });

      // The central administration (here: another terminal's engine) disables D1002.
      const central = terminal('DEMO-02');
      await sync(central);
      const row = must(central.db.prepare<[], { id: string; version: number }>("SELECT id, version FROM staff WHERE staff_id = 'D1002'").get());
      updateRecord(central.db, 'staff', row.id, row.version, { disabled: 1 }, stamp);
      await sync(central);

      await a.core.sync.runOnce();
      // Now the server becomes unreachable; A works offline within the grace period.
      a.core.sync.attach(serverClient(fixture, 'DEMO-01', a.core.audit, { port: 1, timeoutMs: 1000 }));
      await a.core.sync.runOnce();
      expect(a.core.sync.status().online).toBe(false);
      await expect(loginSeeded(a, 'r1', 'D1002')).rejects.toThrow(/ログインできません|無効/);
      expect((await loginSeeded(a, 'r2', 'D1001')).staffId).toBe('D1001');
    } finally {
      clientA.close?.();
      a.cleanup();
    }
  });
});

describe('rule profiles come down by pull', () => {
  it('a profile published on the server replaces the shipped one at the next start; terminals cannot push one', async () => {
    const shipped = JSON.parse(readFileSync(join(RESOURCES_DIR, 'profiles', 'sample-osaka.json'), 'utf8')) as { claims: { kokuho: { sousaihi: { amount: number } } } };
    shipped.claims.kokuho.sousaihi.amount = 70_000;
    expect(await publishProfile(pg.pool, shipped, 'IT')).toMatchObject({ municipality: '271004', version: 1, changed: true });
    expect(await publishProfile(pg.pool, shipped, 'IT')).toMatchObject({ changed: false });
    await expect(publishProfile(pg.pool, { ...shipped, municipalityCode: 'x' }, 'IT')).rejects.toThrow(/団体コード/);

    const a = await createSeededCore({ clock, households: 1 });
    const clientA = clientFor('DEMO-01', a.core.audit);
    try {
      expect(a.core.profile.claims.kokuho.sousaihi.amount).toBe(50_000); // the shipped sample
      a.core.sync.attach(clientA);
      await a.core.sync.runOnce();
      expect(a.core.db.prepare('SELECT count(*) AS n FROM rule_profiles').get()).toEqual({ n: 1 });
      // A terminal cannot publish: its push of a rule_profiles record is refused.
      const row = a.core.db.prepare<[], { id: string; version: number }>('SELECT id, version FROM rule_profiles').get()!;
      updateRecord(a.core.db, 'rule_profiles', row.id, row.version, { published_at: '2099-01-01' }, stamp);
      await a.core.sync.runOnce();
      expect(a.core.sync.engine.rejections()[0]?.reason).toMatch(/ルールプロファイルは中央サーバで公開します/);
      await a.core.sync.runOnce(); // the refusal rebuilds the copy from the server's
      a.core.close();
      const again = await createSeededCore({ clock, dataDir: a.dataDir, reopen: a.edges });
      try {
        expect(again.core.profile.claims.kokuho.sousaihi.amount).toBe(70_000);
        expect(again.core.audit.list({ limit: 10_000 }).some((e) => e.action === 'profile.load' && e.outcome === 'success')).toBe(true);
      } finally {
        again.core.close();
      }
    } finally {
      clientA.close?.();
      a.cleanup();
    }
  }, 60_000);
});
