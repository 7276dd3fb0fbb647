import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clockFrom } from '../../../../testing/clock';
import { createSeededCore, type SeededCore } from '../../../../testing/core';
import { resetDb, useSyncServer, type PgFixture, type SyncServerFixture } from '../../../../testing/server';
import { serverClient } from '../../../../testing/terminals';
import { must } from '../../../../testing/db';
import type { CentralServerClient } from '../../net/server-client';
import { uploadAuditOnce } from '../audit-upload';
import { AUDIT_ACKED_KEY, auditAckedSeq, auditPending } from '../../audit/acknowledged';
import { SyncEngine, SyncError, type SyncTransport } from '../sync-engine';
import { SyncRunner } from '../sync-runner';
import { join } from 'node:path';
import { FileTerminalSigningKey, createCheckpoint } from '../../audit/checkpoint';
import { checkpointAckedId, uploadCheckpointsOnce } from '../checkpoint-upload';

/**
 * The terminal's audit upload against the real central server: real PostgreSQL (embedded), real mutual TLS
 * with enrolled certificates, the real pinned client, the real SQLCipher audit log. Loopback only.
 */
let fixture: SyncServerFixture, pg: PgFixture;
useSyncServer(['DEMO-01', 'DEMO-02'], { clock: clockFrom('2026-11-22T01:00:00Z') }, (s) => ({ pg } = fixture = s));

const clientFor = (core: SeededCore, id: string) => serverClient(fixture, id, core.core.audit);

let a: SeededCore;
let client: CentralServerClient;
beforeEach(async () => {
  await resetDb(pg.pool);
  a = await createSeededCore({ clock: clockFrom('2026-11-22T01:00:00Z'), households: 1 });
  client = clientFor(a, 'DEMO-01');
});
afterEach(() => {
  client.close?.();
  a.cleanup();
});

const localMax = (core: SeededCore = a) => (core.core.db.prepare('SELECT max(seq) AS m FROM audit_log').get() as { m: number }).m;
const localChain = (core: SeededCore = a) => core.core.db.prepare('SELECT seq, prev_hash, hash FROM audit_log ORDER BY seq').all() as { seq: number; prev_hash: string; hash: string }[];
const serverChain = async (terminalId = 'DEMO-01') =>
  (await pg.pool.query<{ seq: string; prev_hash: string; hash: string }>('SELECT seq, prev_hash, hash FROM audit_entries WHERE terminal_id = $1 ORDER BY seq', [terminalId])).rows.map((r) => ({ seq: Number(r.seq), prev_hash: r.prev_hash, hash: r.hash }));
const serverCount = async () => Number((await pg.pool.query<{ n: string }>('SELECT count(*) AS n FROM audit_entries')).rows[0]!.n);

function appendMany(core: SeededCore, n: number): void {
  core.core.db.transaction(() => {
    for (let i = 0; i < n; i++) {
      core.core.audit.append({ staffId: 'D1001', action: 'residents.view', targetAtenaNo: String(100000 + i), outcome: 'success', detail: { i, note: '窓口', nested: { b: [1, 2], a: null } } });
    }
  })();
}

/** Records the size of every audit batch that goes over the wire. */
function recording(t: SyncTransport): { transport: SyncTransport; batches: number[] } {
  const batches: number[] = [];
  return {
    batches,
    transport: {
      request: (method, url, body) => {
        if (url === '/v1/audit') batches.push((body as { entries: unknown[] }).entries.length);
        return t.request(method, url, body);
      },
    },
  };
}

