import { describe, expect, it } from 'vitest';
import { clockFrom } from '../../testing/clock';
import type { Counter } from '../../testing/browser';
import { useCounter } from '../../testing/browser';
import { openResident } from './residents-helpers';
import { demoLogin } from '../../testing/seed';

/**
 * Issue 13 §2 in Chromium with the virtual authenticator: the システム管理者 grants 個人番号の閲覧 naming the 所属長;
 * the grantee cannot reveal; the 所属長 approves it in 承認待ち with their own authenticator; now the grantee can.
 */
const admin = demoLogin('D9001');
const clerk = demoLogin('D1001');

let counter: Counter;
useCounter({ clock: clockFrom('2026-11-22T01:00:00Z'), households: 3 }, (c) => {
  counter = c;
});

/** Opens the test child's record as the clerk (a new window, logged in). */
async function openChildAsClerk() {
  const child = counter.seeded.edges.byName.testChild!;
  const page = await counter.open(clerk.staffId);
  await openResident(page, child.atenaNo, /試験\s+太郎/);
  return page;
}

describe('承認待ち: a grant takes effect only when the named 所属長 approves it', () => {
  it('administrator grants mynumber.reveal → grantee cannot reveal → 所属長 approves with their authenticator → grantee can reveal', async () => {
    const child = counter.seeded.edges.byName.testChild!;
    // The administrator asks for the grant, naming D7001.
    const adminPage = await counter.open(admin.staffId, { landing: (p) => p.getByRole('heading', { name: 'システム管理' }) });
    await adminPage.getByTestId(`staff-row-${clerk.staffId}`).dblclick();
    const grant = adminPage.getByRole('form', { name: '権限の付与' });
    await grant.getByLabel('権限').selectOption('mynumber.reveal');
    await grant.getByLabel('承認する所属長（職員ID）').fill('D7001');
    await grant.getByLabel('理由').fill('繁忙期の臨時応援');
    await grant.getByRole('button', { name: '付与する' }).click();
    await adminPage.getByText('所属長（D7001）が認証器で承認すると有効になります').waitFor();
    await adminPage.getByText('承認待ち（デモ課長　七海（D7001））').first().waitFor();
    await adminPage.getByRole('button', { name: 'ログアウト' }).click();
    await adminPage.close();

    // The grantee cannot reveal yet.
    const before = await openChildAsClerk();
    expect(await before.getByRole('button', { name: '個人番号を表示' }).count()).toBe(0);
    await before.getByRole('button', { name: 'ログアウト' }).click();
    await before.close();

    // The 所属長 sees exactly what is asked and approves it with their authenticator.
    const chief = await counter.open('D7001');
    await chief.getByRole('button', { name: '承認待ち' }).click();
    const item = chief.getByRole('listitem', { name: `権限の付与 ${clerk.staffId}` });
    await item.waitFor();
    const text = await item.innerText();
    expect(text).toContain('権限: 個人番号の閲覧');
    expect(text).toContain('理由: 繁忙期の臨時応援');
    expect(text).toContain('申請者: D9001');
    await item.getByRole('button', { name: '承認する' }).click();
    await chief.getByText(`${clerk.name}（${clerk.staffId}）の権限の付与を承認しました。`).waitFor();
    await chief.getByText('承認待ちの申請はありません。').waitFor();
    const row = counter.seeded.core.db.prepare(`SELECT approval_status, approval_json FROM staff_grants WHERE staff_id = ? AND right_name = 'mynumber.reveal'`).get(clerk.staffId) as { approval_status: string; approval_json: string };
    expect(row.approval_status).toBe('approved');
    expect(JSON.parse(row.approval_json)).toMatchObject({ approvedBy: 'D7001', assertion: { id: counter.seeded.edges.credentials.D7001!.credentialId } });
    await chief.getByRole('button', { name: 'ログアウト' }).click();
    await chief.close();

    // Now the grantee may ask: the number is the central server's (issue 16 §2), and this terminal has none
    // configured, so the request is refused as offline — the right itself was honoured (no FORBIDDEN).
    const after = await openChildAsClerk();
    await after.getByLabel('個人番号を表示する処理事由').selectOption('窓口申請');
    await after.getByRole('button', { name: '個人番号を表示' }).click();
    await after.getByText('中央サーバに接続できないため、個人番号を表示できません。個人番号は端末には保存していません。').waitFor();
    expect(await after.locator('body').innerText()).not.toContain(child.myNumber!);
    await after.close();
  });
});
