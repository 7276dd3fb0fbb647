import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clockFrom, fixedClock } from '../../../testing/clock';
import { createSeededCore, RESOURCES_DIR, type SeededCore } from '../../../testing/core';
import { demoLogin } from '../../../testing/seed';
import { signAssertion } from '../../../testing/webauthn';
import { auditOf, freshDb, JAPANESE, must } from '../../../testing/db';
import type { LoginResult, ResponseOf } from '../../../shared/ipc/contract';
import { GENERIC_MESSAGES, type Envelope, type IpcError } from '../../../shared/ipc/errors';
import { createCore } from '../../core/app-core';
import { DomainError } from '../../core/errors';
import { loadRuleProfile, profilePath } from '../../core/profile/load-profile';
import { handlers } from '../handlers';
import { IpcRouter, type HandlerTable } from '../router';

const silentLogger = {
  errors: [] as unknown[],
  error(_message: string, err?: unknown) {
    this.errors.push(err);
  },
};
const password = (id: string) => demoLogin(id).password;

let s: SeededCore;
let router: IpcRouter;
const ctx = { senderId: 's1' };

beforeEach(async () => {
  s = await createSeededCore({ clock: clockFrom('2026-11-22T01:00:00Z'), households: 20 });
  router = new IpcRouter(s.core, silentLogger);
  silentLogger.errors = [];
});
afterEach(() => s.cleanup());

function errorOf(env: Envelope<unknown>): IpcError {
  if (env.ok) throw new Error(`expected a refusal, got ${JSON.stringify(env.data)}`);
  return env.error;
}
let counter = 1;
/** Both factors through the router: the password, then a signed WebAuthn assertion. */
const loginAs = async (id: string, senderId = 's1') => {
  const env = await router.handle({ senderId }, 'auth.login', { staffId: id, password: password(id) });
  const first = env.ok ? (env.data as LoginResult) : null;
  if (first?.stage !== 'second_factor') throw new Error(`expected second_factor, got ${JSON.stringify(env)}`);
  const cfg = s.core.auth.options.webauthn;
  if (cfg.origins.length === 0) cfg.origins.push('http://localhost');
  const response = signAssertion(must(s.edges.credentials[id]), first.options as { challenge: string }, cfg.origins[0]!, cfg.rpID, counter++);
  const done = await router.handle({ senderId }, 'auth.secondFactor', { response });
  expect(done.ok && (done.data as LoginResult).stage).toBe('done');
  return done;
};
const rejected = (action: string) => auditOf(s.core.db, action).map((e): Record<string, unknown> => ({ outcome: e.outcome, ...e.detail }));