describe('audit upload against the real server', () => {
  it('sends the entries after the acknowledged seq; the server holds the same chain; a second call sends nothing', async () => {
    appendMany(a, 30);
    expect(auditAckedSeq(a.core.db)).toBe(0);
    const r = await uploadAuditOnce(a.core.db, client, 'DEMO-01');
    expect(r).toEqual({ status: 'ok', sent: localMax(), ackedSeq: localMax(), pending: 0 });
    expect(auditAckedSeq(a.core.db)).toBe(localMax());
    expect(await serverChain()).toEqual(localChain());
    expect(await uploadAuditOnce(a.core.db, client, 'DEMO-01')).toEqual({ status: 'ok', sent: 0, ackedSeq: localMax(), pending: 0 });
  });

  it('a resend of entries the server already has (acknowledgement lost) changes nothing on the server', async () => {
    appendMany(a, 10);
    await uploadAuditOnce(a.core.db, client, 'DEMO-01');
    const held = await serverChain();
    // The terminal never saw the reply: its acknowledged seq is still 0.
    a.core.db.prepare('DELETE FROM sync_state WHERE key = ?').run(AUDIT_ACKED_KEY);
    appendMany(a, 5);
    const r = await uploadAuditOnce(a.core.db, client, 'DEMO-01');
    expect(r).toMatchObject({ status: 'ok', ackedSeq: localMax(), pending: 0 });
    expect((await serverChain()).slice(0, held.length)).toEqual(held);
    expect(await serverChain()).toEqual(localChain());
  });

  it('after 2,500 local entries the runner drains them in batches of at most 1000; audit_acked_seq equals the local max', async () => {
    appendMany(a, 2500);
    const total = localMax();
    expect(total).toBeGreaterThanOrEqual(2500);
    expect(a.core.sync.status().auditPending).toBe(0); // no central server: nothing to upload to
    const { transport, batches } = recording(client);
    a.core.sync.attach(transport);
    expect(a.core.sync.status().auditPending).toBe(total);
    await a.core.sync.runOnce();
    const st = a.core.sync.status();
    expect(st).toMatchObject({ online: true, lastError: null });
    expect(batches).toEqual([1000, 1000, total - 2000]);
    expect(auditAckedSeq(a.core.db)).toBe(total);
    // The same round may log its own bookkeeping after the upload (e.g. the checksum comparison starting a
    // snapshot, since the seeded residents never went to the server); those go up with the next round.
    await a.core.sync.runOnce();
    expect(auditAckedSeq(a.core.db)).toBeGreaterThanOrEqual(total);
    expect(a.core.sync.status().auditPending).toBe(localMax() - auditAckedSeq(a.core.db));
    await a.core.sync.runOnce();
    expect(await serverCount()).toBe(auditAckedSeq(a.core.db));
    expect((await serverChain()).length).toBeGreaterThan(total);
    expect(await serverChain()).toEqual(localChain().slice(0, auditAckedSeq(a.core.db)));
  });

  it('an entry edited on the terminal is refused; audit_acked_seq stays; the runner stays online and reports the reason', async () => {
    appendMany(a, 20);
    await uploadAuditOnce(a.core.db, client, 'DEMO-01');
    const acked = auditAckedSeq(a.core.db);
    appendMany(a, 20);
    // Someone with the database key gets past the append-only trigger and edits an entry not yet uploaded.
    a.core.db.exec('DROP TRIGGER audit_log_no_update');
    a.core.db.prepare(`UPDATE audit_log SET target_atena_no = '999999' WHERE seq = ?`).run(acked + 5);
    const r = await uploadAuditOnce(a.core.db, client, 'DEMO-01');
    expect(r).toMatchObject({ status: 'rejected', ackedSeq: acked, sent: 20 });
    expect(r.reason).toMatch(new RegExp(`改ざん: 監査ログ ${acked + 5} 番`));
    expect(auditAckedSeq(a.core.db)).toBe(acked);
    expect(await serverCount()).toBe(acked);
    const runner = new SyncRunner(new SyncEngine(a.core.db, a.core.audit, a.core.clock, 'DEMO-01'), client, [], { db: a.core.db, terminalId: 'DEMO-01' });
    await runner.runOnce();
    expect(runner.status()).toMatchObject({ online: true, auditPending: localMax() - acked });
    expect(runner.status().lastError).toMatch(/監査ログを受け付けませんでした：改ざん/);
    expect(auditAckedSeq(a.core.db)).toBe(acked);
    expect(await serverCount()).toBe(acked);
  });

  it('a second terminal writing under the same ID (a fork) is refused as 改ざんまたは分岐; nothing of it is stored', async () => {
    const clone = await createSeededCore({ clock: clockFrom('2026-11-22T02:00:00Z'), households: 1, terminalId: 'DEMO-01' });
    const cloneClient = clientFor(clone, 'DEMO-01');
    try {
      appendMany(a, 5);
      appendMany(clone, 5);
      expect((await uploadAuditOnce(a.core.db, client, 'DEMO-01')).status).toBe('ok');
      const held = await serverChain();
      const r = await uploadAuditOnce(clone.core.db, cloneClient, 'DEMO-01');
      expect(r.status).toBe('rejected');
      expect(r.reason).toMatch(/改ざんまたは分岐/);
      expect(auditAckedSeq(clone.core.db)).toBe(0);
      expect(await serverChain()).toEqual(held);
    } finally {
      cloneClient.close?.();
      clone.cleanup();
    }
  });

  it('a server that lost entries (database restored) gets them again: the terminal rewinds to what the server holds', async () => {
    appendMany(a, 40);
    await uploadAuditOnce(a.core.db, client, 'DEMO-01');
    const keep = 10;
    const kept = (await serverChain())[keep - 1]!;
    await pg.pool.query('DELETE FROM audit_entries WHERE seq > $1', [keep]);
    await pg.pool.query('UPDATE audit_heads SET head_seq = $1, head_hash = $2', [keep, kept.hash]);
    appendMany(a, 3);
    const r = await uploadAuditOnce(a.core.db, client, 'DEMO-01');
    expect(r).toMatchObject({ status: 'rejected', rewound: true, ackedSeq: keep });
    expect(r.reason).toMatch(/欠落/);
    expect(auditAckedSeq(a.core.db)).toBe(keep);
    expect(await uploadAuditOnce(a.core.db, client, 'DEMO-01')).toMatchObject({ status: 'ok', ackedSeq: localMax(), pending: 0 });
    expect(await serverChain()).toEqual(localChain());
  });

  it("terminal A's certificate uploading as terminal B is refused (403): an error, nothing stored", async () => {
    appendMany(a, 3);
    await expect(uploadAuditOnce(a.core.db, client, 'DEMO-02')).rejects.toThrow(SyncError);
    // Staff read what failed; the status is kept for IT (never in the message).
    await expect(uploadAuditOnce(a.core.db, client, 'DEMO-02')).rejects.toMatchObject({ message: '中央サーバが監査ログを受け付けませんでした。', technical: 'HTTP 403' });
    expect(auditAckedSeq(a.core.db)).toBe(0);
    expect(auditPending(a.core.db)).toBe(localMax());
    expect(await serverCount()).toBe(0);
  });
});

