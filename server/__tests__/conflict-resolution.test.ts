import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { call, resetDb, useSyncServer, type ClientCert, type PgFixture, type PkiFixture } from '../../testing/server';
import { clockFrom } from '../../testing/clock';
import type { ConflictList, PullResponse, PushResponse, ResolveConflictResponse } from '../../shared/sync/protocol';

/**
 * A supervisor's decision on a conflict (POST /v1/conflicts/:id/resolve): keep the server's record, or apply the
 * terminal's edit over the current record as a new version. Real PostgreSQL and mutual TLS; every test checks
 * the rows in PostgreSQL, not only the status codes.
 */
let pg: PgFixture, pki: PkiFixture, port: number;
useSyncServer(
  ['OSA1', 'OSA2', 'OSA3', 'KUMA'],
  // OSA3: an ordinary counter terminal of the same city (not enrolled for identity administration).
  { clock: clockFrom('2026-11-22T01:00:00Z'), scopes: { KUMA: { municipality: '431001', jimu: ['kodomo', 'kokuho', 'yobou'] }, OSA3: { municipality: '271004', jimu: ['kodomo'] } } },
  (s) => ({ pg, pki, port } = s),
);

const next: Record<string, number> = {};
beforeEach(async () => {
  await resetDb(pg.pool);
  for (const k of Object.keys(next)) delete next[k];
});

const t = (id: string): ClientCert => pki.terminals[id]!;

function mutation(terminal: string, entityId: string, op: 'insert' | 'update', payload: Record<string, unknown>) {
  next[terminal] = (next[terminal] ?? 0) + 1;
  return { mutationId: next[terminal], clientUuid: randomUUID(), entity: 'residents', entityId, op, payload };
}

async function push(terminal: string, ...mutations: unknown[]): Promise<PushResponse['results']> {
  const r = await call(port, pki.ca, t(terminal), 'POST', '/v1/push', { terminalId: terminal, mutations });
  expect(r.status).toBe(200);
  return (r.body as PushResponse).results;
}

const resolve = (terminal: string, conflictId: number | string, body: unknown) => call(port, pki.ca, t(terminal), 'POST', `/v1/conflicts/${conflictId}/resolve`, body);

async function entityRow(id: string) {
  const r = await pg.pool.query<{ version: number; server_seq: string; payload: Record<string, unknown>; updated_by_terminal: string }>(
    'SELECT version, server_seq, payload, updated_by_terminal FROM entities WHERE entity_id = $1',
    [id],
  );
  return r.rows[0]!;
}

async function conflictRow(id: number) {
  const r = await pg.pool.query<{ resolved_at: Date | null; resolved_by: string | null; resolution: string | null; client_payload: Record<string, unknown>; server_payload: Record<string, unknown> }>(
    'SELECT resolved_at, resolved_by, resolution, client_payload, server_payload FROM conflicts WHERE conflict_id = $1',
    [id],
  );
  return r.rows[0]!;
}

/**
 * OSA1 inserts a resident and edits it (version 2: address 北区, katagaki set); OSA2, still at version 1, edits
 * the address too (中央区) and the kana: a conflict on OSA2's edit. Returns the record and conflict IDs.
 */
async function makeConflict(osa2Edit: Record<string, unknown> = { address: '大阪市中央区本町1-1', name_kana: 'マドグチ ハナ' }) {
  const id = randomUUID();
  const base = { version: 1, atena_no: '1001', name_kanji: '窓口 花子', name_kana: 'マドグチ ハナコ', birth_date: '2016-05-05', sex: '2', address: '大阪市北区1-1' };
  expect((await push('OSA1', mutation('OSA1', id, 'insert', base)))[0]!.status).toBe('applied');
  expect((await push('OSA1', mutation('OSA1', id, 'update', { version: 2, address: '大阪市北区2-2', katagaki: '窓口ハイツ101' })))[0]!.status).toBe('applied');
  const [r] = await push('OSA2', mutation('OSA2', id, 'update', { version: 2, updated_by: 'D1002', ...osa2Edit }));
  expect(r).toMatchObject({ status: 'rejected', reason: expect.stringContaining('conflict') });
  const list = (await call(port, pki.ca, t('OSA1'), 'GET', '/v1/conflicts')).body as ConflictList;
  expect(list.conflicts).toHaveLength(1);
  return { id, conflictId: list.conflicts[0]!.conflictId };
}

