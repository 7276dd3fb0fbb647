import type { Page } from 'playwright-core';

/** The one way the e2e tests open a resident: search, open the row, choose the 処理事由 (there is no preset). */

/** On the 処理事由 screen shown when a resident's record opens: choose `reason` and open. */
export async function chooseReason(page: Page, reason = '窓口申請'): Promise<void> {
  const form = page.getByRole('form', { name: '処理事由の選択' });
  await form.getByRole('radio', { name: reason }).check();
  await form.getByRole('button', { name: /^開く/ }).click();
  await form.waitFor({ state: 'detached' });
}

/**
 * 業務終了 (back to an empty search), search by 宛名番号, open the row, choose the 処理事由 and wait for the record:
 * its name heading when given, else any heading other than the search's.
 */
export async function openResident(page: Page, atenaNo: string, name?: RegExp, reason = '窓口申請'): Promise<void> {
  await page.getByRole('button', { name: '業務終了' }).click();
  await page.getByLabel('宛名番号').fill(atenaNo);
  await page.keyboard.press('Enter');
  await page.locator(`tr[data-atena="${atenaNo}"]`).dblclick();
  await chooseReason(page, reason);
  if (name) await page.getByRole('heading', { name }).waitFor();
  else await page.getByRole('heading', { level: 1 }).filter({ hasNotText: /住民検索|処理事由の選択/ }).waitFor();
}
