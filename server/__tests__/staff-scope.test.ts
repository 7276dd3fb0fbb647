import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { refreshDuePopulations, refreshPopulations } from '../population';
import { call, resetDb, useSyncServer, type ClientCert, type PgFixture, type PkiFixture } from '../../testing/server';
import { movableClock } from '../../testing/clock';
import type { Change, ChecksumResponse, PullResponse, PushResponse } from '../../shared/sync/protocol';

/**
 * Issue 16 §1, "staff records carry what offline login needs and nothing more", against the real server (PostgreSQL,
 * mutual TLS, the real pull): a こども-only terminal receives the staff who work in こども医療 (and those who work at
 * every terminal: audit), with their live grants and credentials only; a 国保-only terminal the 国保 staff; the
 * administration terminal everyone. A revocation pushed by the administration terminal, a grant that expires and a
 * disabled account each move the person out at the next pull, as `dropped` with nothing about them.
 */
const clock = movableClock('2026-11-22T01:00:00Z'); // 10:00 in Japan
let pg: PgFixture, pki: PkiFixture, port: number;
useSyncServer(['ADM1', 'KODO', 'KOKU'], {
  clock,
  scopes: {
    KODO: { municipality: '271004', jimu: ['kodomo'] },
    KOKU: { municipality: '271004', jimu: ['kokuho'] },
  },
}, (s) => ({ pg, pki, port } = s));

const t = (id: string): ClientCert => pki.terminals[id]!;
const AT = '2026-11-20T00:00:00.000Z';
const stamp = { created_at: AT, created_by: 'A9001', updated_at: AT, updated_by: 'A9001' };
const hashOf = (staffId: string) => `$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$${staffId}HASHhashHASHhash`;

/** Record IDs by name, to follow them through pulls. */
const ids: Record<string, string> = {};
async function insert(entity: string, name: string, payload: Record<string, unknown>): Promise<void> {
  const id = randomUUID();
  ids[name] = id;
  await pg.pool.query(
    `INSERT INTO entities (entity, entity_id, version, payload, updated_by_terminal, deleted, municipality, jimu, owner_terminal)
     VALUES ($1, $2, 1, $3, 'ADM1', false, '271004', NULL, NULL)`,
    [entity, id, JSON.stringify({ ...stamp, ...payload, id, version: 1, deleted: 0 })],
  );
}
async function staff(staffId: string, role: string, over: Record<string, unknown> = {}): Promise<void> {
  await insert('staff', staffId, {
    staff_id: staffId, name: `職員\u3000${staffId}`, name_kana: 'ショクイン', section: 'こども青少年課', role, password_hash: hashOf(staffId),
    password_changed_at: AT, disabled: 0, demo: 0, failed_count: 0, locked_until: null, must_change_password: 0, may_self_enroll: 0, ...over,
  });
  await insert('authenticators', `${staffId}/key`, {
    staff_id: staffId, credential_id: `cred-${staffId}`, public_key: 'pQECAyYgASFYIA', counter: 0, transports: '["usb"]', label: '認証器',
    registered_by: staffId, revoked_at: null, revoked_by: null, revoke_reason: null, approver: 'A0001', approval_status: 'legacy', approval_json: null,
  });
  await insert('password_history', `${staffId}/pw`, { staff_id: staffId, password_hash: hashOf(`${staffId}old`) });
}
async function grant(staffId: string, right: string, over: Record<string, unknown> = {}): Promise<void> {
  await insert('staff_grants', `${staffId}/${right}`, {
    staff_id: staffId, right_name: right, approved_by: 'A0001', reason: '事務分担', valid_from: AT, expires_at: null, revoked_at: null, revoked_by: null,
    approval_status: 'legacy', approval_json: null, ...over,
  });
}

async function pull(terminal: string, cursor = 0): Promise<PullResponse> {
  const r = await call(port, pki.ca, t(terminal), 'GET', `/v1/pull?cursor=${cursor}&limit=5000`);
  expect(r.status).toBe(200);
  return r.body as PullResponse;
}
const live = (p: PullResponse, entity: string) => p.changes.filter((c) => c.entity === entity && !c.dropped && !c.deleted);
const staffIds = (p: PullResponse) => live(p, 'staff').map((c) => String(c.payload.staff_id)).sort();
const rights = (p: PullResponse, staffId: string) => live(p, 'staff_grants').filter((c) => c.payload.staff_id === staffId).map((c) => String(c.payload.right_name)).sort();
const named = (changes: Change[]) => changes.map((c) => Object.entries(ids).find(([, v]) => v === c.entityId)?.[0]).sort();

