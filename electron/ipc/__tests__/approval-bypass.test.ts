import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clockFrom } from '../../../testing/clock';
import { createSeededCore, loginSeeded, type SeededCore } from '../../../testing/core';
import { must } from '../../../testing/db';
import { makeSoftCredential, signAssertion, signRegistration } from '../../../testing/webauthn';
import { effectiveRights } from '../../core/auth/grants';
import { IpcRouter } from '../router';

/**
 * Issue 13 §2, reproduced through the real router and core with software authenticators: a システム管理者 alone
 * creates an account, sets its password, registers an authenticator they keep and grants it 個人番号の閲覧
 * "approved by" a 所属長 who is never asked. Before the fix the account logged in and revealed a 個人番号.
 */
let s: SeededCore;
let router: IpcRouter;

beforeEach(async () => {
  s = await createSeededCore({ clock: clockFrom('2026-11-22T01:00:00Z'), households: 1 });
  router = new IpcRouter(s.core, { error: () => undefined });
});
afterEach(() => s.cleanup());

const ok = <T>(r: { ok: boolean; data?: unknown; error?: unknown }): T => {
  if (!r.ok) throw new Error(`refused: ${JSON.stringify(r.error)}`);
  return r.data as T;
};

describe('issue 13 §2: an administrator alone cannot make an account that reveals 個人番号', () => {
  it('roster line, initial password, own authenticator and a typed 所属長 ID give no usable account and no reveal', async () => {
    await loginSeeded(s, 'adm', 'D9001');
    const origin = 'http://localhost';
    const rpId = s.core.auth.options.webauthn.rpID;
    const csv = '職員ID,氏名,氏名カナ,所属,役割,状態\nX0001,偽装　次郎,ギソウ ジロウ,こども青少年課,窓口職員,在職\n';
    const preview = ok<{ previewId: string }>(await router.handle({ senderId: 'adm' }, 'admin.roster.preview', { fileName: 'r.csv', contentBase64: Buffer.from(csv).toString('base64') }));
    ok(await router.handle({ senderId: 'adm' }, 'admin.roster.apply', { previewId: preview.previewId, applyValidPart: false }));
    const password = 'Kq7#vN2!pLx9$wRt';
    ok(await router.handle({ senderId: 'adm' }, 'admin.staff.setInitialPassword', { staffId: 'X0001', password }));
    const kept = makeSoftCredential();
    const begun = ok<{ options: { challenge: string } }>(await router.handle({ senderId: 'adm' }, 'admin.authenticators.begin', { staffId: 'X0001' }));
    const registration = { staffId: 'X0001', label: '管理者の手元', response: signRegistration(kept, begun.options, origin, rpId) };
    // Today's contract names the approving 所属長 here; before the fix it had no such field.
    const named = await router.handle({ senderId: 'adm' }, 'admin.authenticators.finish', { ...registration, approvedBy: 'D7001' });
    if (!named.ok) await router.handle({ senderId: 'adm' }, 'admin.authenticators.finish', registration);
    for (const right of ['resident.search', 'resident.view', 'mynumber.reveal'] as const) {
      await router.handle({ senderId: 'adm' }, 'admin.grants.grant', { staffId: 'X0001', right, approvedBy: 'D7001', reason: '窓口応援', expiresAt: null });
    }
    ok(await router.handle({ senderId: 'adm' }, 'auth.logout', {}));

    // The administrator now tries to use the account they made.
    let revealed: unknown = null;
    const first = await router.handle({ senderId: 'x' }, 'auth.login', { staffId: 'X0001', password });
    if (first.ok && (first.data as { stage: string }).stage === 'second_factor') {
      const second = await router.handle({ senderId: 'x' }, 'auth.secondFactor', { response: signAssertion(kept, (first.data as { options: { challenge: string } }).options, origin, rpId, 1) });
      if (second.ok && (second.data as { stage: string }).stage === 'change_password') {
        await router.handle({ senderId: 'x' }, 'auth.changePassword', { current: password, next: 'Zm4&hT8@qWe1!uYp' });
      }
      const child = must(s.edges.byName.testChild);
      const r = await router.handle({ senderId: 'x' }, 'residents.revealMyNumber', { residentId: child.id, reason: '窓口申請' });
      if (r.ok) revealed = r.data;
    }
    expect(revealed).toBeNull();
    // Nothing the administrator did alone is in force: no second factor, no right.
    expect(first).toMatchObject({ ok: false });
    expect(effectiveRights(s.core.db, 'X0001', 'clerk', s.core.clock.now().toISOString())).toEqual([]);
  });
});
