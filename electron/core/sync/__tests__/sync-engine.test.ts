import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clockFrom } from '../../../../testing/clock';
import { createSeededCore, type SeededCore, loginSeeded } from '../../../../testing/core';
import { resetDb, useSyncServer, type PgFixture, type SyncServerFixture } from '../../../../testing/server';
import { closeTerminals, openTerminal, serverClient } from '../../../../testing/terminals';
import { must } from '../../../../testing/db';
import type { SyncApp } from '../../../../server/app';
import { SYNC_ENTITIES } from '../../../../shared/sync/protocol';
import { DOMAIN_TABLES } from '../../db/schema';
import { updateRecord } from '../../db/records';
import type { CentralServerClient } from '../../net/server-client';
import { SyncEngine, type SyncTransport } from '../sync-engine';
import { SyncRunner } from '../sync-runner';
import { IpcRouter } from '../../../ipc/router';
import { LEASE_SIZE, remainingSerials } from '../leases';
import { recipientNumber } from '../../certificates/numbering';

/**
 * The terminal's sync engine against the real central server: real PostgreSQL (embedded), real mutual TLS
 * with enrolled certificates, the real pinned client. Loopback only.
 */
let fixture: SyncServerFixture, pg: PgFixture, server: SyncApp;
// The server runs on the same clock as the terminals (2026-11-22 10:00 JST), whatever day the test runs.
useSyncServer(['DEMO-01', 'DEMO-02'], { clock: clockFrom('2026-11-22T01:00:00Z') }, (s) => ({ pg, server } = fixture = s));

let a: SeededCore;
let engine: SyncEngine;
let client: CentralServerClient;
beforeEach(async () => {
  await resetDb(pg.pool);
  a = await createSeededCore({ clock: clockFrom('2026-11-22T01:00:00Z'), households: 3 });
  engine = new SyncEngine(a.core.db, a.core.audit, a.core.clock, 'DEMO-01');
  client = serverClient(fixture, 'DEMO-01', a.core.audit);
});
afterEach(() => {
  client.close?.();
  a.cleanup();
});