let mutationId = 0;
async function pushFromAdmin(entity: string, name: string, payload: Record<string, unknown>): Promise<PushResponse['results'][number]> {
  const r = await call(port, pki.ca, t('ADM1'), 'POST', '/v1/push', {
    terminalId: 'ADM1',
    mutations: [{ mutationId: ++mutationId, clientUuid: randomUUID(), entity, entityId: ids[name], op: 'update', payload: { version: 2, updated_at: clock.now().toISOString(), updated_by: 'A9001', ...payload } }],
  });
  expect(r.status).toBe(200);
  return (r.body as PushResponse).results[0]!;
}

beforeAll(async () => {
  await resetDb(pg.pool);
  // A こども clerk: a live こども grant and 住民検索; a revoked 国保 grant; an expired こども grant; a revoked key.
  await staff('C0001', 'clerk');
  await grant('C0001', 'resident.search');
  await grant('C0001', 'kodomo:claim.enter');
  await grant('C0001', 'kokuho:claim.enter', { revoked_at: '2026-11-21T00:00:00.000Z', revoked_by: 'A9001' });
  await grant('C0001', 'kodomo:certificate.issue', { expires_at: '2026-11-21T00:00:00.000Z' });
  await insert('authenticators', 'C0001/old-key', {
    staff_id: 'C0001', credential_id: 'cred-C0001-old', public_key: 'pQECAyYgASFYIA', counter: 0, transports: '["usb"]', label: '紛失した認証器',
    registered_by: 'C0001', revoked_at: '2026-11-21T00:00:00.000Z', revoked_by: 'A9001', revoke_reason: '紛失', approver: 'A0001', approval_status: 'legacy', approval_json: null,
  });
  // A 国保 clerk (住民検索 too, which brings nobody anywhere on its own).
  await staff('C0002', 'clerk', { section: '保険年金課' });
  await grant('C0002', 'resident.search');
  await grant('C0002', 'kokuho:claim.enter');
  // A supervisor: the audit rights are used at every terminal; until 2026-11-23 09:00 (Japan).
  await staff('S0001', 'supervisor', { section: '情報政策課' });
  await grant('S0001', 'audit.review', { expires_at: '2026-11-23T00:00:00.000Z' });
  // A こども clerk who starts next month: offline login must work on the first day.
  await staff('C0003', 'clerk');
  await grant('C0003', 'kodomo:claim.enter', { valid_from: '2026-12-01T00:00:00.000Z' });
  // A disabled account with a live こども grant.
  await staff('C0004', 'clerk', { disabled: 1 });
  await grant('C0004', 'kodomo:claim.enter');
  // A 国保 grant waiting for the こども 所属長 A0001: shown in A0001's 承認待ち list at a こども terminal.
  await staff('C0005', 'clerk', { section: '保険年金課' });
  await grant('C0005', 'kokuho:claim.enter', { approval_status: 'pending' });
  await staff('A0001', 'approver');
  await grant('A0001', 'kodomo:claim.approve');
  // An administrator: a terminal counts as set up only while it holds one.
  await staff('A9001', 'administrator', { section: '情報政策課' });
  await grant('A9001', 'admin.staff');
  await refreshPopulations(pg.pool, clock.now());
}, 120_000);

