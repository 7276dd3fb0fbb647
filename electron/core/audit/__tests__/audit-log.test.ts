import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db/database';
import { count, freshDb, tamperAuditLog, type FreshDb } from '../../../../testing/db';
import { fixedClock } from '../../../../testing/clock';
import { AuditLog, entryHash, GENESIS_HASH, type AuditEntry } from '../audit-log';
import { canonicalJson } from '../canonical-json';

let f: FreshDb;
let audit: AuditLog;

beforeEach(() => {
  f = freshDb();
  audit = new AuditLog(f.db, { terminalId: 'T-01' }, fixedClock());
});
afterEach(() => f.cleanup());

function appendFive(): AuditEntry[] {
  return [1, 2, 3, 4, 5].map((i) =>
    audit.append({ staffId: `S${i}`, action: 'audit.verify', targetAtenaNo: String(900000 + i), reason: '窓口申請', outcome: 'success', detail: { i, nested: { b: 1, a: [i] } } }),
  );
}

const tamper = (fn: (db: Db) => void) => tamperAuditLog(f, fn);

describe('hash chain', () => {
  it('links each entry to the previous one, starting from GENESIS, and verifies', () => {
    const entries = appendFive();
    const [e1, e2, e3] = entries;
    expect(e1?.seq).toBe(1);
    expect(e1?.prevHash).toBe(GENESIS_HASH);
    expect(e2?.prevHash).toBe(e1?.hash);
    expect(e3?.prevHash).toBe(e2?.hash);
    expect(e1?.hash).toMatch(/^[0-9a-f]{64}$/);
    const { hash, ...rest } = e2!;
    expect(entryHash(rest)).toBe(hash);
    // What is stored is what append returned.
    expect(audit.list()).toEqual(entries);
    expect(audit.list({ limit: 2 }).map((e) => e.hash)).toEqual([e1?.hash, e2?.hash]);
    const v = audit.verify();
    expect(v).toMatchObject({ ok: true, entries: 5 });
    expect(v.brokenAtSeq).toBeUndefined();
  });

  it('an empty log verifies', () => {
    expect(audit.verify()).toMatchObject({ ok: true, entries: 0 });
  });
});

