import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { approveAs, createSeededCore, type SeededCore, loginSeeded } from '../../../../testing/core';
import { demoLogin } from '../../../../testing/seed';
import { signAssertion } from '../../../../testing/webauthn';
import { auditOf, must } from '../../../../testing/db';
import { DomainError } from '../../errors';
import type { Clock } from '../../platform';

const pw = (id: string) => demoLogin(id).password;

/** A clock the test moves by hand (lockout and expiry are about time). */
function handClock(iso: string): Clock & { advanceMinutes(m: number): void; advanceDays(d: number): void } {
  let t = Date.parse(iso);
  return {
    now: () => new Date(t),
    advanceMinutes: (m) => (t += m * 60_000),
    advanceDays: (d) => (t += d * 86_400_000),
  };
}

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

let s: SeededCore;
let clock: ReturnType<typeof handClock>;
let counter = 100;
beforeEach(async () => {
  clock = handClock('2026-11-22T01:00:00Z');
  s = await createSeededCore({ clock, households: 2 });
  s.core.auth.options.webauthn.origins.push('http://localhost');
});
afterEach(() => s.cleanup());

const assertion = (staffId: string, options: unknown, credentialOf = staffId) =>
  signAssertion(must(s.edges.credentials[credentialOf]), options as { challenge: string }, 'http://localhost', 'localhost', counter++) as never;

describe('two factors', () => {
  it('the password alone is not a login, and another person’s authenticator is refused', async () => {
    const first = await s.core.auth.login('s1', 'D1001', pw('D1001'));
    expect(first.stage).toBe('second_factor');
    expect(s.core.auth.sessionFor('s1')).toBeNull();
    // D1002's key answering for D1001: refused, audited, and the pending login is gone.
    expect((await refusal(s.core.auth.secondFactor('s1', assertion('D1001', first.stage === 'second_factor' && first.options, 'D1002')))).code).toBe('UNAUTHENTICATED');
    expect(s.core.auth.sessionFor('s1')).toBeNull();
    expect(auditOf(s.core.db, 'auth.login').map((e) => e.detail.why)).toContain('bad_second_factor');
    // The same (right) assertion cannot be replayed after the pending login ended.
    await expect(s.core.auth.secondFactor('s1', assertion('D1001', first.stage === 'second_factor' && first.options))).rejects.toThrow(/やり直して/);
  });

  it('a correct assertion for another challenge is refused; the right one logs in', async () => {
    const a = await s.core.auth.login('s1', 'D1001', pw('D1001'));
    const stale = assertion('D1001', { challenge: 'AAAAAAAAAAAAAAAAAAAAAA' });
    expect((await refusal(s.core.auth.secondFactor('s1', stale))).code).toBe('UNAUTHENTICATED');
    const b = await s.core.auth.login('s1', 'D1001', pw('D1001'));
    expect(a.stage === 'second_factor' && b.stage === 'second_factor' && a.options.challenge !== b.options.challenge).toBe(true);
    const done = await s.core.auth.secondFactor('s1', assertion('D1001', b.stage === 'second_factor' && b.options));
    expect(done.stage).toBe('done');
    expect(s.core.auth.sessionFor('s1')?.staffId).toBe('D1001');
  });

  it('an assertion whose signature counter did not grow (a cloned authenticator) is refused', async () => {
    const a = await s.core.auth.login('s1', 'D1001', pw('D1001'));
    const cred = must(s.edges.credentials.D1001);
    const high = signAssertion(cred, (a.stage === 'second_factor' ? a.options : {}) as { challenge: string }, 'http://localhost', 'localhost', 5000) as never;
    expect((await s.core.auth.secondFactor('s1', high)).stage).toBe('done');
    s.core.auth.logout('s1');
    const b = await s.core.auth.login('s1', 'D1001', pw('D1001'));
    const low = signAssertion(cred, (b.stage === 'second_factor' ? b.options : {}) as { challenge: string }, 'http://localhost', 'localhost', 10) as never;
    expect((await refusal(s.core.auth.secondFactor('s1', low))).code).toBe('UNAUTHENTICATED');
  });

  it('a member of staff without a registered authenticator cannot log in', async () => {
    s.core.db.prepare(`UPDATE authenticators SET revoked_at = ? WHERE staff_id = 'D1001'`).run(clock.now().toISOString());
    const e = await refusal(s.core.auth.login('s1', 'D1001', pw('D1001')));
    expect(e.message).toContain('第二要素');
    expect(auditOf(s.core.db, 'auth.login').at(-1)?.detail.why).toBe('no_second_factor');
  });

  it('one member of staff cannot hold two sessions at once', async () => {
    await loginSeeded(s, 's1', 'D1001');
    const e = await refusal(s.core.auth.login('s2', 'D1001', pw('D1001')));
    expect(e.message).toContain('別の画面（端末）でログイン中');
    s.core.auth.logout('s1');
    expect((await loginSeeded(s, 's2', 'D1001')).staffId).toBe('D1001');
  });
});

