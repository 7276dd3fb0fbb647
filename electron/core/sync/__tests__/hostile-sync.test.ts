import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSeededCore, loginSeeded, type SeededCore } from '../../../../testing/core';
import { clockFrom, movableClock } from '../../../../testing/clock';
import { resetDb, startSyncServer, type PgFixture, type PkiFixture, type SyncServerFixture } from '../../../../testing/server';
import { CentralServerClient } from '../../net/server-client';
import { must } from '../../../../testing/db';
import { refreshPopulations } from '../../../../server/population';
import type { Actor } from '../../actor';
import { updateRecord } from '../../db/records';
import { auditAckedSeq, auditPending } from '../../audit/acknowledged';
import type { SyncTransport } from '../sync-engine';

/**
 * Issue 13 §1 end to end, against the real central server (embedded PostgreSQL, mutual TLS): a change carrying a
 * character PostgreSQL cannot hold no longer stops the terminal — the server rejects that change alone — and a
 * push that fails for any reason no longer skips the audit upload, the pull or the lease refill of the round.
 */
let srv: SyncServerFixture;
let pg: PgFixture;
let pki: PkiFixture;
let port: number;

beforeAll(async () => {
  srv = await startSyncServer(['DEMO-01'], { clock: clockFrom('2026-11-22T01:00:00Z') });
  ({ pg, pki, port } = srv);
}, 120_000);

afterAll(async () => {
  await srv?.stop();
}, 120_000);

let a: SeededCore;
let clock: ReturnType<typeof movableClock>;
let client: CentralServerClient;
let clerk: Actor;

beforeEach(async () => {
  await resetDb(pg.pool);
  clock = movableClock('2026-11-22T01:00:00Z');
  a = await createSeededCore({ clock, households: 1 });
  client = new CentralServerClient({ baseUrl: `https://localhost:${port}`, ca: pki.ca, cert: must(pki.terminals['DEMO-01']).cert, key: must(pki.terminals['DEMO-01']).key, audit: a.core.audit });
  clerk = await loginSeeded(a, 'c', 'D1001');
  // The seed's こども医療証 numbers are used up (as a terminal would record it), so the lease refill has work to do.
  const block = a.core.db.prepare(`SELECT id, version, last_serial FROM number_blocks WHERE cert_type = 'kodomo'`).get() as { id: string; version: number; last_serial: number };
  updateRecord(a.core.db, 'number_blocks', block.id, block.version, { next_serial: block.last_serial + 1 }, { by: 'TEST', at: clock.now().toISOString() });
});
afterEach(() => {
  client.close?.();
  a.cleanup();
});

const leasesOnServer = async () => Number((await pg.pool.query<{ n: string }>(`SELECT count(*) AS n FROM number_leases WHERE terminal_id = 'DEMO-01'`)).rows[0]!.n);
const serverAuditHead = async () => Number((await pg.pool.query<{ s: string }>(`SELECT coalesce(max(seq), 0) AS s FROM audit_entries WHERE terminal_id = 'DEMO-01'`)).rows[0]!.s);
/** The paths a transport was asked for, in order (query strings left out). */
function recording(t: SyncTransport): { transport: SyncTransport; paths: string[] } {
  const paths: string[] = [];
  return { paths, transport: { request: (method, url, body) => (paths.push(url.split('?')[0]!), t.request(method, url, body)) } };
}

/** A certificate cancelled with a reason carrying `bad`, written by the core as data from before the fix would be. */
function cancelWith(bad: string): void {
  const person = must(a.edges.byName.testParent);
  const cert = a.core.lifecycle.issue(clerk, { type: 'kokuho_shikaku', residentId: person.id, issueKind: 'new', reissueReason: null, details: {}, nameChoice: 'real', printSex: true, residentVersion: must(a.core.residents.findRow(person.id)).version });
  a.core.lifecycle.cancel(clerk, { certificateId: cert.id, version: cert.version, reason: `転出${bad}` });
}

