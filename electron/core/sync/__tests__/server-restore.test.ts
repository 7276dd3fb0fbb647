import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clockFrom } from '../../../../testing/clock';
import { backupServer, resetDb, restoreServer, useSyncServer, type PgFixture, type SyncServerFixture } from '../../../../testing/server';
import { must } from '../../../../testing/db';
import { closeTerminals, openTerminal, type TestTerminal } from '../../../../testing/terminals';
import { GENESIS_HASH, entryHashInput } from '../../../../shared/audit/audit-entry';
import { insertRecord, updateRecord } from '../../db/records';
import { FileTerminalSigningKey, createCheckpoint, listCheckpoints } from '../../audit/checkpoint';
import type { Clock } from '../../platform';
import { auditAckedSeq } from '../../audit/acknowledged';
import { OUTBOX_RETENTION_DAYS } from '../../../../shared/sync/protocol';
import { SyncEngine } from '../sync-engine';
import { SyncRunner } from '../sync-runner';

/**
 * Issue 13 §6: the central server's database is restored from a backup while terminals keep working. Real
 * PostgreSQL (embedded), real mutual TLS, real encrypted terminal databases, the real runner (push, audit upload,
 * checkpoints, pull, checksum). The backup and the restore copy every table and sequence (testing/server.ts).
 */
const clock = clockFrom('2026-11-22T01:00:00Z');
let fixture: SyncServerFixture, pg: PgFixture;
useSyncServer(['DEMO-01', 'DEMO-02'], { clock }, (s) => ({ pg } = fixture = s));

type Terminal = TestTerminal & { runner: SyncRunner; checkpoint(): void };
const open: Terminal[] = [];

function terminal(id: string, clk: Clock = clock): Terminal {
  const opened = openTerminal(fixture, id, clk);
  const { db, audit, client, dir } = opened;
  const runner = new SyncRunner(new SyncEngine(db, audit, clk, id), client, [], { db, terminalId: id });
  const signer = FileTerminalSigningKey.loadOrCreate(join(dir, 'signing.key'));
  const t = { ...opened, runner, checkpoint: () => void createCheckpoint(db, signer, clock, { terminalId: id }) };
  open.push(t);
  return t;
}

beforeEach(async () => {
  await resetDb(pg.pool);
});
afterEach(() => closeTerminals(open));

const stamp = (by: string) => ({ by, at: clock.now().toISOString() });

function resident(t: Terminal, atena: string): string {
  return insertRecord(t.db, 'residents', {
    atena_no: atena, name_kanji: `住民 ${atena}`, name_kana: 'ジュウミン', name_kana_key: 'ジユウミン', birth_date: '2015-06-01', sex: '1',
    postal_code: '5300001', address: '大阪市北区', household_no: atena, dv_support: 0, non_disclosure: 0, view_suspended: 0,
  }, stamp('D1001'));
}

/** A certificate issued at the counter: the record and its audit entry, in one transaction. */
function issue(t: Terminal, residentId: string, certType: string, no: string): string {
  return t.db.transaction(() => {
    const id = insertRecord(t.db, 'certificates', {
      resident_id: residentId, cert_type: certType, certificate_no: no, public_payer_no: '82270006', issue_kind: 'new', reissue_reason: null,
      issue_date: '2026-11-22', valid_from: '2026-11-22', valid_to: '2027-07-31', guardian_id: null, status: 'valid', superseded_by: null,
    }, stamp('D1001'));
    t.audit.append({ staffId: 'D1001', action: 'certificates.issue', targetAtenaNo: no, outcome: 'success', detail: { certificateId: id } });
    return id;
  })();
}

