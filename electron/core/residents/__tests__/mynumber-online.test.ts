import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { movableClock } from '../../../../testing/clock';
import { createSeededCore, loginSeeded, type SeededCore } from '../../../../testing/core';
import { auditOf, must } from '../../../../testing/db';
import { domainErrorOfAsync } from '../../../../testing/errors';
import { myNumbersIn, scanTerminalForMyNumbers } from '../../../../testing/mynumber-scan';
import { attachMyNumberServer } from '../../../../testing/mynumber-server';
import { resetDb, useSyncServer, type SyncServerFixture } from '../../../../testing/server';
import { serverClient } from '../../../../testing/terminals';
import { databasePath, keyFilePath } from '../../app-core';
import type { Actor } from '../../actor';
import type { CentralServerClient } from '../../net/server-client';
import { MYNUMBER_OFFLINE, MYNUMBER_SEARCH_OFFLINE } from '../resident-service';

/**
 * 個人番号 stays on the central server (issue 16 §2), real SQLCipher and PostgreSQL over mutual TLS: the terminal
 * pulls residents with `has_my_number` only; revealing a number and searching by one ask the server, which checks
 * the right on its own staff and grant records and keeps to the municipality, and answers only for a member of
 * staff logged in at the asking terminal (its session claim); both sides audit; offline both are refused. After a sync, a reveal and ordinary work, the decrypted terminal database holds no 個人番号.
 */
const clock = movableClock('2026-11-22T01:00:00Z');
let fixture: SyncServerFixture;
useSyncServer(['DEMO-01', 'DEMO-02'], { clock }, (s) => (fixture = s));

let t: SeededCore;
let client: CentralServerClient;
let clerk: Actor, revealer: Actor;
/** Every 個人番号 the seed gives the people: the server's, never the terminal's. */
let numbers: string[];

beforeEach(async () => {
  await resetDb(fixture.pg.pool);
  t = await createSeededCore({ clock, households: 4 });
  ({ client, numbers } = await attachMyNumberServer(fixture, t));
  expect(numbers.length).toBeGreaterThan(10);
  clerk = await loginSeeded(t, 'c', 'D1001');
  revealer = await loginSeeded(t, 'r', 'D1002');
});
afterEach(() => {
  client.close?.();
  t.cleanup();
});

const edge = (name: string) => must(t.edges.byName[name], name);
const serverAccess = async () =>
  (await fixture.pg.pool.query(`SELECT terminal_id, staff_id, action, atena_no, reason, outcome, why FROM mynumber_access ORDER BY access_id`)).rows;
const refusal = (p: Promise<unknown>) => domainErrorOfAsync(() => p);

describe('the terminal holds no 個人番号', () => {
  it('the pull brings has_my_number, not the number; the terminal schema has no my_number column', async () => {
    await t.core.sync.runOnce();
    const cols = (t.core.db.prepare(`SELECT name FROM pragma_table_info('residents')`).pluck().all() as string[]);
    expect(cols).toContain('has_my_number');
    expect(cols).not.toContain('my_number');
    const flags = t.core.db.prepare('SELECT id, has_my_number FROM residents').all() as { id: string; has_my_number: number }[];
    const byId = new Map(t.edges.residents.map((r) => [r.id, r.myNumber]));
    for (const f of flags) if (byId.has(f.id)) expect(f.has_my_number).toBe(byId.get(f.id) ? 1 : 0);
    expect(t.core.residents.get(clerk, edge('noMyNumber').id, '窓口申請').hasMyNumber).toBe(false);
    expect(t.core.residents.get(clerk, edge('testChild').id, '窓口申請').hasMyNumber).toBe(true);
  });

  it('a snapshot (scope reset) also strips the number', async () => {
    const r = await client.request('GET', '/v1/pull?cursor=0&limit=5000&snapshot=1');
    const changes = (r.json as { changes: { entity: string; payload: Record<string, unknown> }[] }).changes.filter((c) => c.entity === 'residents');
    expect(changes.length).toBeGreaterThan(10);
    for (const c of changes) expect(Object.keys(c.payload)).not.toContain('my_number');
    expect(JSON.stringify(r.json)).not.toContain(numbers[0]);
  });

  it('a terminal push naming my_number is refused as an unknown field', async () => {
    const child = edge('testChild');
    t.core.db.prepare(`INSERT INTO outbox (client_uuid, entity, entity_id, op, payload, created_at, created_by) VALUES (?, 'residents', ?, 'update', ?, ?, 'D1001')`)
      .run(crypto.randomUUID(), child.id, JSON.stringify({ id: child.id, version: 2, my_number: must(child.myNumber) }), '2026-11-22T01:00:00.000Z');
    await t.core.sync.runOnce();
    const rej = t.core.db.prepare('SELECT entity, reason FROM sync_rejections').all() as { reason: string }[];
    expect(rej).toEqual([{ entity: 'residents', reason: 'unknown fields for residents: my_number' }]);
  });
});