describe('issue 16 §1: which staff records a terminal receives', () => {
  it('a こども-only terminal receives the こども staff (and the audit supervisor) with their live grants and credentials; nothing of anyone else', async () => {
    const kodomo = await pull('KODO');
    expect(staffIds(kodomo)).toEqual(['A0001', 'A9001', 'C0001', 'C0003', 'C0005', 'S0001']);
    expect(rights(kodomo, 'C0001')).toEqual(['kodomo:claim.enter', 'resident.search']); // not the revoked 国保 nor the expired one
    expect(rights(kodomo, 'C0003')).toEqual(['kodomo:claim.enter']); // starting 12月1日
    expect(rights(kodomo, 'C0005')).toEqual(['kokuho:claim.enter']); // the pending request its 所属長 approves here
    expect(live(kodomo, 'authenticators').map((c) => c.payload.credential_id).sort()).toEqual(['cred-A0001', 'cred-A9001', 'cred-C0001', 'cred-C0003', 'cred-C0005', 'cred-S0001']);
    expect(live(kodomo, 'password_history')).toHaveLength(6);
    // No trace of the 国保 clerk or the disabled account: no password hash, no record ID.
    const text = JSON.stringify(kodomo);
    for (const other of ['C0002', 'C0004']) {
      expect(text).not.toContain(hashOf(other));
      expect(text).not.toContain(ids[other]);
    }
    const sum = (await call(port, pki.ca, t('KODO'), 'GET', '/v1/pull/checksum')).body as ChecksumResponse;
    expect(sum.count).toBe(kodomo.changes.filter((c) => !c.deleted).length);
  });

  it('a 国保-only terminal receives the 国保 staff; the administration terminal receives every staff record', async () => {
    const kokuho = await pull('KOKU');
    expect(staffIds(kokuho)).toEqual(['A9001', 'C0002', 'C0005', 'S0001']);
    expect(JSON.stringify(kokuho)).not.toContain(hashOf('C0001'));
    const admin = await pull('ADM1');
    expect(staffIds(admin)).toEqual(['A0001', 'A9001', 'C0001', 'C0002', 'C0003', 'C0004', 'C0005', 'S0001']);
    expect(rights(admin, 'C0001')).toEqual(['kodomo:certificate.issue', 'kodomo:claim.enter', 'kokuho:claim.enter', 'resident.search']);
  });

  it('a revocation, an expiry and a disabled account each move the person out at the next pull, as `dropped` with nothing about them', async () => {
    const before = await pull('KODO');
    // The administration terminal revokes C0001's こども grant: 住民検索 alone keeps nobody on a こども terminal.
    expect(await pushFromAdmin('staff_grants', 'C0001/kodomo:claim.enter', { revoked_at: clock.now().toISOString(), revoked_by: 'A9001' })).toEqual({ mutationId, status: 'applied' });
    const revoked = await pull('KODO', before.cursor);
    expect(revoked.changes.filter((c) => !c.dropped)).toEqual([]);
    expect(named(revoked.changes)).toEqual(['C0001', 'C0001/key', 'C0001/kodomo:claim.enter', 'C0001/pw', 'C0001/resident.search']);
    for (const c of revoked.changes) expect(c).toMatchObject({ deleted: true, dropped: true, payload: {} });
    expect(staffIds(await pull('KODO'))).toEqual(['A0001', 'A9001', 'C0003', 'C0005', 'S0001']);

    // Disabling the こども 所属長 moves them out, and with them the 国保 clerk who waits for their approval.
    const afterRevoke = await pull('KODO', revoked.cursor);
    expect(await pushFromAdmin('staff', 'A0001', { disabled: 1 })).toMatchObject({ status: 'applied' });
    const disabled = await pull('KODO', afterRevoke.cursor);
    expect(disabled.changes.filter((c) => !c.dropped)).toEqual([]);
    expect(named(disabled.changes.filter((c) => c.entity === 'staff'))).toEqual(['A0001', 'C0005']);
    expect(staffIds(await pull('KODO'))).toEqual(['A9001', 'C0003', 'S0001']);
    expect(staffIds(await pull('KOKU'))).toEqual(['A9001', 'C0002', 'C0005', 'S0001']); // C0005's own 国保 request keeps them there

    // The supervisor's grant ends on 11月23日 09:00: the next day's full refresh drops them from every terminal.
    const cursor = (await pull('KODO')).cursor;
    clock.advanceHours(24);
    try {
      await refreshDuePopulations(pg.pool, clock.now());
      const expired = await pull('KODO', cursor);
      expect(named(expired.changes.filter((c) => c.entity === 'staff'))).toEqual(['S0001']);
      expect(expired.changes.every((c) => c.dropped)).toBe(true);
      expect(staffIds(await pull('KODO'))).toEqual(['A9001', 'C0003']);
      expect(staffIds(await pull('KOKU'))).toEqual(['A9001', 'C0002', 'C0005']);
    } finally {
      clock.advanceHours(-24);
    }
  });
});