const serverCount = async (table: string, where = 'true') => Number((await pg.pool.query(`SELECT count(*) AS n FROM ${table} WHERE ${where}`)).rows[0].n);
const outboxCount = () => (a.core.db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;

async function drain(e: SyncEngine, t: SyncTransport): Promise<void> {
  for (let i = 0; i < 20 && e.status().pending > 0; i++) await e.pushOnce(t);
}

async function issueOne(core: SeededCore): Promise<void> {
  const sender = `s${Math.random()}`;
  const clerk = await loginSeeded(core, sender, 'D1001');
  const child = must(core.edges.byName.testChild);
  const prep = core.core.lifecycle.prepare(clerk, 'kodomo', child.id);
  core.core.lifecycle.issue(clerk, {
    type: 'kodomo', residentId: child.id, issueKind: prep.current ? 'reissue' : 'new', reissueReason: prep.current ? '紛失' : null,
    details: { guardianId: must(prep.guardians[0]).id }, nameChoice: 'real', printSex: true, residentVersion: prep.residentVersion,
  });
  core.core.auth.logout(sender);
}

describe('sync engine against the real server', () => {
  it('the synced entity list is the local domain table list', () => {
    expect([...SYNC_ENTITIES].sort()).toEqual([...DOMAIN_TABLES].sort());
  });

  it('pushes the whole outbox; the server holds each mutation exactly once', async () => {
    await issueOne(a);
    const local = outboxCount();
    expect(engine.status().pending).toBe(local);
    await drain(engine, client);
    expect(engine.status()).toMatchObject({ pending: 0, failed: 0 });
    expect(await serverCount('mutations', `terminal_id = 'DEMO-01'`)).toBe(local);
    const certs = await pg.pool.query(`SELECT payload->>'certificate_no' AS no FROM entities WHERE entity = 'certificates'`);
    const localNo = (a.core.db.prepare('SELECT certificate_no FROM certificates').get() as { certificate_no: string }).certificate_no;
    expect(certs.rows.map((r: { no: string }) => r.no)).toEqual([localNo]);
  });

  it('a reply lost after the server committed: the resend is answered as duplicates, nothing doubles', async () => {
    await issueOne(a);
    // The request reaches the server and commits, but the terminal never sees the reply.
    const lossy: SyncTransport = {
      request: async (method, url, body) => {
        await client.request(method, url, body);
        throw new Error('connection reset after the server committed');
      },
    };
    await expect(engine.pushOnce(lossy)).rejects.toThrow(/connection reset/);
    const pendingAfterLoss = engine.status().pending;
    expect(pendingAfterLoss).toBeGreaterThan(0); // the terminal still thinks they are unsent
    const serverAfterLoss = await serverCount('mutations');
    await drain(engine, client);
    expect(engine.status().pending).toBe(0);
    expect(await serverCount('mutations')).toBe(serverAfterLoss); // the resend added nothing
    expect(await serverCount('mutations')).toBe(outboxCount());
  });

  it('a permanent rejection is stored for staff and does not block the queue', async () => {
    await drain(engine, client);
    const before = await serverCount('mutations');
    // A local row with a field the protocol does not allow (e.g. from a bad migration), then a good change.
    a.core.db
      .prepare(`INSERT INTO outbox (client_uuid, entity, entity_id, op, payload, created_at, created_by) VALUES (?, 'residents', ?, 'update', ?, ?, 'TEST')`)
      .run('0191e0a0-0000-7000-8000-000000000001', must(a.edges.byName.testChild).id, JSON.stringify({ id: must(a.edges.byName.testChild).id, version: 2, secret_column: 'x' }), a.core.clock.now().toISOString());
    await issueOne(a);
    await drain(engine, client);
    const st = engine.status();
    expect(st).toMatchObject({ pending: 0, failed: 1 });
    const rej = a.core.db.prepare('SELECT entity, reason FROM sync_rejections').all() as { entity: string; reason: string }[];
    expect(rej).toHaveLength(1);
    expect(rej[0]?.entity).toBe('residents');
    expect(await serverCount('mutations')).toBeGreaterThan(before + 1); // the certificate behind it went through
  });

  it('a new terminal pulls what the server holds, page by page; a change it cannot place is reported, not fatal', async () => {
    await issueOne(a);
    await drain(engine, client);
    // Terminal B is freshly provisioned: nothing local yet (its residents would come from the central system).
    const b = openTerminal(fixture, 'DEMO-02', a.core.clock);
    const { db, audit, client: clientB } = b;
    try {
      const engineB = new SyncEngine(db, audit, a.core.clock, 'DEMO-02');
      let more = true;
      let applied = 0;
      let skipped = 0;
      for (let i = 0; i < 100 && more; i++) {
        const r = await engineB.pullOnce(clientB, 10);
        applied += r.applied;
        skipped += r.skipped;
        more = r.more;
      }
      clientB.close?.();
      const staff = db.prepare('SELECT staff_id FROM staff ORDER BY staff_id').all() as { staff_id: string }[];
      expect(staff.map((r) => r.staff_id)).toEqual(['D1001', 'D1002', 'D2001', 'D7001', 'D8001', 'D9001']);
      expect((db.prepare('SELECT count(*) AS n FROM staff_grants').get() as { n: number }).n).toBe((a.core.db.prepare('SELECT count(*) AS n FROM staff_grants').get() as { n: number }).n);
      // The certificate refers to a resident B does not have: it waits for the resident and is reported; the rest applied.
      expect((db.prepare('SELECT count(*) AS n FROM certificates').get() as { n: number }).n).toBe(0);
      expect(skipped).toBeGreaterThan(0);
      expect(engineB.waitingCount()).toBe(skipped);
      // Everything in B's scope arrived; A's leased number blocks are A's alone.
      const visible = Number((await pg.pool.query(`SELECT count(*) AS n FROM entities WHERE owner_terminal IS NULL OR owner_terminal = 'DEMO-02'`)).rows[0].n);
      expect(await serverCount('entities', `entity = 'number_blocks'`)).toBeGreaterThan(0);
      expect((db.prepare('SELECT count(*) AS n FROM number_blocks').get() as { n: number }).n).toBe(0);
      expect(applied).toBe(visible - skipped);
      expect(audit.list().some((e) => e.action === 'sync.pullProblem')).toBe(true);
      expect(engineB.status().cursor).toBeGreaterThan(0);
    } finally {
      closeTerminals([b]);
    }
  });
  it('degraded mode: with the server unreachable, issuance goes on and the runner says offline; later it drains', async () => {
    const down = serverClient(fixture, 'DEMO-01', a.core.audit, { port: 1, timeoutMs: 2000 });
    const runner = new SyncRunner(engine, down);
    await issueOne(a); // the counter keeps working offline
    await runner.runOnce();
    const offline = runner.status();
    expect(offline.online).toBe(false);
    expect(offline.lastError).toBeTruthy();
    expect(offline.pending).toBe(outboxCount());
    down.close?.();
    runner.attach(client);
    await runner.runOnce();
    expect(runner.status()).toMatchObject({ online: true, pending: 0, failed: 0 });
    expect(await serverCount('mutations')).toBe(outboxCount());
  });
  it('leases: below the low-water mark a block is leased; issuance uses it; blocks of two terminals never overlap', async () => {
    // Use up the provisioning block, as a long offline day would.
    a.core.db.prepare(`UPDATE number_blocks SET next_serial = last_serial + 1`).run();
    expect(remainingSerials(a.core.db, 'kodomo', a.core.clock.now().toISOString())).toBe(0);
    const b = await createSeededCore({ clock: clockFrom('2026-11-22T01:00:00Z'), households: 1 });
    try {
      const clientB = serverClient(fixture, 'DEMO-02', b.core.audit);
      b.core.db.prepare(`UPDATE number_blocks SET next_serial = last_serial + 1`).run();
      const engineB = new SyncEngine(b.core.db, b.core.audit, b.core.clock, 'DEMO-02');
      const [ra, rb] = await Promise.all([engine.maintainLeases(client, 'kodomo'), engineB.maintainLeases(clientB, 'kodomo')]);
      expect([ra.leased, rb.leased]).toEqual([LEASE_SIZE, LEASE_SIZE]);
      const range = (db: typeof a.core.db) => db.prepare(`SELECT next_serial AS f, last_serial AS l FROM number_blocks WHERE source LIKE 'lease:%'`).get() as { f: number; l: number };
      const ka = range(a.core.db);
      const kb = range(b.core.db);
      expect(ka.f).toBeGreaterThanOrEqual(100_001);
      expect(ka.l < kb.f || kb.l < ka.f).toBe(true); // disjoint
      // Above the low-water mark nothing more is leased.
      expect((await engine.maintainLeases(client, 'kodomo')).leased).toBe(0);
      // The next certificate takes its number from the lease.
      await issueOne(a);
      const no = (a.core.db.prepare('SELECT certificate_no FROM certificates').get() as { certificate_no: string }).certificate_no;
      expect(no).toBe(recipientNumber('', ka.f));
      clientB.close?.();
    } finally {
      b.cleanup();
    }
  });

  it('an expired lease reports its unused rest back to the server and is closed locally', async () => {
    a.core.db.prepare(`UPDATE number_blocks SET next_serial = last_serial + 1`).run();
    await engine.maintainLeases(client, 'kodomo');
    await issueOne(a); // uses one serial of the lease
    a.core.db.prepare(`UPDATE number_blocks SET expires_at = '2000-01-01T00:00:00.000Z' WHERE source LIKE 'lease:%'`).run();
    const r = await engine.maintainLeases(client, 'kodomo');
    expect(r.returned).toBe(1);
    expect(r.leased).toBe(LEASE_SIZE); // nothing usable left, so a fresh block
    const lease = (await pg.pool.query('SELECT first_serial, returned_from FROM number_leases ORDER BY leased_at LIMIT 1')).rows[0] as { first_serial: string; returned_from: string };
    expect(Number(lease.returned_from)).toBe(Number(lease.first_serial) + 1);
  });
  it('with a central server configured, logins stop after 72 hours without a successful sync', async () => {
    a.core.sync.attach(client);
    // Never synced yet: users and revocations have not come down, so nobody may log in.
    await expect(loginSeeded(a, 'x', 'D1001')).rejects.toThrow(/72時間以上同期できていない/);
    await a.core.sync.runOnce();
    expect((await loginSeeded(a, 'y', 'D1001')).staffId).toBe('D1001');
    a.core.auth.logout('y');
    a.core.db.prepare(`UPDATE sync_state SET value = ? WHERE key = 'last_success_at'`).run(new Date(a.core.clock.now().getTime() - 73 * 3_600_000).toISOString());
    await expect(loginSeeded(a, 'z', 'D1001')).rejects.toThrow(/同期できていない/);
    expect(a.core.audit.list({ limit: 10_000 }).filter((e) => e.detail.why === 'offline_grace_exceeded')).toHaveLength(2);
  });
  it('one session per member of staff across terminals: a second terminal is refused until the first logs out', async () => {
    const b = await createSeededCore({ clock: clockFrom('2026-11-22T01:00:00Z'), households: 1, terminalId: 'DEMO-02' });
    const clientB = serverClient(fixture, 'DEMO-02', b.core.audit);
    try {
      a.core.sync.attach(client);
      b.core.sync.attach(clientB);
      await a.core.sync.runOnce();
      await b.core.sync.runOnce();
      expect(b.core.sync.status()).toMatchObject({ online: true, pending: 0 });
      await loginSeeded(a, 'a1', 'D1001');
      await expect(loginSeeded(b, 'b1', 'D1001')).rejects.toThrow(/別の端末（DEMO-01）でログイン中/);
      expect((await pg.pool.query(`SELECT terminal_id FROM staff_sessions WHERE staff_id = 'D1001'`)).rows).toEqual([{ terminal_id: 'DEMO-01' }]);
      a.core.auth.logout('a1');
      await expect.poll(async () => (await pg.pool.query(`SELECT count(*)::int AS n FROM staff_sessions`)).rows[0].n).toBe(0);
      expect((await loginSeeded(b, 'b2', 'D1001')).staffId).toBe('D1001');
      // Another person is unaffected.
      expect((await loginSeeded(a, 'a2', 'D1002')).staffId).toBe('D1002');
    } finally {
      clientB.close?.();
      b.cleanup();
    }
  });
  it('two terminals edit the same record offline: one conflict kept for a supervisor, neither edit lost', async () => {
    await drain(engine, client);
    const b = openTerminal(fixture, 'DEMO-02', a.core.clock);
    const { db, audit, client: clientB } = b;
    try {
      const engineB = new SyncEngine(db, audit, a.core.clock, 'DEMO-02');
      for (let i = 0; i < 100 && (await engineB.pullOnce(clientB, 500)).more; i++);
      const row = (d: typeof db) => d.prepare(`SELECT id, version, section FROM staff WHERE staff_id = 'D1001'`).get() as { id: string; version: number; section: string };
      const onA = row(a.core.db);
      expect(row(db)).toEqual(onA); // B holds the same record at the same version
      // Both edit it while offline.
      a.core.db.transaction(() => updateRecord(a.core.db, 'staff', onA.id, onA.version, { section: '保険年金課' }, { by: 'D9001', at: a.core.clock.now().toISOString() }))();
      db.transaction(() => updateRecord(db, 'staff', onA.id, onA.version, { section: '子育て支援課' }, { by: 'D9001', at: a.core.clock.now().toISOString() }))();
      await drain(engine, client);
      await drain(engineB, clientB);
      // The server kept A's edit, and B's edit as a conflict for a supervisor; B's staff see it in the error list.
      const stored = (await pg.pool.query(`SELECT payload->>'section' AS section FROM entities WHERE entity = 'staff' AND entity_id = $1`, [onA.id])).rows[0];
      expect(stored).toEqual({ section: '保険年金課' });
      const conflicts = (await pg.pool.query(`SELECT terminal_id, client_payload->>'section' AS section FROM conflicts WHERE entity_id = $1`, [onA.id])).rows;
      expect(conflicts).toEqual([{ terminal_id: 'DEMO-02', section: '子育て支援課' }]);
      expect(engineB.status()).toMatchObject({ pending: 0, failed: 1 });
      expect(engineB.rejections()[0]?.reason).toMatch(/conflict/);
      expect(row(db).section).toBe('子育て支援課'); // B's copy is untouched until it pulls …
      // … then the refusal makes B rebuild its copy from the server (same version number, different content),
      // so B does not keep a record the server does not hold; B's edit stays in the conflict and B's outbox.
      for (let i = 0; i < 100 && (await engineB.pullOnce(clientB, 500)).more; i++);
      expect(row(db)).toMatchObject({ section: '保険年金課', version: onA.version + 1 });
      expect(audit.list({ limit: 50 }).some((e) => e.action === 'sync.reset' && e.detail.reason === 'rejected')).toBe(true);
      expect(db.prepare(`SELECT payload FROM outbox WHERE entity = 'staff' AND entity_id = ?`).all(onA.id).map((r) => JSON.parse((r as { payload: string }).payload).section)).toContain('子育て支援課');
      // A supervisor (at terminal A) sees the conflict with both values; a clerk may not.
      a.core.sync.attach(client);
      await a.core.sync.runOnce();
      await loginSeeded(a, 'sup', 'D8001');
      await loginSeeded(a, 'clk', 'D1001');
      const router = new IpcRouter(a.core, { error: () => undefined });
      const seen = await router.handle({ senderId: 'sup' }, 'sync.conflicts', {});
      expect(seen).toMatchObject({ ok: true, data: { available: true, conflicts: [{ terminalId: 'DEMO-02', entity: 'staff', changedFields: [{ field: 'section', terminal: '子育て支援課', server: '保険年金課' }] }] } });
      expect(await router.handle({ senderId: 'clk' }, 'sync.conflicts', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    } finally {
      closeTerminals([b]);
    }
  });
  it('a supervisor resolves a conflict through the IPC router: the edit that lost becomes the next version everywhere', async () => {
    await drain(engine, client);
    const b = openTerminal(fixture, 'DEMO-02', a.core.clock);
    const { db, audit, client: clientB } = b;
    try {
      const engineB = new SyncEngine(db, audit, a.core.clock, 'DEMO-02');
      const pullAllB = async () => {
        for (let i = 0; i < 100 && (await engineB.pullOnce(clientB, 500)).more; i++);
      };
      await pullAllB();
      const row = (d: typeof db) => d.prepare(`SELECT id, version, section FROM staff WHERE staff_id = 'D1001'`).get() as { id: string; version: number; section: string };
      const onA = row(a.core.db);
      a.core.db.transaction(() => updateRecord(a.core.db, 'staff', onA.id, onA.version, { section: '保険年金課' }, { by: 'D9001', at: a.core.clock.now().toISOString() }))();
      db.transaction(() => updateRecord(db, 'staff', onA.id, onA.version, { section: '子育て支援課' }, { by: 'D9001', at: a.core.clock.now().toISOString() }))();
      await drain(engine, client);
      await drain(engineB, clientB);
      expect(await serverCount('conflicts', 'resolved_at IS NULL')).toBe(1);

      a.core.sync.attach(client);
      await a.core.sync.runOnce();
      await loginSeeded(a, 'sup', 'D8001');
      await loginSeeded(a, 'clk', 'D1001');
      const router = new IpcRouter(a.core, { error: () => undefined });
      const listed = (await router.handle({ senderId: 'sup' }, 'sync.conflicts', {})) as { ok: true; data: { conflicts: { conflictId: number }[] } };
      const conflictId = must(listed.data.conflicts[0]).conflictId;
      const decide = (sender: string, resolution: string, reason: string) => router.handle({ senderId: sender }, 'sync.resolveConflict', { conflictId, resolution, reason });

      // A clerk may not decide; a supervisor must give a reason.
      expect(await decide('clk', 'apply_terminal', '確認済み')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(await decide('sup', 'apply_terminal', '　')).toMatchObject({ ok: false, error: { code: 'VALIDATION', fieldErrors: { reason: '理由を入力してください' } } });
      expect(await serverCount('conflicts', 'resolved_at IS NULL')).toBe(1);

      const done = await decide('sup', 'apply_terminal', '人事異動通知で子育て支援課を確認');
      expect(done).toMatchObject({ ok: true, data: { conflictId, resolution: 'apply_terminal', version: onA.version + 2, resolvedBy: 'DEMO-01/D8001' } });
      // Decided once only; both decisions are in the audit log with the reason.
      expect(await decide('sup', 'keep_server', 'やはり保険年金課')).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('すでに解決') } });
      const entries = a.core.audit.list({ limit: 10_000 }).filter((e) => e.action === 'sync.conflict.resolve');
      expect(entries.map((e) => [e.staffId, e.outcome, e.reason, e.detail.resolution])).toEqual(
        expect.arrayContaining([
          ['D8001', 'success', '人事異動通知で子育て支援課を確認', 'apply_terminal'],
          ['D8001', 'rejected', 'やはり保険年金課', 'keep_server'],
        ]),
      );
      expect(entries).toHaveLength(2);
      // The server's row keeps both edits; the record is B's edit at the next version, on both terminals.
      const stored = (await pg.pool.query(`SELECT client_payload->>'section' AS terminal, server_payload->>'section' AS server, resolved_by FROM conflicts WHERE conflict_id = $1`, [conflictId])).rows[0];
      expect(stored).toEqual({ terminal: '子育て支援課', server: '保険年金課', resolved_by: 'DEMO-01/D8001' });
      await a.core.sync.runOnce();
      expect(row(a.core.db)).toEqual({ id: onA.id, version: onA.version + 2, section: '子育て支援課' });
      await pullAllB();
      expect(row(db)).toEqual({ id: onA.id, version: onA.version + 2, section: '子育て支援課' });
      expect(await router.handle({ senderId: 'sup' }, 'sync.conflicts', {})).toMatchObject({ ok: true, data: { available: true, conflicts: [] } });
    } finally {
      closeTerminals([b]);
    }
  });
  it('terminal stopped mid-push, then the server restarted mid-batch: after recovery nothing is lost or doubled', async () => {
    await issueOne(a);
    await issueOne(a); // 再交付: a second certificate, more outbox rows
    // The terminal dies while its request is in flight: whether the server committed it is unknown.
    const dying: SyncTransport = { request: (method, url, body) => Promise.race([client.request(method, url, body), new Promise<never>((_, rej) => setTimeout(() => rej(new Error('terminal stopped')), 1))]) };
    await expect(engine.pushOnce(dying)).rejects.toThrow(/terminal stopped/);
    // The server restarts while the next push is under way.
    const inFlight = engine.pushOnce(client).catch((e: Error) => e);
    await server.app.close();
    const result = await inFlight;
    server = await fixture.relisten();
    const fresh = serverClient(fixture, 'DEMO-01', a.core.audit);
    try {
      await drain(engine, fresh);
      expect(engine.status()).toMatchObject({ pending: 0, failed: 0 });
      // Every outbox row is on the server exactly once, with the same content.
      expect(await serverCount('mutations', `terminal_id = 'DEMO-01'`)).toBe(outboxCount());
      const local = a.core.db.prepare('SELECT certificate_no, status FROM certificates ORDER BY certificate_no').all();
      const remote = (await pg.pool.query(`SELECT payload->>'certificate_no' AS certificate_no, payload->>'status' AS status FROM entities WHERE entity = 'certificates' ORDER BY 1`)).rows;
      expect(remote).toEqual(local);
      void result;
    } finally {
      fresh.close?.();
    }
  });
});
