import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clockFrom } from '../../../testing/clock';
import { createSeededCore, loginSeeded, type SeededCore } from '../../../testing/core';
import type { Envelope } from '../../../shared/ipc/errors';
import { auditOf, must } from '../../../testing/db';
import type { Actor } from '../../core/actor';
import { IpcRouter } from '../router';

/**
 * Issue 13 §1 through the real router and core: a U+0000 or a lone surrogate in a free-text field is refused at
 * the contract (it used to be stored, pushed, refused by PostgreSQL for ever), and whatever hostile text reaches
 * the audit log another way is recorded so that the chain still verifies.
 */
let s: SeededCore;
let router: IpcRouter;
const logged: unknown[] = [];

beforeEach(async () => {
  s = await createSeededCore({ clock: clockFrom('2026-11-22T01:00:00Z'), households: 20 });
  router = new IpcRouter(s.core, { error: (_m, e) => logged.push(e) });
  logged.length = 0;
});
afterEach(() => s.cleanup());

const codeOf = (env: Envelope<unknown>) => (env.ok ? 'OK' : env.error.code);
const lastSeq = () => (s.core.db.prepare('SELECT max(seq) AS m FROM audit_log').get() as { m: number }).m;

function issueShikaku(clerk: Actor) {
  const person = must(s.edges.byName.testParent);
  const version = must(s.core.residents.findRow(person.id)).version;
  return s.core.lifecycle.issue(clerk, { type: 'kokuho_shikaku', residentId: person.id, issueKind: 'new', reissueReason: null, details: {}, nameChoice: 'real', printSex: true, residentVersion: version });
}

describe('free text with U+0000 or a lone surrogate', () => {
  it('certificates.cancel: the 取消 reason is refused (VALIDATION, audited), the certificate stays valid, nothing goes to the outbox', async () => {
    const clerk = await loginSeeded(s, 'c', 'D1001');
    const cert = issueShikaku(clerk);
    const outbox = () => (s.core.db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
    const before = outbox();
    for (const reason of ['転出\u0000', '転出\uD800', '\uDC00転出']) {
      const env = await router.handle({ senderId: 'c' }, 'certificates.cancel', { certificateId: cert.id, version: cert.version, reason });
      expect(codeOf(env)).toBe('VALIDATION');
      expect(!env.ok && env.error.fieldErrors?.reason).toMatch(/理由/);
    }
    expect(outbox()).toBe(before);
    expect(auditOf(s.core.db, 'ipc.invalidPayload').map((e) => e.detail)).toEqual(Array(3).fill({ channel: 'certificates.cancel', fields: ['reason'] }));
    expect(s.core.audit.verify().ok).toBe(true);
  });

  it('audit.exports.request: a reason with a lone surrogate is refused; the audit chain verifies', async () => {
    await loginSeeded(s, 'v', 'D8001');
    const env = await router.handle({ senderId: 'v' }, 'audit.exports.request', { filter: {}, reason: '監査\uD83D', csvEncoding: 'utf8bom' });
    expect(codeOf(env)).toBe('VALIDATION');
    expect(s.core.audit.verify()).toMatchObject({ ok: true });
  });

  it('normalises what it takes: NFC and trimmed (a decomposed ガ is stored composed)', async () => {
    const clerk = await loginSeeded(s, 'c', 'D1001');
    const cert = issueShikaku(clerk);
    const env = await router.handle({ senderId: 'c' }, 'certificates.cancel', { certificateId: cert.id, version: cert.version, reason: ' カ\u3099ス漏れ　' });
    expect(codeOf(env)).toBe('OK');
    expect(auditOf(s.core.db, 'certificates.cancel').at(-1)?.reason).toBe('ガス漏れ');
    expect(s.core.audit.verify().ok).toBe(true);
  });
});

describe('hostile text that reaches the audit log by another way is stored as hashed', () => {
  it('an unknown channel cut in the middle of a surrogate pair, with U+0000: recorded well-formed, verify() holds', async () => {
    await router.handle({ senderId: 'x' }, `${'a'.repeat(63)}𠮷`, {});
    await router.handle({ senderId: 'x' }, 'x\u0000y\uDFFF', {});
    const channels = auditOf(s.core.db, 'ipc.unknownChannel').map((e) => e.detail.channel);
    expect(channels).toEqual([`${'a'.repeat(63)}\uFFFD`, 'x\uFFFDy\uFFFD']);
    expect(s.core.audit.verify().ok).toBe(true);
  });

  it('a record key with a lone surrogate named in the refusal (ipc.invalidPayload fields) is recorded well-formed', async () => {
    await loginSeeded(s, 'k', 'D2001');
    const seq = lastSeq();
    const env = await router.handle({ senderId: 'k' }, 'claims.check', { claimId: '0190a000-0000-7000-8000-00000000000a', version: 1, mode: 'blind', figures: { 'k\uD800': 'x'.repeat(41) } });
    expect(codeOf(env)).toBe('VALIDATION');
    expect(lastSeq()).toBe(seq + 1);
    const fields = auditOf(s.core.db, 'ipc.invalidPayload').at(-1)?.detail.fields as string[];
    expect(fields.join()).not.toMatch(/[\uD800-\uDFFF]/);
    expect(s.core.audit.verify().ok).toBe(true);
  });

  it('AuditLog.append itself: lone surrogates and controls in staffId, reason, target, detail keys and values', () => {
    s.core.audit.append({
      staffId: 'D1001\u0000',
      action: 'ipc.rejected',
      targetAtenaNo: '1\uD800',
      reason: '理由\uDC00\u0000\u001B[2J',
      outcome: 'rejected',
      detail: { 'k\uD800': 'v\u0000', nested: { list: ['\uDBFF', 'ok\n\t'], n: 1, nan: Number.NaN }, why: new Error('e\uD800').message.slice(0, 2) },
    });
    const e = must(s.core.audit.list({ sinceSeq: lastSeq() - 1 }).at(-1));
    expect(e).toMatchObject({ staffId: 'D1001\uFFFD', targetAtenaNo: '1\uFFFD', reason: '理由\uFFFD\uFFFD\uFFFD[2J' });
    expect(e.detail).toEqual({ 'k\uFFFD': 'v\uFFFD', nested: { list: ['\uFFFD', 'ok\n\t'], n: 1, nan: null }, why: 'e\uFFFD' });
    expect(s.core.audit.verify().ok).toBe(true);
  });
});
