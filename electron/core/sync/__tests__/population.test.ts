import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { refreshDuePopulations } from '../../../../server/population';
import { movableClock } from '../../../../testing/clock';
import { importBuilt, jukiRow, kokuhoRow } from '../../../../testing/interface-files';
import { scanTerminalForMyNumbers } from '../../../../testing/mynumber-scan';
import { call, resetDb, useSyncServer, type PgFixture, type SyncServerFixture } from '../../../../testing/server';
import { closeTerminals, openTerminal, type TestTerminal } from '../../../../testing/terminals';
import { insertRecord } from '../../db/records';
import { SyncEngine } from '../sync-engine';

/**
 * Issue 16 §1 at a real terminal core (SQLCipher) against the real server (PostgreSQL, mutual TLS): a こども医療-only
 * terminal that syncs from nothing holds exactly the こども population — the children through their 18歳年度末 and
 * their 保護者 — and no 個人番号 in any table or in the WAL; on 4月1日 the child past her 18歳年度末 and her 保護者
 * leave its database at the next pull (the rows are gone, not tombstones); a terminal still holding a copy made
 * before populations existed takes one fresh snapshot and sweeps everyone outside its population.
 */
const clock = movableClock('2027-03-30T01:00:00Z'); // 10:00 in Japan
let fixture: SyncServerFixture, pg: PgFixture;
useSyncServer(['ALL1', 'KODO'], { clock, scopes: { KODO: { municipality: '271004', jimu: ['kodomo'] } } }, (s) => ({ pg } = fixture = s));

// 住基: household 0 = 保護者 (1970) + 妻 (1972) + child born 2008-04-02 (18歳年度末 2027-03-31); household 1 = 国保 世帯主
// (1980) + 妻 + child born 2020-06-01; then a person born 1950 and one born 1990.
const BIRTHS = ['19700505', '19720606', '20080402', '19800101', '19820202', '20200601', '19500303', '19900909'];
const atena = (n: number) => String(100000000 + n);
let dir: string;
let numbers: string[] = [];
const open: TestTerminal[] = [];
type Synced = TestTerminal & { engine: SyncEngine };
const terminal = (id: string): Synced => {
  const t = openTerminal(fixture, id, clock);
  open.push(t);
  return { ...t, engine: new SyncEngine(t.db, t.audit, clock, id) };
};
async function pullAll(t: Synced): Promise<void> {
  for (let i = 0; i < 50; i++) if (!(await t.engine.pullOnce(t.client, 3)).more) return; // small pages: orders across pages
}
const held = (t: Synced) => (t.db.prepare('SELECT atena_no FROM residents ORDER BY atena_no').pluck().all() as string[]).map((a) => Number(a) - 100000000);