describe('channel allow-list', () => {
  it('refuses an unknown channel, audited as ipc.unknownChannel', async () => {
    for (const ch of ['fs.readFile', '__proto__', 'toString', 'x'.repeat(200)]) {
      expect(errorOf(await router.handle(ctx, ch, {}))).toEqual({ code: 'UNKNOWN_CHANNEL', message: GENERIC_MESSAGES.UNKNOWN_CHANNEL });
    }
    const entries = rejected('ipc.unknownChannel');
    expect(entries.map((e) => e.outcome)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    expect(entries[0]?.channel).toBe('fs.readFile');
    expect(String(entries[3]?.channel).length).toBe(64);
  });

  it('refuses a non-string channel', async () => {
    expect(errorOf(await router.handle(ctx, 42, {})).code).toBe('UNKNOWN_CHANNEL');
    expect(errorOf(await router.handle(ctx, { toString: () => 'auth.status' }, {})).code).toBe('UNKNOWN_CHANNEL');
    expect(rejected('ipc.unknownChannel').map((e) => e.channel)).toEqual(['(number)', '(object)']);
  });
});

describe('sessions and rights', () => {
  it('a protected channel without a session is UNAUTHENTICATED, audited, and the handler is not reached', async () => {
    expect(errorOf(await router.handle(ctx, 'residents.search', { kana: 'シケン' })).code).toBe('UNAUTHENTICATED');
    expect(errorOf(await router.handle(ctx, 'auth.logout', {})).code).toBe('UNAUTHENTICATED');
    expect(rejected('ipc.rejected')).toEqual([
      { outcome: 'rejected', channel: 'residents.search', why: 'no_session' },
      { outcome: 'rejected', channel: 'auth.logout', why: 'no_session' },
    ]);
    expect(auditOf(s.core.db, 'residents.search')).toEqual([]);
  });

  it('a session on one sender does not authenticate another', async () => {
    await loginAs('D1001', 'A');
    expect((await router.handle({ senderId: 'A' }, 'residents.search', { kana: 'シケン' })).ok).toBe(true);
    expect(errorOf(await router.handle({ senderId: 'B' }, 'residents.search', { kana: 'シケン' })).code).toBe('UNAUTHENTICATED');
  });

  it('a clerk calling audit.verify is FORBIDDEN, audited, and the verification does not run', async () => {
    await loginAs('D1001');
    expect(errorOf(await router.handle(ctx, 'audit.verify', {}))).toEqual({ code: 'FORBIDDEN', message: GENERIC_MESSAGES.FORBIDDEN });
    expect(rejected('ipc.rejected')).toEqual([{ outcome: 'rejected', channel: 'audit.verify', why: 'forbidden', right: 'audit.verify' }]);
    expect(auditOf(s.core.db, 'audit.verify')).toEqual([]);
    expect(errorOf(await router.handle(ctx, 'residents.revealMyNumber', { residentId: must(s.edges.byName.testChild).id, reason: '審査' })).code).toBe('FORBIDDEN');
  });

  it('an unprovisioned terminal answers only auth.status', async () => {
    const f = freshDb();
    f.db.close();
    const core = createCore({ dataDir: f.dir, keyProvider: f.keyProvider, clock: fixedClock(), profile: loadRuleProfile(profilePath(RESOURCES_DIR, 'sample-osaka')) });
    try {
      const r = new IpcRouter(core, silentLogger);
      const status = await r.handle(ctx, 'auth.status', {});
      expect(status.ok && (status.data as ResponseOf<'auth.status'>).provisioned).toBe(false);
      expect(errorOf(await r.handle(ctx, 'auth.login', { staffId: 'D1001', password: 'x' })).code).toBe('NOT_PROVISIONED');
      expect(auditOf(core.db, 'ipc.rejected').map((e) => e.detail.why)).toEqual(['not_provisioned']);
    } finally {
      core.close();
      f.cleanup();
    }
  });
});

describe('request validation', () => {
  it('invalid payloads are VALIDATION with Japanese field errors, audited, and never reach the handler', async () => {
    await loginAs('D1001');
    const bad: [unknown, string][] = [
      [{ kana: 'シケン', extra: 1 }, '_'],
      [{ kana: 123 }, 'kana'],
      [{ birthDate: '2026-02-30' }, 'birthDate'],
      [{ kana: 'abc' }, 'kana'],
      [{}, 'kana'],
      [{ kana: '   ' }, 'kana'],
      [{ atenaNo: '12a' }, 'atenaNo'],
      [null, '_'],
      [[], '_'],
    ];
    for (const [payload, field] of bad) {
      const e = errorOf(await router.handle(ctx, 'residents.search', payload));
      expect({ payload, code: e.code, message: e.message }).toEqual({ payload, code: 'VALIDATION', message: GENERIC_MESSAGES.VALIDATION });
      expect(Object.keys(e.fieldErrors ?? {})).toContain(field);
      for (const m of Object.values(e.fieldErrors ?? {})) expect(m).toMatch(JAPANESE);
    }
    const audited = rejected('ipc.invalidPayload');
    expect(audited).toHaveLength(bad.length);
    expect(audited.every((e) => e.outcome === 'rejected' && e.channel === 'residents.search')).toBe(true);
    expect(auditOf(s.core.db, 'residents.search')).toEqual([]);
  });

  it('rejects a 再交付 without a reason (and a 新規 with one) and a malformed id before the service', async () => {
    await loginAs('D1001');
    const child = must(s.edges.byName.testChild);
    const kodomo = { type: 'kodomo', residentId: child.id, details: { guardianId: must(s.edges.byName.testParent).id }, nameChoice: 'real', printSex: true, residentVersion: 1 };
    const e = errorOf(await router.handle(ctx, 'certificates.issue', { ...kodomo, issueKind: 'reissue', reissueReason: null }));
    expect(e.fieldErrors?.reissueReason).toMatch(JAPANESE);
    const n = errorOf(await router.handle(ctx, 'certificates.issue', { ...kodomo, issueKind: 'new', reissueReason: '紛失' }));
    expect(n.fieldErrors?.reissueReason).toMatch(JAPANESE);
    expect(errorOf(await router.handle(ctx, 'residents.get', { residentId: "1' OR 1=1 --" })).fieldErrors?.residentId).toMatch(JAPANESE);
    expect(auditOf(s.core.db, 'certificates.issue')).toEqual([]);
    expect(auditOf(s.core.db, 'residents.view')).toEqual([]);
  });
});

describe('responses and errors', () => {
  it('a response that violates the contract is INTERNAL with the generic message, audited', async () => {
    const table: HandlerTable = {
      ...handlers,
      'residents.search': () => ({ results: 'SELECT * FROM residents', truncated: 'no' }) as unknown as ResponseOf<'residents.search'>,
    };
    router = new IpcRouter(s.core, silentLogger, table);
    await loginAs('D1001');
    const env = await router.handle(ctx, 'residents.search', { kana: 'シケン' });
    expect(errorOf(env)).toEqual({ code: 'INTERNAL', message: GENERIC_MESSAGES.INTERNAL });
    expect(JSON.stringify(env)).not.toMatch(/SELECT|residents|stack|at /);
    expect(rejected('ipc.invalidResponse')).toEqual([{ outcome: 'rejected', channel: 'residents.search' }]);
    expect(silentLogger.errors).toHaveLength(1);
  });

  it('fields outside the response contract are stripped, so an accidental 個人番号 never leaves', async () => {
    const child = must(s.edges.byName.testChild);
    const table: HandlerTable = {
      ...handlers,
      'residents.search': (core, c, actor, p) => {
        const r = must(handlers['residents.search'](core, c, actor, p) as ResponseOf<'residents.search'>);
        return { ...r, results: r.results.map((x) => ({ ...x, myNumber: child.myNumber })) };
      },
    };
    router = new IpcRouter(s.core, silentLogger, table);
    await loginAs('D1001');
    const env = await router.handle(ctx, 'residents.search', { atenaNo: child.atenaNo });
    expect(env.ok).toBe(true);
    expect(JSON.stringify(env)).not.toContain(must(child.myNumber));
  });

  it('a handler that throws a plain error is INTERNAL and the SQL text is not returned', async () => {
    const table: HandlerTable = {
      ...handlers,
      'residents.search': () => {
        throw new Error('SQLITE_ERROR: no such column x');
      },
    };
    router = new IpcRouter(s.core, silentLogger, table);
    await loginAs('D1001');
    const env = await router.handle(ctx, 'residents.search', { kana: 'シケン' });
    const e = errorOf(env);
    expect(e).toEqual({ code: 'INTERNAL', message: GENERIC_MESSAGES.INTERNAL });
    expect(e.message).toMatch(JAPANESE);
    expect(JSON.stringify(env)).not.toMatch(/SQLITE|no such column/);
    expect(rejected('ipc.internalError')).toEqual([{ outcome: 'rejected', channel: 'residents.search' }]);
    expect(String(silentLogger.errors[0])).toContain('SQLITE_ERROR');
  });

  it('a DomainError keeps its code and Japanese message', async () => {
    await loginAs('D1001');
    const e = errorOf(await router.handle(ctx, 'residents.get', { residentId: must(s.edges.byName.suspended).id, reason: '窓口申請' }));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toMatch(JAPANESE);
  });

  it('every refusal is audited exactly once: by the service (AuditLog.refuse), or else by the router', async () => {
    await loginAs('D1001');
    // The service refuses and records it itself: one residents.view entry, no router entry on top.
    errorOf(await router.handle(ctx, 'residents.get', { residentId: must(s.edges.byName.suspended).id, reason: '窓口申請' }));
    expect(auditOf(s.core.db, 'residents.view').map((e) => [e.outcome, e.detail.why])).toEqual([['rejected', 'not_found']]);
    expect(rejected('ipc.rejected')).toEqual([]);
    // A DomainError nobody recorded (a handler or helper that just throws) is audited by the router.
    const table = { ...handlers, 'residents.search': () => { throw new DomainError('RULE', 'この検索は今は行えません。'); } } as HandlerTable;
    const e = errorOf(await new IpcRouter(s.core, silentLogger, table).handle(ctx, 'residents.search', { kana: 'シケン' }));
    expect(e).toEqual({ code: 'RULE', message: 'この検索は今は行えません。' });
    expect(rejected('ipc.rejected')).toEqual([{ outcome: 'rejected', channel: 'residents.search', why: 'RULE' }]);
    // A failure outside the request (DomainError.failure) is recorded as failure, not rejected.
    expect(() => s.core.audit.refuse({ staffId: 'D1001', action: 'certificates.print', detail: { why: 'printer_error' } }, DomainError.failure('RULE', 'プリンタで印刷できませんでした。'))).toThrow('プリンタ');
    expect(auditOf(s.core.db, 'certificates.print').map((x) => x.outcome)).toEqual(['failure']);
  });
});

describe('happy path', () => {
  it('login, status, search and logout', async () => {
    const login = await loginAs('D1001', ctx.senderId);
    const result = login.ok ? (login.data as LoginResult) : null;
    expect(result?.stage === 'done' && result.session.staffId).toBe('D1001');
    const status = await router.handle(ctx, 'auth.status', {});
    expect(status.ok && (status.data as ResponseOf<'auth.status'>).session?.staffId).toBe('D1001');
    const search = await router.handle(ctx, 'residents.search', { kana: 'しけん' });
    expect(search.ok).toBe(true);
    expect(search.ok && (search.data as ResponseOf<'residents.search'>).results).toHaveLength(2);
    expect(auditOf(s.core.db, 'residents.search')).toHaveLength(1);
    expect((await router.handle(ctx, 'auth.logout', {})).ok).toBe(true);
    expect(errorOf(await router.handle(ctx, 'residents.search', { kana: 'しけん' })).code).toBe('UNAUTHENTICATED');
  });

  it('a failed login through the router is UNAUTHENTICATED and audited', async () => {
    const e = errorOf(await router.handle(ctx, 'auth.login', { staffId: 'D1001', password: 'wrong-password-123' }));
    expect(e.code).toBe('UNAUTHENTICATED');
    expect(auditOf(s.core.db, 'auth.login').map((x) => x.outcome)).toEqual(['rejected']);
  });
});

describe('hostile payloads and the audit log', () => {
  it('a 200,000-character key in claims.check figures leaves a small audit entry: field names only, capped', async () => {
    await loginAs('D2001');
    const huge = 'k'.repeat(200_000);
    const many = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`${'x'.repeat(100)}${i}`, '1']));
    const e = errorOf(await router.handle(ctx, 'claims.check', { claimId: '0191e0a0-0000-7000-8000-000000000001', version: 1, mode: 'blind', figures: { [huge]: '1', ...many }, confirmedAll: false }));
    expect(e.code).toBe('VALIDATION');
    const entry = auditOf(s.core.db, 'ipc.invalidPayload').at(-1)!;
    const fields = entry.detail.fields as string[];
    expect(fields.length).toBeLessThanOrEqual(20);
    expect(fields.every((f) => f.length <= 80)).toBe(true);
    expect(JSON.stringify(entry.detail).length).toBeLessThan(4_000);
    expect(Object.keys(e.fieldErrors ?? {}).every((k) => k.length <= 80)).toBe(true);
  });
});

