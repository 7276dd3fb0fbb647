import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import type { SeededCore } from '../../testing/core';

/** Shared steps of the claim e2e tests (issue 6): open a resident, fill cells, fill the forms, follow the queues. */
export async function openResident(page: Page, atenaNo: string, name: RegExp): Promise<void> {
  await page.getByRole('button', { name: '業務終了' }).click();
  await page.getByLabel('宛名番号').fill(atenaNo);
  await page.keyboard.press('Enter');
  await page.locator(`tr[data-atena="${atenaNo}"]`).dblclick();
  await page.getByRole('heading', { name }).waitFor();
}

/** Types a value into the focused grid cell (or chooses it in a select), then presses Enter. */
export async function typeCell(page: Page, value: string): Promise<void> {
  const tag = await page.evaluate(() => document.activeElement?.tagName);
  const focused = page.locator(':focus');
  if (tag === 'SELECT') await focused.selectOption(value);
  else await focused.fill(value);
  await page.keyboard.press('Enter');
}

export const focusedLabel = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? null);

/** Identity seen at the counter: 本人 with a 個人番号カード, all four items confirmed. */
export async function fillIdentity(page: Page): Promise<void> {
  const id = page.getByRole('region', { name: '本人確認' });
  await id.getByLabel('個人番号カード', { exact: true }).check();
  for (const what of ['氏名', '生年月日', '性別', '住所']) await id.getByLabel(`${what}を確認した`).check();
  await expect.poll(() => page.getByTestId('identity-result').innerText()).toContain('本人確認ができています（個人番号カード）');
}

/** Bank 0001 (みずほ) / 100 (本店): the names appear as the codes are typed. */
export async function fillBank(page: Page): Promise<void> {
  await page.getByLabel('金融機関コード').pressSequentially('0001');
  await expect.poll(() => page.getByTestId('bank-name').innerText()).toContain('みずほ');
  await page.getByLabel('支店コード').pressSequentially('100');
  await expect.poll(() => page.getByTestId('branch-name').innerText()).toContain('本店');
  await page.getByLabel('口座番号').fill('1234567');
  await page.getByLabel('口座名義（カナ）').fill('しけん はなこ');
  await expect.poll(() => page.getByTestId('holder-kana').innerText()).toBe('振込名義: ｼｹﾝ ﾊﾅｺ');
}

/** Opens the only claim in a queue (menu entry → table row → Enter). */
export async function openFromQueue(page: Page, menu: '請求受付' | '要確認' | '要決裁', claimNo: string): Promise<void> {
  await page.getByRole('navigation', { name: '業務メニュー' }).getByRole('button', { name: menu, exact: true }).click();
  const row = page.locator(`tr[data-claim="${claimNo}"]`);
  await row.waitFor();
  await row.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: new RegExp(`受付番号 ${claimNo}`) }).waitFor();
}

export function auditSteps(seeded: SeededCore, prefix: string): string[] {
  return seeded.core.audit
    .list({ limit: 100_000 })
    .filter((e) => e.action.startsWith(prefix))
    .map((e) => `${e.action}:${e.staffId ?? ''}:${e.outcome}`);
}
