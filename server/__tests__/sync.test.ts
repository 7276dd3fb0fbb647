import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SyncApp } from '../app';
import { loadServerTls, revoke } from '../pki';
import { call, postAndAbort, resetDb, useSyncServer, type ClientCert, type PgFixture, type PkiFixture } from '../../testing/server';
import { clockFrom } from '../../testing/clock';
import type { PullResponse, PushResponse } from '../../shared/sync/protocol';

let pg: PgFixture, pki: PkiFixture, port: number, server: SyncApp;
useSyncServer(['T001', 'T002', 'T003', 'T004'], { clock: clockFrom('2026-11-22T01:00:00Z'), revoked: ['T003'] }, (s) => ({ pg, pki, port, server } = s));

beforeEach(async () => {
  await resetDb(pg.pool);
});

const RES_A = '0190a000-0000-7000-8000-00000000000a';
const RES_B = '0190a000-0000-7000-8000-00000000000b';
const RES_C = '0190a000-0000-7000-8000-00000000000c';

interface Mut {
  mutationId: number;
  clientUuid: string;
  entity: string;
  entityId: string;
  op: 'insert' | 'update' | 'delete';
  payload: Record<string, unknown>;
}

function insert(mutationId: number, entityId: string, fields: Record<string, unknown> = {}): Mut {
  return {
    mutationId, clientUuid: randomUUID(), entity: 'residents', entityId, op: 'insert',
    payload: { id: entityId, version: 1, atena_no: '100000001', name_kanji: '山田 太郎', birth_date: '2015-04-01', sex: '1', ...fields },
  };
}

function update(mutationId: number, entityId: string, version: number, fields: Record<string, unknown>): Mut {
  return { mutationId, clientUuid: randomUUID(), entity: 'residents', entityId, op: 'update', payload: { version, ...fields } };
}

function t(id: string): ClientCert {
  return pki.terminals[id]!;
}

async function pushAs(cert: ClientCert, terminalId: string, mutations: unknown[]) {
  return call(port, pki.ca, cert, 'POST', '/v1/push', { terminalId, mutations });
}

async function pushOk(terminalId: string, mutations: unknown[]): Promise<PushResponse> {
  const r = await pushAs(t(terminalId), terminalId, mutations);
  expect(r.status).toBe(200);
  return r.body as PushResponse;
}

function statuses(r: PushResponse): string[] {
  return r.results.map((x) => `${x.mutationId}:${x.status}`);
}

async function count(table: string): Promise<number> {
  const { rows } = await pg.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(rows[0]!.n);
}

async function entity(id: string) {
  const { rows } = await pg.pool.query<{ version: number; deleted: boolean; payload: Record<string, unknown>; updated_by_terminal: string }>(
    'SELECT version, deleted, payload, updated_by_terminal FROM entities WHERE entity = $1 AND entity_id = $2',
    ['residents', id],
  );
  return rows[0];
}

async function lastMutationId(terminalId: string): Promise<number> {
  const { rows } = await pg.pool.query<{ last: string }>('SELECT last_mutation_id AS last FROM terminals WHERE terminal_id = $1', [terminalId]);
  return rows[0] ? Number(rows[0].last) : 0;
}

