import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clockFrom } from '../../../testing/clock';
import { createSeededCore, type SeededCore, loginSeeded } from '../../../testing/core';
import { auditOf, must } from '../../../testing/db';
import { IpcRouter } from '../router';

let s: SeededCore;
let router: IpcRouter;
beforeEach(async () => {
  s = await createSeededCore({ clock: clockFrom('2026-11-22T01:00:00Z'), households: 2 });
  router = new IpcRouter(s.core, { error: () => undefined });
});
afterEach(() => s.cleanup());

describe('rights are checked by every handler, whatever the menu shows', () => {
  it('a clerk calling hidden administration channels is refused and audited', async () => {
    await loginSeeded(s, 'c', 'D1001');
    for (const [channel, payload] of [
      ['admin.staff.list', {}],
      ['admin.grants.grant', { staffId: 'D1001', right: 'mynumber.reveal', approvedBy: 'D7001', reason: '自分で付与', expiresAt: null }],
      ['admin.rightsReview', {}],
    ] as const) {
      expect(await router.handle({ senderId: 'c' }, channel, payload)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(auditOf(s.core.db, 'ipc.rejected').map((e) => e.detail.channel)).toEqual(['admin.staff.list', 'admin.grants.grant', 'admin.rightsReview']);
    expect(auditOf(s.core.db, 'admin.grants.grant')).toEqual([]);
  });

  it('an administrator has no resident access: search and reveal are refused', async () => {
    await loginSeeded(s, 'a', 'D9001');
    const child = must(s.edges.byName.testChild);
    expect(await router.handle({ senderId: 'a' }, 'residents.search', { kana: 'シケン' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await router.handle({ senderId: 'a' }, 'residents.revealMyNumber', { residentId: child.id, reason: '審査' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await router.handle({ senderId: 'a' }, 'admin.staff.list', {})).toMatchObject({ ok: true });
  });

  it('opening a resident or revealing a 個人番号 requires a 処理事由, which lands in the audit entry', async () => {
    await loginSeeded(s, 'r', 'D1002');
    const child = must(s.edges.byName.testChild);
    const missing = await router.handle({ senderId: 'r' }, 'residents.get', { residentId: child.id });
    expect(missing).toMatchObject({ ok: false, error: { code: 'VALIDATION', fieldErrors: { reason: '処理事由を選択してください' } } });
    expect(await router.handle({ senderId: 'r' }, 'residents.revealMyNumber', { residentId: child.id })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await router.handle({ senderId: 'r' }, 'residents.get', { residentId: child.id, reason: '電話照会' })).toMatchObject({ ok: true });
    expect(auditOf(s.core.db, 'residents.view').map((e) => [e.reason, e.targetAtenaNo])).toEqual([['電話照会', child.atenaNo]]);
  });
});