describe('a change PostgreSQL cannot hold', () => {
  it('U+0000 in a 取消 reason already in the outbox: the server rejects that change alone; the round uploads the audit log, pulls and leases', async () => {
    cancelWith('\u0000');
    const { transport, paths } = recording(client);
    a.core.sync.attach(transport);
    await a.core.sync.runOnce();
    const st = a.core.sync.status();
    expect(st.online).toBe(true);
    // Everything written before the round went (a lease taken during the round is the next round's to send).
    expect(a.core.db.prepare(`SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL AND entity <> 'number_blocks'`).get()).toEqual({ n: 0 });
    const rejections = a.core.sync.engine.rejections();
    expect(rejections.map((r) => r.entity)).toEqual(expect.arrayContaining(['certificate_events']));
    expect(rejections.find((r) => r.entity === 'certificate_events')?.reason).toMatch(/^invalid: payload\.reason/);
    expect(await serverAuditHead()).toBeGreaterThan(0);
    expect(await leasesOnServer()).toBeGreaterThan(0);
    expect(paths).toEqual(expect.arrayContaining(['/v1/push', '/v1/audit', '/v1/pull', '/v1/leases']));
    expect(a.core.audit.verify().ok).toBe(true);
  });

  it('a lone surrogate in the 取消 reason: the audit entry still verifies here and is accepted by the server', async () => {
    cancelWith('\uD800');
    expect(a.core.audit.verify().ok).toBe(true);
    a.core.sync.attach(client);
    await a.core.sync.runOnce();
    expect(a.core.sync.status().lastError ?? '').not.toMatch(/監査ログ/);
    expect(auditAckedSeq(a.core.db)).toBeGreaterThan(0);
    expect(await serverAuditHead()).toBe(auditAckedSeq(a.core.db));
  });

  it('audit entries with U+0000 and lone surrogates in every text field reach the server unchanged and verify there', async () => {
    a.core.audit.append({ staffId: 'D1001\u0000', action: 'ipc.rejected', targetAtenaNo: '\uDBFF1', reason: '理由\u0000\uDC00', outcome: 'rejected', detail: { 'c\uD800': '\u0000', why: 'x\u0007' } });
    a.core.sync.attach(client);
    await a.core.sync.runOnce();
    await a.core.sync.runOnce();
    expect(a.core.sync.status().lastError ?? '').not.toMatch(/監査ログ/);
    const local = a.core.db.prepare('SELECT seq, hash FROM audit_log WHERE seq <= ? ORDER BY seq').all(auditAckedSeq(a.core.db));
    const remote = (await pg.pool.query<{ seq: string; hash: string }>(`SELECT seq, hash FROM audit_entries WHERE terminal_id = 'DEMO-01' ORDER BY seq`)).rows.map((r) => ({ seq: Number(r.seq), hash: r.hash }));
    expect(remote).toEqual(local);
    expect(remote.length).toBeGreaterThan(0);
  });
});