describe('mutual TLS', () => {
  it('answers a terminal with a valid certificate and names it from the CN', async () => {
    const r = await call(port, pki.ca, t('T001'), 'GET', '/v1/health');
    expect(r).toEqual({ status: 200, body: { ok: true, db: true, terminalId: 'T001' } });
  });

  // Node completes the handshake, finds the verification error and destroys the socket before any HTTP is
  // read: the client sees an alert (no certificate) or a reset; no request reaches a route.
  const REFUSED = /certificate required|ECONNRESET|socket hang up|EPIPE/;

  it('refuses a client without a certificate at the TLS layer', async () => {
    await expect(call(port, pki.ca, null, 'GET', '/v1/health')).rejects.toThrow(REFUSED);
    await expect(call(port, pki.ca, null, 'POST', '/v1/push', { terminalId: 'T001', mutations: [insert(1, RES_A)] })).rejects.toThrow(REFUSED);
    expect(await count('mutations')).toBe(0);
  });

  it('refuses a certificate issued by another CA', async () => {
    await expect(call(port, pki.ca, pki.foreign, 'GET', '/v1/health')).rejects.toThrow(REFUSED);
    await expect(pushAs(pki.foreign, 'T001', [insert(1, RES_A)])).rejects.toThrow(REFUSED);
    expect(await count('entities')).toBe(0);
  });

  it('refuses a revoked certificate', async () => {
    await expect(call(port, pki.ca, t('T003'), 'GET', '/v1/health')).rejects.toThrow(REFUSED);
    await expect(pushAs(t('T003'), 'T003', [insert(1, RES_A)])).rejects.toThrow(REFUSED);
    expect(await count('terminals')).toBe(0);
  });

  it('refuses a certificate revoked while the server runs once the CRL is reloaded; others keep working', async () => {
    expect((await call(port, pki.ca, t('T004'), 'GET', '/v1/health')).status).toBe(200);
    await revoke(pki.dir, { terminalId: 'T004' });
    server.reloadTls(await loadServerTls(pki.dir));
    await expect(call(port, pki.ca, t('T004'), 'GET', '/v1/health')).rejects.toThrow(REFUSED);
    expect((await call(port, pki.ca, t('T001'), 'GET', '/v1/health')).status).toBe(200);
  });

  it("refuses terminal A's certificate pushing as terminal B (403), storing nothing", async () => {
    const r = await pushAs(t('T001'), 'T002', [insert(1, RES_A)]);
    expect(r.status).toBe(403);
    expect(await count('terminals')).toBe(0);
    expect(await count('mutations')).toBe(0);
    expect(await count('entities')).toBe(0);
  });
});