describe('reveal is an online request', () => {
  it('a member of staff with the right gets the number from the server; both sides audit (never the number)', async () => {
    const child = edge('testChild');
    const r = await t.core.residents.revealMyNumber(revealer, child.id, '審査');
    expect(r).toMatchObject({ myNumber: child.myNumber, shownSeconds: 30 });
    const shownFor = Date.parse(r.hideAt) - Date.parse(clock.now().toISOString());
    expect(shownFor).toBeGreaterThan(25_000);
    expect(shownFor).toBeLessThanOrEqual(30_000);
    expect(auditOf(t.core.db, 'residents.revealMyNumber').map((e) => [e.staffId, e.targetAtenaNo, e.reason, e.outcome])).toEqual([['D1002', child.atenaNo, '審査', 'success']]);
    expect(await serverAccess()).toEqual([{ terminal_id: 'DEMO-01', staff_id: 'D1002', action: 'reveal', atena_no: child.atenaNo, reason: '審査', outcome: 'success', why: null }]);
    expect(JSON.stringify(t.core.audit.list({ limit: 10_000 }))).not.toContain(must(child.myNumber));
  });

  it('without the right on the terminal: FORBIDDEN, the server is not asked', async () => {
    expect((await refusal(t.core.residents.revealMyNumber(clerk, edge('testChild').id, '審査'))).code).toBe('FORBIDDEN');
    expect(await serverAccess()).toEqual([]);
  });

  it('the server decides on its own grant records: a grant revoked there is refused even if the terminal still holds it', async () => {
    await fixture.pg.pool.query(`UPDATE entities SET payload = payload || '{"revoked_at":"2026-11-21T00:00:00.000Z"}'::jsonb
      WHERE entity = 'staff_grants' AND payload->>'staff_id' = 'D1002' AND payload->>'right_name' = 'mynumber.reveal'`);
    const e = await refusal(t.core.residents.revealMyNumber(revealer, edge('testChild').id, '審査'));
    expect([e.code, e.message]).toEqual(['FORBIDDEN', '中央サーバの記録では、この職員に個人番号の閲覧権限がありません。']);
    expect(auditOf(t.core.db, 'residents.revealMyNumber').map((x) => [x.outcome, x.detail.why])).toEqual([['rejected', 'server_forbidden']]);
    expect((await serverAccess()).map((a) => [a.outcome, a.why])).toEqual([['refused', 'no_grant']]);
  });

  it('a resident outside the terminal\'s municipality on the server: NOT_FOUND', async () => {
    const child = edge('testChild');
    await fixture.pg.pool.query(`UPDATE entities SET municipality = '999999' WHERE entity = 'residents' AND entity_id = $1`, [child.id]);
    expect((await refusal(t.core.residents.revealMyNumber(revealer, child.id, '審査'))).code).toBe('NOT_FOUND');
    expect((await serverAccess()).map((a) => [a.outcome, a.why])).toEqual([['refused', 'not_found']]);
  });

  it('the 処理事由 rule holds before anything is asked', async () => {
    expect((await refusal(t.core.residents.revealMyNumber(revealer, edge('testChild').id, ' '))).code).toBe('VALIDATION');
    expect((await refusal(t.core.residents.revealMyNumber(revealer, edge('noMyNumber').id, '審査'))).message).toBe('この住民には個人番号が登録されていません。');
    expect(await serverAccess()).toEqual([]);
  });

  it('offline (the server unreachable) it is refused with the message and audited as refused', async () => {
    const down = serverClient(fixture, 'DEMO-01', t.core.audit, { port: 1, timeoutMs: 1000 });
    t.core.sync.attach(down);
    try {
      const e = await refusal(t.core.residents.revealMyNumber(revealer, edge('testChild').id, '審査'));
      expect([e.code, e.message]).toEqual(['RULE', MYNUMBER_OFFLINE]);
      expect((await refusal(t.core.residents.searchByMyNumber(revealer, numbers[0]!, '審査'))).message).toBe(MYNUMBER_SEARCH_OFFLINE);
    } finally {
      down.close();
    }
    expect(auditOf(t.core.db, 'residents.revealMyNumber').map((x) => [x.outcome, x.detail.why])).toEqual([['rejected', 'offline_unreachable']]);
    expect(auditOf(t.core.db, 'residents.searchByMyNumber').map((x) => [x.outcome, x.detail.why])).toEqual([['rejected', 'offline_unreachable']]);
  });

  it('without a central server configured it is refused the same way', async () => {
    const alone = await createSeededCore({ clock, households: 1 });
    try {
      const actor = await loginSeeded(alone, 'r', 'D1002');
      const e = await refusal(alone.core.residents.revealMyNumber(actor, must(alone.edges.byName.testChild).id, '審査'));
      expect([e.code, e.message]).toEqual(['RULE', MYNUMBER_OFFLINE]);
      expect(auditOf(alone.core.db, 'residents.revealMyNumber').map((x) => [x.outcome, x.detail.why])).toEqual([['rejected', 'offline_not_configured']]);
    } finally {
      alone.cleanup();
    }
  });
});

