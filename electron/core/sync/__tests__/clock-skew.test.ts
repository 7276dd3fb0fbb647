import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clockFrom, movableClock } from '../../../../testing/clock';
import { createSeededCore, loginSeeded, type SeededCore } from '../../../../testing/core';
import { auditOf, must } from '../../../../testing/db';
import { resetDb, useSyncServer, type SyncServerFixture } from '../../../../testing/server';
import { queueSeedPeople, serverClient } from '../../../../testing/terminals';
import { importKokuhoMembers } from '../../../../testing/interface-files';
import type { Actor } from '../../actor';
import type { CentralServerClient } from '../../net/server-client';

/**
 * The terminal's clock against the central server's (issue 13 §5): a terminal whose clock is wrong would print
 * wrong 交付日 and validity, write audit times out of order, and a clock set back would stretch the offline grace.
 * The server runs on the test's clock (2026-11-22 10:00 JST); the terminal's is moved.
 */
let fixture: SyncServerFixture;
useSyncServer(['DEMO-01'], { clock: clockFrom('2026-11-22T01:00:00Z') }, (s) => (fixture = s));

let t: SeededCore;
let clock: ReturnType<typeof movableClock>;
let client: CentralServerClient;
let clerk: Actor;
beforeEach(async () => {
  await resetDb(fixture.pg.pool);
  clock = movableClock('2026-11-22T01:00:00Z');
  t = await createSeededCore({ clock, households: 2 });
  // testChild's 国保 資格 as the 国保 system feeds it to the server (the seeded one is the terminal's alone: the snapshot drops it).
  await importKokuhoMembers(fixture.pg.pool, [must(t.edges.byName.testChild).atenaNo], clock);
  queueSeedPeople(t.core.db); // the people are the server's too, so a snapshot keeps them
  client = serverClient(fixture, 'DEMO-01', t.core.audit);
  t.core.sync.attach(client);
  await t.core.sync.runOnce(); // users come down and the offline grace starts
  clerk = await loginSeeded(t, 'c', 'D1001');
});
afterEach(() => {
  client.close?.();
  t.cleanup();
});

const issue = () => {
  const child = must(t.edges.byName.testChild);
  const row = must(t.core.residents.findRow(child.id));
  return t.core.lifecycle.issue(clerk, { type: 'kokuho_shikaku', residentId: child.id, issueKind: 'new', reissueReason: null, details: {}, nameChoice: 'real', printSex: true, residentVersion: row.version });
};

describe('clock skew', () => {
  it('a clock 10 minutes fast is shown and audited, and stops issuance until it is right again', async () => {
    await t.core.sync.runOnce();
    expect(Math.abs(must(t.core.sync.status().clockSkewSeconds))).toBeLessThan(60);
    expect(t.core.sync.status().clockProblem).toBeNull();

    clock.advanceMinutes(10);
    await t.core.sync.runOnce();
    const s = t.core.sync.status();
    expect(s.clockSkewSeconds).toBeGreaterThan(9 * 60);
    expect(s.clockProblem).toMatch(/約10分進んで.*証の交付を止めています/);
    expect(() => issue()).toThrow(/時計/);
    expect(auditOf(t.core.db, 'certificates.issue').at(-1)).toMatchObject({ outcome: 'rejected', detail: { why: 'clock_skew' } });
    expect(auditOf(t.core.db, 'sync.clockSkew').map((e) => e.outcome)).toEqual(['failure']);

    clock.advanceMinutes(-10);
    await t.core.sync.runOnce();
    expect(t.core.sync.status().clockProblem).toBeNull();
    expect(auditOf(t.core.db, 'sync.clockSkew').map((e) => e.outcome)).toEqual(['failure', 'success']);
    expect(issue().status).toBe('valid');
  });

  it('audit times never go backwards when the clock is set back', () => {
    const before = t.core.audit.append({ staffId: 'D1001', action: 'audit.verify', outcome: 'success' });
    clock.advanceHours(-5);
    const after = t.core.audit.append({ staffId: 'D1001', action: 'audit.verify', outcome: 'success' });
    expect(after.at >= before.at).toBe(true);
    expect(t.core.audit.verify().ok).toBe(true);
  });

  it('a clock set back does not stretch the 72-hour offline grace', async () => {
    t.core.auth.logout('c');
    await t.core.sync.runOnce(); // last successful sync: now
    client.close?.();
    t.core.sync.attach(serverClient(fixture, 'DEMO-01', t.core.audit, { port: 1 })); // the server is gone
    clock.advanceHours(73);
    await expect(loginSeeded(t, 'x', 'D1001')).rejects.toThrow(/72時間以上同期できていない/);
    // Someone sets the clock back two days: the audit log has already seen the later time.
    clock.advanceHours(-48);
    await expect(loginSeeded(t, 'y', 'D1001')).rejects.toThrow(/72時間以上同期できていない/);
  });
});
