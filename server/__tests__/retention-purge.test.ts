import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { recordPurgeEnabled, runRetentionPurge, scheduleRetentionPurge, type RetentionPurgeResult } from '../jobs/retention-purge';
import { dailyJobDue } from '../jobs/daily';
import { runIdoWork } from '../jobs/ido-work';
import { fixedClock, movableClock } from '../../testing/clock';
import { resetDb, useSyncServer, type PgFixture } from '../../testing/server';

/**
 * The server's retention purge (issue 16 §3, server/jobs/retention-purge.ts): off unless the policy turns it on;
 * when on, the same 保存年限 as the terminals' (defaults: 5 years, so the cutoff on 2026-11-22 is 2021-11-22).
 * Real PostgreSQL.
 */
const clock = fixedClock('2026-11-22T01:00:00Z');
let pg: PgFixture;
useSyncServer([], { clock }, (s) => ({ pg } = s));
beforeEach(async () => {
  await resetDb(pg.pool);
});

async function entity(entity: string, payload: Record<string, unknown>): Promise<string> {
  const id = randomUUID();
  await pg.pool.query(
    `INSERT INTO entities (entity, entity_id, version, payload, updated_by_terminal, deleted, municipality, jimu, owner_terminal) VALUES ($1, $2, 1, $3, 'DEMO-01', false, '271004', 'kokuho', NULL)`,
    [entity, id, { id, ...payload }],
  );
  return id;
}
const cert = (p: Record<string, unknown>) => entity('certificates', { status: 'valid', valid_to: null, recall_status: 'none', recall_date: null, superseded_by: null, ...p });
const exists = async (id: string) => Number((await pg.pool.query<{ n: string }>('SELECT count(*) AS n FROM entities WHERE entity_id = $1', [id])).rows[0]!.n) === 1;

