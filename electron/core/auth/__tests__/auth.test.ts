import { CERT_TYPES } from '../../../../shared/domain/certificate-types';
import { existsSync, linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clockFrom, fixedClock } from '../../../../testing/clock';
import { createSeededCore, type SeededCore, loginSeeded } from '../../../../testing/core';
import { DEMO_LOGINS, demoLogin } from '../../../../testing/seed';
import { auditOf, count, freshDb, tempDir, type FreshDb } from '../../../../testing/db';
import { DomainError } from '../../errors';
import { provisionTerminal } from '../../provision/provision';
import { shredFile } from '../../provision/shred';
import { readTerminalSettings } from '../../db/terminal-settings';
import { hashPassword, verifyPassword } from '../passwords';

const login = demoLogin;
const D1001 = login('D1001');
const D1002 = login('D1002');

async function failure(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error('expected the call to fail');
}

describe('password storage', () => {
  it('hashes with argon2id at the configured cost and verifies only the right password', async () => {
    const h = await hashPassword('correct horse battery');
    expect(h.startsWith('$argon2id$v=19$m=19456,t=2,p=1$')).toBe(true);
    expect(await verifyPassword(h, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(h, 'correct horse batterY')).toBe(false);
    expect(await verifyPassword('not-a-hash', 'x')).toBe(false);
    expect(await hashPassword('correct horse battery')).not.toBe(h); // salted
  });
});

describe('login and sessions (seeded core)', () => {
  let s: SeededCore;
  beforeEach(async () => {
    s = await createSeededCore({ clock: clockFrom('2026-11-22T01:00:00Z'), households: 20 });
  });
  afterEach(() => s.cleanup());
  const failures = () => auditOf(s.core.db, 'auth.login').filter((e) => e.outcome === 'rejected');

  it('the staff table holds argon2id hashes and no plaintext password', () => {
    const rows = s.core.db.prepare('SELECT * FROM staff').all() as Record<string, unknown>[];
    expect(rows).toHaveLength(DEMO_LOGINS.length);
    for (const r of rows) {
      expect(String(r.password_hash).startsWith('$argon2id$')).toBe(true);
      const all = JSON.stringify(r);
      for (const l of DEMO_LOGINS) expect(all).not.toContain(l.password);
    }
  });

  it('login returns the rights of the role; 個人番号 reveal only where granted', async () => {
    const clerk = await loginSeeded(s, 's1', D1001.staffId);
    expect(clerk.role).toBe('clerk');
    expect(clerk.rights).toContain('resident.search');
    expect(clerk.rights).not.toContain('audit.verify');
    expect(clerk.rights).not.toContain('mynumber.reveal');
    const revealer = await loginSeeded(s, 's2', D1002.staffId);
    expect(revealer.rights).toContain('mynumber.reveal');
    const admin = await loginSeeded(s, 's3', 'D9001');
    expect(admin.rights).toEqual(['admin.staff', 'audit.verify']);
    expect(auditOf(s.core.db, 'auth.login').filter((e) => e.outcome === 'success').map((e) => e.staffId)).toEqual(['D1001', 'D1002', 'D9001']);
  });

  it('a wrong password and an unknown staff ID fail identically, are audited, and create no session', async () => {
    const wrong = await failure(s.core.auth.login('s1', D1001.staffId, 'wrong-password-123'));
    const unknown = await failure(s.core.auth.login('s1', 'X9999', 'wrong-password-123'));
    expect(wrong.code).toBe('UNAUTHENTICATED');
    expect(unknown.code).toBe('UNAUTHENTICATED');
    expect(unknown.message).toBe(wrong.message);
    // Another user's password is not accepted either.
    expect((await failure(s.core.auth.login('s1', D1001.staffId, D1002.password))).message).toBe(wrong.message);
    expect(s.core.auth.sessionFor('s1')).toBeNull();
    expect(failures().map((e) => [e.staffId, e.detail.why])).toEqual([
      ['D1001', 'bad_password'],
      [null, 'unknown_staff'], // an unknown ID is not stored as typed (it may be a mistyped password)
      ['D1001', 'bad_password'],
    ]);
    expect(JSON.stringify(s.core.audit.list())).not.toContain('X9999');
  });

  it('a disabled account cannot log in, even with the right password', async () => {
    s.core.db.prepare(`UPDATE staff SET disabled = 1 WHERE staff_id = ?`).run(D1001.staffId);
    const e = await failure(s.core.auth.login('s1', D1001.staffId, D1001.password));
    expect(e.code).toBe('UNAUTHENTICATED');
    expect(s.core.auth.sessionFor('s1')).toBeNull();
    expect(failures().map((x) => x.detail.why)).toEqual(['disabled']);
    // A soft-deleted account looks like an unknown one.
    s.core.db.prepare(`UPDATE staff SET deleted = 1 WHERE staff_id = ?`).run(D1002.staffId);
    expect((await failure(s.core.auth.login('s1', D1002.staffId, D1002.password))).code).toBe('UNAUTHENTICATED');
    expect(failures().map((x) => x.detail.why)).toEqual(['disabled', 'unknown_staff']);
  });

  it('sessions belong to one sender and end at logout', async () => {
    await loginSeeded(s, 'A', D1001.staffId);
    expect(s.core.auth.sessionFor('A')?.staffId).toBe('D1001');
    expect(s.core.auth.sessionFor('B')).toBeNull();
    expect(() => s.core.auth.logout('B')).toThrow(DomainError);
    expect(s.core.auth.sessionFor('A')?.staffId).toBe('D1001');
    s.core.auth.logout('A');
    expect(s.core.auth.sessionFor('A')).toBeNull();
    expect(() => s.core.auth.logout('A')).toThrow(/ログインしていません/);
    expect(auditOf(s.core.db, 'auth.logout').map((e) => [e.staffId, e.detail.why])).toEqual([['D1001', 'logout']]);
  });

  it('a new login on the same sender replaces the session (audited)', async () => {
    await loginSeeded(s, 'A', D1001.staffId);
    await loginSeeded(s, 'A', D1002.staffId);
    expect(s.core.auth.sessionFor('A')?.staffId).toBe('D1002');
    expect(auditOf(s.core.db, 'auth.logout').map((e) => [e.staffId, e.detail.why])).toEqual([['D1001', 'replaced']]);
  });
});

describe('provisioning', () => {
  let f: FreshDb;
  beforeEach(() => (f = freshDb()));
  afterEach(() => f.cleanup());
  const input = (password: string, staffId = 'admin01') => ({
    terminalId: 'KITA-01',
    admin: { staffId, name: '管理　太郎', password },
    numberBlock: { first: 1, last: 500 },
  });
  const nothingWritten = () => {
    expect(count(f.db, 'SELECT count(*) AS n FROM staff')).toBe(0);
    expect(count(f.db, 'SELECT count(*) AS n FROM terminal_settings')).toBe(0);
    expect(count(f.db, 'SELECT count(*) AS n FROM number_blocks')).toBe(0);
  };

  it('refuses a password shorter than 12 characters', async () => {
    await expect(provisionTerminal(f.db, input('short-pw-11'), fixedClock())).rejects.toThrow(/12文字以上/);
    nothingWritten();
  });

  it('refuses a password containing the staff ID (case-insensitive)', async () => {
    await expect(provisionTerminal(f.db, input('my-ADMIN01-password'), fixedClock())).rejects.toThrow(/職員ID/);
    nothingWritten();
  });

  it('creates exactly one administrator and a number block, audited; a second provisioning is refused', async () => {
    await provisionTerminal(f.db, input('long-enough-secret-42'), fixedClock());
    expect(readTerminalSettings(f.db)).toEqual({ terminalId: 'KITA-01', provisioned: true });
    const staff = f.db.prepare('SELECT staff_id, role, password_hash FROM staff').all() as { staff_id: string; role: string; password_hash: string }[];
    expect(staff.map((r) => [r.staff_id, r.role])).toEqual([['admin01', 'administrator']]);
    expect(staff[0]?.password_hash.startsWith('$argon2id$')).toBe(true);
    // One block per certificate type (numbers are unique per type).
    expect(f.db.prepare('SELECT cert_type, next_serial, last_serial FROM number_blocks ORDER BY cert_type').all()).toEqual(
      [...CERT_TYPES].sort().map((cert_type) => ({ cert_type, next_serial: 1, last_serial: 500 })),
    );
    expect(auditOf(f.db, 'terminal.provision').map((e) => [e.outcome, e.detail.adminStaffId])).toEqual([['success', 'admin01']]);

    await expect(provisionTerminal(f.db, { ...input('another-long-secret-43', 'admin02'), terminalId: 'KITA-02' }, fixedClock())).rejects.toThrow(/初期設定済み/);
    expect(count(f.db, `SELECT count(*) AS n FROM staff WHERE role = 'administrator'`)).toBe(1);
    expect(count(f.db, 'SELECT count(*) AS n FROM number_blocks')).toBe(CERT_TYPES.length);
    expect(readTerminalSettings(f.db).terminalId).toBe('KITA-01');
  });

  it('two concurrent provisionings of the same terminal create only one administrator', async () => {
    const results = await Promise.allSettled([
      provisionTerminal(f.db, input('long-enough-secret-42'), fixedClock()),
      provisionTerminal(f.db, { ...input('another-long-secret-43', 'admin02'), terminalId: 'KITA-02' }, fixedClock()),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(count(f.db, `SELECT count(*) AS n FROM staff WHERE role = 'administrator'`)).toBe(1);
    expect(count(f.db, 'SELECT count(*) AS n FROM number_blocks')).toBe(CERT_TYPES.length);
    expect(auditOf(f.db, 'terminal.provision')).toHaveLength(1);
  });

  it('rejects a malformed provisioning file', async () => {
    await expect(provisionTerminal(f.db, { ...input('long-enough-secret-42'), extra: 1 }, fixedClock())).rejects.toThrow(/プロビジョニングファイル/);
    nothingWritten();
  });
});

describe('shredFile (provisioning CLI)', () => {
  it('overwrites the content with zeros and removes the file', () => {
    const dir = tempDir();
    try {
      const p = join(dir, 'provision.json');
      const secret = JSON.stringify({ admin: { password: 'long-enough-secret-42' } });
      writeFileSync(p, secret);
      // A second name for the same inode shows what happened to the bytes.
      linkSync(p, join(dir, 'witness'));
      shredFile(p);
      expect(existsSync(p)).toBe(false);
      const left = readFileSync(join(dir, 'witness'));
      expect(left.length).toBe(Buffer.byteLength(secret));
      expect(left.every((b) => b === 0)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