describe('conflict resolution', () => {
  it('keep_server marks the conflict resolved and leaves the record as it was; both edits stay on record', async () => {
    const { id, conflictId } = await makeConflict();
    const before = await entityRow(id);
    const r = await resolve('OSA2', conflictId, { resolution: 'keep_server', staffId: 'D8001', reason: '住基の異動届で北区を確認' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ conflictId, resolution: 'keep_server', entity: 'residents', entityId: id, version: 2, resolvedBy: 'OSA2/D8001' } satisfies Partial<ResolveConflictResponse>);
    expect(await entityRow(id)).toEqual(before); // same version, payload and server_seq: nothing to pull
    const row = await conflictRow(conflictId);
    expect(row.resolved_at).toBeInstanceOf(Date);
    expect(row).toMatchObject({ resolved_by: 'OSA2/D8001', resolution: 'keep_server: 住基の異動届で北区を確認' });
    expect(row.client_payload).toMatchObject({ address: '大阪市中央区本町1-1', name_kana: 'マドグチ ハナ' });
    expect(row.server_payload).toMatchObject({ address: '大阪市北区2-2', version: 2 });
    expect(((await call(port, pki.ca, t('OSA1'), 'GET', '/v1/conflicts')).body as ConflictList).conflicts).toEqual([]);
  });

  it("apply_terminal writes the terminal's fields over the current record as version + 1, which a pull delivers", async () => {
    const { id, conflictId } = await makeConflict();
    const before = await entityRow(id);
    const pulled = (await call(port, pki.ca, t('OSA1'), 'GET', '/v1/pull?cursor=0')).body as PullResponse;
    const r = await resolve('OSA1', conflictId, { resolution: 'apply_terminal', staffId: 'D8001', reason: '中央区への転居届を確認' });
    expect(r).toMatchObject({ status: 200, body: { conflictId, resolution: 'apply_terminal', version: 3, resolvedBy: 'OSA1/D8001' } });
    const after = await entityRow(id);
    expect(after.version).toBe(3);
    expect(Number(after.server_seq)).toBeGreaterThan(Number(before.server_seq));
    expect(after.updated_by_terminal).toBe('OSA1');
    // The terminal's fields win; what only the server's edit changed (katagaki) stays; the supervisor signs it.
    expect(after.payload).toMatchObject({
      id, version: 3, deleted: 0, address: '大阪市中央区本町1-1', name_kana: 'マドグチ ハナ', katagaki: '窓口ハイツ101', name_kanji: '窓口 花子', updated_by: 'D8001',
    });
    const row = await conflictRow(conflictId);
    expect(row).toMatchObject({ resolved_by: 'OSA1/D8001', resolution: 'apply_terminal (version 3): 中央区への転居届を確認' });
    expect(row.server_payload).toMatchObject({ address: '大阪市北区2-2', version: 2 }); // the edit that lost is still there
    // Every terminal of the municipality pulls version 3.
    for (const terminal of ['OSA1', 'OSA2']) {
      const p = (await call(port, pki.ca, t(terminal), 'GET', `/v1/pull?cursor=${pulled.cursor}&scopeKey=${pulled.scopeKey}`)).body as PullResponse;
      expect(p.changes.map((c) => [c.entityId, c.version, c.payload.address])).toEqual([[id, 3, '大阪市中央区本町1-1']]);
    }
    // The terminal that lost now edits on top of version 3 normally.
    expect((await push('OSA2', mutation('OSA2', id, 'update', { version: 4, katagaki: null })))[0]!.status).toBe('applied');
  });

  it('a resolved conflict cannot be resolved again (409), even by two supervisors at once', async () => {
    const { id, conflictId } = await makeConflict();
    const both = await Promise.all([
      resolve('OSA1', conflictId, { resolution: 'apply_terminal', staffId: 'D8001', reason: '転居届を確認' }),
      resolve('OSA2', conflictId, { resolution: 'apply_terminal', staffId: 'D8002', reason: '転居届を確認' }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await entityRow(id)).version).toBe(3); // applied once
    const again = await resolve('OSA1', conflictId, { resolution: 'keep_server', staffId: 'D8001', reason: 'やはり北区' });
    expect(again).toMatchObject({ status: 409, body: { error: 'already_resolved', resolvedBy: expect.stringMatching(/^OSA[12]\/D800[12]$/) } });
    expect((await entityRow(id)).version).toBe(3);
    expect((await conflictRow(conflictId)).resolution).toMatch(/^apply_terminal \(version 3\)/);
  });

  it("a terminal of another municipality can neither resolve nor see the conflict", async () => {
    const { id, conflictId } = await makeConflict();
    const before = await entityRow(id);
    for (const resolution of ['keep_server', 'apply_terminal']) {
      const r = await resolve('KUMA', conflictId, { resolution, staffId: 'K8001', reason: '確認済み' });
      expect(r).toMatchObject({ status: 404, body: { error: 'not_found' } });
    }
    expect(((await call(port, pki.ca, t('KUMA'), 'GET', '/v1/conflicts')).body as ConflictList).conflicts).toEqual([]);
    expect(await entityRow(id)).toEqual(before);
    expect((await conflictRow(conflictId)).resolved_at).toBeNull();
    expect((await resolve('OSA1', 999_999, { resolution: 'keep_server', staffId: 'D8001', reason: '確認済み' })).status).toBe(404);
  });

  it('refuses to apply an edit that breaks shared/domain rules (422) and leaves the conflict open', async () => {
    // A stale edit is a conflict before it is validated, so an invalid one can sit in the list.
    const { id, conflictId } = await makeConflict({ birth_date: '2016-02-30' });
    const before = await entityRow(id);
    const r = await resolve('OSA1', conflictId, { resolution: 'apply_terminal', staffId: 'D8001', reason: '確認済み' });
    expect(r).toMatchObject({ status: 422, body: { error: 'rejected', message: expect.stringContaining('生年月日') } });
    expect(await entityRow(id)).toEqual(before);
    expect((await conflictRow(conflictId)).resolved_at).toBeNull();
    expect((await resolve('OSA1', conflictId, { resolution: 'keep_server', staffId: 'D8001', reason: '誤入力' })).status).toBe(200);
  });

  it("judges an identity record on resolution as on a push: a stale grant edit is not applied without the 所属長's approval the server requires", async () => {
    const id = randomUUID();
    await pg.pool.query(`INSERT INTO entities (entity, entity_id, version, payload, updated_by_terminal, municipality) VALUES ('staff', $1, 1, $2, 'OSA1', '271004')`,
      [randomUUID(), JSON.stringify({ staff_id: 'D1001', role: 'clerk', disabled: 0 })]);
    const grant = { id, version: 2, deleted: 0, staff_id: 'D1001', right_name: 'resident.search', approval_status: 'approved', approved_by: 'D7001', reason: '窓口', revoked_at: null, valid_from: '2000-04-01T00:00:00.000Z', expires_at: null };
    await pg.pool.query(`INSERT INTO entities (entity, entity_id, version, payload, updated_by_terminal, municipality) VALUES ('staff_grants', $1, 2, $2, 'OSA1', '271004')`, [id, JSON.stringify(grant)]);
    const before = await entityRow(id);
    // An ordinary terminal's edit built on version 1: a conflict, kept for a supervisor before the server looks at
    // what it changes. A push of the same edit on version 2 is refused outright.
    next.OSA3 = (next.OSA3 ?? 0) + 1;
    const [r] = await push('OSA3', { mutationId: next.OSA3, clientUuid: randomUUID(), entity: 'staff_grants', entityId: id, op: 'update', payload: { version: 2, right_name: 'resident.view' } });
    expect(r).toMatchObject({ status: 'rejected', reason: expect.stringContaining('conflict') });
    const conflictId = Number((await pg.pool.query<{ conflict_id: string }>(`SELECT conflict_id FROM conflicts WHERE entity_id = $1`, [id])).rows[0]!.conflict_id);
    // The identity-administration terminal's supervisor applies it: refused as the push would be, nothing changes.
    const res = await resolve('OSA1', conflictId, { resolution: 'apply_terminal', staffId: 'D8001', reason: '確認済み' });
    expect(res).toMatchObject({ status: 422, body: { error: 'rejected', message: expect.stringMatching(/^forbidden: /) } });
    expect(await entityRow(id)).toEqual(before);
    expect((await conflictRow(conflictId)).resolved_at).toBeNull();
    expect((await resolve('OSA1', conflictId, { resolution: 'keep_server', staffId: 'D8001', reason: '承認のない変更' })).status).toBe(200);
  });

  it('refuses a malformed decision (400): no reason, an unknown resolution, extra fields, a bad ID', async () => {
    const { conflictId } = await makeConflict();
    const bad: [number | string, unknown][] = [
      [conflictId, { resolution: 'keep_server', staffId: 'D8001', reason: '  ' }],
      [conflictId, { resolution: 'keep_server', staffId: 'D8001' }],
      [conflictId, { resolution: 'last_writer_wins', staffId: 'D8001', reason: 'x' }],
      [conflictId, { resolution: 'keep_server', staffId: 'D8001', reason: 'x', version: 9 }],
      [conflictId, { resolution: 'keep_server', staffId: 'D 8001', reason: 'x' }],
      ['abc', { resolution: 'keep_server', staffId: 'D8001', reason: 'x' }],
      ['0', { resolution: 'keep_server', staffId: 'D8001', reason: 'x' }],
    ];
    for (const [cid, body] of bad) expect((await resolve('OSA1', cid, body)).status).toBe(400);
    expect((await conflictRow(conflictId)).resolved_at).toBeNull();
  });
});