describe('the server answers only for a member of staff logged in at the asking terminal (session claim)', () => {
  const claimOf = async (staffId: string) =>
    (await fixture.pg.pool.query(`SELECT terminal_id FROM staff_sessions WHERE staff_id = $1`, [staffId])).rows.map((r) => r.terminal_id as string);
  const revealRefusal = async () => refusal(t.core.residents.revealMyNumber(revealer, edge('testChild').id, '審査'));
  const lastServerAccess = async () => (await serverAccess()).map((a) => [a.staff_id, a.action, a.outcome, a.why]).at(-1);
  const terminalWhys = () => auditOf(t.core.db, 'residents.revealMyNumber').map((x) => [x.outcome, x.detail.why ?? null]);

  it('the login at this terminal claimed the session: the reveal is answered', async () => {
    expect(await claimOf('D1002')).toEqual(['DEMO-01']);
    expect((await t.core.residents.revealMyNumber(revealer, edge('testChild').id, '審査')).myNumber).toBe(edge('testChild').myNumber);
    expect(await lastServerAccess()).toEqual(['D1002', 'reveal', 'success', null]);
  });

  it('logging in again on the same screen keeps the claim (the replaced session does not release the new one)', async () => {
    revealer = await loginSeeded(t, 'r', 'D1002');
    // The replaced session's release would have been sent after the new claim, and the reveal after the release.
    expect((await t.core.residents.revealMyNumber(revealer, edge('testChild').id, '審査')).myNumber).toBe(edge('testChild').myNumber);
    expect(await claimOf('D1002')).toEqual(['DEMO-01']);
    expect(auditOf(t.core.db, 'auth.logout').map((e) => [e.staffId, e.detail.why])).toEqual([['D1002', 'replaced']]);
  });

  it('a staff ID logged in at another terminal is refused, recorded on both sides; search too', async () => {
    t.core.auth.logout('r'); // the release goes to the server; the terminal keeps (wrongly) naming D1002
    await vi.waitFor(async () => expect(await claimOf('D1002')).toEqual([]));
    const other = serverClient(fixture, 'DEMO-02', t.core.audit);
    try {
      expect((await other.request('POST', '/v1/sessions/claim', { staffId: 'D1002' })).status).toBe(200);
    } finally {
      other.close();
    }
    const e = await revealRefusal();
    expect([e.code, e.message]).toEqual(['FORBIDDEN', '中央サーバの記録では、この職員は別の端末でログイン中です。この端末では個人番号を扱えません。']);
    expect(await lastServerAccess()).toEqual(['D1002', 'reveal', 'refused', 'session_elsewhere']);
    expect(terminalWhys()).toEqual([['rejected', 'server_no_session']]);
    expect((await refusal(t.core.residents.searchByMyNumber(revealer, numbers[0]!, '審査'))).code).toBe('FORBIDDEN');
    expect(await lastServerAccess()).toEqual(['D1002', 'search', 'refused', 'session_elsewhere']);
  });

  it('a staff ID logged in nowhere is refused (no_session)', async () => {
    await fixture.pg.pool.query(`DELETE FROM staff_sessions WHERE staff_id = 'D1002'`);
    expect((await revealRefusal()).message).toBe('中央サーバの記録では、この職員はこの端末にログインしていません。ログインし直してから操作してください。');
    expect(await lastServerAccess()).toEqual(['D1002', 'reveal', 'refused', 'no_session']);
    expect(terminalWhys()).toEqual([['rejected', 'server_no_session']]);
  });

  it('a claim past its lifetime is refused (session_expired); the terminal renews a claim older than half of it in a round', async () => {
    await fixture.pg.pool.query(`UPDATE staff_sessions SET claimed_at = now() - interval '12 hours 1 minute' WHERE staff_id = 'D1002'`);
    expect((await revealRefusal()).message).toBe('中央サーバの記録では、この職員のこの端末でのログインは期限を過ぎています。ログインし直してから操作してください。');
    expect(await lastServerAccess()).toEqual(['D1002', 'reveal', 'refused', 'session_expired']);
    // Just short of the lifetime it still counts (the same rule as the claim route's).
    await fixture.pg.pool.query(`UPDATE staff_sessions SET claimed_at = now() - interval '11 hours 59 minutes' WHERE staff_id = 'D1002'`);
    expect((await t.core.residents.revealMyNumber(revealer, edge('testChild').id, '審査')).myNumber).toBe(edge('testChild').myNumber);
    await fixture.pg.pool.query(`UPDATE staff_sessions SET claimed_at = now() - interval '12 hours 1 minute' WHERE staff_id = 'D1002'`);
    // A round within half the lifetime (terminal clock) of the last confirmation does not claim again …
    await t.core.sync.runOnce();
    expect((await revealRefusal()).code).toBe('FORBIDDEN');
    // … one after it does.
    clock.advanceHours(7);
    try {
      await t.core.sync.runOnce();
      expect(t.core.sync.status().lastError).toBeNull();
      expect((await t.core.residents.revealMyNumber(revealer, edge('testChild').id, '審査')).myNumber).toBe(edge('testChild').myNumber);
    } finally {
      clock.advanceHours(-7);
    }
    expect(terminalWhys()).toEqual([['rejected', 'server_no_session'], ['success', null], ['rejected', 'server_no_session'], ['success', null]]);
  });

  it('a login while the server could not be reached is claimed at the next round that reaches it', async () => {
    t.core.auth.logout('r');
    await vi.waitFor(async () => expect(await claimOf('D1002')).toEqual([]));
    const down = serverClient(fixture, 'DEMO-01', t.core.audit, { port: 1, timeoutMs: 1000 });
    t.core.sync.attach(down);
    try {
      revealer = await loginSeeded(t, 'r', 'D1002'); // offline: the claim cannot be checked, the login goes ahead
    } finally {
      down.close();
    }
    t.core.sync.attach(client);
    expect(await claimOf('D1002')).toEqual([]);
    expect((await revealRefusal()).code).toBe('FORBIDDEN');
    expect(await lastServerAccess()).toEqual(['D1002', 'reveal', 'refused', 'no_session']);
    await t.core.sync.runOnce();
    expect(await claimOf('D1002')).toEqual(['DEMO-01']);
    expect((await t.core.residents.revealMyNumber(revealer, edge('testChild').id, '審査')).myNumber).toBe(edge('testChild').myNumber);
    // Logged out, the terminal does not claim it again.
    t.core.auth.logout('r');
    await vi.waitFor(async () => expect(await claimOf('D1002')).toEqual([]));
    await t.core.sync.runOnce();
    expect(await claimOf('D1002')).toEqual([]);
  });
});

