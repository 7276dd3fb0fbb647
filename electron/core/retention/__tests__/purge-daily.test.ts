import { afterEach, describe, expect, it } from 'vitest';
import { movableClock } from '../../../../testing/clock';
import { createSeededCore, type SeededCore } from '../../../../testing/core';
import { auditOf, count } from '../../../../testing/db';
import type { Db } from '../../db/database';
import { uuidv7 } from '../../db/records';
import { RecordRetention } from '../schedule';

/**
 * The daily purge (issue 16 §3): a core that runs for days purges records as they pass their 保存年限, once per Japan
 * day by the core's clock, without a restart. Real core, real SQLCipher database, the core's own timer (checking every
 * 20 ms here). The sample profile keeps certificates 5 years: on 2026-11-22 (Japan) the cutoff is 2021-11-22, on
 * 2026-11-23 it is 2021-11-23.
 */
const CHECK_MS = 20;
let s: SeededCore | null = null;
afterEach(() => {
  s?.cleanup();
  s = null;
});

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
/** Waits (up to 3 s) until `test` holds; false if it never did. */
async function until(test: () => boolean): Promise<boolean> {
  for (let i = 0; i < 150; i++) {
    if (test()) return true;
    await sleep(CHECK_MS);
  }
  return test();
}

/** A certificate as a pull stores it (no outbox row: nothing unconfirmed holds it back), with one event. */
function cert(db: Db, validTo: string): string {
  const residentId = (db.prepare('SELECT id FROM residents ORDER BY atena_no LIMIT 1').get() as { id: string }).id;
  const common = { version: 1, created_at: '2019-04-01T01:00:00.000Z', created_by: 'SEED', updated_at: '2019-04-01T01:00:00.000Z', updated_by: 'SEED', deleted: 0 };
  const id = uuidv7();
  db.prepare(
    `INSERT INTO certificates (id, version, created_at, created_by, updated_at, updated_by, deleted, resident_id, cert_type, certificate_no, issue_kind, issue_date, valid_from, valid_to, status, recall_status)
     VALUES (@id, @version, @created_at, @created_by, @updated_at, @updated_by, @deleted, @resident_id, 'kokuho_gengaku', @no, 'new', '2019-04-01', '2019-04-01', @valid_to, 'valid', 'none')`,
  ).run({ ...common, id, resident_id: residentId, no: `D9${id.slice(-6)}`, valid_to: validTo });
  db.prepare(
    `INSERT INTO certificate_events (id, version, created_at, created_by, updated_at, updated_by, deleted, certificate_id, resident_id, event)
     VALUES (@eid, @version, @created_at, @created_by, @updated_at, @updated_by, @deleted, @id, @resident_id, 'issue')`,
  ).run({ ...common, eid: uuidv7(), id, resident_id: residentId });
  return id;
}
const exists = (db: Db, id: string) => count(db, 'SELECT count(*) AS n FROM certificates WHERE id = ?', id) === 1;

describe('the daily retention purge of a running core', () => {
  it('purges a record once the clock crosses into the day it is past retention, without a restart; once per day; an audit entry with counts only', async () => {
    // 23:00 on 2026-11-22 in Japan.
    const clock = movableClock('2026-11-22T14:00:00Z');
    s = await createSeededCore({ clock, households: 4, retentionCheckMs: CHECK_MS });
    const db = s.core.db;
    const nextDay = cert(db, '2021-11-22'); // within retention on the 22nd, past it from the 23rd
    const entries = () => auditOf(db, 'records.retentionPurge');
    expect(entries()).toHaveLength(0); // the start-up purge found nothing

    // The same day: the timer checks again and again and purges nothing.
    await sleep(10 * CHECK_MS);
    expect(exists(db, nextDay)).toBe(true);
    expect(await s.core.retention.tick()).toBe(false);
    expect(entries()).toHaveLength(0);

    // 01:00 on the 23rd: the timer purges it, with its event.
    clock.advanceHours(2);
    expect(await until(() => !exists(db, nextDay))).toBe(true);
    expect(count(db, 'SELECT count(*) AS n FROM certificate_events WHERE certificate_id = ?', nextDay)).toBe(0);
    expect(entries()).toHaveLength(1);
    const entry = entries()[0]!;
    expect(entry).toMatchObject({
      outcome: 'success', staffId: null, targetAtenaNo: null,
      detail: { counts: { certificates: 1, certificate_events: 1, claims: 0, claim_events: 0, kodomo_shikaku: 0, mailing_items: 0 }, cutoffs: { certificates: '2021-11-23' }, held: 0 },
    });
    expect(Object.keys(entry.detail).sort()).toEqual(['counts', 'cutoffs', 'held']);
    expect(JSON.stringify(entry.detail)).not.toContain(nextDay);
    expect(JSON.stringify(entry.detail)).not.toMatch(/D9/);

    // A record past retention that arrives later the same day waits for the next day's run: one run per day.
    const later = cert(db, '2020-03-31');
    await sleep(10 * CHECK_MS);
    expect(await s.core.retention.tick()).toBe(false);
    expect(exists(db, later)).toBe(true);
    expect(entries()).toHaveLength(1);
    clock.advanceHours(24);
    expect(await until(() => !exists(db, later))).toBe(true);
    expect(entries()).toHaveLength(2);
    expect(entries()[1]!.detail).toMatchObject({ counts: { certificates: 1 }, cutoffs: { certificates: '2021-11-24' } });
  });

  it('stops with the core: no check after close', async () => {
    const clock = movableClock('2026-11-22T14:00:00Z');
    s = await createSeededCore({ clock, households: 2, retentionCheckMs: CHECK_MS });
    const retention = s.core.retention;
    s.core.close();
    clock.advanceHours(24);
    expect(await retention.tick()).toBe(false); // stopped: would otherwise run on a closed database
    await sleep(5 * CHECK_MS); // and the timer is gone (a tick on the closed database would throw, unhandled)
  });

  it('lets a sync round in flight finish before it purges', async () => {
    const clock = movableClock('2026-11-22T14:00:00Z');
    s = await createSeededCore({ clock, households: 2 });
    const db = s.core.db;
    const id = cert(db, '2021-11-22');
    // The round is a promise the test ends; the purge is this core's database, the retention its profile's.
    let endRound!: () => void;
    let round: Promise<void> | null = new Promise<void>((done) => (endRound = done)).then(() => void (round = null));
    const retention = new RecordRetention(db, s.core.audit, clock, s.core.profile.retention, () => round);
    retention.run(); // the start-up run: the 22nd, nothing past retention
    clock.advanceHours(2);
    const ticking = retention.tick();
    await sleep(5 * CHECK_MS);
    expect(exists(db, id)).toBe(true); // waiting for the round
    expect(await retention.tick()).toBe(false); // a second check does not start a second purge
    endRound();
    expect(await ticking).toBe(true);
    expect(exists(db, id)).toBe(false);
    retention.stop();
  });
});