describe('lockout', () => {
  it('locks the account for 15 minutes after 5 failures, audited; the right password is refused meanwhile', async () => {
    for (let i = 1; i <= 4; i++) expect((await refusal(s.core.auth.login('s1', 'D1001', `wrong-password-${i}`))).message).toMatch(/^職員IDまたはパスワードが正しくありません。/);
    expect((await refusal(s.core.auth.login('s1', 'D1001', 'wrong-password-5'))).message).toContain('15分間ロック');
    expect(auditOf(s.core.db, 'auth.lockout')).toHaveLength(1);
    clock.advanceMinutes(14);
    // Meanwhile even the right password gets the wrong-password answer (a locked account is not told apart).
    expect((await refusal(s.core.auth.login('s1', 'D1001', pw('D1001')))).message).toMatch(/^職員IDまたはパスワードが正しくありません。/);
    expect(auditOf(s.core.db, 'auth.login').at(-1)?.detail.why).toBe('locked_out');
    clock.advanceMinutes(2);
    expect((await loginSeeded(s, 's1', 'D1001')).staffId).toBe('D1001');
    // A successful login resets the count.
    expect((s.core.db.prepare(`SELECT failed_count FROM staff WHERE staff_id = 'D1001'`).get() as { failed_count: number }).failed_count).toBe(0);
  });
});

describe('password expiry, change, strength and reuse', () => {
  it('an expired password forces a change after both factors; no session until it is changed', async () => {
    clock.advanceDays(91);
    const first = await s.core.auth.login('s1', 'D1001', pw('D1001'));
    const next = await s.core.auth.secondFactor('s1', assertion('D1001', first.stage === 'second_factor' && first.options));
    expect(next).toEqual({ stage: 'change_password', reason: 'expired' });
    expect(s.core.auth.sessionFor('s1')).toBeNull();
    // Weak, own-ID and reused passwords are refused with field errors; nothing changes.
    for (const [bad, why] of [
      ['password12345', /よく使われる/],
      ['qwerty-Asdf-2026', /キーボード/],
      ['aaaa-Bbbb-1111', /繰り返し/],
      ['D1001-Kawa-no-Nagare', /職員ID/],
      [pw('D1001'), /直近5回/],
      ['short-Pw1', /12文字以上/],
    ] as const) {
      const e = await refusal(s.core.auth.changePassword('s1', pw('D1001'), bad));
      expect(e.fieldErrors?.next, bad).toMatch(why);
    }
    const done = await s.core.auth.changePassword('s1', pw('D1001'), 'Kawa-no-Nagare-2026');
    expect(done.stage).toBe('done');
    expect(s.core.auth.sessionFor('s1')?.staffId).toBe('D1001');
    expect(auditOf(s.core.db, 'auth.changePassword')).toHaveLength(1);
  });

  it('none of the last 5 passwords may be used again', async () => {
    await loginSeeded(s, 's1', 'D1001');
    const seq = ['Kawa-no-Nagare-2026', 'Yama-no-Kaze-2027!', 'Umi-no-Oto-2028#x', 'Mori-no-Ki-2029$y', 'Sora-no-Iro-2030%z'];
    let current = pw('D1001');
    for (const next of seq) {
      await s.core.auth.changePassword('s1', current, next);
      current = next;
    }
    // The original password is now 6 changes back and may be used again; the last 5 may not.
    expect((await refusal(s.core.auth.changePassword('s1', current, seq[1]!))).fieldErrors?.next).toMatch(/直近5回/);
    expect((await s.core.auth.changePassword('s1', current, pw('D1001'))).stage).toBe('done');
  });
});