describe('search by 個人番号 is an online request', () => {
  it('finds the resident of the municipality; no match is null; audited on both sides without the number', async () => {
    const child = edge('testChild');
    expect(await t.core.residents.searchByMyNumber(revealer, must(child.myNumber), '窓口申請')).toEqual({ residentId: child.id });
    const other = '123456789018'; // valid check digit, held by nobody
    expect(await t.core.residents.searchByMyNumber(revealer, other, '窓口申請')).toEqual({ residentId: null });
    expect(auditOf(t.core.db, 'residents.searchByMyNumber').map((e) => [e.staffId, e.targetAtenaNo, e.outcome, e.detail.resultCount])).toEqual([
      ['D1002', child.atenaNo, 'success', 1],
      ['D1002', null, 'success', 0],
    ]);
    expect((await serverAccess()).map((a) => [a.action, a.atena_no, a.outcome, a.why])).toEqual([['search', child.atenaNo, 'success', null], ['search', null, 'success', 'no_match']]);
    const logs = JSON.stringify([t.core.audit.list({ limit: 10_000 }), await serverAccess()]);
    expect(logs).not.toContain(must(child.myNumber));
    expect(logs).not.toContain(other);
    expect((await refusal(t.core.residents.searchByMyNumber(clerk, must(child.myNumber), '窓口申請'))).code).toBe('FORBIDDEN');
  });
});

