import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp, type SyncApp } from '../app';
import { loadServerTls } from '../pki';
import { call, makePki, resetDb, startPostgres, type PgFixture, type PkiFixture } from './fixtures';
import { myNumberCheckDigit } from '../../shared/domain/mynumber';
import type { PushResponse } from '../../shared/sync/protocol';

/**
 * Issue 13 §1 on the server: one bad character (or any database error) in one mutation is a stored `rejected`
 * for that mutation only — never a 500 for the batch, which the terminal would resend for ever — and the log
 * never carries the payload. Real PostgreSQL, real mutual TLS, the server's log captured.
 */
let pg: PgFixture;
let pki: PkiFixture;
let server: SyncApp;
let port: number;
const log: string[] = [];

beforeAll(async () => {
  [pg, pki] = await Promise.all([startPostgres(), makePki(['T001'])]);
  server = await buildApp({ pool: pg.pool, tls: await loadServerTls(pki.dir), logger: { level: 'info', stream: { write: (line: string) => void log.push(line) } } });
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  port = (server.app.server.address() as { port: number }).port;
}, 120_000);

afterAll(async () => {
  await server?.app.close();
  await pg?.stop();
  await pki?.stop();
}, 120_000);

beforeEach(async () => {
  await resetDb(pg.pool);
  log.length = 0;
});

const MY_NUMBER = ((first11: string) => `${first11}${myNumberCheckDigit(first11)}`)('73920581604');
let nextId = 0;
const entityId = () => `0190a000-0000-7000-8000-${String(++nextId).padStart(12, '0')}`;

function resident(mutationId: number, fields: Record<string, unknown> = {}) {
  const id = entityId();
  return {
    mutationId, clientUuid: randomUUID(), entity: 'residents', entityId: id, op: 'insert' as const,
    payload: { id, version: 1, atena_no: String(100000000 + mutationId), name_kanji: '山田 太郎', birth_date: '2015-04-01', sex: '1', ...fields },
  };
}

async function push(mutations: unknown[]) {
  return call(port, pki.ca, pki.terminals.T001!, 'POST', '/v1/push', { terminalId: 'T001', mutations });
}
const statuses = (r: { body: unknown }) => (r.body as PushResponse).results.map((x) => `${x.mutationId}:${x.status}`);
const stored = async () =>
  (await pg.pool.query<{ mutation_id: string; status: string; reason: string | null }>('SELECT mutation_id, status, reason FROM mutations ORDER BY mutation_id')).rows.map((r) => ({ id: Number(r.mutation_id), status: r.status, reason: r.reason }));

describe('a bad character in one mutation', () => {
  it('U+0000 and lone surrogates in field values: those mutations rejected and stored, the rest of the batch applied (200)', async () => {
    const r = await push([
      resident(1),
      resident(2, { name_kanji: '山田\u0000太郎' }),
      resident(3, { address: '大阪市\uD800' }),
      resident(4, { katagaki: '\uDC00' }),
      resident(5),
    ]);
    expect(r.status).toBe(200);
    expect(statuses(r)).toEqual(['1:applied', '2:rejected', '3:rejected', '4:rejected', '5:applied']);
    expect((r.body as PushResponse).lastMutationId).toBe(5);
    const rows = await stored();
    expect(rows.map((x) => x.status)).toEqual(['applied', 'rejected', 'rejected', 'rejected', 'applied']);
    expect(rows[1]!.reason).toMatch(/^invalid: payload\.name_kanji: /);
    expect(Number((await pg.pool.query('SELECT count(*) AS n FROM entities')).rows[0].n)).toBe(2);
  });

  it('a malformed mutation carrying U+0000 in its entity, keys and values is rejected on its own, not a 500', async () => {
    const r = await push([
      { mutationId: 1, clientUuid: randomUUID(), entity: 'residents\u0000', entityId: entityId(), op: 'insert', payload: { version: 1 } },
      { mutationId: 2, clientUuid: '\u0000', entity: '\uD800', entityId: '\u0000'.repeat(36), op: 'insert', payload: { 'k\u0000': '\u0000' }, extra: { '\uDC00': '\u0000' } },
      resident(3),
    ]);
    expect(r.status).toBe(200);
    expect(statuses(r)).toEqual(['1:rejected', '2:rejected', '3:applied']);
  });

  it('JSON text in a *_json field carrying an escaped U+0000 or lone surrogate is rejected', async () => {
    const certId = entityId();
    const cert = (mutationId: number, details: string) => ({
      mutationId, clientUuid: randomUUID(), entity: 'certificates', entityId: certId, op: 'insert',
      payload: { id: certId, version: 1, cert_type: 'kodomo_iryo', certificate_no: 'K1', valid_from: '2026-04-01', valid_to: '2027-03-31', status: 'valid', details_json: details },
    });
    const r = await push([cert(1, '{"note":"\\u0000"}'), cert(2, '{"note":"\\ud800"}'), cert(3, '{"note":"ok"}')]);
    expect(r.status).toBe(200);
    expect(statuses(r)).toEqual(['1:rejected', '2:rejected', '3:applied']);
  });
});

describe('a database error on one mutation', () => {
  it('is stored as rejected for that mutation only (savepoint); the batch goes on; the log carries no payload, detail or where', async () => {
    // A constraint the test adds makes PostgreSQL refuse one row; its error detail would quote the whole row.
    await pg.pool.query(`ALTER TABLE entities ADD CONSTRAINT test_refuse_row CHECK (payload->>'name_kanji' IS DISTINCT FROM '拒否\u3000花子')`);
    try {
      const r = await push([resident(1), resident(2, { name_kanji: '拒否\u3000花子', my_number: MY_NUMBER }), resident(3)]);
      expect(r.status).toBe(200);
      expect(statuses(r)).toEqual(['1:applied', '2:rejected', '3:applied']);
      const reason = (r.body as PushResponse).results[1]!.reason!;
      expect(reason).toMatch(/23514/);
      expect(reason).not.toContain(MY_NUMBER);
      expect((await stored())[1]).toMatchObject({ status: 'rejected' });
      // The server keeps serving this terminal: the next push continues after the rejected mutation.
      expect(statuses(await push([resident(4)]))).toEqual(['4:applied']);
    } finally {
      await pg.pool.query('ALTER TABLE entities DROP CONSTRAINT test_refuse_row');
    }
    const all = log.join('\n');
    expect(all).toMatch(/23514/); // the failure is logged …
    for (const secret of [MY_NUMBER, '拒否', 'Failing row', '"detail"', '"where"', 'parameters', 'name_kanji']) expect(all).not.toContain(secret); // … without the row
  });

  it('an error of the request itself (a broken connection) is still a 500, logged without the payload', async () => {
    await pg.pool.query(`CREATE OR REPLACE FUNCTION test_kill() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NEW; END $$`);
    await pg.pool.query('CREATE TRIGGER test_kill BEFORE INSERT ON entities FOR EACH ROW EXECUTE FUNCTION test_kill()');
    try {
      const r = await push([resident(1, { my_number: MY_NUMBER })]);
      expect(r.status).toBe(500);
      expect(r.body).toEqual({ error: 'internal', message: 'internal error' });
    } finally {
      await pg.pool.query('DROP TRIGGER test_kill ON entities');
      await pg.pool.query('DROP FUNCTION test_kill()');
    }
    expect(log.join('\n')).not.toContain(MY_NUMBER);
    const again = await push([resident(1)]);
    expect(again.status).toBe(200);
  });
});
