import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp, type SyncApp } from '../app';
import { loadServerTls } from '../pki';
import { call, makePki, resetDb, startPostgres, type PgFixture, type PkiFixture } from '../../testing/server';
import { clockFrom } from '../../testing/clock';
import type { PullResponse, PushResponse } from '../../shared/sync/protocol';

// Two app servers on one PostgreSQL: they share nothing but the database.
const TERMINALS = ['T001', 'T002', 'T003', 'T004', 'T005', 'T006'];

let pg: PgFixture;
let pki: PkiFixture;
const servers: { app: SyncApp; port: number }[] = [];

beforeAll(async () => {
  [pg, pki] = await Promise.all([startPostgres(), makePki(TERMINALS)]);
  const tls = await loadServerTls(pki.dir);
  for (let i = 0; i < 2; i++) {
    const app = await buildApp({ pool: pg.pool, tls, clock: clockFrom('2026-11-22T01:00:00Z') });
    await app.app.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.app.server.address();
    servers.push({ app, port: typeof addr === 'object' && addr ? addr.port : 0 });
  }
}, 120_000);

afterAll(async () => {
  for (const s of servers) await s.app.app.close();
  await pg?.stop();
  await pki?.stop();
}, 120_000);

beforeEach(async () => {
  await resetDb(pg.pool);
});

function uuidFor(terminal: string, n: number): string {
  const t = terminal.replace(/\D/g, '').padStart(4, '0');
  return `0190b000-${t}-7000-8000-${String(n).padStart(12, '0')}`;
}

function push(server: number, terminalId: string, mutations: unknown[]) {
  return call(servers[server]!.port, pki.ca, pki.terminals[terminalId]!, 'POST', '/v1/push', { terminalId, mutations });
}

describe('several servers on one database', () => {
  it('applies a batch sent to both servers at once exactly once', async () => {
    const batch = Array.from({ length: 20 }, (_, i) => ({
      mutationId: i + 1, clientUuid: randomUUID(), entity: 'residents', entityId: uuidFor('T001', i), op: 'insert',
      payload: { version: 1, atena_no: String(200000 + i), name_kanji: `住民${i}`, birth_date: '1980-01-01', sex: '2' },
    }));
    const [a, b] = await Promise.all([push(0, 'T001', batch), push(1, 'T001', batch)]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    const ra = (a.body as PushResponse).results;
    const rb = (b.body as PushResponse).results;
    for (let i = 0; i < batch.length; i++) {
      expect([ra[i]!.status, rb[i]!.status].sort()).toEqual(['applied', 'duplicate']);
    }
    const { rows } = await pg.pool.query<{ n: string; e: string }>(
      'SELECT (SELECT count(*) FROM mutations) AS n, (SELECT count(*) FROM entities) AS e',
    );
    expect(rows[0]).toEqual({ n: '20', e: '20' });
  });

  it('a puller paging while terminals push through both servers misses no change', async () => {
    const PER = 15;
    const writers = TERMINALS.map(async (terminalId, ti) => {
      let mid = 0;
      for (let i = 0; i < PER; i++) {
        const id = uuidFor(terminalId, i);
        const batch = [
          { mutationId: ++mid, clientUuid: randomUUID(), entity: 'residents', entityId: id, op: 'insert', payload: { version: 1, atena_no: '1', name_kanji: 'a', birth_date: '1980-01-01', sex: '1' } },
          { mutationId: ++mid, clientUuid: randomUUID(), entity: 'residents', entityId: id, op: 'update', payload: { version: 2, address: `${terminalId}-${i}` } },
        ];
        const r = await push((ti + i) % 2, terminalId, batch);
        expect((r.body as PushResponse).results.map((x) => x.status)).toEqual(['applied', 'applied']);
      }
    });
    const seen = new Map<string, number>();
    let cursor = 0;
    let lastSeq = 0;
    let done = false;
    const puller = (async () => {
      for (let round = 0; ; round++) {
        const finished = done;
        const page = (await call(servers[round % 2]!.port, pki.ca, pki.terminals.T001!, 'GET', `/v1/pull?cursor=${cursor}&limit=7`)).body as PullResponse;
        for (const c of page.changes) {
          expect(c.serverSeq).toBeGreaterThan(lastSeq);
          lastSeq = c.serverSeq;
          seen.set(c.entityId, Math.max(seen.get(c.entityId) ?? 0, c.version));
        }
        cursor = page.cursor;
        if (finished && !page.more) break;
      }
    })();
    await Promise.all(writers);
    done = true;
    await puller;

    const { rows } = await pg.pool.query<{ entity_id: string; version: number; payload: { address: string } }>(
      'SELECT entity_id, version, payload FROM entities',
    );
    expect(rows).toHaveLength(TERMINALS.length * PER);
    expect(rows.every((r) => r.version === 2)).toBe(true);
    expect(seen.size).toBe(rows.length);
    for (const r of rows) expect(seen.get(r.entity_id)).toBe(2);
    const m = await pg.pool.query<{ terminal_id: string; last: string }>('SELECT terminal_id, last_mutation_id AS last FROM terminals ORDER BY terminal_id');
    expect(m.rows).toEqual(TERMINALS.map((t) => ({ terminal_id: t, last: String(PER * 2) })));
  }, 60_000);
});
