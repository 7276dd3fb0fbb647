import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, databasePath, keyFilePath, type Core } from '../../app-core';
import { openDatabase } from '../../db/database';
import { FileKeyProvider } from '../../db/file-key-provider';
import { writeTerminalSetting } from '../../db/terminal-settings';
import { loadRuleProfile, loadRuleTablesFromDir, profilePath } from '../../profile/load-profile';
import { revokeGrantsWhere } from '../../auth/grants';
import { SyncEngine } from '../sync-engine';
import { createSeededCore, RESOURCES_DIR, type SeededCore } from '../../../../testing/core';
import { demoLogin } from '../../../../testing/seed';
import { loginWithFactors } from '../../../../testing/webauthn';
import { freePort, resetDb, useSyncServer, type SyncServerFixture } from '../../../../testing/server';
import { serverClient } from '../../../../testing/terminals';
import { movableClock } from '../../../../testing/clock';
import type { CentralServerClient } from '../../net/server-client';

/**
 * Issue 16 §1 at real terminal cores (SQLCipher) against the real server (PostgreSQL, mutual TLS): the demo
 * administration terminal pushes the seeded staff (grants and authenticators approved by the seeded 所属長); a 国保-only
 * terminal that syncs from nothing holds the staff who work in 国保 (or audit at every terminal) and no record — no
 * password hash — of the こども-only clerk; one of them logs in there offline with both factors; once the
 * administration terminal revokes a checker's 国保 grants, the next pull removes the checker from the 国保 terminal
 * with their grants, authenticators and password history, and the checker can no longer log in there.
 */
const clock = movableClock('2026-11-22T01:00:00Z'); // 10:00 in Japan
let fixture: SyncServerFixture;
useSyncServer(['DEMO-01', 'KOKU'], { clock, scopes: { KOKU: { municipality: '271004', jimu: ['kokuho'] } } }, (s) => (fixture = s));

let admin: SeededCore;
let koku: Core;
let kokuDir: string;
const clients: CentralServerClient[] = [];

/** A freshly provisioned 国保 terminal: an empty encrypted database, its terminal ID, the real core on it. */
function openKokuho(): Core {
  kokuDir = mkdtempSync(join(tmpdir(), 'madoguchi-KOKU-'));
  const keyProvider = new FileKeyProvider(keyFilePath(kokuDir));
  const db = openDatabase({ path: databasePath(kokuDir), keyProvider });
  writeTerminalSetting(db, 'terminal_id', 'KOKU');
  db.close();
  return createCore({
    dataDir: kokuDir, keyProvider, clock, profile: loadRuleProfile(profilePath(RESOURCES_DIR, 'sample-osaka')), ruleTables: loadRuleTablesFromDir(RESOURCES_DIR),
    webauthn: { rpID: 'localhost', rpName: '窓口端末（テスト）', origins: [] },
  });
}
function attach(core: Core, id: string, port?: number): CentralServerClient {
  const c = serverClient(fixture, id, core.audit, port === undefined ? {} : { port });
  clients.push(c);
  core.sync.attach(c);
  return c;
}
const staffOf = (core: Core, table = 'staff') => core.db.prepare(`SELECT DISTINCT staff_id FROM ${table} ORDER BY staff_id`).pluck().all() as string[];

beforeAll(async () => {
  await resetDb(fixture.pg.pool);
  admin = await createSeededCore({ clock, households: 1 });
  attach(admin.core, 'DEMO-01');
  await admin.core.sync.runOnce();
  expect(admin.core.sync.status().failed).toBe(0);
  koku = openKokuho();
}, 180_000);
afterAll(() => {
  for (const c of clients) c.close();
  koku?.close();
  if (kokuDir) rmSync(kokuDir, { recursive: true, force: true });
  admin?.cleanup();
});

describe('a 国保 terminal holds the staff who work there, and nothing of the others', () => {
  it('receives the 国保 and audit staff only (no password hash of the こども-only clerk); one of them logs in offline; a revocation removes the checker at the next pull', async () => {
    const server = fixture.pg.pool;
    const hashes = Object.fromEntries((await server.query<{ s: string; h: string }>("SELECT payload->>'staff_id' AS s, payload->>'password_hash' AS h FROM entities WHERE entity = 'staff'")).rows.map((r) => [r.s, r.h]));
    expect(Object.keys(hashes).sort()).toEqual(['D1001', 'D1002', 'D2001', 'D7001', 'D8001', 'D9001']);

    const kokuClient = attach(koku, 'KOKU');
    await koku.sync.runOnce();
    await koku.sync.runOnce(); // the number blocks it leased in the first round go up
    expect(koku.sync.status().failed).toBe(0);
    // D1002 holds こども rights only: not here. The others work in every 事務 (D1001, D2001, D7001) or audit every
    // terminal (the supervisor D8001, the administrator's 監査ログの検証 D9001).
    expect(staffOf(koku)).toEqual(['D1001', 'D2001', 'D7001', 'D8001', 'D9001']);
    for (const table of ['staff_grants', 'authenticators', 'password_history']) expect(staffOf(koku, table)).not.toContain('D1002');
    const stored = [
      ...(koku.db.prepare('SELECT password_hash FROM staff').pluck().all() as string[]),
      ...(koku.db.prepare('SELECT password_hash FROM password_history').pluck().all() as string[]),
    ];
    expect(stored).not.toContain(hashes.D1002);
    // Only grants that are or may come into force arrive.
    expect(koku.db.prepare('SELECT count(*) FROM staff_grants WHERE revoked_at IS NOT NULL').pluck().get()).toBe(0);
    const engine = new SyncEngine(koku.db, koku.audit, clock, 'KOKU');
    expect(await engine.verifyChecksum(kokuClient)).toBe('match');

    // Offline (the server unreachable): D1001 logs in with the password hash and the authenticator this terminal holds.
    attach(koku, 'KOKU', await freePort());
    const clerk = await loginWithFactors(koku, 'k1', 'D1001', demoLogin('D1001').password, admin.edges.credentials.D1001!);
    expect(clerk.rights).toContain('kokuho:claim.enter');
    await expect(koku.auth.login('k2', 'D1002', demoLogin('D1002').password)).rejects.toThrow('職員IDまたはパスワードが正しくありません');

    // The administration terminal revokes the checker's 国保 grants (within the rules: a revocation needs no approval).
    const revoked = admin.core.db.transaction(() => revokeGrantsWhere(admin.core.db, 'D2001', (r) => r.startsWith('kokuho:'), { by: 'D9001', at: clock.now().toISOString() }))();
    expect(revoked.length).toBeGreaterThan(0);
    await admin.core.sync.runOnce();
    expect(admin.core.sync.status()).toMatchObject({ pending: 0, failed: 0 });

    // The 国保 terminal's next pull removes D2001 with everything of theirs; the checksum still agrees.
    attach(koku, 'KOKU');
    await koku.sync.runOnce();
    await koku.sync.runOnce(); // a second round: what the login wrote (authenticator counter) goes up first
    expect(staffOf(koku)).toEqual(['D1001', 'D7001', 'D8001', 'D9001']);
    for (const table of ['staff_grants', 'authenticators', 'password_history']) expect(staffOf(koku, table)).not.toContain('D2001');
    expect(await engine.verifyChecksum(clients.at(-1)!)).toBe('match');
    await expect(koku.auth.login('k3', 'D2001', demoLogin('D2001').password)).rejects.toThrow('職員IDまたはパスワードが正しくありません');
  });
});