describe('push', () => {
  it('applies a batch and stores mutations, entities and the terminal position', async () => {
    const batch = [insert(1, RES_A), insert(2, RES_B, { name_kanji: '鈴木 花子' }), update(3, RES_A, 2, { address: '東京都千代田区' })];
    const r = await pushOk('T001', batch);
    expect(statuses(r)).toEqual(['1:applied', '2:applied', '3:applied']);
    expect(r.lastMutationId).toBe(3);
    expect(await lastMutationId('T001')).toBe(3);
    expect(await count('mutations')).toBe(3);
    expect(await count('entities')).toBe(2);
    const a = await entity(RES_A);
    expect(a).toMatchObject({ version: 2, deleted: false, updated_by_terminal: 'T001' });
    expect(a!.payload).toMatchObject({ id: RES_A, version: 2, name_kanji: '山田 太郎', address: '東京都千代田区' });
    const { rows } = await pg.pool.query('SELECT mutation_id, client_uuid, op, status FROM mutations ORDER BY mutation_id');
    expect(rows).toEqual(batch.map((m) => ({ mutation_id: String(m.mutationId), client_uuid: m.clientUuid, op: m.op, status: 'applied' })));
  });

  it('answers the same batch sent twice with duplicates and changes nothing', async () => {
    const batch = [insert(1, RES_A), insert(2, RES_B), update(3, RES_A, 2, { address: '大阪市' })];
    expect(statuses(await pushOk('T001', batch))).toEqual(['1:applied', '2:applied', '3:applied']);
    const before = await pg.pool.query('SELECT entity_id, version, payload, server_seq FROM entities ORDER BY entity_id');
    const mutsBefore = await pg.pool.query('SELECT * FROM mutations ORDER BY mutation_id');
    const again = await pushOk('T001', batch);
    expect(statuses(again)).toEqual(['1:duplicate', '2:duplicate', '3:duplicate']);
    expect(again.lastMutationId).toBe(3);
    expect(await count('mutations')).toBe(3);
    expect(await count('entities')).toBe(2);
    expect((await pg.pool.query('SELECT entity_id, version, payload, server_seq FROM entities ORDER BY entity_id')).rows).toEqual(before.rows);
    expect((await pg.pool.query('SELECT * FROM mutations ORDER BY mutation_id')).rows).toEqual(mutsBefore.rows);
  });

  it('refuses a gap and applies nothing after it in the same batch', async () => {
    expect(statuses(await pushOk('T001', [insert(1, RES_A)]))).toEqual(['1:applied']);
    const r = await pushOk('T001', [insert(3, RES_B), insert(4, RES_C)]);
    expect(statuses(r)).toEqual(['3:gap', '4:gap']);
    expect(r.lastMutationId).toBe(1);
    // a batch that runs into a gap midway keeps what came before it
    const r2 = await pushOk('T001', [insert(2, RES_B), insert(4, RES_C), update(3, RES_B, 2, { address: 'x' })]);
    expect(statuses(r2)).toEqual(['2:applied', '4:gap', '3:gap']);
    expect(await lastMutationId('T001')).toBe(2);
    expect(await count('mutations')).toBe(2);
    expect((await pg.pool.query('SELECT entity_id FROM entities ORDER BY entity_id')).rows.map((x) => x.entity_id)).toEqual([RES_A, RES_B]);
    expect(await entity(RES_B)).toMatchObject({ version: 1 });
  });

  it('converges when batches arrive out of order', async () => {
    const first = [insert(1, RES_A), insert(2, RES_B)];
    const second = [update(3, RES_A, 2, { address: '札幌市' }), insert(4, RES_C)];
    expect(statuses(await pushOk('T001', second))).toEqual(['3:gap', '4:gap']);
    expect(await count('entities')).toBe(0);
    expect(statuses(await pushOk('T001', first))).toEqual(['1:applied', '2:applied']);
    expect(statuses(await pushOk('T001', second))).toEqual(['3:applied', '4:applied']);
    expect(statuses(await pushOk('T001', [...first, ...second]))).toEqual(['1:duplicate', '2:duplicate', '3:duplicate', '4:duplicate']);
    expect(await lastMutationId('T001')).toBe(4);
    expect(await count('mutations')).toBe(4);
    expect(await count('entities')).toBe(3);
    expect((await entity(RES_A))!.payload).toMatchObject({ version: 2, address: '札幌市' });
  });

  it('keeps mutation IDs per terminal', async () => {
    expect(statuses(await pushOk('T001', [insert(1, RES_A)]))).toEqual(['1:applied']);
    expect(statuses(await pushOk('T002', [insert(1, RES_B)]))).toEqual(['1:applied']);
    expect(await lastMutationId('T001')).toBe(1);
    expect(await lastMutationId('T002')).toBe(1);
    expect(await count('mutations')).toBe(2);
  });

  it('turns a stale-version update into a conflict and keeps the stored record (no last-writer-wins)', async () => {
    await pushOk('T001', [insert(1, RES_A, { address: '元の住所' })]);
    // T002 saw version 1 (by pull) and edits; T001 edits version 1 too, offline, and arrives second.
    expect(statuses(await pushOk('T002', [update(1, RES_A, 2, { address: 'T002の住所' })]))).toEqual(['1:applied']);
    const r = await pushOk('T001', [update(2, RES_A, 2, { address: 'T001の住所' })]);
    expect(r.results).toEqual([{ mutationId: 2, status: 'rejected', reason: 'conflict: based on version 1, server has 2' }]);
    const a = await entity(RES_A);
    expect(a).toMatchObject({ version: 2, updated_by_terminal: 'T002' });
    expect(a!.payload).toMatchObject({ address: 'T002の住所' });
    const { rows } = await pg.pool.query('SELECT terminal_id, mutation_id, entity_id, client_version, server_version, client_payload, server_payload, resolved_at FROM conflicts');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      terminal_id: 'T001', mutation_id: '2', entity_id: RES_A, client_version: 2, server_version: 2,
      client_payload: { version: 2, address: 'T001の住所' }, resolved_at: null,
    });
    expect(rows[0].server_payload).toMatchObject({ address: 'T002の住所' });
    // the rejection is permanent and does not block the queue
    expect(await lastMutationId('T001')).toBe(2);
    expect(statuses(await pushOk('T001', [insert(3, RES_B)]))).toEqual(['3:applied']);
    const rej = await pg.pool.query("SELECT mutation_id, status, reason FROM mutations WHERE terminal_id = 'T001' ORDER BY mutation_id");
    expect(rej.rows.map((x) => x.status)).toEqual(['applied', 'rejected', 'applied']);
  });

  it('rejects unknown entities, unknown fields and malformed mutations permanently, without blocking the queue', async () => {
    const r = await pushOk('T001', [
      { ...insert(1, RES_A), entity: 'terminal_settings' },
      insert(2, RES_A, { evil: 'x' }),
      { ...insert(3, RES_A), extra: true },
      { ...insert(4, RES_A), op: 'upsert' },
      update(5, RES_C, 2, { address: 'nowhere' }),
      insert(6, RES_A),
    ]);
    expect(r.results.map((x) => [x.status, x.reason])).toEqual([
      ['rejected', 'unknown entity: terminal_settings'],
      ['rejected', 'unknown fields for residents: evil'],
      ['rejected', expect.stringContaining('invalid')],
      ['rejected', expect.stringContaining('invalid: op')],
      ['rejected', 'not_found: no such record on the server'],
      ['applied', undefined],
    ]);
    expect(await lastMutationId('T001')).toBe(6);
    expect(await count('mutations')).toBe(6);
    expect(await count('entities')).toBe(1);
    expect(await count('conflicts')).toBe(0);
  });

  it('does not answer "duplicate" for a mutationId reused with another clientUuid, nor accept a reused clientUuid', async () => {
    const first = insert(1, RES_A);
    await pushOk('T001', [first]);
    const reused = await pushOk('T001', [insert(1, RES_B)]);
    expect(reused.results).toEqual([{ mutationId: 1, status: 'rejected', reason: 'id_reused: mutationId 1 was already used for another mutation' }]);
    const sameUuid = await pushOk('T001', [{ ...insert(2, RES_B), clientUuid: first.clientUuid }]);
    expect(sameUuid.results).toEqual([{ mutationId: 2, status: 'rejected', reason: 'invalid: clientUuid already used by another mutation' }]);
    expect(await count('entities')).toBe(1);
    expect(await count('mutations')).toBe(2);
    expect(await lastMutationId('T001')).toBe(2);
  });

  it('refuses a malformed envelope with 400', async () => {
    const r = await pushAs(t('T001'), 'T001', [{ mutationId: 0 }]);
    expect(r.status).toBe(400);
    const r2 = await call(port, pki.ca, t('T001'), 'POST', '/v1/push', { terminalId: 'T001', mutations: [insert(1, RES_A)], extra: 1 });
    expect(r2.status).toBe(400);
    expect(await count('mutations')).toBe(0);
  });
});

