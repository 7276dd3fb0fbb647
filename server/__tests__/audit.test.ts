import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { call, resetDb, useSyncServer, type ClientCert, type PgFixture, type PkiFixture } from '../../testing/server';
import { clockFrom } from '../../testing/clock';
import { GENESIS_HASH, entryHashInput } from '../../shared/audit/audit-entry';
import { canonicalJson } from '../../shared/audit/canonical-json';
import type { AuditEntryWire, AuditUploadResponse } from '../../shared/sync/audit-protocol';

/**
 * Audit upload against a real PostgreSQL and real mutual TLS: the server keeps a terminal's audit chain only
 * where a batch extends what it already holds. Every test checks the rows in PostgreSQL, not just the status.
 */
let pg: PgFixture, pki: PkiFixture, port: number;
useSyncServer(['T001', 'T002'], { clock: clockFrom('2026-11-22T01:00:00Z') }, (s) => ({ pg, pki, port } = s));

beforeEach(async () => {
  await resetDb(pg.pool);
});

function t(id: string): ClientCert {
  return pki.terminals[id]!;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Re-hash an entry after its fields were set (what the terminal's AuditLog does). */
function seal(e: Omit<AuditEntryWire, 'hash'>): AuditEntryWire {
  return { ...e, hash: sha256(entryHashInput(e)) };
}

/** A valid chain of `n` entries for `terminalId`, continuing after `after` (seq, hash) or from genesis. */
function chain(terminalId: string, n: number, after: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH }, variant = ''): AuditEntryWire[] {
  const out: AuditEntryWire[] = [];
  let prev = after;
  for (let i = 1; i <= n; i++) {
    const seq = after.seq + i;
    const e = seal({
      seq,
      at: new Date(Date.UTC(2026, 10, 22, 1, 0, 0, seq)).toISOString(),
      staffId: seq % 3 === 0 ? null : 'D1001',
      terminalId,
      action: seq % 2 === 0 ? 'resident.view' : 'certificate.issue',
      targetAtenaNo: seq % 2 === 0 ? '0000000001' : null,
      reason: seq % 5 === 0 ? `窓口での確認 ${variant}` : null,
      outcome: 'success',
      // Keys deliberately not sorted: the hash covers the canonical form.
      detail: { z: seq, a: { y: [1, 'え', null, true], b: 0.5 }, variant },
      prevHash: prev.hash,
    });
    out.push(e);
    prev = e;
  }
  return out;
}

const last = (entries: AuditEntryWire[]) => entries[entries.length - 1]!;

async function upload(cert: ClientCert, terminalId: string, entries: unknown[]) {
  return call(port, pki.ca, cert, 'POST', '/v1/audit', { terminalId, entries });
}

async function uploadAs(terminalId: string, entries: AuditEntryWire[]) {
  const r = await upload(t(terminalId), terminalId, entries);
  return { status: r.status, body: r.body as AuditUploadResponse };
}

interface Row {
  terminal_id: string;
  seq: string;
  at: string;
  staff_id: string | null;
  action: string;
  target_atena_no: string | null;
  reason: string | null;
  outcome: string;
  detail: string;
  prev_hash: string;
  hash: string;
}

async function held(terminalId = 'T001'): Promise<Row[]> {
  return (await pg.pool.query<Row>('SELECT * FROM audit_entries WHERE terminal_id = $1 ORDER BY seq', [terminalId])).rows;
}

async function count(table: string): Promise<number> {
  return Number((await pg.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
}

async function head(terminalId = 'T001'): Promise<{ seq: number; hash: string } | null> {
  const r = (await pg.pool.query<{ head_seq: string; head_hash: string }>('SELECT head_seq, head_hash FROM audit_heads WHERE terminal_id = $1', [terminalId])).rows[0];
  return r ? { seq: Number(r.head_seq), hash: r.head_hash } : null;
}

/** The stored rows as the wire entries they came from (the server's copy must verify on its own). */
function fromRow(r: Row): AuditEntryWire {
  return {
    seq: Number(r.seq), at: r.at, staffId: r.staff_id, terminalId: r.terminal_id, action: r.action, targetAtenaNo: r.target_atena_no,
    reason: r.reason, outcome: r.outcome as AuditEntryWire['outcome'], detail: JSON.parse(r.detail) as AuditEntryWire['detail'], prevHash: r.prev_hash, hash: r.hash,
  };
}

describe('audit upload', () => {
  it('stores the exact chain; the server copy verifies on its own', async () => {
    const entries = chain('T001', 25);
    const r = await uploadAs('T001', entries);
    expect(r).toEqual({ status: 200, body: { terminalId: 'T001', acceptedThroughSeq: 25, status: 'ok' } });
    const rows = await held();
    expect(rows.map((x) => [Number(x.seq), x.prev_hash, x.hash])).toEqual(entries.map((e) => [e.seq, e.prevHash, e.hash]));
    expect(rows.map(fromRow)).toEqual(entries);
    expect(rows[0]!.detail).toBe(canonicalJson(entries[0]!.detail)); // canonical text, exactly as hashed
    let prev = GENESIS_HASH;
    for (const e of rows.map(fromRow)) {
      expect(e.prevHash).toBe(prev);
      expect(sha256(entryHashInput(e))).toBe(e.hash);
      prev = e.hash;
    }
    expect(await head()).toEqual({ seq: 25, hash: last(entries).hash });
  });

  it('extends batch by batch; a batch overlapping what is held is accepted if the held part is identical', async () => {
    const all = chain('T001', 30);
    expect((await uploadAs('T001', all.slice(0, 10))).body.acceptedThroughSeq).toBe(10);
    expect((await uploadAs('T001', all.slice(10, 20))).body.acceptedThroughSeq).toBe(20);
    const r = await uploadAs('T001', all.slice(15, 30)); // 16..20 held, 21..30 new
    expect(r).toMatchObject({ status: 200, body: { status: 'ok', acceptedThroughSeq: 30 } });
    expect((await held()).map((x) => x.hash)).toEqual(all.map((e) => e.hash));
  });

  it('a replay of the same batch is idempotent: ok, nothing changes', async () => {
    const entries = chain('T001', 12);
    await uploadAs('T001', entries);
    const before = await held();
    const r1 = await uploadAs('T001', entries);
    const r2 = await uploadAs('T001', entries.slice(3, 7));
    expect(r1).toEqual({ status: 200, body: { terminalId: 'T001', acceptedThroughSeq: 12, status: 'ok' } });
    expect(r2).toEqual({ status: 200, body: { terminalId: 'T001', acceptedThroughSeq: 12, status: 'ok' } });
    expect(await held()).toEqual(before);
    expect(await count('audit_entries')).toBe(12);
  });

  it('the same batch sent twice at once is stored once (the head row serialises them)', async () => {
    const entries = chain('T001', 200);
    const rs = await Promise.all([uploadAs('T001', entries), uploadAs('T001', entries), uploadAs('T001', entries)]);
    expect(rs.map((r) => [r.status, r.body.status, r.body.acceptedThroughSeq])).toEqual([[200, 'ok', 200], [200, 'ok', 200], [200, 'ok', 200]]);
    expect(await count('audit_entries')).toBe(200);
  });

  it('an edited entry (one field changed, hash kept) is rejected and nothing of the batch is stored', async () => {
    const entries = chain('T001', 10);
    const edited = entries.map((e) => (e.seq === 7 ? { ...e, targetAtenaNo: '0000000099' } : e));
    const r = await uploadAs('T001', edited);
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ terminalId: 'T001', acceptedThroughSeq: 0, status: 'rejected' });
    expect(r.body.reason).toMatch(/改ざん.*7 番/);
    expect(await count('audit_entries')).toBe(0);
    expect(await count('audit_heads')).toBe(0);
    // The same with a detail value changed, after a first part was accepted: the head does not move.
    await uploadAs('T001', entries.slice(0, 5));
    const tampered = entries.slice(5).map((e) => (e.seq === 9 ? { ...e, detail: { ...e.detail, z: 999 } } : e));
    const r2 = await uploadAs('T001', tampered);
    expect(r2).toMatchObject({ status: 409, body: { acceptedThroughSeq: 5, status: 'rejected' } });
    expect(await count('audit_entries')).toBe(5);
    expect(await head()).toEqual({ seq: 5, hash: entries[4]!.hash });
  });

  it('an entry re-hashed after editing breaks the link to the next one: rejected', async () => {
    const entries = chain('T001', 6);
    const { hash: _old, ...fields } = entries[2]!;
    void _old;
    const rehashed = entries.map((e) => (e.seq === 3 ? seal({ ...fields, reason: '書き換え' }) : e));
    const r = await uploadAs('T001', rehashed);
    expect(r).toMatchObject({ status: 409, body: { status: 'rejected', acceptedThroughSeq: 0 } });
    expect(r.body.reason).toMatch(/4 番/);
    expect(await count('audit_entries')).toBe(0);
  });

  it('a forked chain (another valid entry at a seq the server holds) is rejected as 改ざんまたは分岐', async () => {
    const original = chain('T001', 10);
    await uploadAs('T001', original);
    const before = await held();
    // The terminal's log from seq 6 on was replaced by another, internally consistent chain.
    const fork = [...original.slice(0, 5), ...chain('T001', 8, { seq: 5, hash: original[4]!.hash }, 'fork')];
    const r = await uploadAs('T001', fork.slice(3));
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ acceptedThroughSeq: 10, status: 'rejected' });
    expect(r.body.reason).toMatch(/改ざんまたは分岐: 監査ログ 6 番/);
    // Only the forked part: still refused.
    expect((await uploadAs('T001', fork.slice(5, 7))).body.reason).toMatch(/改ざんまたは分岐/);
    // A new entry 11 that does not link to the held 10 is a fork as well.
    const r3 = await uploadAs('T001', fork.slice(10));
    expect(r3).toMatchObject({ status: 409, body: { status: 'rejected' } });
    expect(r3.body.reason).toMatch(/改ざんまたは分岐: 監査ログ 11 番/);
    expect(await held()).toEqual(before);
    expect(await head()).toEqual({ seq: 10, hash: original[9]!.hash });
  });

  it('a gap is rejected, in a batch or against what the server holds; a first batch must start at genesis', async () => {
    const entries = chain('T001', 10);
    const r1 = await uploadAs('T001', entries.slice(2, 6)); // server holds nothing; 3..6
    expect(r1).toMatchObject({ status: 409, body: { acceptedThroughSeq: 0, status: 'rejected' } });
    expect(r1.body.reason).toMatch(/欠落.*1 番から/);
    await uploadAs('T001', entries.slice(0, 4));
    const r2 = await uploadAs('T001', entries.slice(6)); // holds 4; 7..10
    expect(r2).toMatchObject({ status: 409, body: { acceptedThroughSeq: 4, status: 'rejected' } });
    const r3 = await uploadAs('T001', [...entries.slice(4, 6), ...entries.slice(7)]); // 5, 6, 8, 9, 10
    expect(r3).toMatchObject({ status: 409, body: { acceptedThroughSeq: 4, status: 'rejected' } });
    expect(r3.body.reason).toMatch(/連番/);
    expect(await count('audit_entries')).toBe(4);
    // A first entry with seq 1 that does not start from genesis.
    const other = chain('T002', 3, { seq: 0, hash: 'a'.repeat(64) });
    expect(await uploadAs('T002', other)).toMatchObject({ status: 409, body: { status: 'rejected', acceptedThroughSeq: 0 } });
    expect(await held('T002')).toEqual([]);
  });

  it("refuses terminal A's certificate uploading as terminal B (403), and entries of another terminal in A's batch", async () => {
    const r = await upload(t('T001'), 'T002', chain('T002', 3));
    expect(r.status).toBe(403);
    const mixed = await uploadAs('T001', chain('T002', 3));
    expect(mixed).toMatchObject({ status: 409, body: { status: 'rejected' } });
    expect(mixed.body.reason).toMatch(/端末ID/);
    expect(await count('audit_entries')).toBe(0);
    expect(await count('audit_heads')).toBe(0);
    // Each terminal has its own chain.
    await uploadAs('T001', chain('T001', 3));
    await uploadAs('T002', chain('T002', 4));
    expect((await held('T001')).length).toBe(3);
    expect((await held('T002')).length).toBe(4);
  });

  it('refuses malformed envelopes (400): unknown keys, empty or oversized batches, bad hashes', async () => {
    const entries = chain('T001', 2);
    expect((await upload(t('T001'), 'T001', [])).status).toBe(400);
    expect((await upload(t('T001'), 'T001', [{ ...entries[0], extra: 1 }])).status).toBe(400);
    expect((await upload(t('T001'), 'T001', [{ ...entries[0], hash: 'XYZ' }])).status).toBe(400);
    expect((await call(port, pki.ca, t('T001'), 'POST', '/v1/audit', { terminalId: 'T001', entries, more: true })).status).toBe(400);
    expect((await upload(t('T001'), 'T001', chain('T001', 1001))).status).toBe(400);
    expect(await count('audit_entries')).toBe(0);
  });

  it('takes a full batch of 1000 entries', async () => {
    const entries = chain('T001', 1000);
    expect(await uploadAs('T001', entries)).toMatchObject({ status: 200, body: { acceptedThroughSeq: 1000 } });
    expect(await count('audit_entries')).toBe(1000);
  });
});