describe('append-only triggers', () => {
  it('refuses UPDATE and DELETE through SQL', () => {
    appendFive();
    expect(() => f.db.prepare(`UPDATE audit_log SET outcome = 'failure' WHERE seq = 2`).run()).toThrow(/append-only/);
    expect(() => f.db.prepare('DELETE FROM audit_log WHERE seq = 2').run()).toThrow(/append-only/);
    expect(() => f.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(count(f.db, 'SELECT count(*) AS n FROM audit_log')).toBe(5);
    expect(audit.verify().ok).toBe(true);
  });

  it('refuses INSERT OR REPLACE, which would otherwise delete-and-rewrite an entry past the triggers', () => {
    appendFive();
    const replace = `INSERT OR REPLACE INTO audit_log (seq, at, staff_id, terminal_id, action, outcome, detail, prev_hash, hash)
      SELECT seq, at, 'EVIL', terminal_id, action, outcome, detail, prev_hash, hash FROM audit_log WHERE seq = 2`;
    expect(() => f.db.prepare(replace).run()).toThrow(/append-only/);
    expect(f.db.prepare('SELECT staff_id FROM audit_log WHERE seq = 2').pluck().get()).toBe('S2');
    expect(audit.verify().ok).toBe(true);
  });
});

describe('tampering through a second connection is detected', () => {
  beforeEach(() => {
    appendFive();
    expect(audit.verify().ok).toBe(true);
  });

  it('(a) editing one field of a middle entry', () => {
    tamper((db) => db.prepare(`UPDATE audit_log SET reason = '職権処理' WHERE seq = 3`).run());
    const v = audit.verify();
    expect(v.ok).toBe(false);
    expect(v.brokenAtSeq).toBe(3);
    expect(v.entries).toBe(2);
    expect(v.message).toContain('改ざん');
  });

  it('(a2) editing a middle entry and recomputing its own hash breaks the next link', () => {
    tamper((db) => {
      const row = db.prepare('SELECT * FROM audit_log WHERE seq = 3').get() as Record<string, string | number | null>;
      const forged = entryHash({
        seq: 3, at: String(row.at), staffId: 'S9', terminalId: String(row.terminal_id), action: String(row.action),
        targetAtenaNo: row.target_atena_no as string | null, reason: row.reason as string | null, outcome: 'success',
        detail: JSON.parse(String(row.detail)) as Record<string, unknown>, prevHash: String(row.prev_hash),
      });
      db.prepare(`UPDATE audit_log SET staff_id = 'S9', hash = ? WHERE seq = 3`).run(forged);
    });
    const v = audit.verify();
    expect(v).toMatchObject({ ok: false, brokenAtSeq: 4 });
    expect(v.message).toContain('つながり');
  });

  it('(b) deleting a middle entry', () => {
    tamper((db) => db.prepare('DELETE FROM audit_log WHERE seq = 3').run());
    const v = audit.verify();
    expect(v.ok).toBe(false);
    expect(v.brokenAtSeq).toBe(3);
    expect(v.message).toMatch(/欠落|つながり/);
  });

  it('(b2) deleting a middle entry and renumbering the rest', () => {
    tamper((db) => {
      db.prepare('DELETE FROM audit_log WHERE seq = 3').run();
      db.prepare('UPDATE audit_log SET seq = seq - 1 WHERE seq = 4').run();
      db.prepare('UPDATE audit_log SET seq = seq - 1 WHERE seq = 5').run();
    });
    const v = audit.verify();
    expect(v.ok).toBe(false);
    expect(v.brokenAtSeq).toBe(3);
    expect(v.message).toMatch(/欠落|つながり|改ざん/);
  });

  it('(c) swapping two entries (reordering)', () => {
    tamper((db) => {
      db.prepare('UPDATE audit_log SET seq = -2 WHERE seq = 2').run();
      db.prepare('UPDATE audit_log SET seq = 2 WHERE seq = 3').run();
      db.prepare('UPDATE audit_log SET seq = 3 WHERE seq = -2').run();
    });
    expect(audit.list().map((e) => e.staffId)).toEqual(['S1', 'S3', 'S2', 'S4', 'S5']);
    const v = audit.verify();
    expect(v.ok).toBe(false);
    expect(v.brokenAtSeq).toBe(2);
    expect(v.message).toMatch(/つながり|改ざん/);
  });

  it('(d) editing a detail value', () => {
    tamper((db) => db.prepare(`UPDATE audit_log SET detail = '{"i":99}' WHERE seq = 4`).run());
    expect(audit.verify()).toMatchObject({ ok: false, brokenAtSeq: 4 });
  });
});

describe('transactions', () => {
  it('an action and its audit entry roll back together', () => {
    f.db.exec('CREATE TABLE action_probe (x TEXT)');
    expect(() =>
      f.db.transaction(() => {
        f.db.prepare(`INSERT INTO action_probe VALUES ('done')`).run();
        audit.append({ staffId: 'S1', action: 'audit.review', outcome: 'success' });
        throw new Error('action failed');
      })(),
    ).toThrow('action failed');
    expect(count(f.db, 'SELECT count(*) AS n FROM audit_log')).toBe(0);
    expect(count(f.db, 'SELECT count(*) AS n FROM action_probe')).toBe(0);
    // The chain continues cleanly after the rollback.
    const e = audit.append({ staffId: 'S1', action: 'audit.verify', outcome: 'success' });
    expect(e).toMatchObject({ seq: 1, prevHash: GENESIS_HASH });
    expect(audit.verify()).toMatchObject({ ok: true, entries: 1 });
  });
});

describe('entryHash', () => {
  it('is stable: a fixed entry hashes to the value existing chains were written with (the server recomputes it from shared/audit)', () => {
    const e = {
      seq: 7, at: '2026-11-22T01:00:00.000Z', staffId: 'D1001', terminalId: 'T-01', action: 'resident.view', targetAtenaNo: '000123',
      reason: '窓口申請', outcome: 'success' as const, detail: { z: [1, 'え'], a: { y: null, b: true } }, prevHash: 'ab'.repeat(32),
    };
    expect(entryHash(e)).toBe('39e4c47adc8f311ce71b4d94f5aca51abff1b9bd3eddd19d77c812a28750a558');
  });
});

describe('canonicalJson', () => {
  it('is independent of key order, also in nested objects and arrays of objects', () => {
    const a = canonicalJson({ b: 1, a: { d: 2, c: [1, { f: 1, e: 'え' }] } });
    const b = canonicalJson({ a: { c: [1, { e: 'え', f: 1 }], d: 2 }, b: 1 });
    expect(a).toBe(b);
    expect(a).toBe('{"a":{"c":[1,{"e":"え","f":1}],"d":2},"b":1}');
  });
  it('keeps array order, drops undefined members, and encodes null/booleans', () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
    expect(canonicalJson({ a: undefined, b: null, c: true })).toBe('{"b":null,"c":true}');
  });
  it('rejects NaN, Infinity and non-JSON values', () => {
    expect(() => canonicalJson(NaN)).toThrow(TypeError);
    expect(() => canonicalJson({ x: { y: Number.POSITIVE_INFINITY } })).toThrow(TypeError);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(TypeError);
    expect(() => canonicalJson(10n)).toThrow(TypeError);
  });
});
