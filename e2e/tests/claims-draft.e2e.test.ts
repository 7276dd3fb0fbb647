import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { clockFrom } from '../../testing/clock';
import type { SeededCore } from '../../testing/core';
import { demoLogin } from '../../testing/seed';
import { type Counter, useCounter } from '../../testing/browser';
import { fillBank, fillIdentity, openResident, typeCell } from './claims-helpers';

/**
 * Issue 6 §5: a claim half typed survives the idle lock (the form unmounts while locked) and a restart
 * (a new window, a new login): the draft lives in the core's encrypted database and comes back.
 */
let seeded: SeededCore, page: Page, counter: Counter;

useCounter({ clock: clockFrom('2026-11-22T01:00:00Z'), households: 5 }, async (c) => {
  counter = c;
  seeded = c.seeded;
});

const child = () => seeded.edges.byName.testChild!;
const drafts = () => (seeded.core.db.prepare('SELECT count(*) AS n FROM claim_drafts').get() as { n: number }).n;

async function expectLinesBack(p: Page) {
  await expect.poll(() => p.getByTestId('draft-status').innerText()).toContain('下書きを復元しました');
  expect(await p.locator('table.line-grid tbody tr').count()).toBe(2);
  expect(await p.getByLabel('1行目 医療機関名').inputValue()).toBe('梅田こどもクリニック');
  expect(await p.getByLabel('1行目 支払額').inputValue()).toBe('3,000'); // typed 3000: grouped when the cell was left
  expect(await p.getByLabel('2行目 医療機関名').inputValue()).toBe('北区薬局');
  expect(await p.getByLabel('2行目 区分').inputValue()).toBe('pharmacy');
  await expect.poll(() => p.getByTestId('total-subsidy').innerText()).toBe('3,500円');
}

describe('claim drafts', () => {
  it('survive the idle lock: typed lines are back after unlocking', async () => {
    page = await counter.open('D1001');
    await openResident(page, child().atenaNo, /試験\s+太郎/);
    await page.getByRole('button', { name: '請求を受け付ける' }).click();
    await page.getByLabel('請求の種類').selectOption('kodomo_shokan');
    await page.getByLabel('1行目 診療年月').focus();
    for (const v of ['2026-10', '2712345', '梅田こどもクリニック', 'medical-outpatient', '3', 'yen', '10000', '', '', '', '3000']) await typeCell(page, v);
    for (const v of ['2026-10', '2798765', '北区薬局', 'pharmacy', '1', 'yen', '5000', '', '', '']) await typeCell(page, v);
    await page.locator(':focus').fill('1500');
    await expect.poll(() => page.getByTestId('draft-status').innerText(), { timeout: 5000 }).toMatch(/^下書きを保存しました（\d\d:\d\d:\d\d）$/);
    expect(drafts()).toBe(1);

    expect(seeded.core.auth.lockAll('idle')).toBe(1);
    await page.getByRole('heading', { name: '画面ロック中' }).waitFor();
    const html = await page.content();
    for (const secret of ['梅田こどもクリニック', '試験', child().atenaNo]) expect(html).not.toContain(secret);

    await page.getByLabel('パスワード').fill(demoLogin('D1001').password);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /請求受付/ }).waitFor();
    await expectLinesBack(page);
  });

  it('survive a restart (log out, new window, log in again) and go once the claim is received', async () => {
    await page.getByRole('button', { name: 'ログアウト' }).click();
    await page.getByRole('heading', { name: '窓口端末 ログイン' }).waitFor();
    await page.close();

    page = await counter.open('D1001');
    await openResident(page, child().atenaNo, /試験\s+太郎/);
    await page.getByRole('button', { name: '請求を受け付ける' }).click();
    await page.getByLabel('請求の種類').selectOption('kodomo_shokan');
    await expectLinesBack(page);

    await fillIdentity(page);
    await fillBank(page);
    await page.getByRole('button', { name: '確認へ進む' }).click();
    await page.getByRole('button', { name: '受け付ける' }).click();
    await page.getByText(/受付番号 \S+ で受け付けました/).waitFor();
    expect(drafts()).toBe(0);
    expect(await page.getByTestId('detail-amount').innerText()).toBe('3,500円');
  });
});