describe('scan: the decrypted terminal database holds no 個人番号', () => {
  it('after sync, a reveal, a search by number and ordinary work (search, view, a certificate), no valid 12-digit 個人番号 anywhere', async () => {
    const child = edge('testChild');
    const parent = edge('testParent');
    const revealed = await t.core.residents.revealMyNumber(revealer, child.id, '審査');
    expect(revealed.myNumber).toBe(child.myNumber);
    await t.core.residents.searchByMyNumber(revealer, must(parent.myNumber), '窓口申請');
    t.core.residents.search(clerk, { kana: 'シケン' });
    t.core.residents.get(clerk, parent.id, '窓口申請');
    t.core.lifecycle.issue(clerk, {
      type: 'kodomo', residentId: child.id, issueKind: 'new', reissueReason: null, details: { guardianId: parent.id }, nameChoice: 'real', printSex: true,
      residentVersion: must(t.core.residents.findRow(child.id)).version,
    });
    await t.core.sync.runOnce();
    expect(t.core.sync.status().failed).toBe(0);
    const scan = scanTerminalForMyNumbers(databasePath(t.dataDir), keyFilePath(t.dataDir), numbers);
    expect(scan.tables).toBeGreaterThan(20);
    expect(scan.values).toBeGreaterThan(1000);
    expect(scan.hits).toEqual([]);
  });

  it('the scan reads a 個人番号 as a token of its own (plain, grouped, full-width), not a part of an identifier', () => {
    const n = numbers[0]!;
    const wide = n.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
    expect([`x ${n} y`, `"${n.slice(0, 4)}-${n.slice(4, 8)}-${n.slice(8)}"`, `番号${wide}`].map(myNumbersIn)).toEqual([[n], [n], [n]]);
    expect([`019b2f3c-1234-7abc-8def-${n}`, `abc${n}`, `7${n}`].map(myNumbersIn)).toEqual([[], [], []]);
  });

  it('positive control: the same scan finds a number written into the terminal database', () => {
    t.core.db.prepare(`UPDATE residents SET katagaki = ? WHERE id = ?`).run(`番号 ${numbers[0]!.replace(/(\d{4})(\d{4})(\d{4})/, '$1-$2-$3')}`, edge('orphan').id);
    const scan = scanTerminalForMyNumbers(databasePath(t.dataDir), keyFilePath(t.dataDir), numbers);
    expect(scan.hits).toEqual([`residents.katagaki: ${numbers[0]}`]);
  });
});