describe('after a restore of the server database: push state, lost mutations, replays', () => {
  const replay = (m: Mut) => ({ ...m, replay: true });
  const seqOf = async (id: string) => Number((await pg.pool.query<{ s: string }>('SELECT server_seq AS s FROM entities WHERE entity_id = $1', [id])).rows[0]!.s);

  it('GET /v1/push/state tells each terminal where its next push must start', async () => {
    expect(await call(port, pki.ca, t('T001'), 'GET', '/v1/push/state')).toEqual({ status: 200, body: { terminalId: 'T001', lastMutationId: 0 } });
    await pushOk('T001', [insert(1, RES_A), insert(2, RES_B)]);
    await pushOk('T002', [insert(1, RES_C)]);
    expect((await call(port, pki.ca, t('T001'), 'GET', '/v1/push/state')).body).toEqual({ terminalId: 'T001', lastMutationId: 2 });
    expect((await call(port, pki.ca, t('T002'), 'GET', '/v1/push/state')).body).toEqual({ terminalId: 'T002', lastMutationId: 1 });
    expect(await count('mutations')).toBe(3);
  });

  it('a mutation the terminal declares lost is stored as rejected and the queue goes on; a marker for one held is a duplicate', async () => {
    await pushOk('T001', [insert(1, RES_A)]);
    const r = await pushOk('T001', [{ mutationId: 2, lost: true }, { mutationId: 3, lost: true }, insert(4, RES_B)]);
    expect(r.results.map((x) => [x.mutationId, x.status, x.reason])).toEqual([
      [2, 'rejected', expect.stringMatching(/^lost: 中央サーバの復元で失われ/)],
      [3, 'rejected', expect.stringMatching(/^lost: /)],
      [4, 'applied', undefined],
    ]);
    expect(r.lastMutationId).toBe(4);
    const rows = (await pg.pool.query("SELECT mutation_id, client_uuid, status FROM mutations WHERE terminal_id = 'T001' ORDER BY mutation_id")).rows;
    expect(rows).toEqual([
      { mutation_id: '1', client_uuid: expect.any(String), status: 'applied' },
      { mutation_id: '2', client_uuid: null, status: 'rejected' },
      { mutation_id: '3', client_uuid: null, status: 'rejected' },
      { mutation_id: '4', client_uuid: expect.any(String), status: 'applied' },
    ]);
    expect(statuses(await pushOk('T001', [{ mutationId: 1, lost: true }]))).toEqual(['1:duplicate']);
    expect(await count('mutations')).toBe(4);
    expect(await count('entities')).toBe(2);
    expect(await count('conflicts')).toBe(0);
  });

  it('an edit based on a version the server does not hold (it lost it) is applied over what it holds, not a conflict', async () => {
    await pushOk('T001', [insert(1, RES_A, { address: '元の住所' })]);
    // The restored server holds version 1; the terminal's edit was built on version 3 (versions 2 and 3 lost).
    const r = await pushOk('T001', [replay(update(2, RES_A, 4, { address: '新しい住所' }))]);
    expect(statuses(r)).toEqual(['2:applied']);
    expect(await entity(RES_A)).toMatchObject({ version: 4, payload: expect.objectContaining({ address: '新しい住所', name_kanji: '山田 太郎', version: 4 }) });
    const m = (await pg.pool.query("SELECT status, reason FROM mutations WHERE mutation_id = 2")).rows[0];
    expect(m).toEqual({ status: 'applied', reason: 'restore: based on version 3, server had 1' });
    // The same for an edit made after the restore on a copy that already held the lost versions (no replay mark).
    expect(statuses(await pushOk('T002', [update(1, RES_A, 6, { address: '更に新しい住所' })]))).toEqual(['1:applied']);
    expect(await entity(RES_A)).toMatchObject({ version: 6, updated_by_terminal: 'T002' });
    expect(await count('conflicts')).toBe(0);
  });

  it('a replayed edit the server already holds (a later edit built on it came first) is applied without a change; otherwise it stays a conflict', async () => {
    await pushOk('T001', [insert(1, RES_A, { address: '元の住所' })]);
    expect(statuses(await pushOk('T002', [update(1, RES_A, 3, { address: 'T002の住所', katagaki: '方書' })]))).toEqual(['1:applied']);
    const seq = await seqOf(RES_A);
    // T001's version 2 (the edit T002's version 3 was built on) comes back after it: already held.
    const held = await pushOk('T001', [replay(update(2, RES_A, 2, { address: 'T002の住所' }))]);
    expect(statuses(held)).toEqual(['2:applied']);
    expect(await entity(RES_A)).toMatchObject({ version: 3, updated_by_terminal: 'T002' });
    expect(await seqOf(RES_A)).toBe(seq); // nothing changed, nothing for terminals to pull
    expect((await pg.pool.query("SELECT reason FROM mutations WHERE terminal_id = 'T001' AND mutation_id = 2")).rows[0]).toEqual({ reason: 'replay: already held by version 3' });
    expect(await count('conflicts')).toBe(0);
    // A replay the server does not hold, and the same edit without the replay mark, are conflicts as before.
    const differs = await pushOk('T001', [replay(update(3, RES_A, 2, { address: '別の住所' })), update(4, RES_A, 2, { address: 'T002の住所' })]);
    expect(differs.results.map((x) => [x.status, x.reason])).toEqual([
      ['rejected', 'conflict: based on version 1, server has 3'],
      ['rejected', 'conflict: based on version 1, server has 3'],
    ]);
    expect(await count('conflicts')).toBe(2);
    expect(await entity(RES_A)).toMatchObject({ version: 3, payload: expect.objectContaining({ address: 'T002の住所' }) });
  });

  it('a replayed edit of a record the server does not hold (its creator has not sent it back yet) is kept as a conflict', async () => {
    const r = await pushOk('T001', [replay(update(1, RES_A, 2, { address: '住所' }))]);
    expect(r.results).toEqual([{ mutationId: 1, status: 'rejected', reason: 'conflict: record not on the server (its database was restored; not sent back yet)' }]);
    const { rows } = await pg.pool.query('SELECT entity_id, client_version, server_version, client_payload FROM conflicts');
    expect(rows).toEqual([{ entity_id: RES_A, client_version: 2, server_version: null, client_payload: { version: 2, address: '住所' } }]);
    // Without the replay mark it is refused as before.
    expect((await pushOk('T001', [update(2, RES_B, 2, { address: '住所' })])).results[0]).toMatchObject({ status: 'rejected', reason: 'not_found: no such record on the server' });
    expect(await count('entities')).toBe(0);
  });
});

