import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clockFrom } from '../../../../testing/clock';
import { auditOf, count, freshDb, type FreshDb } from '../../../../testing/db';
import { AuditLog } from '../audit-log';
import { FileTerminalSigningKey, createCheckpoint, inclusionProofsFor, verifyInclusionProof, type TerminalSigningKey } from '../checkpoint';
import { purgeExpiredAudit } from '../retention';

/** Retention: only entries older than 5 years AND acknowledged by the central server go; all stays verifiable. */
let f: FreshDb;
let signer: TerminalSigningKey;
beforeEach(() => {
  f = freshDb();
  signer = FileTerminalSigningKey.loadOrCreate(join(f.dir, 'signing.key'));
});
afterEach(() => f.cleanup());

const ack = (seq: number) => f.db.prepare(`INSERT INTO sync_state (key, value) VALUES ('audit_acked_seq', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(String(seq));
const log = (iso: string) => new AuditLog(f.db, { terminalId: 'T001' }, clockFrom(iso));

describe('audit retention', () => {
  it('purges only what is older than 5 years and acknowledged; the chain and older checkpoints stay verifiable; the purge is audited', () => {
    const old = log('2020-04-01T00:00:00Z');
    for (let i = 1; i <= 30; i++) old.append({ staffId: 'S1', action: 'residents.view', targetAtenaNo: String(i), outcome: 'success' });
    const recent = log('2024-04-01T00:00:00Z');
    for (let i = 1; i <= 10; i++) recent.append({ staffId: 'S2', action: 'residents.view', targetAtenaNo: String(100 + i), outcome: 'success' });
    const before = createCheckpoint(f.db, signer, clockFrom('2024-04-02T00:00:00Z'));
    expect(before.treeSize).toBe(40);
    const now = clockFrom('2025-06-01T00:00:00Z'); // cutoff 2020-06-01: the 30 from 2020 are past retention
    const audit = new AuditLog(f.db, { terminalId: 'T001' }, now);

    // Nothing acknowledged by the central server yet: nothing goes.
    expect(purgeExpiredAudit(f.db, audit, now, signer)).toMatchObject({ purged: 0, note: expect.stringContaining('受領確認') });
    expect(count(f.db, 'SELECT count(*) AS n FROM audit_log')).toBe(40);

    // The server has acknowledged 35: the 30 expired go, the 5 acknowledged but recent stay.
    ack(35);
    expect(purgeExpiredAudit(f.db, audit, now, signer)).toMatchObject({ purged: 30, throughSeq: 30, note: null });
    expect(count(f.db, 'SELECT count(*) AS n FROM audit_log WHERE seq <= 30')).toBe(0);
    expect(count(f.db, 'SELECT count(*) AS n FROM audit_log WHERE seq > 30')).toBe(11); // 10 recent + the purge's own entry
    expect(count(f.db, 'SELECT count(*) AS n FROM audit_purged_hashes')).toBe(30);
    expect(auditOf(f.db, 'audit.retentionPurge')).toMatchObject([{ outcome: 'success', detail: { purged: 30, throughSeq: 30 } }]);

    // The remaining chain verifies from the kept values; a proof against the pre-purge checkpoint still works;
    // new checkpoints continue the same tree.
    expect(audit.verify()).toMatchObject({ ok: true });
    const [proof] = inclusionProofsFor(f.db, [35], before.treeSize);
    const hash = (f.db.prepare('SELECT hash FROM audit_log WHERE seq = 35').get() as { hash: string }).hash;
    expect(verifyInclusionProof(hash, proof!, before.rootHash)).toBe(true);
    expect(createCheckpoint(f.db, signer, now, { full: true }).treeSize).toBe(41);

    // Outside a purge nothing can be deleted, and tampering with a kept value is detected.
    expect(() => f.db.prepare('DELETE FROM audit_log WHERE seq = 35').run()).toThrow(/append-only/);
    expect(() => f.db.prepare('DELETE FROM audit_purged_hashes').run()).toThrow(/append-only/);
    f.db.exec('DROP TRIGGER audit_purged_hashes_no_update');
    f.db.prepare(`UPDATE audit_purged_hashes SET hash = ? WHERE seq = 12`).run('0'.repeat(64));
    expect(audit.verify()).toMatchObject({ ok: false, brokenAtSeq: 13 });
  });

  it('a purge that takes every entry keeps the chain going: the next entry continues from the last purged one and verifies', () => {
    const old = log('2019-04-01T00:00:00Z');
    for (let i = 1; i <= 5; i++) old.append({ staffId: 'S1', action: 'residents.view', targetAtenaNo: String(i), outcome: 'success' });
    const lastPurged = f.db.prepare('SELECT hash FROM audit_log WHERE seq = 5').get() as { hash: string };
    ack(5);
    const now = clockFrom('2025-06-01T00:00:00Z');
    const audit = new AuditLog(f.db, { terminalId: 'T001' }, now);
    expect(purgeExpiredAudit(f.db, audit, now, signer)).toMatchObject({ purged: 5, throughSeq: 5 });
    // The purge's own entry is the first after the purged ones, linked to the last of them.
    expect(f.db.prepare('SELECT seq, prev_hash AS prevHash FROM audit_log').all()).toEqual([{ seq: 6, prevHash: lastPurged.hash }]);
    expect(audit.verify()).toMatchObject({ ok: true, entries: 1 });
  });
});