beforeAll(async () => {
  await resetDb(pg.pool);
  dir = await mkdtemp(join(tmpdir(), 'madoguchi-population-'));
  expect((await importBuilt(pg.pool, dir, { interface: 'JUKI', seq: 1 }, BIRTHS.map((b, n) => jukiRow(n, { birth_date: b, became_resident_on: b, ido_date: b })), clock)).result).toBe('applied');
  expect((await importBuilt(pg.pool, dir, { interface: 'KOKUHO', seq: 1 }, [kokuhoRow(3, { head_atena_no: atena(3) })], clock)).result).toBe('applied');
  const ids = Object.fromEntries((await pg.pool.query<{ entity_id: string; a: string }>("SELECT entity_id, payload->>'atena_no' AS a FROM entities WHERE entity = 'residents'")).rows.map((r) => [Number(r.a) - 100000000, r.entity_id]));
  numbers = (await pg.pool.query<{ n: string }>("SELECT payload->>'my_number' AS n FROM entities WHERE entity = 'residents'")).rows.map((r) => r.n);
  expect(numbers).toHaveLength(BIRTHS.length);
  const link = await call(fixture.port, fixture.pki.ca, fixture.pki.terminals.ALL1!, 'POST', '/v1/push', {
    terminalId: 'ALL1', mutations: [{ mutationId: 1, clientUuid: randomUUID(), entity: 'resident_guardians', entityId: randomUUID(), op: 'insert', payload: { version: 1, created_at: clock.now().toISOString(), created_by: 'D1001', updated_at: clock.now().toISOString(), updated_by: 'D1001', child_id: ids[2], guardian_id: ids[0], relationship: '父' } }],
  });
  expect(link.status).toBe(200);
}, 120_000);
afterEach(() => closeTerminals(open));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('a こども医療 terminal holds the こども population and nothing else', () => {
  it('from nothing: the two children and the 保護者 of the first; no 個人番号 anywhere in its database; the checksum agrees', async () => {
    const t = terminal('KODO');
    await pullAll(t);
    expect(held(t)).toEqual([0, 2, 5]);
    expect(t.db.prepare('SELECT count(*) FROM resident_guardians').pluck().get()).toBe(1);
    expect(t.engine.waitingCount()).toBe(0);
    expect(await t.engine.verifyChecksum(t.client)).toBe('match');
    const scan = scanTerminalForMyNumbers(join(t.dir, 't.db'), join(t.dir, 't.key'), numbers);
    expect(scan.values).toBeGreaterThan(0);
    expect(scan.hits).toEqual([]);

    // 4月1日: the first child is past her 18歳年度末; she and her 保護者 leave the こども population.
    clock.advanceHours(48);
    try {
      await refreshDuePopulations(pg.pool, clock.now());
      await pullAll(t);
      expect(held(t)).toEqual([5]);
      expect(t.db.prepare('SELECT count(*) FROM resident_guardians').pluck().get()).toBe(0);
      expect(await t.engine.verifyChecksum(t.client)).toBe('match');
    } finally {
      clock.advanceHours(-48);
      await refreshDuePopulations(pg.pool, clock.now());
    }
  });

  it('a copy made before populations existed (an older scope key) is swept to the population by one snapshot', async () => {
    const t = terminal('KODO');
    await pullAll(t);
    // What the terminal held before: everyone of the municipality (here one person the server does not send it).
    insertRecord(t.db, 'residents', { atena_no: atena(7), name_kanji: '窓口 太郎7', name_kana: 'マドグチ タロウ', name_kana_key: 'マドグチタロウ', birth_date: '1990-09-09', sex: '2', postal_code: '5300001', address: '大阪市北区', household_no: '500000002', dv_support: 0, non_disclosure: 0, view_suspended: 0 }, { by: 'SYNC', at: clock.now().toISOString() });
    t.db.prepare("DELETE FROM outbox").run(); // as pulled, not a local change
    t.db.prepare("UPDATE sync_state SET value = '271004:kodomo' WHERE key = 'scope_key'").run();
    expect((await t.engine.pullOnce(t.client)).reset).toBe('scope_changed');
    await pullAll(t);
    expect(held(t)).toEqual([0, 2, 5]);
  });

  it('a `dropped` change removes only a person\'s own records: one naming a certificate (a server that lied) changes nothing', async () => {
    const t = terminal('KODO');
    await pullAll(t);
    const child = t.db.prepare("SELECT id, version FROM residents WHERE atena_no = ?").get(atena(5)) as { id: string; version: number };
    const stamp = { by: 'D1001', at: clock.now().toISOString() };
    const cert = insertRecord(t.db, 'certificates', {
      resident_id: child.id, cert_type: 'kodomo', certificate_no: '1000001', public_payer_no: '88270103', issue_kind: 'new', reissue_reason: null,
      issue_date: '2027-03-30', valid_from: '2027-03-30', valid_to: '2027-07-31', guardian_id: null, status: 'valid', superseded_by: null,
    }, stamp);
    t.db.prepare('DELETE FROM outbox').run(); // as if the server had confirmed it
    // The real server for everything but one pull page, which drops the certificate and the child's record.
    const cursor = t.engine.status().cursor;
    const page = {
      changes: [
        { serverSeq: cursor + 1, entity: 'certificates', entityId: cert, version: 1, deleted: true, dropped: true, payload: {} },
        { serverSeq: cursor + 2, entity: 'residents', entityId: child.id, version: child.version, deleted: true, dropped: true, payload: {} },
      ],
      cursor: cursor + 2, more: false, scopeKey: '271004:kodomo:p2',
    };
    const lying = { request: async (method: 'GET' | 'POST', url: string, body?: unknown) => (method === 'GET' && url.startsWith('/v1/pull?') ? { status: 200, json: page } : t.client.request(method, url, body)) };
    await t.engine.pullOnce(lying as typeof t.client);
    expect(t.db.prepare('SELECT count(*) FROM certificates WHERE id = ?').pluck().get(cert)).toBe(1);
    // The child's record stays too: the certificate still refers to it (the drop fails its savepoint and is reported).
    expect(t.db.prepare('SELECT count(*) FROM residents WHERE id = ?').pluck().get(child.id)).toBe(1);
    const problem = t.audit.list({ limit: 20 }).find((e) => e.action === 'sync.pullProblem');
    expect(JSON.stringify(problem?.detail)).toContain(child.id);
  });
});

