import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type SyncApp } from '../app';
import { loadServerTls } from '../pki';
import { call, makePki, startPostgres, type PgFixture, type PkiFixture } from './fixtures';
import { deeplyNested, hostileJson, hostileString } from '../../shared/__tests__/hostile';
import { textProblem } from '../../shared/text';
import { SYNC_ENTITY_FIELDS, type PushResponse } from '../../shared/sync/protocol';

/**
 * Property-based fuzzing of the push endpoint of the real server (issue 13 §1): real PostgreSQL, mutual TLS, the
 * server's log captured. Batches mix valid mutations with hostile ones (control characters and lone surrogates in
 * values and keys, huge strings, `__proto__`, nesting, wrong shapes, JSON text carrying escapes). Asserted: never
 * a 500; each hostile mutation rejected on its own and the valid ones applied; the server keeps serving; the log
 * never carries a payload. Fixed seed (FUZZ_SEED overrides), printed.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 13_2026);
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);

let pg: PgFixture;
let pki: PkiFixture;
let server: SyncApp;
let port: number;
const log: string[] = [];

beforeAll(async () => {
  console.log(`push fuzz: seed ${SEED}, ${RUNS} batches per property (FUZZ_SEED, FUZZ_RUNS)`);
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

/** A `__proto__` or `constructor` key anywhere in JSON text (not inside a string). */
const POISON = /(?<!\\)"(?:__proto__|constructor)"\s*:/;
const push = (body: unknown) => call(port, pki.ca, pki.terminals.T001!, 'POST', '/v1/push', body);
/** A marker in every payload: it must never show up in the server's log. */
const MARKER = '監査用の目印ZQX';
let next = 1; // the server's next mutationId for T001
let entity = 0;
const newId = () => `0190b000-0000-7000-8000-${String(++entity).padStart(12, '0')}`;

type Planned = { body: Record<string, unknown>; hostile: boolean };

/** A valid insert of a resident (the server applies it). */
const good = (): Planned => {
  const id = newId();
  return {
    hostile: false,
    body: { clientUuid: randomUUID(), entity: 'residents', entityId: id, op: 'insert', payload: { id, version: 1, atena_no: String(300000000 + entity), name_kanji: `${MARKER}\u3000太郎`, birth_date: '2015-04-01', sex: '1' } },
  };
};

/** A resident insert with `value` in one text field or as a field name (hostile when the text rules refuse it). */
const withText = (field: 'name_kanji' | 'address' | 'katagaki' | 'key', value: string): Planned => {
  const p = good();
  const payload = p.body.payload as Record<string, unknown>;
  if (field === 'key') Object.defineProperty(payload, value, { value: MARKER, enumerable: true, writable: true, configurable: true });
  else payload[field] = `${MARKER}${value}`;
  const bad = field === 'key' ? !SYNC_ENTITY_FIELDS.residents.includes(value) : textProblem(value, true) !== null || value.length > 90_000;
  return { hostile: bad, body: p.body };
};

/** Shapes the protocol refuses whatever their text. */
const malformed: fc.Arbitrary<Planned> = fc.oneof(
  hostileJson(3).map((j) => ({ hostile: true, body: { junk: j } })),
  fc.constantFrom<Planned>(
    { hostile: true, body: { clientUuid: '\u0000', entity: '\uD800', entityId: '\u0000'.repeat(36), op: 'insert', payload: {} } },
    { hostile: true, body: { ...good().body, payload: { version: 1, nested: deeplyNested(50) } } },
    { hostile: true, body: JSON.parse(`{"clientUuid":"${randomUUID()}","entity":"residents","entityId":"${newId()}","op":"insert","payload":{"version":1},"__proto__":{"x":1}}`) as Record<string, unknown> },
    { hostile: true, body: { ...good().body, entity: 'terminal_settings' } },
    { hostile: true, body: { ...good().body, payload: { ...(good().body.payload as object), name_kanji: 'x'.repeat(100_001) } } },
  ),
  hostileString.map((h) => {
    const p = good();
    const id = p.body.entityId as string;
    return { hostile: true, body: { clientUuid: randomUUID(), entity: 'certificates', entityId: id, op: 'insert', payload: { id, version: 1, cert_type: 'kodomo_iryo', certificate_no: 'K1', valid_from: '2026-04-01', status: 'valid', details_json: JSON.stringify({ note: `\u0000${h}` }) } } };
  }),
);

const mutation: fc.Arbitrary<() => Planned> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(good) },
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom('name_kanji', 'address', 'katagaki', 'key') as fc.Arbitrary<'name_kanji' | 'address' | 'katagaki' | 'key'>, hostileString).map(([f, v]) => () => withText(f, v)) },
  { weight: 2, arbitrary: malformed.map((m) => () => m) },
);

describe('push fuzz against the real server', () => {
  it('a batch of valid and hostile mutations: 200, hostile ones rejected one by one, valid ones applied, the server serves on', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 8 }), async (makers) => {
        const planned = makers.map((make) => make());
        const first = next;
        const mutations = planned.map((p, i) => ({ ...p.body, mutationId: first + i }));
        const body = { terminalId: 'T001', mutations };
        const r = await push(body);
        if (r.status === 400 && POISON.test(JSON.stringify(body))) {
          // Fastify refuses a body with a prototype-poisoning key whole (secure JSON parsing): nothing is taken.
          expect((await call(port, pki.ca, pki.terminals.T001!, 'GET', '/v1/push/state')).body).toMatchObject({ lastMutationId: first - 1 });
          return;
        }
        expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(200);
        const res = r.body as PushResponse;
        expect(res.lastMutationId).toBe(first + planned.length - 1);
        expect(res.results.map((x) => x.mutationId)).toEqual(mutations.map((m) => m.mutationId));
        res.results.forEach((x, i) => {
          if (planned[i]!.hostile) expect(x.status, `mutation ${i} ${JSON.stringify(mutations[i]).slice(0, 200)}`).toBe('rejected');
          else expect(['applied', 'rejected']).toContain(x.status);
          if (!planned[i]!.hostile && (planned[i]!.body.payload as Record<string, unknown>).name_kanji === `${MARKER}\u3000太郎`) expect(x.status).toBe('applied');
        });
        next = first + planned.length;
        expect((await call(port, pki.ca, pki.terminals.T001!, 'GET', '/v1/health')).status).toBe(200);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    const stored = await pg.pool.query<{ n: string }>(`SELECT count(*) AS n FROM mutations WHERE terminal_id = 'T001'`);
    expect(Number(stored.rows[0]!.n)).toBe(next - 1);
  });

  it('arbitrary envelopes are answered 400 (or 403 for another terminal), never 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(hostileJson(4), fc.record({ terminalId: fc.oneof(hostileString, fc.constant('T001'), fc.constant('T002')), mutations: fc.oneof(hostileJson(2), fc.array(hostileJson(2), { maxLength: 3 })) })),
        async (body) => {
          const r = await push(body);
          expect([200, 400, 403], JSON.stringify(r.body).slice(0, 300)).toContain(r.status);
          if (r.status === 200) next = (r.body as PushResponse).lastMutationId + 1;
        },
      ),
      { seed: SEED + 1, numRuns: RUNS, endOnFailure: true },
    );
    expect((await call(port, pki.ca, pki.terminals.T001!, 'GET', '/v1/health')).status).toBe(200);
  });

  it('the server log never carried a payload', () => {
    expect(log.join('\n')).not.toContain(MARKER);
  });
});