describe('grants', () => {
  it('a temporary grant ends at its expiry; revocation takes effect at once; both audited', async () => {
    const admin = await loginSeeded(s, 'a', 'D9001');
    const clerk = await loginSeeded(s, 'c', 'D1001');
    expect(clerk.rights).not.toContain('mynumber.reveal');
    const id = s.core.staffAdmin.grant(admin, { staffId: 'D1001', right: 'mynumber.reveal', approvedBy: 'D7001', reason: '繁忙期の臨時応援', expiresAt: '2026-11-24' });
    // Waits for the named 所属長; in force once they confirm it with their authenticator.
    expect(s.core.auth.sessionFor('c')?.rights).not.toContain('mynumber.reveal');
    const chief = await loginSeeded(s, 'k', 'D7001');
    await approveAs(s, chief, 'grant', id);
    expect(s.core.auth.sessionFor('c')?.rights).toContain('mynumber.reveal');
    clock.advanceDays(3); // past 2026-11-24 23:59 JST
    expect(s.core.auth.sessionFor('c')?.rights).not.toContain('mynumber.reveal');
    const id2 = s.core.staffAdmin.grant(admin, { staffId: 'D1001', right: 'mynumber.reveal', approvedBy: 'D7001', reason: '再付与', expiresAt: null });
    expect(id2).not.toBe(id);
    await approveAs(s, chief, 'grant', id2);
    expect(s.core.auth.sessionFor('c')?.rights).toContain('mynumber.reveal');
    s.core.staffAdmin.revokeGrant(admin, id2, '応援終了');
    expect(s.core.auth.sessionFor('c')?.rights).not.toContain('mynumber.reveal');
    expect(auditOf(s.core.db, 'admin.grants.grant').map((e) => e.detail.approvedBy)).toEqual(['D7001', 'D7001']);
    expect(auditOf(s.core.db, 'admin.grants.revoke')).toHaveLength(1);
  });

  it('refuses grants outside the role’s ceiling, without a 所属長’s approval, or by a non-administrator', async () => {
    const admin = await loginSeeded(s, 'a', 'D9001');
    const clerk = await loginSeeded(s, 'c', 'D1001');
    expect(() => s.core.staffAdmin.grant(admin, { staffId: 'D1001', right: 'admin.staff', approvedBy: 'D7001', reason: 'x', expiresAt: null })).toThrow(/役割では付与できません/);
    expect(() => s.core.staffAdmin.grant(admin, { staffId: 'D1001', right: 'mynumber.reveal', approvedBy: 'D8001', reason: 'x', expiresAt: null })).toThrow(/承認者（所属長）/);
    expect(() => s.core.staffAdmin.grant(admin, { staffId: 'D1001', right: 'mynumber.reveal', approvedBy: 'D7001', reason: 'x', expiresAt: '2026-11-01' })).toThrow(/今日以降/);
    expect(() => s.core.staffAdmin.grant(clerk, { staffId: 'D1001', right: 'mynumber.reveal', approvedBy: 'D7001', reason: 'x', expiresAt: null })).toThrow(/権限がありません/);
    expect(auditOf(s.core.db, 'admin.grants.grant').map((e) => e.outcome)).toEqual(['rejected', 'rejected', 'rejected']);
  });
});

