import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { clockFrom } from '../../testing/clock';
import type { Counter } from '../../testing/browser';
import { useCounter } from '../../testing/browser';
import { chooseReason, openResident } from './residents-helpers';

/**
 * JIS X 8341-3 / WCAG 2.2 A and AA, checked by axe-core in Chromium over the screens staff use, at the counter PC's
 * 1366×768 and in Japanese: no critical and no serious violation on any of them.
 */
const VIEWPORT = { width: 1366, height: 768 };
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

let counter: Counter;
useCounter({ clock: clockFrom('2026-11-22T01:00:00Z'), households: 8 }, (c) => (counter = c));

const found: { screen: string; id: string; impact: string; nodes: number; help: string; targets: string[] }[] = [];
const screens: string[] = [];
/** Screens wider than the 1366-pixel window (a sideways scroll bar), with how much wider. */
const wide: { screen: string; by: number }[] = [];
async function check(page: Page, screen: string): Promise<void> {
  const r = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  screens.push(screen);
  // The page, and every scrolling box on it (the receipt grid), fit the window.
  const by = await page.evaluate(() => Math.max(...[document.documentElement, ...document.querySelectorAll('.grid-wrap')].map((e) => e.scrollWidth - e.clientWidth)));
  if (by > 0) wide.push({ screen, by });
  for (const v of r.violations) {
    if (v.impact === 'critical' || v.impact === 'serious') found.push({ screen, id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help, targets: v.nodes.slice(0, 3).map((n) => String(n.target)) });
  }
}
const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { name, level: 1 }).waitFor();
const menu = (page: Page, name: string) => page.getByRole('navigation', { name: '業務メニュー' }).getByRole('button', { name, exact: true }).click();

describe('accessibility (axe-core, WCAG 2.2 A/AA)', () => {
  it('has no critical or serious violation on the screens staff use', async () => {
    const login = await counter.open(null, { viewport: VIEWPORT });
    await check(login, 'ログイン');
    await login.close();

    const clerk = await counter.open('D1001', { viewport: VIEWPORT });
    await check(clerk, '住民検索');
    await clerk.getByLabel('カナ氏名（前方一致）').fill('シケン');
    await clerk.getByRole('button', { name: '検索' }).click();
    await clerk.locator('tbody tr').first().waitFor();
    await check(clerk, '検索結果');
    await clerk.locator('tbody tr').filter({ hasText: '試験　太郎' }).first().dblclick();
    await heading(clerk, '処理事由の選択');
    await check(clerk, '処理事由の選択');
    await chooseReason(clerk);
    await heading(clerk, /試験\s+太郎/);
    await check(clerk, '住民の詳細');
    await clerk.getByRole('button', { name: 'こども医療証を交付する' }).click();
    await heading(clerk, /の交付$/);
    await check(clerk, '証の交付');
    await clerk.keyboard.press('Escape');
    await heading(clerk, /試験\s+太郎/);
    await clerk.getByRole('button', { name: '請求を受け付ける' }).click();
    await clerk.getByLabel('請求の種類').selectOption('kodomo_shokan');
    await clerk.getByRole('heading', { name: '計算の内訳' }).waitFor();
    await check(clerk, '請求の受付（明細入力）');
    await clerk.screenshot({ path: 'dist/screens/claim-entry-1366.png' });
    await clerk.keyboard.press('Escape');
    await heading(clerk, /試験\s+太郎/);
    await clerk.getByRole('button', { name: /交付履歴/ }).first().click();
    await heading(clerk, /交付履歴/);
    await check(clerk, '交付履歴');
    await menu(clerk, '請求受付');
    await heading(clerk, /請求/);
    await check(clerk, '請求一覧（受付）');
    await menu(clerk, '回収リスト');
    await heading(clerk, '回収リスト');
    await check(clerk, '回収リスト');
    await menu(clerk, '一斉発送');
    await heading(clerk, /一斉発送/);
    await check(clerk, '一斉発送');
    await clerk.getByTestId('sync-indicator').click();
    await heading(clerk, '同期の状態');
    await check(clerk, '同期の状態');
    // こども医療 受給資格の交付申請 (the child without a 資格), with the 送付先 fields of 郵送 shown.
    await openResident(clerk, counter.seeded.edges.byName.newborn!.atenaNo, /新生\s+児/);
    await clerk.getByRole('button', { name: '受給資格の交付申請を受け付ける' }).click();
    await clerk.getByRole('form', { name: 'こども医療費 受給資格の交付申請の入力' }).waitFor();
    await clerk.getByRole('combobox', { name: '交付方法', exact: true }).selectOption('郵送');
    await check(clerk, '受給資格の交付申請');
    await clerk.getByRole('button', { name: '画面ロック' }).click();
    await heading(clerk, '画面ロック中');
    await check(clerk, '画面ロック');
    await clerk.close();

    const checker = await counter.open('D2001', { viewport: VIEWPORT });
    await menu(checker, '要確認');
    await heading(checker, /確認/);
    await check(checker, '要確認');
    await checker.close();

    const approver = await counter.open('D7001', { viewport: VIEWPORT });
    await menu(approver, '要決裁');
    await heading(approver, /決裁/);
    await check(approver, '要決裁');
    // The こども医療 受給資格 on the resident screen, with the form of its 喪失 open.
    await openResident(approver, counter.seeded.edges.byName.testChild!.atenaNo, /試験\s+太郎/);
    await approver.getByRole('button', { name: '資格喪失を登録' }).click();
    await approver.getByRole('form', { name: '資格喪失の登録' }).waitFor();
    await check(approver, '受給資格の喪失の登録');
    await approver.close();

    const supervisor = await counter.open('D8001', { viewport: VIEWPORT, landing: (p) => p.getByRole('heading', { name: '住民検索' }) });
    await menu(supervisor, '監査ログ');
    await heading(supervisor, '監査ログ');
    await check(supervisor, '監査ログ');
    await menu(supervisor, '監査ログの出力');
    await heading(supervisor, '監査ログの出力');
    await check(supervisor, '監査ログの出力');
    await supervisor.close();

    const admin = await counter.open('D9001', { viewport: VIEWPORT, landing: (p) => p.getByRole('heading', { name: 'システム管理' }) });
    await check(admin, 'システム管理');
    await admin.close();

    console.log(`[axe] ${screens.length} screens: ${screens.join('、')}`);
    if (found.length) console.log(JSON.stringify(found, null, 1));
    expect(screens.length).toBeGreaterThanOrEqual(15);
    expect(found).toEqual([]);
    expect(wide).toEqual([]);
  });
});
