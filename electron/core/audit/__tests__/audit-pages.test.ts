import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { clockFrom } from '../../../../testing/clock';
import { freshDb, type FreshDb } from '../../../../testing/db';
import { generateHouseholds, loadDataset } from '../../../../testing/seed';
import type { Actor } from '../../actor';
import { openDatabase } from '../../db/database';
import { MIGRATIONS } from '../../db/schema';
import { ResidentService } from '../../residents/resident-service';
import { AuditLog } from '../audit-log';

/**
 * What a resident search writes (issue 16 §5): under SQLCipher every page a commit writes is encrypted and
 * authenticated on its own, so the pages of the search's audit entry are what an encrypted search pays over a
 * plaintext one (bench/search.bench.ts prints the ratio). Counted here from the WAL itself: with checkpoints off,
 * each frame a commit appends is a 24-byte header and one page.
 */
let f: FreshDb | null = null;
afterEach(() => {
  f?.cleanup();
  f = null;
});

const clerk: Actor = { staffId: 'D1001', name: '窓口 一郎', role: 'clerk', rights: ['resident.search'], demo: false, loggedInAt: '2026-11-24T00:00:00Z', locked: false };

function framesPerSearch(db: FreshDb): number[] {
  const clock = clockFrom('2026-11-24T01:00:00Z');
  const service = new ResidentService(db.db, new AuditLog(db.db, { terminalId: 'T001' }, clock), clock);
  const pageSize = Number(db.db.pragma('page_size', { simple: true }));
  db.db.pragma('wal_autocheckpoint = 0');
  db.db.pragma('wal_checkpoint(TRUNCATE)');
  const walSize = () => statSync(`${db.path}-wal`, { throwIfNoEntry: false })?.size ?? 0;
  const kinds = [{ kana: 'ヤマ' }, { birthDate: '2015-04-01' }, { atenaNo: '100010' }, { kana: 'サト', birthDate: '1980-01-01' }];
  for (let i = 0; i < 20; i++) service.search(clerk, kinds[i % kinds.length] as never); // the WAL header and the b-trees' right edges
  const frames: number[] = [];
  for (let i = 0; i < 200; i++) {
    const before = walSize();
    service.search(clerk, kinds[i % kinds.length] as never);
    frames.push((walSize() - before) / (pageSize + 24));
  }
  return frames;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

describe('pages a resident search writes', () => {
  it('a search commits its audit entry in 3 pages: the table and the at and staff indexes', () => {
    f = freshDb();
    loadDataset(f.db, generateHouseholds(300, 7), '2026-11-24T00:00:00Z');
    const frames = framesPerSearch(f);
    expect(frames.every((n) => Number.isInteger(n))).toBe(true);
    expect(median(frames)).toBe(3);
    // Now and then a full leaf splits and the commit writes the new leaf and its parent as well: about one search
    // in twelve fills a table leaf (entries of ≈ 300 bytes).
    expect(frames.reduce((a, b) => a + b, 0) / frames.length).toBeLessThan(3.5);
  });

  it('before migration 21 the same search wrote 7 (sqlite_sequence and the hash, action and terminal indexes as well)', () => {
    f = freshDb(MIGRATIONS.slice(0, 20));
    loadDataset(f.db, generateHouseholds(300, 7), '2026-11-24T00:00:00Z');
    expect(median(framesPerSearch(f))).toBe(7);
  });
});

describe('migration 21 (audit-log-lean) on a log with entries', () => {
  it('keeps every entry, its seq and the chain; appends go on; the log stays append-only', () => {
    f = freshDb(MIGRATIONS.slice(0, 20));
    const clock = clockFrom('2026-11-24T01:00:00Z');
    const log = new AuditLog(f.db, { terminalId: 'T001' }, clock);
    log.append({ staffId: 'D1001', action: 'residents.search', outcome: 'success', detail: { resultCount: 3 } });
    log.append({ staffId: 'D1001', action: 'residents.view', targetAtenaNo: '100001', reason: '窓口申請', outcome: 'success' });
    log.append({ staffId: 'D1002', action: 'auth.login', outcome: 'failure', detail: { why: 'password' } });
    const before = f.db.prepare('SELECT * FROM audit_log ORDER BY seq').all();
    expect(f.db.prepare(`SELECT count(*) AS n FROM sqlite_sequence WHERE name = 'audit_log'`).get()).toEqual({ n: 1 });
    f.db.close();

    const db = openDatabase({ path: f.path, keyProvider: f.keyProvider });
    f = { ...f, db };
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.prepare('SELECT * FROM audit_log ORDER BY seq').all()).toEqual(before);
    expect(db.prepare(`SELECT count(*) AS n FROM sqlite_sequence WHERE name = 'audit_log'`).get()).toEqual({ n: 0 });
    expect(db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE tbl_name = 'audit_log' AND name LIKE 'sqlite_autoindex%'`).get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT seq FROM audit_leaves ORDER BY seq').all()).toEqual([{ seq: 1 }, { seq: 2 }, { seq: 3 }]);

    const after = new AuditLog(db, { terminalId: 'T001' }, clock);
    expect(after.verify()).toMatchObject({ ok: true, entries: 3 });
    expect(after.append({ staffId: 'D1001', action: 'residents.search', outcome: 'success', detail: { resultCount: 0 } }).seq).toBe(4);
    expect(after.verify()).toMatchObject({ ok: true, entries: 4 });
    expect(() => db.prepare(`UPDATE audit_log SET reason = '改ざん' WHERE seq = 2`).run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 1').run()).toThrow(/append-only/);
    expect(() => db.prepare(`INSERT OR REPLACE INTO audit_log SELECT * FROM audit_log WHERE seq = 1`).run()).toThrow(/append-only/);
  });
});