describe('hardening (issue 13 §4, §5)', () => {
  it('40 parallel wrong passwords are each counted and audited; the account ends up locked, none is lost to a CONFLICT', async () => {
    const results = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => s.core.auth.login(`p${i}`, 'D1001', `wrong-password-${i}`)));
    const codes = results.map((r) => (r.status === 'rejected' ? (r.reason as { code?: string }).code : 'ok'));
    expect(new Set(codes)).toEqual(new Set(['UNAUTHENTICATED']));
    const failed = auditOf(s.core.db, 'auth.login').filter((e) => e.outcome === 'rejected' && e.detail.why === 'bad_password');
    expect(failed).toHaveLength(40);
    expect(auditOf(s.core.db, 'auth.lockout')).toHaveLength(8); // every 5th failure locks (again)
    const row = s.core.db.prepare(`SELECT locked_until FROM staff WHERE staff_id = 'D1001'`).get() as { locked_until: string | null };
    expect(row.locked_until! > clock.now().toISOString()).toBe(true);
  });

  it('a locked-out account answers like a wrong password: the same message, about the same time', async () => {
    // CPU time of this process (argon2 runs on libuv's threads, which it counts), not wall time: the comparison
    // holds on a loaded machine too.
    const time = async (f: () => Promise<unknown>) => {
      const c0 = process.cpuUsage();
      const e = await refusal(f());
      const c = process.cpuUsage(c0);
      return { ms: (c.user + c.system) / 1000, message: e.message };
    };
    const wrong = [] as { ms: number; message: string }[];
    for (let i = 1; i <= 4; i++) wrong.push(await time(() => s.core.auth.login('s1', 'D1001', `wrong-password-${i}`)));
    await refusal(s.core.auth.login('s1', 'D1001', 'wrong-password-5')); // locks
    const locked = [] as { ms: number; message: string }[];
    for (let i = 0; i < 4; i++) locked.push(await time(() => s.core.auth.login('s1', 'D1001', pw('D1001'))));
    expect(new Set([...wrong, ...locked].map((x) => x.message)).size).toBe(1);
    // Both verify an argon2id hash (≈8 ms of CPU); without that the locked answer took ≈1 ms. The fastest of each
    // is compared, so a stray spike on a busy machine does not decide it.
    const fastest = (xs: { ms: number }[]) => Math.min(...xs.map((x) => x.ms));
    expect(fastest(locked)).toBeGreaterThan(fastest(wrong) * 0.5);
    expect(auditOf(s.core.db, 'auth.login').filter((e) => e.detail.why === 'locked_out')).toHaveLength(4);
  });

  it('the staff lock their own session only (画面ロック, reason manual), audited once; the other window keeps working', async () => {
    await loginSeeded(s, 's1', 'D1001');
    await loginSeeded(s, 's2', 'D2001');
    const events: string[] = [];
    s.core.auth.onEvent((e) => events.push(`${e.senderId}:${e.type}:${e.reason}`));
    expect(s.core.auth.lock('s1', 'manual')).toBe(true);
    expect(s.core.auth.lock('s1', 'manual')).toBe(false); // already locked: nothing more
    expect(events).toEqual(['s1:locked:manual']);
    expect(s.core.auth.sessionFor('s1')?.locked).toBe(true);
    expect(s.core.auth.sessionFor('s2')?.locked).toBe(false);
    expect(auditOf(s.core.db, 'session.lock').map((e) => [e.staffId, e.detail.reason])).toEqual([['D1001', 'manual']]);
    expect(() => s.core.auth.lock('nobody', 'manual')).toThrow(DomainError);
  });

  it('a locked session cannot change its password (unlock with both factors first), and the refusal is audited', async () => {
    await loginSeeded(s, 's1', 'D1001');
    s.core.auth.lockAll('idle');
    await expect(s.core.auth.changePassword('s1', pw('D1001'), 'Kawaii-Tanuki-Sora-2031')).rejects.toMatchObject({ code: 'LOCKED' });
    expect(auditOf(s.core.db, 'auth.changePassword').map((e) => [e.outcome, e.detail.why])).toEqual([['rejected', 'locked']]);
  });
});