/** A claim received at the counter: the record and its audit entry. */
function receive(t: Terminal, residentId: string, kind: string, no: string): string {
  return t.db.transaction(() => {
    const id = insertRecord(t.db, 'claims', {
      claim_kind: kind, claim_no: no, resident_id: residentId, applicant_id: null, application_date: '2026-11-20', state: 'received',
      input_json: '{}', identity_json: '{}', bank_json: null, calc_json: '{}', amount_yen: 12_000, deadline: null, deadline_expired: 0,
      entered_by: 'D1001', checked_by: null, decided_by: null, decision: null, decision_reason: null, override_reason: null, decided_at: null,
      notice_no: null, revision: 1,
    }, stamp('D1001'));
    t.audit.append({ staffId: 'D1001', action: 'claims.receive', outcome: 'success', detail: { claimId: id, claimNo: no } });
    return id;
  })();
}

function version(t: Terminal, table: string, id: string): number {
  return must(t.db.prepare<[string], { version: number }>(`SELECT version FROM ${table} WHERE id = ?`).get(id)).version;
}

function edit(t: Terminal, table: 'certificates' | 'claims', id: string, changes: Record<string, string | number | null>, action: 'certificates.correct' | 'claims.check'): void {
  t.db.transaction(() => {
    updateRecord(t.db, table, id, version(t, table, id), changes, stamp('D1002'));
    t.audit.append({ staffId: 'D1002', action, outcome: 'success', detail: { id } });
  })();
}

function views(t: Terminal, n: number): void {
  for (let i = 0; i < n; i++) t.audit.append({ staffId: 'D1001', action: 'residents.view', targetAtenaNo: String(100_000 + i), outcome: 'success' });
}

async function round(...ts: Terminal[]): Promise<void> {
  for (const t of ts) await t.runner.runOnce();
}

const rowsOf = (t: Terminal, table: string) =>
  t.db.prepare(`SELECT id, version, deleted FROM ${table} ORDER BY id`).all() as { id: string; version: number; deleted: number }[];
const serverRowsOf = async (entity: string) =>
  (await pg.pool.query<{ id: string; version: number; deleted: boolean }>('SELECT entity_id AS id, version, deleted FROM entities WHERE entity = $1 ORDER BY entity_id', [entity])).rows.map((r) => ({ id: r.id, version: r.version, deleted: r.deleted ? 1 : 0 }));