describe('server retention purge', () => {
  it('is off by default: nothing is removed, the run is logged', async () => {
    expect(recordPurgeEnabled(undefined)).toBe(false);
    expect(recordPurgeEnabled('off')).toBe(false);
    expect(recordPurgeEnabled('on')).toBe(true);
    expect(() => recordPurgeEnabled('yes')).toThrow(/RECORD_PURGE/);
    const old = await cert({ valid_to: '2020-03-31' });
    const r = await runRetentionPurge(pg.pool, { clock, source: 'cli', enabled: false });
    expect(r.result).toBe('disabled');
    expect(await exists(old)).toBe(true);
    const log = await pg.pool.query('SELECT job, result, message FROM job_log');
    expect(log.rows).toEqual([{ job: 'retention-purge', result: 'done', message: expect.stringMatching(/^無効/) }]);
  });

  it('when on: removes each kind just past retention with its children, keeps the rest, logs counts only; again: nothing', async () => {
    const certOut = await cert({ valid_to: '2021-11-21' });
    const certEvent = await entity('certificate_events', { certificate_id: certOut, event: 'issue' });
    const certIn = await cert({ valid_to: '2021-11-22' });
    const noEnd = await cert({ status: 'superseded', recall_status: 'pending' });
    const claimOut = await entity('claims', { claim_no: 'RT-1', state: 'decided', decided_at: '2021-11-20T15:00:00.000Z' }); // 2021-11-21 in Japan
    const claimEvents = [await entity('claim_events', { claim_id: claimOut, event: 'enter' }), await entity('claim_events', { claim_id: claimOut, event: 'decide' })];
    const claimIn = await entity('claims', { claim_no: 'RT-2', state: 'decided', decided_at: '2021-11-21T15:00:00.000Z' });
    const application = await entity('claims', { claim_no: 'RT-3', state: 'decided', decided_at: '2018-01-01T00:00:00.000Z' });
    const current = await entity('kodomo_shikaku', { claim_id: application, lost_on: null });
    const shikakuOut = await entity('kodomo_shikaku', { claim_id: 'X', lost_on: '2021-11-21' });
    const shikakuIn = await entity('kodomo_shikaku', { claim_id: 'Y', lost_on: '2021-11-22' });

    const r = await runRetentionPurge(pg.pool, { clock, source: 'cli', enabled: true });
    expect(r.result).toBe('done');
    expect(r.counts).toEqual({ certificates: 1, certificateEvents: 1, claims: 1, claimEvents: 2, kodomoShikaku: 1, fujoFlows: 0, held: 1 });
    for (const id of [certOut, certEvent, claimOut, ...claimEvents, shikakuOut]) expect(await exists(id)).toBe(false);
    for (const id of [certIn, noEnd, claimIn, application, current, shikakuIn]) expect(await exists(id)).toBe(true);
    const log = (await pg.pool.query<{ job: string; certificates: number; message: string }>('SELECT job, certificates, message FROM job_log')).rows;
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ job: 'retention-purge', certificates: 1 });
    expect(log[0]!.message).not.toMatch(/RT-|[0-9a-f]{8}-/);

    const again = await runRetentionPurge(pg.pool, { clock, source: 'cli', enabled: true });
    expect(again.counts).toEqual({ certificates: 0, certificateEvents: 0, claims: 0, claimEvents: 0, kodomoShikaku: 0, fujoFlows: 0, held: 1 });
  });

  it('when on: removes a 扶助 flow past retention from its 廃止 or 却下, keeps one within it and an open or current one; counts only', async () => {
    const flow = (state: string, facts: Record<string, unknown>, decidedOn: string | null = null) =>
      entity('fujo_flows', {
        flow_no: `RF-${randomUUID().slice(0, 8)}`, state,
        record_json: JSON.stringify({
          kind: 'iryo_direct', residentId: 'R', state, enteredBy: [], checkedBy: null, facts: { appliedOn: '2015-04-01', ...facts },
          history: [{ action: 'receive', by: 'S1', at: '2015-04-01T00:00:00Z', input: {} }, ...(decidedOn ? [{ action: 'decide', by: 'S3', at: '2015-05-01T00:00:00Z', input: { decidedOn } }] : [])],
        }),
      });
    const abolishedOut = await flow('abolished', { aidStartOn: '2015-04-01', abolishedOn: '2021-11-21' }, '2015-04-10');
    const abolishedIn = await flow('abolished', { aidStartOn: '2015-04-01', abolishedOn: '2021-11-22' }, '2015-04-10');
    const rejectedOut = await flow('rejected', { decision: '却下' }, '2016-01-15');
    const open = await flow('received', {});
    const current = await flow('decided', { aidStartOn: '2015-04-01' }, '2015-04-10');

    const r = await runRetentionPurge(pg.pool, { clock, source: 'cli', enabled: true });
    expect(r.result).toBe('done');
    expect(r.counts).toMatchObject({ fujoFlows: 2, held: 0 });
    for (const id of [abolishedOut, rejectedOut]) expect(await exists(id)).toBe(false);
    for (const id of [abolishedIn, open, current]) expect(await exists(id)).toBe(true);
    const log = (await pg.pool.query<{ message: string }>('SELECT message FROM job_log')).rows;
    expect(log[0]!.message).toContain('扶助の記録 2件');
    expect(log[0]!.message).not.toMatch(/RF-|[0-9a-f]{8}-|2021-11-21/);
  });

  it('is due once a day on the timer: from the configured hour (Japan time), until a timer run of the purge is done that day', async () => {
    const due = (iso: string, hour: number) => dailyJobDue(pg.pool, 'retention-purge', new Date(iso), hour);
    // 2026-11-22T01:00Z is 10:00 in Japan.
    expect(await due('2026-11-22T01:00:00Z', 11)).toBe(false);
    expect(await due('2026-11-22T01:00:00Z', 3)).toBe(true);
    await runIdoWork(pg.pool, { clock, source: 'timer' });
    expect(await due('2026-11-22T01:00:00Z', 3)).toBe(true); // another job's timer run is not this one's
    await runRetentionPurge(pg.pool, { clock, source: 'cli', enabled: true });
    expect(await due('2026-11-22T01:00:00Z', 3)).toBe(true); // a CLI run is not the day's timer run
    await runRetentionPurge(pg.pool, { clock, source: 'timer', enabled: true });
    expect(await due('2026-11-22T14:00:00Z', 3)).toBe(false); // 23:00 the same day
    expect(await due('2026-11-22T17:59:00Z', 3)).toBe(false); // 02:59 the next day
    expect(await due('2026-11-22T18:00:00Z', 3)).toBe(true); // 03:00 the next day
    expect(await dailyJobDue(pg.pool, 'ido-work', new Date('2026-11-22T14:00:00Z'), 3)).toBe(false);
  });

  it('the server\'s timer purges once that day (by the injected clock), whatever the number of checks, and again the next day', async () => {
    const t = movableClock('2026-11-22T01:00:00Z');
    const first = await cert({ valid_to: '2021-11-21' });
    const results: RetentionPurgeResult[] = [];
    const stop = scheduleRetentionPurge(pg.pool, { clock: t, hour: 3, checkMs: 20, onResult: (r) => results.push(r) });
    try {
      await new Promise((done) => setTimeout(done, 400));
      expect(results.map((r) => [r.result, r.counts.certificates])).toEqual([['done', 1]]);
      expect(await exists(first)).toBe(false);
      // Past retention but arrived after today's run: it waits for tomorrow's.
      const second = await cert({ valid_to: '2020-03-31' });
      await new Promise((done) => setTimeout(done, 200));
      expect(results).toHaveLength(1);
      expect(await exists(second)).toBe(true);
      t.advanceHours(24);
      for (let i = 0; i < 100 && results.length < 2; i++) await new Promise((done) => setTimeout(done, 20));
      expect(results.map((r) => [r.result, r.counts.certificates])).toEqual([['done', 1], ['done', 1]]);
      expect(await exists(second)).toBe(false);
    } finally {
      stop();
    }
    const log = await pg.pool.query(`SELECT job, source, result, certificates FROM job_log ORDER BY job_id`);
    expect(log.rows).toEqual([1, 2].map(() => ({ job: 'retention-purge', source: 'timer', result: 'done', certificates: 1 })));
  });
});
