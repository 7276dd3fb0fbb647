import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshDuePopulations, populationsDue } from '../population';
import { publishProfile } from '../profiles';
import { call, resetDb, useSyncServer, type ClientCert, type PgFixture, type PkiFixture } from '../../testing/server';
import { movableClock } from '../../testing/clock';
import { importBuilt, jukiRow, kokuhoRow } from '../../testing/interface-files';
import type { ChecksumResponse, PullResponse, PushResponse } from '../../shared/sync/protocol';
import sampleProfile from '../../resources/profiles/sample-osaka.json';

/**
 * Issue 16 §1: a terminal holds only the people its 事務 serves. Real PostgreSQL, the real import and the real HTTPS
 * pull: on 2027-03-30 (Japan) a こども医療 terminal holds the children through their 18歳年度末 and their 保護者, a
 * 国保 terminal the members of 国保 世帯, a 予防接種 terminal the routine ages (0〜16歳年度末, 60歳から) and anyone
 * with a 接種歴; on 4月1日 the child who reached the 18歳年度末 and her 保護者 are dropped from the こども terminal
 * at its next pull, with nothing about them in the change.
 */
const clock = movableClock('2027-03-30T01:00:00Z'); // 10:00 in Japan
let pg: PgFixture, pki: PkiFixture, port: number;
useSyncServer(['ALL1', 'KODO', 'KOKU', 'YOBO'], {
  clock,
  scopes: {
    KODO: { municipality: '271004', jimu: ['kodomo'] },
    KOKU: { municipality: '271004', jimu: ['kokuho'] },
    YOBO: { municipality: '271004', jimu: ['yobou'] },
  },
}, (s) => ({ pg, pki, port } = s));

const t = (id: string): ClientCert => pki.terminals[id]!;
const nextId: Record<string, number> = {};
async function push(terminal: string, entity: string, entityId: string, payload: Record<string, unknown>): Promise<PushResponse['results'][number]> {
  nextId[terminal] = (nextId[terminal] ?? 0) + 1;
  const r = await call(port, pki.ca, t(terminal), 'POST', '/v1/push', { terminalId: terminal, mutations: [{ mutationId: nextId[terminal], clientUuid: randomUUID(), entity, entityId, op: 'insert', payload }] });
  expect(r.status).toBe(200);
  return (r.body as PushResponse).results[0]!;
}
async function pull(terminal: string, cursor = 0): Promise<PullResponse> {
  const r = await call(port, pki.ca, t(terminal), 'GET', `/v1/pull?cursor=${cursor}&limit=5000`);
  expect(r.status).toBe(200);
  return r.body as PullResponse;
}

// 住基: household 500000000 = 世帯主 (guardian of the child) born 1970, 妻 born 1972, child born 2008-04-02 (18歳年度末
// 2027-03-31); household 500000001 = 世帯主 insured in 国保, 妻 (not insured), child born 2020-06-01; household
// 500000002 = a person born 1950; the 8th person is 36 and has nothing to do with any 事務 (yet).
const BIRTHS = ['19700505', '19720606', '20080402', '19800101', '19820202', '20200601', '19500303', '19900909'];
const atena = (n: number) => String(100000000 + n);
let id: Record<number, string> = {};
const residentIds = (c: PullResponse) => new Set(c.changes.filter((x) => x.entity === 'residents' && !x.dropped).map((x) => x.entityId));
const names = (ids: Set<string>) => [...ids].map((x) => Object.entries(id).find(([, v]) => v === x)?.[0]).map(Number).sort();