describe('a change on the server this terminal cannot take', () => {
  it('is skipped and reported (sync.pullProblem); the rest of the page is applied and the pull goes on', async () => {
    const put = (id: string, atenaNo: string, name: string) =>
      pg.pool.query(
        `INSERT INTO entities (entity, entity_id, version, payload, updated_by_terminal, deleted, municipality) VALUES ('residents', $1, 1, $2, 'OTHER', false, '271004')`,
        [id, JSON.stringify({
          id, version: 1, created_at: '2026-11-01T00:00:00.000Z', created_by: 'OTHER', updated_at: '2026-11-01T00:00:00.000Z', updated_by: 'OTHER', deleted: 0,
          atena_no: atenaNo, name_kanji: name, name_kana: 'テスト', name_kana_key: 'テスト', birth_date: '2016-01-01', sex: '1', postal_code: '5300001', address: '大阪市北区', katagaki: '', household_no: atenaNo,
        })],
      );
    const bad = '0190a000-0000-7000-8000-0000000000b1';
    const good = '0190a000-0000-7000-8000-0000000000b2';
    await put(bad, '990000001', '制御\u0001文字'); // stored before the server checked text (PostgreSQL's JSONB takes U+0001)
    await put(good, '990000002', '普通の人');
    await refreshPopulations(pg.pool, clock.now()); // written behind the server's back: who terminals hold is brought up to date
    a.core.sync.attach(client);
    await a.core.sync.runOnce();
    expect(a.core.residents.findRow(good)).toBeTruthy();
    expect(a.core.residents.findRow(bad)).toBeFalsy();
    const problem = a.core.db.prepare(`SELECT detail FROM audit_log WHERE action = 'sync.pullProblem' ORDER BY seq DESC LIMIT 1`).get() as { detail: string };
    expect(JSON.parse(problem.detail)).toMatchObject({ first: expect.arrayContaining([{ entity: 'residents', entityId: bad, why: 'invalid' }]) });
    expect(a.core.sync.status()).toMatchObject({ online: true });
  });
});

describe('a push that fails', () => {
  /** The real server for everything but the push, which answers 500 (or fails on the network). */
  const pushFails = (how: 'http500' | 'network'): SyncTransport => ({
    request: async (method, url, body) => {
      if (url === '/v1/push') {
        if (how === 'network') throw new Error('socket hang up');
        return { status: 500, json: { error: 'internal', message: 'internal error' } };
      }
      return client.request(method, url, body);
    },
  });

  for (const how of ['http500', 'network'] as const) {
    it(`(${how}) never skips the audit upload, the pull or the lease refill; each step reports on its own`, async () => {
      cancelWith('');
      const { transport, paths } = recording(pushFails(how));
      a.core.sync.attach(transport);
      await a.core.sync.runOnce();
      const st = a.core.sync.status();
      expect(st.pending).toBeGreaterThan(0); // nothing was sent …
      expect(st.lastError).toMatch(/送信/); // … and staff see why
      expect(await serverAuditHead()).toBeGreaterThan(0); // the audit log went up
      expect(auditPending(a.core.db)).toBeLessThan(20);
      expect(await leasesOnServer()).toBeGreaterThan(0); // number blocks were leased
      expect(paths.filter((p) => p === '/v1/pull').length).toBeGreaterThan(0); // the pull ran …
      expect(st.lastSuccessAt).not.toBeNull(); // … and counts as a successful sync (the offline grace)
      expect(st.online).toBe(true);
      expect(paths.filter((p) => p === '/v1/push')).toHaveLength(1); // the failed push was not retried in the round
    });
  }

  it('a server that cannot be reached ends the round at the first step: one network failure recorded, not one per step', async () => {
    cancelWith('');
    const down = new CentralServerClient({ baseUrl: 'https://localhost:1', ca: pki.ca, cert: must(pki.terminals['DEMO-01']).cert, key: must(pki.terminals['DEMO-01']).key, audit: a.core.audit, timeoutMs: 2000 });
    try {
      const failures = () => (a.core.db.prepare(`SELECT count(*) AS n FROM audit_log WHERE action LIKE 'net.%'`).get() as { n: number }).n;
      const before = failures();
      a.core.sync.attach(down);
      await a.core.sync.runOnce();
      expect(a.core.sync.status().online).toBe(false);
      expect(a.core.sync.status().lastError).toMatch(/接続できません/);
      expect(failures() - before).toBe(1);
    } finally {
      down.close?.();
    }
  });

  it('past the offline grace, staff can still log in while the push keeps failing (users and revocations still come down)', async () => {
    cancelWith('');
    a.core.sync.attach(pushFails('http500'));
    await a.core.sync.runOnce();
    clock.advanceHours(73);
    await a.core.sync.runOnce();
    await expect(loginSeeded(a, 'c2', 'D2001')).resolves.toMatchObject({ staffId: 'D2001' });
  });
});