describe('interrupted pushes converge', () => {
  function bigBatch(n: number): Mut[] {
    return Array.from({ length: n }, (_, i) => insert(i + 1, `0190c000-0000-7000-8000-${String(i).padStart(12, '0')}`, { name_kanji: `住民${i}` }));
  }

  async function settle(terminalId: string): Promise<number> {
    let prev = -1;
    for (;;) {
      const now = await lastMutationId(terminalId);
      if (now === prev) return now;
      prev = now;
      await new Promise((r) => setTimeout(r, 400));
    }
  }

  async function expectConverged(batch: Mut[]) {
    expect(await lastMutationId('T001')).toBe(batch.length);
    expect(await count('mutations')).toBe(batch.length);
    expect(await count('entities')).toBe(batch.length);
    const { rows } = await pg.pool.query<{ entity_id: string; version: number; name: string }>(
      "SELECT entity_id, version, payload->>'name_kanji' AS name FROM entities ORDER BY entity_id",
    );
    expect(rows).toEqual(batch.map((m) => ({ entity_id: m.entityId, version: 1, name: m.payload.name_kanji })));
  }

  it('a terminal killed mid-push resends the batch: nothing lost, nothing duplicated', async () => {
    const batch = bigBatch(300);
    await postAndAbort(port, pki.ca, t('T001'), '/v1/push', { terminalId: 'T001', mutations: batch }, 60);
    const done = await settle('T001');
    const r = await pushOk('T001', batch);
    expect(r.results.filter((x) => x.status === 'duplicate')).toHaveLength(done);
    expect(r.results.filter((x) => x.status === 'applied')).toHaveLength(batch.length - done);
    await expectConverged(batch);
  }, 60_000);

  it('database connections dropped mid-batch: 500, then the retry completes exactly once', async () => {
    const batch = bigBatch(300);
    const inFlight = pushAs(t('T001'), 'T001', batch);
    await new Promise((r) => setTimeout(r, 80));
    await pg.pool.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    const first = await inFlight;
    const partial = await lastMutationId('T001');
    if (first.status === 200) {
      // the batch finished before the kill: still fine, but then nothing was interrupted
      expect(partial).toBe(batch.length);
    } else {
      expect(first.status).toBe(500);
      expect(partial).toBeLessThan(batch.length);
    }
    const r = await pushOk('T001', batch);
    expect(r.results.filter((x) => x.status === 'duplicate')).toHaveLength(partial);
    expect(r.results.filter((x) => x.status === 'applied')).toHaveLength(batch.length - partial);
    await expectConverged(batch);
  }, 60_000);
});

