import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { residentRecordId, type ImportResult } from '../../../../server/import/import';
import { runIdoWork } from '../../../../server/jobs/ido-work';
import { jimuRight } from '../../../../shared/domain/rights';
import { fixedClock } from '../../../../testing/clock';
import { RESOURCES_DIR } from '../../../../testing/core';
import { jukiRow, type FileSpec, importBuilt } from '../../../../testing/interface-files';
import { resetDb, useSyncServer, type PgFixture, type SyncServerFixture } from '../../../../testing/server';
import { closeTerminals, openTerminal, type TestTerminal } from '../../../../testing/terminals';
import type { Actor } from '../../actor';
import { CertificateLifecycle } from '../../certificates/lifecycle-service';
import { insertRecord } from '../../db/records';
import { loadRuleProfile, profilePath } from '../../profile/load-profile';
import { ResidentService } from '../../residents/resident-service';
import { SyncEngine } from '../sync-engine';

/**
 * The daily 異動 job (server/jobs/ido-work.ts) as a counter sees it: a certificate a terminal issued and pushed is
 * cancelled on the server after a 転出 in the 住民記録 feed, and after the next pull it is on that terminal's 回収リスト
 * (the core's recall list service). Real PostgreSQL, real files, a real terminal core over mutual TLS.
 */
const clock = fixedClock('2026-11-22T01:00:00Z');
let fixture: SyncServerFixture, pg: PgFixture;
useSyncServer(['DEMO-01'], { clock }, (s) => ({ pg } = fixture = s));

let dir: string;
const open: TestTerminal[] = [];
beforeEach(async () => {
  await resetDb(pg.pool);
  dir = await mkdtemp(join(tmpdir(), 'madoguchi-ido-'));
});
afterEach(async () => {
  closeTerminals(open);
  await rm(dir, { recursive: true, force: true });
});

const run = (spec: FileSpec, rows: Iterable<readonly string[]>): Promise<ImportResult> => importBuilt(pg.pool, dir, spec, rows, clock);
const juki = (seq: number, kind: 'FULL' | 'DIFF' = 'FULL'): FileSpec => ({ interface: 'JUKI', kind, seq });
const CHILD = { birth_date: '20160510', became_resident_on: '20160510', ido_date: '20160510', relationship: '子' };

const clerk: Actor = {
  staffId: 'D1001', name: '窓口 花子', role: 'clerk', rights: ['resident.view', jimuRight('kodomo', 'certificate.issue')], demo: false,
  loggedInAt: '2026-11-22T01:00:00.000Z', locked: false,
};

describe('a 転出 in the 住民記録 feed reaches the 回収リスト of the terminals', () => {
  it('a pushed こども医療証 of a child who moved out is cancelled by the job and listed for 回収 with reason 転出 after the pull', async () => {
    const opened = openTerminal(fixture, 'DEMO-01', clock);
    open.push(opened);
    const t = { ...opened, engine: new SyncEngine(opened.db, opened.audit, clock, 'DEMO-01') };
    const pullAll = async () => {
      for (let i = 0; i < 50; i++) if (!(await t.engine.pullOnce(t.client, 500)).more) break;
    };
    const profile = loadRuleProfile(profilePath(RESOURCES_DIR, 'sample-osaka'));
    const residents = new ResidentService(t.db, t.audit, clock, profile.privacy);
    const lifecycle = new CertificateLifecycle(t.db, t.audit, clock, residents, profile, null);

    expect((await run(juki(1), [1, 2, 3, 4, 5].map((n) => jukiRow(n, n === 5 ? CHILD : {})))).result).toBe('applied');
    await pullAll();
    const child = residentRecordId('271004', '100000005');
    expect(residents.findRow(child)).toMatchObject({ atena_no: '100000005' });
    // The terminal issued a こども医療証 to the child and pushed it.
    const certId = insertRecord(t.db, 'certificates', {
      resident_id: child, cert_type: 'kodomo', certificate_no: 'K0000001', public_payer_no: null, issue_kind: 'new', reissue_reason: null,
      issue_date: '2026-11-01', valid_from: '2026-11-01', valid_to: '2027-07-31', guardian_id: residentRecordId('271004', '100000004'),
      status: 'valid', superseded_by: null, details_json: '{}', name_choice: 'real', print_sex: 1, end_reason: null,
      recall_status: 'none', recall_date: null, recall_kind: null,
    }, { by: 'D1001', at: '2026-11-01T01:00:00.000Z' });
    for (let i = 0; i < 5 && t.engine.status().pending > 0; i++) await t.engine.pushOnce(t.client);
    expect(t.engine.status().pending).toBe(0);
    expect(lifecycle.recallList(clerk)).toEqual([]);

    await run(juki(2, 'DIFF'), [jukiRow(5, { ...CHILD, ido_reason: '31', ido_date: '20261119', notified_on: '20261110', removed: '1', removed_on: '20261119' })]);
    expect((await runIdoWork(pg.pool, { clock, source: 'cli' })).counts).toMatchObject({ certificates: 1, candidates: 2 });
    await pullAll();

    const list = lifecycle.recallList(clerk);
    expect(list.map((c) => [c.id, c.certificateNo, c.status, c.recallStatus, c.endReason, c.version])).toEqual([
      [certId, 'K0000001', 'cancelled', 'pending', '転出（異動日 2026-11-19）', 2],
    ]);
    // The child is off the 住民票 (a tombstone) but still named on the list, and the 回収 can be recorded.
    expect(residents.findRow(child)).toBeNull();
    expect(list[0]).toMatchObject({ residentName: '窓口 太郎5', atenaNo: '100000005' });
    // The 取消 is in the certificate's history on the terminal.
    expect(t.db.prepare(`SELECT event, reason FROM certificate_events WHERE certificate_id = ?`).all(certId)).toEqual([{ event: 'cancel', reason: '転出（異動日 2026-11-19）' }]);

    // The job again: nothing new to pull.
    const cursor = t.engine.status();
    expect((await runIdoWork(pg.pool, { clock, source: 'cli' })).counts.certificates).toBe(0);
    await pullAll();
    expect(lifecycle.recallList(clerk).map((c) => c.version)).toEqual([2]);
    expect(t.engine.status().pending).toBe(cursor.pending);

    expect(lifecycle.recall(clerk, { certificateId: certId, version: 2, date: '2026-11-22', kind: '郵送返戻' })).toMatchObject({ recallStatus: 'recalled', recallKind: '郵送返戻' });
    expect(lifecycle.recallList(clerk)).toEqual([]);
  });
});