describe('checkpoints go up after the entries they cover', () => {
  const serverCheckpoints = async () => (await pg.pool.query<{ checkpoint_id: string; tree_size: string }>('SELECT checkpoint_id, tree_size FROM audit_checkpoints ORDER BY checkpoint_id')).rows.map((r) => [Number(r.checkpoint_id), Number(r.tree_size)]);

  it('a checkpoint matching the entries the server holds is stored; one over a different history or another key is refused', async () => {
    a.core.sync.attach(client);
    for (let i = 0; i < 5; i++) a.core.audit.append({ staffId: null, action: 'audit.verify', outcome: 'success' });
    const first = must(createCheckpoint(a.core.db, a.core.checkpoints.signer, a.core.clock));
    expect(first.treeSize).toBeGreaterThanOrEqual(5);
    await a.core.sync.runOnce(); // entries, then the checkpoint
    expect(await serverCheckpoints()).toEqual([[first.id, first.treeSize]]);
    expect(checkpointAckedId(a.core.db)).toBe(first.id);

    // The server's copy of one entry differs (a fork the server would otherwise never notice by the chain alone):
    // the next checkpoint's root does not match and is refused, nothing stored.
    await pg.pool.query(`UPDATE audit_entries SET hash = repeat('0', 64) WHERE terminal_id = 'DEMO-01' AND seq = 3`);
    a.core.audit.append({ staffId: null, action: 'audit.verify', outcome: 'success' });
    await a.core.sync.runOnce();
    const second = must(createCheckpoint(a.core.db, a.core.checkpoints.signer, a.core.clock));
    await uploadAuditOnce(a.core.db, client, 'DEMO-01'); // the entries it covers go first
    const r = await uploadCheckpointsOnce(a.core.db, client, 'DEMO-01');
    expect(r.reason).toMatch(/改ざんまたは分岐/);
    expect(await serverCheckpoints()).toEqual([[first.id, first.treeSize]]);
    expect(checkpointAckedId(a.core.db)).toBe(first.id);
    expect(second.id).toBeGreaterThan(first.id);
  });

  it('a checkpoint signed with a key other than the registered one is refused', async () => {
    a.core.sync.attach(client);
    for (let i = 0; i < 5; i++) a.core.audit.append({ staffId: null, action: 'audit.verify', outcome: 'success' });
    createCheckpoint(a.core.db, a.core.checkpoints.signer, a.core.clock);
    await a.core.sync.runOnce();
    a.core.audit.append({ staffId: null, action: 'audit.verify', outcome: 'success' });
    await a.core.sync.runOnce();
    const other = FileTerminalSigningKey.loadOrCreate(join(a.dataDir, 'other-signing.key'));
    createCheckpoint(a.core.db, other, a.core.clock);
    await uploadAuditOnce(a.core.db, client, 'DEMO-01');
    const r = await uploadCheckpointsOnce(a.core.db, client, 'DEMO-01');
    expect(r.reason).toMatch(/鍵の不一致/);
    expect((await serverCheckpoints())).toHaveLength(1);
  });
});
