import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clockFrom } from '../../../../testing/clock';
import { count } from '../../../../testing/db';
import { resetDb, useSyncServer, type PgFixture, type SyncServerFixture } from '../../../../testing/server';
import { closeTerminals, openTerminal, type TestTerminal } from '../../../../testing/terminals';
import { retentionSettingsSchema } from '../../../../shared/domain/profile';
import type { Db } from '../../db/database';
import { insertRecord, updateRecord } from '../../db/records';
import { SyncEngine } from '../../sync/sync-engine';
import { purgeExpiredRecords } from '../purge';

/**
 * A purge is local (issue 16 §3): nothing is pushed, the server keeps its copy, and neither an ordinary pull (even of
 * a newer server version) nor a snapshot brings the purged record back; the checksum still matches the server's.
 * Real PostgreSQL, real mutual TLS.
 */
const clock = clockFrom('2026-11-22T01:00:00Z');
const stamp = { by: 'D9001', at: '2026-11-22T01:00:00.000Z' };
let fixture: SyncServerFixture, pg: PgFixture;
useSyncServer(['DEMO-01', 'DEMO-02'], { clock }, (s) => ({ pg } = fixture = s));

type Terminal = TestTerminal & { engine: SyncEngine };
const open: Terminal[] = [];
function terminal(id: string): Terminal {
  const opened = openTerminal(fixture, id, clock);
  const t = { ...opened, engine: new SyncEngine(opened.db, opened.audit, clock, id) };
  open.push(t);
  return t;
}
async function sync(t: Terminal): Promise<void> {
  for (let i = 0; i < 20 && t.engine.status().pending > 0; i++) await t.engine.pushOnce(t.client);
  for (let i = 0; i < 50; i++) if (!(await t.engine.pullOnce(t.client, 3)).more) break;
}
const has = (db: Db, table: string, id: string) => count(db, `SELECT count(*) AS n FROM ${table} WHERE id = ?`, id) === 1;

beforeEach(async () => {
  await resetDb(pg.pool);
});
afterEach(() => closeTerminals(open));

describe('a retention purge and sync', () => {
  it('is not pushed, is not undone by a pull, a newer server version or a snapshot, and keeps the checksum matching', async () => {
    const x = terminal('DEMO-01');
    const residentId = insertRecord(x.db, 'residents', {
      atena_no: '1001', name_kanji: '住民 1001', name_kana: 'ジュウミン', name_kana_key: 'ジユウミン', birth_date: '2015-06-01', sex: '1',
      postal_code: '5300001', address: '大阪市北区', household_no: '1001', dv_support: 0, non_disclosure: 0, view_suspended: 0,
    }, stamp);
    const cert = (no: string, validTo: string) => insertRecord(x.db, 'certificates', {
      resident_id: residentId, cert_type: no === '1000001' ? 'kodomo' : 'kokuho_gengaku', certificate_no: no, public_payer_no: '82270006', issue_kind: 'new', reissue_reason: null,
      issue_date: '2019-04-01', valid_from: '2019-04-01', valid_to: validTo, guardian_id: null, status: 'valid', superseded_by: null,
    }, stamp);
    const old = cert('1000001', '2020-03-31'); // ended more than 5 years ago
    const event = insertRecord(x.db, 'certificate_events', { certificate_id: old, resident_id: residentId, event: 'issue', reason: null }, stamp);
    const current = cert('1000002', '2027-07-31');
    await sync(x);

    const y = terminal('DEMO-02');
    await sync(y);
    expect(has(y.db, 'certificates', old)).toBe(true);
    expect(await y.engine.verifyChecksum(y.client)).toBe('match');

    const r = purgeExpiredRecords(y.db, y.audit, clock, retentionSettingsSchema.parse({}));
    expect(r.counts).toMatchObject({ certificates: 1, certificate_events: 1 });
    expect(y.engine.status().pending).toBe(0); // nothing to push
    expect(has(y.db, 'certificates', current)).toBe(true);

    // The server still holds it; an ordinary pull does not bring it back; the checksum counts it as the server does.
    await sync(y);
    expect(has(y.db, 'certificates', old)).toBe(false);
    expect(has(y.db, 'certificate_events', event)).toBe(false);
    const onServer = await pg.pool.query<{ n: string }>("SELECT count(*) AS n FROM entities WHERE entity = 'certificates' AND entity_id = $1 AND deleted = false", [old]);
    expect(Number(onServer.rows[0]!.n)).toBe(1);
    expect(await y.engine.verifyChecksum(y.client)).toBe('match');

    // A newer version on the server (another terminal records the 回収): followed by version only, not restored.
    updateRecord(x.db, 'certificates', old, 1, { status: 'superseded', recall_status: 'recalled', recall_date: '2020-04-10', end_reason: '期間満了' }, stamp);
    await sync(x);
    await sync(y);
    expect(has(y.db, 'certificates', old)).toBe(false);
    expect(y.db.prepare('SELECT version FROM retention_purged WHERE entity = ? AND entity_id = ?').get('certificates', old)).toEqual({ version: 2 });
    expect(await y.engine.verifyChecksum(y.client)).toBe('match');

    // A snapshot (the server's copy from cursor 0) does not bring it back either, and drops nothing else.
    y.db.prepare("INSERT INTO sync_state (key, value) VALUES ('snapshot', '1'), ('pull_cursor', '0') ON CONFLICT (key) DO UPDATE SET value = excluded.value").run();
    await sync(y);
    expect(y.db.prepare("SELECT value FROM sync_state WHERE key = 'snapshot'").get()).toEqual({ value: '0' });
    expect(has(y.db, 'certificates', old)).toBe(false);
    expect(has(y.db, 'certificates', current)).toBe(true);
    expect(count(y.db, 'SELECT count(*) AS n FROM retention_purged')).toBe(2);
    expect(await y.engine.verifyChecksum(y.client)).toBe('match');
    expect(count(y.db, 'SELECT count(*) AS n FROM outbox')).toBe(0); // Y never queued anything, the purge included
  });
});