const outboxRows = (t: Terminal) => (t.db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
const serverMutations = async (terminalId: string) => Number((await pg.pool.query<{ n: string }>('SELECT count(*) AS n FROM mutations WHERE terminal_id = $1', [terminalId])).rows[0]!.n);
const localChain = (t: Terminal) => t.db.prepare('SELECT seq, prev_hash, hash FROM audit_log ORDER BY seq').all() as { seq: number; prev_hash: string; hash: string }[];
async function serverChain(terminalId: string) {
  const { rows } = await pg.pool.query<{ seq: string; at: string; staff_id: string | null; action: string; target_atena_no: string | null; reason: string | null; outcome: string; detail: string; prev_hash: string; hash: string }>(
    'SELECT * FROM audit_entries WHERE terminal_id = $1 ORDER BY seq',
    [terminalId],
  );
  // The server's copy verifies on its own: every hash recomputes, every entry links to the one before.
  let prev = GENESIS_HASH;
  for (const r of rows) {
    expect(r.prev_hash, `server chain of ${terminalId} broken at ${r.seq}`).toBe(prev);
    const input = entryHashInput({
      seq: Number(r.seq), at: r.at, staffId: r.staff_id, terminalId, action: r.action, targetAtenaNo: r.target_atena_no, reason: r.reason,
      outcome: r.outcome as 'success', detail: JSON.parse(r.detail) as Record<string, never>, prevHash: r.prev_hash,
    });
    expect(createHash('sha256').update(input).digest('hex'), `server entry ${terminalId}/${r.seq} altered`).toBe(r.hash);
    prev = r.hash;
  }
  return rows.map((r) => ({ seq: Number(r.seq), prev_hash: r.prev_hash, hash: r.hash }));
}

describe('the central server restored from a backup while terminals keep working', () => {
  it('after a few rounds every certificate, claim and audit entry is on both terminals and the server, once; the outboxes drain', async () => {
    const a = terminal('DEMO-01');
    const b = terminal('DEMO-02');

    // Before the backup: people, certificates, claims and audit entries on both terminals, all synced.
    const r1 = resident(a, '1001');
    const r2 = resident(a, '1002');
    const c1 = issue(a, r1, 'kodomo', '1000001');
    const k1 = receive(a, r1, 'kodomo_shokan', 'K-0001');
    views(a, 3);
    await round(a, b);
    const c2 = issue(b, r2, 'kodomo', '1000002');
    const k2 = receive(b, r2, 'kokuho_ryoyohi', 'K-0002');
    views(b, 2);
    await round(b, a, b);
    a.checkpoint();
    await round(a);
    expect(a.runner.status()).toMatchObject({ online: true, pending: 0 });
    expect(b.runner.status()).toMatchObject({ online: true, pending: 0 });

    await backupServer(pg.pool, 'before_restore');

    // After the backup — what the restore will take from the server: A issues two certificates and checks a
    // claim; B receives a claim and corrects A's certificate c1, which A then corrects again on top of B's edit.
    const c3 = issue(a, r1, 'kokuho_shikaku', '2000001');
    const c4 = issue(a, r2, 'kokuho_shikaku', '2000002');
    edit(a, 'claims', k1, { state: 'checked', checked_by: 'D1002' }, 'claims.check');
    const k3 = receive(b, r1, 'kokuho_kogaku', 'K-0003');
    views(b, 2);
    await round(a, b);
    edit(b, 'certificates', c1, { valid_to: '2027-03-31' }, 'certificates.correct');
    await round(b, a);
    expect(version(a, 'certificates', c1)).toBe(2);
    edit(a, 'certificates', c1, { public_payer_no: '82270014' }, 'certificates.correct');
    await round(a, b, a, b);
    a.checkpoint();
    await round(a, b);
    for (const t of [a, b]) expect(t.runner.status()).toMatchObject({ online: true, pending: 0, auditPending: 0, failed: 0 });
    expect(rowsOf(b, 'certificates')).toEqual(rowsOf(a, 'certificates'));

    await restoreServer(pg.pool, 'before_restore');

    // After the restore the terminals keep working.
    edit(a, 'certificates', c2, { status: 'cancelled' }, 'certificates.correct');
    const c5 = issue(a, r2, 'kodomo', '1000003');
    const k4 = receive(b, r2, 'kokuho_shussan', 'K-0004');
    views(a, 2);
    views(b, 1);

    for (let i = 0; i < 6; i++) await round(a, b);

    const certs = [c1, c2, c3, c4, c5].sort();
    const claims = [k1, k2, k3, k4].sort();
    for (const t of [a, b]) {
      const st = t.runner.status();
      expect({ terminal: t.id, pending: st.pending, failed: st.failed, lastError: st.lastError }, `${t.id} outbox`).toEqual({ terminal: t.id, pending: 0, failed: 0, lastError: null });
      expect(rowsOf(t, 'certificates').map((r) => r.id), `certificates on ${t.id}`).toEqual(certs);
      expect(rowsOf(t, 'claims').map((r) => r.id), `claims on ${t.id}`).toEqual(claims);
      expect(rowsOf(t, 'residents').map((r) => r.id)).toEqual([r1, r2].sort());
      // Each of the terminal's mutations is on the server exactly once.
      expect(await serverMutations(t.id), `mutations of ${t.id} on the server`).toBe(outboxRows(t));
    }
    // Every record is on the server once, at the version both terminals hold.
    for (const table of ['certificates', 'claims', 'residents']) {
      expect(await serverRowsOf(table), table).toEqual(rowsOf(a, table));
      expect(rowsOf(b, table), table).toEqual(rowsOf(a, table));
    }
    // Both edits of c1 (B's, then A's on top of it) and A's check of k1 survived.
    const c1OnServer = (await pg.pool.query<{ version: number; valid_to: string; payer: string }>(
      `SELECT version, payload->>'valid_to' AS valid_to, payload->>'public_payer_no' AS payer FROM entities WHERE entity_id = $1`, [c1])).rows[0];
    expect(c1OnServer).toEqual({ version: 3, valid_to: '2027-03-31', payer: '82270014' });
    for (const t of [a, b]) {
      expect(t.db.prepare('SELECT version, valid_to, public_payer_no AS payer FROM certificates WHERE id = ?').get(c1)).toEqual({ version: 3, valid_to: '2027-03-31', payer: '82270014' });
      expect(t.db.prepare('SELECT state, checked_by FROM claims WHERE id = ?').get(k1)).toEqual({ state: 'checked', checked_by: 'D1002' });
      expect(t.db.prepare('SELECT status FROM certificates WHERE id = ?').get(c2)).toEqual({ status: 'cancelled' });
    }
    // Replays are not conflicts: nothing waits for a supervisor. A's correction of c1 went first, on a base the
    // restored server did not hold (applied as a replay, sent whole); B's earlier correction, which A's was built
    // on, came after it and was already held.
    expect(Number((await pg.pool.query<{ n: string }>('SELECT count(*) AS n FROM conflicts')).rows[0]!.n)).toBe(0);
    expect((await pg.pool.query(`SELECT terminal_id, entity_id, reason FROM mutations WHERE reason IS NOT NULL ORDER BY applied_at, terminal_id`)).rows).toEqual([
      { terminal_id: 'DEMO-01', entity_id: c1, reason: 'restore: based on version 2, server had 1' },
      { terminal_id: 'DEMO-02', entity_id: c1, reason: 'replay: already held by version 3' },
    ]);

    // The audit logs: the server holds each terminal's whole chain, unchanged and once.
    for (let i = 0; i < 3 && [a, b].some((t) => t.runner.status().auditPending > 0); i++) await round(a, b);
    for (const t of [a, b]) {
      expect(t.runner.status().auditPending, `${t.id} audit pending`).toBe(0);
      expect(auditAckedSeq(t.db)).toBe(localChain(t).length);
      expect(await serverChain(t.id), `audit chain of ${t.id}`).toEqual(localChain(t));
      expect(t.audit.verify().ok).toBe(true);
    }
    // The signed checkpoints the restore took from the server went up again, after the entries they cover.
    const checkpoints = (await pg.pool.query<{ id: string; size: string }>(`SELECT checkpoint_id AS id, tree_size AS size FROM audit_checkpoints WHERE terminal_id = 'DEMO-01' ORDER BY 1`)).rows;
    expect(checkpoints.map((r) => [Number(r.id), Number(r.size)])).toEqual(listCheckpoints(a.db).map((c) => [c.id, c.treeSize]));
    expect(checkpoints).toHaveLength(2);
  }, 120_000);
});

describe('a restore found by the pull before anything is pushed', () => {
  it('the snapshot asks the server first: what it lost goes again, nothing is overwritten or swept', async () => {
    const a = terminal('DEMO-01');
    const engine = a.runner.engine;
    const r1 = resident(a, '1001');
    const c1 = issue(a, r1, 'kodomo', '1000001');
    await round(a);
    await backupServer(pg.pool, 'pull_first');
    const c2 = issue(a, r1, 'kokuho_shikaku', '2000001');
    edit(a, 'certificates', c1, { valid_to: '2027-03-31' }, 'certificates.correct');
    await round(a);
    expect(engine.status().pending).toBe(0);
    await restoreServer(pg.pool, 'pull_first');

    // Nothing is pending, so the terminal's first contact with the restored server is a pull.
    expect((await engine.pullOnce(a.client)).reset).toBe('cursor_ahead');
    expect(engine.status().pending).toBe(0);
    for (let i = 0; i < 20; i++) if (!(await engine.pullOnce(a.client, 2)).more) break;
    // Before applying the snapshot the engine compared its pushes with the server: both changes wait to go again,
    // so the snapshot neither dropped c2 nor put c1 back to the server's version 1.
    expect(engine.status().pending).toBe(2);
    expect(rowsOf(a, 'certificates')).toEqual([{ id: c1, version: 2, deleted: 0 }, { id: c2, version: 1, deleted: 0 }].sort((x, y) => x.id.localeCompare(y.id)));
    const reset = a.audit.list({ limit: 100 }).filter((e) => e.action === 'sync.reset').map((e) => e.detail);
    expect(reset).toEqual(expect.arrayContaining([{ reason: 'cursor_ahead' }, { reason: 'server_restored', serverHolds: 2, sentThrough: 4, resent: 2, lost: 0 }]));

    await round(a, a);
    expect(a.runner.status()).toMatchObject({ pending: 0, failed: 0, lastError: null });
    expect(await serverRowsOf('certificates')).toEqual(rowsOf(a, 'certificates'));
    expect(await serverMutations('DEMO-01')).toBe(outboxRows(a));
  });
});

describe('outbox retention', () => {
  it(`confirmed rows older than ${OUTBOX_RETENTION_DAYS} days are pruned; a restore to before them reports them lost and the queue goes on`, async () => {
    let days = 0;
    const shifted: Clock = { now: () => new Date(clock.now().getTime() + days * 86_400_000) };
    const a = terminal('DEMO-01', shifted);
    const r1 = resident(a, '1001'); // mutation 1
    await round(a);
    await backupServer(pg.pool, 'old_backup');
    // Mutation 2 the server refuses (a field that does not travel), mutation 3 a certificate: both sent on day 0.
    a.db.prepare(`INSERT INTO outbox (client_uuid, entity, entity_id, op, payload, created_at, created_by) VALUES (?, 'residents', ?, 'update', ?, ?, 'TEST')`)
      .run('0191e0a0-0000-7000-8000-0000000000aa', r1, JSON.stringify({ id: r1, version: 2, secret_column: 'x' }), shifted.now().toISOString());
    const c1 = issue(a, r1, 'kodomo', '1000001');
    await round(a);
    expect(a.runner.status()).toMatchObject({ pending: 0, failed: 1 });

    days = OUTBOX_RETENTION_DAYS + 1;
    const c2 = issue(a, r1, 'kokuho_shikaku', '2000001'); // mutation 4, sent on day 31
    await round(a);
    // Rows 1 and 3 were confirmed more than the retention ago: pruned. Row 2 stays behind its rejection.
    expect(a.db.prepare('SELECT mutation_id FROM outbox ORDER BY 1').all()).toEqual([{ mutation_id: 2 }, { mutation_id: 4 }]);

    // The server is restored to the day-0 backup, which holds mutation 1 only.
    await restoreServer(pg.pool, 'old_backup');
    await round(a);
    expect(a.runner.status().lastError).toMatch(/復元で失われた変更のうち 1 件は、端末の保持期間（30日）を過ぎていたため再送できませんでした/);
    expect(a.audit.list({ limit: 100 }).find((e) => e.action === 'sync.reset' && e.detail.reason === 'server_restored')).toMatchObject({
      outcome: 'failure', detail: { serverHolds: 1, sentThrough: 4, resent: 2, lost: 1 },
    });
    await round(a, a);
    expect(a.runner.status()).toMatchObject({ pending: 0, failed: 1, lastError: null });
    const held = (await pg.pool.query("SELECT mutation_id, status, reason FROM mutations WHERE terminal_id = 'DEMO-01' ORDER BY mutation_id")).rows;
    expect(held.map((m: { mutation_id: string; status: string; reason: string | null }) => [Number(m.mutation_id), m.status, m.reason?.split(':')[0] ?? null])).toEqual([
      [1, 'applied', null],
      [2, 'rejected', 'unknown fields for residents'],
      [3, 'rejected', 'lost'],
      [4, 'applied', null],
    ]);
    // c2 went again; c1's only change had been pruned before this old backup came back: declared lost, and the
    // terminal's copy follows the server's (a backup older than the retention loses what it does not hold).
    expect((await serverRowsOf('certificates')).map((r) => r.id)).toEqual([c2]);
    expect(rowsOf(a, 'certificates').map((r) => r.id)).toEqual([c2]);
    void c1;
  });
});
