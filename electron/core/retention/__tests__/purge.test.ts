import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../../testing/clock';
import { createSeededCore, type SeededCore } from '../../../../testing/core';
import { auditOf, count } from '../../../../testing/db';
import type { Db } from '../../db/database';
import { insertRecord, uuidv7 } from '../../db/records';
import { purgeExpiredRecords } from '../purge';

/**
 * Retention of domain records on the terminal (issue 16 §3) with the real core on a seeded data directory. Today is
 * 2026-11-22 in Japan; the sample profiles keep each kind 5 years, so the cutoff is 2021-11-22: an end on
 * 2021-11-21 is just past retention, one on 2021-11-22 just within it.
 */
const NOW = '2026-11-22T01:00:00Z';
const STAMP = 'SEED';

let s: SeededCore | null = null;
afterEach(() => {
  s?.cleanup();
  s = null;
});

/** A record as a pull stores it (no outbox row): the common columns and the given values. */
function put(db: Db, table: string, values: Record<string, string | number | null>): string {
  const row = { id: uuidv7(), version: 1, created_at: NOW, created_by: STAMP, updated_at: NOW, updated_by: STAMP, deleted: 0, ...values };
  const cols = Object.keys(row);
  db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((c) => '@' + c).join(', ')})`).run(row);
  return row.id;
}

let certNo = 0;
function cert(db: Db, residentId: string, v: { status: string; valid_to: string | null; recall_status?: string; recall_date?: string | null; superseded_by?: string | null }, events = 1): string {
  const id = put(db, 'certificates', {
    resident_id: residentId, cert_type: 'kokuho_gengaku', certificate_no: `R9${String(++certNo).padStart(6, '0')}`, issue_kind: 'new', issue_date: '2019-04-01',
    valid_from: '2019-04-01', valid_to: v.valid_to, status: v.status, recall_status: v.recall_status ?? 'none', recall_date: v.recall_date ?? null, superseded_by: v.superseded_by ?? null,
  });
  for (let i = 0; i < events; i++) put(db, 'certificate_events', { certificate_id: id, resident_id: residentId, event: i === 0 ? 'issue' : 'print' });
  return id;
}

let claimNo = 0;
function claim(db: Db, residentId: string, v: { state: string; decided_at: string | null; kind?: string }, events = 2): string {
  const decided = v.state === 'decided';
  const id = put(db, 'claims', {
    claim_kind: v.kind ?? 'kokuho_ryoyohi', claim_no: `RT-${++claimNo}`, resident_id: residentId, application_date: '2019-05-01', state: v.state, input_json: '{}', identity_json: '{}', calc_json: '{}',
    entered_by: 'S1', checked_by: decided ? 'S2' : null, decided_by: decided ? 'S3' : null, decision: decided ? (v.kind === 'kodomo_shikaku' ? '認定' : '支給') : null, decided_at: v.decided_at,
  });
  for (let i = 0; i < events; i++) put(db, 'claim_events', { claim_id: id, event: i === 0 ? 'enter' : 'decide' });
  return id;
}

function shikaku(db: Db, residentId: string, lostOn: string | null, claimId = `RT-CLAIM-${uuidv7()}`): string {
  return put(db, 'kodomo_shikaku', {
    resident_id: residentId, atena_no: '0', claim_id: claimId, acquired_on: '2015-04-01', acquire_reason: '01', insurer_name: '大阪市', insurance_kind: '国保', insured_relation: '家族',
    insurance_symbol: '大1', insurance_number: '1', insurance_branch: '01', delivery_json: '{"method":"窓口"}', lost_on: lostOn, lose_reason: lostOn ? '02' : null,
  });
}

let flowNo = 0;
/** A 扶助 flow (fujo_flows) in `state`; its FlowRecord (record_json) holds the facts and the steps that give its end. */
function flow(db: Db, residentId: string, state: string, facts: Record<string, unknown>, steps: { action: string; input: Record<string, unknown> }[] = []): string {
  const record = {
    kind: 'iryo_direct', residentId, state, enteredBy: ['S1'], checkedBy: null, facts: { appliedOn: '2015-04-01', ...facts },
    history: [{ action: 'receive', by: 'S1', at: '2015-04-01T00:00:00.000Z', input: {} }, ...steps.map((st) => ({ by: 'S3', at: '2015-05-01T00:00:00.000Z', ...st }))],
  };
  return put(db, 'fujo_flows', { resident_id: residentId, flow_no: `RF-${++flowNo}`, kind: 'iryo_direct', state, applied_on: '2015-04-01', record_json: JSON.stringify(record) });
}
const decided = { action: 'decide', input: { decidedOn: '2015-04-10', decision: '開始', aidStartOn: '2015-04-01', reason: '' } };

const exists = (db: Db, table: string, id: string) => count(db, `SELECT count(*) AS n FROM ${table} WHERE id = ?`, id) === 1;
const maxMutation = (db: Db) => (db.prepare('SELECT max(mutation_id) AS m FROM outbox').get() as { m: number | null }).m ?? 0;

describe('retention purge of domain records', () => {
  it('removes each kind just past its 保存年限 with its children, keeps what is within it or has no end event, writes one audit entry with counts only, pushes nothing', async () => {
    s = await createSeededCore({ clock: fixedClock(NOW), households: 8 });
    const db = s.core.db;
    const people = db.prepare<[], { id: string }>('SELECT id FROM residents ORDER BY atena_no LIMIT 8').all().map((r) => r.id);
    const [r1, r2, r3, r4, r5] = people as [string, string, string, string, string];

    // Certificates: the end is valid_to for a valid one; the 回収 (or an earlier valid_to) for an ended one.
    const certOut = cert(db, r1, { status: 'valid', valid_to: '2021-11-21' }, 2);
    const certIn = cert(db, r3, { status: 'valid', valid_to: '2021-11-22' });
    const recalledOut = cert(db, r2, { status: 'superseded', valid_to: '2023-03-31', recall_status: 'recalled', recall_date: '2021-11-21' });
    const pendingRecall = cert(db, r2, { status: 'superseded', valid_to: null, recall_status: 'pending' }); // no end event
    const noEnd = cert(db, r4, { status: 'valid', valid_to: null });
    // A successor past retention named by a predecessor that stays within it stays too (held).
    const successor = cert(db, r5, { status: 'valid', valid_to: '2020-03-31' });
    const predecessor = cert(db, r5, { status: 'superseded', valid_to: '2023-03-31', recall_status: 'pending', superseded_by: successor });
    // Claims: the end is the 決定 (date in Japan): 2021-11-20T15:00Z is 2021-11-21 00:00 JST, 2021-11-21T15:00Z is 2021-11-22.
    const claimOut = claim(db, r1, { state: 'decided', decided_at: '2021-11-20T15:00:00.000Z' });
    const claimIn = claim(db, r1, { state: 'decided', decided_at: '2021-11-21T15:00:00.000Z' });
    const undecided = claim(db, r2, { state: 'received', decided_at: null });
    // こども医療 受給資格: the end is the 喪失日. A 交付申請 long decided stays while its 資格 (not lost) stays.
    const shikakuOut = shikaku(db, r1, '2021-11-21');
    const shikakuIn = shikaku(db, r1, '2021-11-22');
    const applicationOfCurrent = claim(db, r2, { state: 'decided', decided_at: '2018-06-01T01:00:00.000Z', kind: 'kodomo_shikaku' });
    const current = shikaku(db, r2, null, applicationOfCurrent);
    // A change of this terminal not yet confirmed by the server: never purged.
    const unsent = insertRecord(db, 'certificates', {
      resident_id: r2, cert_type: 'kokuho_gengaku', certificate_no: 'R9999999', issue_kind: 'new', issue_date: '2019-04-01', valid_from: '2019-04-01', valid_to: '2020-03-31', status: 'valid',
    }, { by: 'S1', at: NOW });
    const seededShikaku = count(db, 'SELECT count(*) AS n FROM kodomo_shikaku WHERE lost_on IS NULL');
    const outboxBefore = maxMutation(db);
    const outboxRows = count(db, 'SELECT count(*) AS n FROM outbox');

    const r = purgeExpiredRecords(db, s.core.audit, s.core.clock, s.core.profile.retention);

    expect(r.cutoffs).toEqual({ certificates: '2021-11-22', claims: '2021-11-22', kodomo_shikaku: '2021-11-22', fujo_flows: '2021-11-22' });
    expect(r.counts).toEqual({ certificates: 2, certificate_events: 3, claims: 1, claim_events: 2, kodomo_shikaku: 1, fujo_flows: 0, mailing_items: 0 });
    expect(r.held).toBe(3); // the successor, the 交付申請 of a current 資格, the unsent certificate
    for (const id of [certOut, recalledOut]) expect(exists(db, 'certificates', id)).toBe(false);
    for (const id of [certIn, pendingRecall, noEnd, successor, predecessor, unsent]) expect(exists(db, 'certificates', id)).toBe(true);
    expect(count(db, 'SELECT count(*) AS n FROM certificate_events WHERE certificate_id IN (?, ?)', certOut, recalledOut)).toBe(0);
    expect(count(db, 'SELECT count(*) AS n FROM certificate_events WHERE certificate_id = ?', certIn)).toBe(1);
    expect(exists(db, 'claims', claimOut)).toBe(false);
    expect(count(db, 'SELECT count(*) AS n FROM claim_events WHERE claim_id = ?', claimOut)).toBe(0);
    for (const id of [claimIn, undecided, applicationOfCurrent]) expect(exists(db, 'claims', id)).toBe(true);
    expect(count(db, 'SELECT count(*) AS n FROM claim_events WHERE claim_id = ?', claimIn)).toBe(2);
    expect(exists(db, 'kodomo_shikaku', shikakuOut)).toBe(false);
    for (const id of [shikakuIn, current]) expect(exists(db, 'kodomo_shikaku', id)).toBe(true);
    expect(count(db, 'SELECT count(*) AS n FROM kodomo_shikaku WHERE lost_on IS NULL')).toBe(seededShikaku); // the seeded 資格 (no 喪失) all stay

    // A local purge: nothing goes to the outbox; the purged records are remembered by entity, ID and version only.
    expect(maxMutation(db)).toBe(outboxBefore);
    expect(count(db, 'SELECT count(*) AS n FROM outbox')).toBe(outboxRows);
    expect(count(db, 'SELECT count(*) AS n FROM retention_purged')).toBe(2 + 3 + 1 + 2 + 1);
    expect(db.prepare('SELECT entity, version FROM retention_purged WHERE entity_id = ?').get(claimOut)).toEqual({ entity: 'claims', version: 1 });

    // One audit entry: counts, cutoffs, held — no ID, number or date of any record.
    const entries = auditOf(db, 'records.retentionPurge');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ outcome: 'success', staffId: null, targetAtenaNo: null, detail: { counts: r.counts, cutoffs: r.cutoffs, held: 3 } });
    expect(Object.keys(entries[0]!.detail).sort()).toEqual(['counts', 'cutoffs', 'held']);
    const text = JSON.stringify(entries[0]!.detail);
    for (const id of [certOut, recalledOut, claimOut, shikakuOut, r1, r2]) expect(text).not.toContain(id);
    expect(text).not.toMatch(/R9\d{6}|RT-/);
    expect(people).toHaveLength(8);

    // Again: nothing more goes, no further entry.
    const again = purgeExpiredRecords(db, s.core.audit, s.core.clock, s.core.profile.retention);
    expect(again.counts).toEqual({ certificates: 0, certificate_events: 0, claims: 0, claim_events: 0, kodomo_shikaku: 0, fujo_flows: 0, mailing_items: 0 });
    expect(auditOf(db, 'records.retentionPurge')).toHaveLength(1);

    // A day later the records that were just within retention are just past it.
    const later = purgeExpiredRecords(db, s.core.audit, fixedClock('2026-11-23T01:00:00Z'), s.core.profile.retention);
    expect(later.cutoffs.claims).toBe('2021-11-23');
    expect(later.counts).toMatchObject({ certificates: 1, claims: 1, kodomo_shikaku: 1 });
    for (const [t, id] of [['certificates', certIn], ['claims', claimIn], ['kodomo_shikaku', shikakuIn]] as const) expect(exists(db, t, id)).toBe(false);
    expect(exists(db, 'claims', applicationOfCurrent)).toBe(true);
    expect(auditOf(db, 'records.retentionPurge')).toHaveLength(2);
  });

  it('removes a 扶助 flow past its 保存年限 from its 廃止 or 却下; keeps one within it, an open or current one, and one with an unconfirmed change', async () => {
    s = await createSeededCore({ clock: fixedClock(NOW), households: 4 });
    const db = s.core.db;
    const [r1, r2] = db.prepare<[], { id: string }>('SELECT id FROM residents ORDER BY atena_no LIMIT 2').all().map((r) => r.id) as [string, string];
    const abolishedOut = flow(db, r1, 'abolished', { aidStartOn: '2015-04-01', abolishedOn: '2021-11-21' }, [decided]);
    const abolishedIn = flow(db, r1, 'abolished', { aidStartOn: '2015-04-01', abolishedOn: '2021-11-22' }, [decided]);
    const rejectedOut = flow(db, r2, 'rejected', { decision: '却下' }, [{ action: 'decide', input: { decidedOn: '2016-01-15', decision: '却下', aidStartOn: null, reason: '他法優先' } }]);
    // Open or current for years: no end event (a 廃止 only proposed is none either).
    const open = flow(db, r2, 'received', {});
    const current = flow(db, r2, 'decided', { aidStartOn: '2015-04-01' }, [decided]);
    const proposed = flow(db, r1, 'abolish_proposed', { aidStartOn: '2015-04-01' }, [decided, { action: 'propose_abolish', input: { abolishedOn: '2016-03-31', reason: '転出' } }]);
    // A change of this terminal not yet confirmed by the server: held.
    const unsent = insertRecord(db, 'fujo_flows', {
      resident_id: r2, flow_no: 'RF-UNSENT', kind: 'iryo_direct', state: 'abolished', applied_on: '2015-04-01',
      record_json: JSON.stringify({ kind: 'iryo_direct', residentId: r2, state: 'abolished', enteredBy: [], checkedBy: null, facts: { appliedOn: '2015-04-01', abolishedOn: '2017-03-31' }, history: [] }),
    }, { by: 'S1', at: NOW });

    const r = purgeExpiredRecords(db, s.core.audit, s.core.clock, s.core.profile.retention);

    expect(r.cutoffs.fujo_flows).toBe('2021-11-22');
    expect(r.counts).toMatchObject({ fujo_flows: 2 });
    expect(r.held).toBe(1);
    for (const id of [abolishedOut, rejectedOut]) expect(exists(db, 'fujo_flows', id)).toBe(false);
    for (const id of [abolishedIn, open, current, proposed, unsent]) expect(exists(db, 'fujo_flows', id)).toBe(true);
    expect(db.prepare('SELECT entity, version FROM retention_purged WHERE entity_id = ?').get(abolishedOut)).toEqual({ entity: 'fujo_flows', version: 1 });
    const entries = auditOf(db, 'records.retentionPurge');
    expect(entries).toHaveLength(1);
    expect(entries[0]!.detail).toMatchObject({ counts: { fujo_flows: 2 }, cutoffs: { fujo_flows: '2021-11-22' }, held: 1 });
    const text = JSON.stringify(entries[0]!.detail);
    for (const id of [abolishedOut, rejectedOut, r1, r2]) expect(text).not.toContain(id);
    expect(text).not.toMatch(/RF-|2021-11-21|2016-01-15/);

    // A day later the one just within retention is just past it; a profile's longer 保存年限 keeps it.
    const longer = purgeExpiredRecords(db, s.core.audit, fixedClock('2026-11-23T01:00:00Z'), { ...s.core.profile.retention, fujoFlowsYears: 6 });
    expect(longer.counts.fujo_flows).toBe(0);
    const later = purgeExpiredRecords(db, s.core.audit, fixedClock('2026-11-23T01:00:00Z'), s.core.profile.retention);
    expect(later.counts.fujo_flows).toBe(1);
    expect(exists(db, 'fujo_flows', abolishedIn)).toBe(false);
    for (const id of [open, current, proposed, unsent]) expect(exists(db, 'fujo_flows', id)).toBe(true);
  });

  it('runs at every start of the core, as the audit retention does', async () => {
    const first = await createSeededCore({ clock: fixedClock(NOW), households: 4 });
    const residentId = (first.core.db.prepare('SELECT id FROM residents LIMIT 1').get() as { id: string }).id;
    const old = cert(first.core.db, residentId, { status: 'valid', valid_to: '2021-11-21' });
    const otherId = (first.core.db.prepare('SELECT id FROM residents WHERE id <> ? LIMIT 1').get(residentId) as { id: string }).id;
    const within = cert(first.core.db, otherId, { status: 'valid', valid_to: '2021-11-22' });
    first.core.close();
    s = await createSeededCore({ clock: fixedClock(NOW), dataDir: first.dataDir, reopen: first.edges });
    expect(exists(s.core.db, 'certificates', old)).toBe(false);
    expect(exists(s.core.db, 'certificates', within)).toBe(true);
    expect(auditOf(s.core.db, 'records.retentionPurge')).toMatchObject([{ outcome: 'success', detail: { counts: { certificates: 1, certificate_events: 1 } } }]);
    first.cleanup();
  });
});