describe('every refused request is in the audit log', () => {
  it('refusals services used to leave unrecorded: a second factor or password change with nothing pending, a mailing of a type the clerk cannot issue, an unknown claim', async () => {
    const whys = () => rejected('ipc.rejected').map((e) => `${String(e.channel)}:${String(e.why)}`);
    // No login under way on this sender.
    expect(errorOf(await router.handle(ctx, 'auth.secondFactor', { response: {} })).code).toBe('UNAUTHENTICATED');
    expect(errorOf(await router.handle(ctx, 'auth.changePassword', { current: 'x', next: 'y' })).code).toBe('UNAUTHENTICATED');
    await loginAs('D1001');
    // A 一斉発送 of a type outside the clerk's 事務 (a clerk without kokuho rights).
    s.core.db.prepare(`DELETE FROM staff_grants WHERE staff_id = 'D1001' AND right_name LIKE 'kokuho:%'`).run();
    expect(errorOf(await router.handle(ctx, 'mailing.select', { title: '更新', certType: 'kokuho_shikaku', validToOnOrBefore: '2027-07-31' })).code).toBe('FORBIDDEN');
    expect(errorOf(await router.handle(ctx, 'claims.get', { claimId: '0191e0a0-0000-7000-8000-00000000beef' })).code).toBe('NOT_FOUND');
    expect(whys()).toEqual(expect.arrayContaining(['auth.secondFactor:UNAUTHENTICATED', 'auth.changePassword:UNAUTHENTICATED', 'mailing.select:FORBIDDEN', 'claims.get:NOT_FOUND']));
    expect(s.core.audit.verify().ok).toBe(true);
  });
});
