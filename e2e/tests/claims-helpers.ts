import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import type { SeededCore } from '../../testing/core';

/** Shared steps of the claim e2e tests (issue 6): fill cells, fill the forms, follow the queues, decide. */
export { openResident } from './residents-helpers';

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

/**
 * 決裁: choose the decision (none is preset), optionally type the reason, 決定する, then confirm in the dialog
 * (「支給で決裁する」); waits until the dialog has closed.
 */
export async function decideClaim(page: Page, decision: '支給' | '不支給' | '交付' | '却下' | '認定', reason?: string): Promise<void> {
  const decide = page.getByRole('region', { name: '決裁' });
  await decide.getByLabel('決定').selectOption(decision);
  if (reason !== undefined) await decide.getByLabel(/理由/).first().fill(reason);
  await decide.getByRole('button', { name: '決定する' }).click();
  const dialog = page.getByRole('alertdialog');
  await dialog.getByRole('button', { name: `${decision}で決裁する` }).click();
  await dialog.waitFor({ state: 'detached' });
}