describe('pull', () => {
  it('returns changes in server order with a working cursor; a deleted person leaves the population and is dropped', async () => {
    await pushOk('T001', [insert(1, RES_A), insert(2, RES_B)]);
    await pushOk('T002', [insert(1, RES_C), update(2, RES_A, 2, { address: '更新' })]);
    await pushOk('T001', [update(3, RES_B, 2, { deleted: 1 })]); // the terminal's soft delete

    const all = (await call(port, pki.ca, t('T002'), 'GET', '/v1/pull?cursor=0&limit=100')).body as PullResponse;
    // A deleted resident is in no 事務's population (issue 16 §1): a pull from 0 leaves it out; after a cursor it
    // comes as `dropped`, with nothing about the person.
    expect(all.changes.map((c) => [c.entityId, c.version, c.deleted])).toEqual([
      [RES_C, 1, false],
      [RES_A, 2, false],
    ]);
    const seqs = all.changes.map((c) => c.serverSeq);
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
    expect(all.cursor).toBeGreaterThan(seqs[1]!);
    expect(all.more).toBe(false);
    expect(all.changes[1]!.payload).toMatchObject({ id: RES_A, name_kanji: '山田 太郎', address: '更新', version: 2 });

    // paging with the cursor returns each change exactly once
    const seen: string[] = [];
    let cursor = 0;
    for (;;) {
      const page = (await call(port, pki.ca, t('T001'), 'GET', `/v1/pull?cursor=${cursor}&limit=1`)).body as PullResponse;
      seen.push(...page.changes.map((c) => c.entityId));
      cursor = page.cursor;
      if (!page.more) break;
    }
    expect(seen).toEqual([RES_C, RES_A, RES_B]);
    const afterFirst = (await call(port, pki.ca, t('T001'), 'GET', `/v1/pull?cursor=${seqs[0]}`)).body as PullResponse;
    expect(afterFirst.changes.find((c) => c.entityId === RES_B)).toMatchObject({ deleted: true, dropped: true, payload: {} });
    // nothing new: the cursor stays put
    const none = (await call(port, pki.ca, t('T001'), 'GET', `/v1/pull?cursor=${cursor}`)).body as PullResponse;
    expect(none).toEqual({ changes: [], cursor, more: false, scopeKey: '271004:kodomo,kokuho,yobou:p2:admin' });
    // a later change shows up after the cursor
    await pushOk('T001', [update(4, RES_C, 2, { address: '新' })]);
    const next = (await call(port, pki.ca, t('T001'), 'GET', `/v1/pull?cursor=${cursor}`)).body as PullResponse;
    expect(next.changes.map((c) => [c.entityId, c.version])).toEqual([[RES_C, 2]]);
  });

  it("op 'delete' soft-deletes, and an edit of a deleted record is a conflict", async () => {
    await pushOk('T001', [insert(1, RES_A), { ...update(2, RES_A, 2, {}), op: 'delete' }]);
    expect(await entity(RES_A)).toMatchObject({ version: 2, deleted: true });
    expect((await entity(RES_A))!.payload).toMatchObject({ deleted: 1 });
    const r = await pushOk('T001', [update(3, RES_A, 3, { address: 'x' })]);
    expect(r.results).toEqual([{ mutationId: 3, status: 'rejected', reason: 'conflict: record was deleted' }]);
    expect(await count('conflicts')).toBe(1);
    expect(await entity(RES_A)).toMatchObject({ version: 2, deleted: true });
  });

  it('refuses a bad query with 400', async () => {
    expect((await call(port, pki.ca, t('T001'), 'GET', '/v1/pull?cursor=-1')).status).toBe(400);
    expect((await call(port, pki.ca, t('T001'), 'GET', '/v1/pull?limit=999999')).status).toBe(400);
  });
});