let dir: string;
beforeAll(async () => {
  await resetDb(pg.pool);
  dir = await mkdtemp(join(tmpdir(), 'madoguchi-population-'));
  await publishProfile(pg.pool, sampleProfile, 'TEST');
  const juki = await importBuilt(pg.pool, dir, { interface: 'JUKI', seq: 1 }, BIRTHS.map((b, n) => jukiRow(n, { birth_date: b, became_resident_on: b, ido_date: b })), clock);
  expect(juki.result).toBe('applied');
  const kokuho = await importBuilt(pg.pool, dir, { interface: 'KOKUHO', seq: 1 }, [kokuhoRow(3, { head_atena_no: atena(3) })], clock);
  expect(kokuho.result).toBe('applied');
  const rows = await pg.pool.query<{ entity_id: string; a: string }>("SELECT entity_id, payload->>'atena_no' AS a FROM entities WHERE entity = 'residents'");
  id = Object.fromEntries(rows.rows.map((r) => [Number(r.a) - 100000000, r.entity_id]));
  // The 保護者 link of the first household's child (terminals propose links; the server holds them).
  expect((await push('ALL1', 'resident_guardians', randomUUID(), { version: 1, created_at: clock.now().toISOString(), created_by: 'D1001', updated_at: clock.now().toISOString(), updated_by: 'D1001', child_id: id[2], guardian_id: id[0], relationship: '父' })).status).toBe('applied');
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('who each 事務 holds', () => {
  it('on 2027-03-30 each terminal receives its 事務\'s population, without 個人番号, and its checksum counts only those', async () => {
    const kodomo = await pull('KODO');
    expect(names(residentIds(kodomo))).toEqual([0, 2, 5]); // the two children, the 保護者 of the first (the second's has no link)
    expect(kodomo.changes.filter((c) => c.entity === 'resident_guardians' && !c.dropped)).toHaveLength(1);
    expect(names(residentIds(await pull('KOKU')))).toEqual([3, 4, 5]); // the insured 世帯主 and his 世帯
    expect(names(residentIds(await pull('YOBO')))).toEqual([5, 6]); // 2020生 (0〜16歳年度末) and 1950生 (60歳から)
    expect(names(residentIds(await pull('ALL1')))).toEqual([0, 2, 3, 4, 5, 6]); // the union; the 36-year-old is nobody's
    expect(JSON.stringify(kodomo)).not.toMatch(/"my_number"|"[0-9]{12}"/);
    const sum = await call(port, pki.ca, t('KODO'), 'GET', '/v1/pull/checksum');
    const live = kodomo.changes.filter((c) => !c.deleted).length;
    expect((sum.body as ChecksumResponse).count).toBe(live);
  });

  it('a record of a 事務 brings the person it names, before the record itself; on 4月1日 the child past the 18歳年度末 and her 保護者 are dropped with nothing about them', async () => {
    const before = { kodomo: await pull('KODO'), yobou: await pull('YOBO') };
    // A 接種歴 for the 36-year-old (a 風しん 追加的対策, say), entered at an all-事務 terminal.
    const rec = randomUUID();
    expect((await push('ALL1', 'vaccination_records', rec, { version: 1, resident_id: id[7], vaccine: 'MR', stage: 'other', dose_number: 1, administered_on: '2027-03-29', source: 'counter', invalid: 0 })).status).toBe('applied');
    const yobou = await pull('YOBO', before.yobou.cursor);
    const order = yobou.changes.map((c) => c.entityId);
    expect(order).toContain(id[7]);
    expect(order.indexOf(id[7]!)).toBeLessThan(order.indexOf(rec));
    expect(yobou.changes.find((c) => c.entityId === id[7])?.dropped).toBeUndefined();

    // The next day's check finds nothing due on the same day; after midnight of 3/31 → 4/1 in Japan it is due.
    expect(await populationsDue(pg.pool, clock.now())).toEqual([]);
    clock.advanceHours(48); // 2027-04-01 10:00 in Japan
    expect(await populationsDue(pg.pool, clock.now())).toEqual(['271004']);
    const [r] = await refreshDuePopulations(pg.pool, clock.now());
    expect(r).toMatchObject({ municipality: '271004', left: 2, entered: 0 }); // the child and her 保護者, from こども only
    const after = await pull('KODO', before.kodomo.cursor);
    const dropped = after.changes.filter((c) => c.dropped);
    const link = before.kodomo.changes.find((c) => c.entity === 'resident_guardians')!.entityId;
    expect(dropped.map((c) => c.entityId)).toEqual(expect.arrayContaining([id[0], id[2], link]));
    // Any other drop names someone this terminal never held (the 36-year-old, re-drawn when the 接種歴 made him a
    // 予防接種 member): an ID and a version, nothing else — the terminal has nothing to remove.
    const heldBefore = new Set(before.kodomo.changes.map((c) => c.entityId));
    for (const c of dropped.filter((x) => ![id[0], id[2], link].includes(x.entityId))) expect(heldBefore.has(c.entityId)).toBe(false);
    for (const c of dropped) expect(c).toMatchObject({ deleted: true, payload: {} });
    expect(after.changes.filter((c) => !c.dropped && c.entity === 'residents')).toEqual([]);
    // A full pull now holds only the younger child.
    expect(names(residentIds(await pull('KODO')))).toEqual([5]);
  });
});
