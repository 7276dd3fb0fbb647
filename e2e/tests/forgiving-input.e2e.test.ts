import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { clockFrom } from '../../testing/clock';
import type { SeededCore } from '../../testing/core';
import { useCounter } from '../../testing/browser';
import { openResident } from './claims-helpers';

/**
 * Issue 14 §2: input that forgives — dates typed as staff write them (和暦 and common forms, echoed), identifiers
 * typed full-width, and a request the contract refuses is shown at its field and never sent (no 拒否 row).
 */
let seeded: SeededCore, page: Page;
useCounter({ clock: clockFrom('2026-11-22T01:00:00Z'), households: 10 }, async (c) => {
  seeded = c.seeded;
  page = await c.open('D1001');
});

const invalidPayloads = () =>
  (seeded.core.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'ipc.invalidPayload'").get() as { n: number }).n;

/** The echo beside a date field: what the form understood. */
async function echoOf(label: string): Promise<string> {
  const id = await page.getByLabel(label, { exact: true }).getAttribute('aria-describedby');
  const echo = id?.split(' ').find((x) => x.endsWith('-echo'));
  return echo ? page.locator(`[id="${echo}"]`).innerText() : '';
}

describe('input that forgives', () => {
  it('no screen uses a native date input; the search reads 和暦 birth dates and full-width 宛名番号', async () => {
    expect(await page.locator('input[type=date], input[type=month]').count()).toBe(0);
    const child = seeded.edges.byName.testChild!;
    // 宛名番号 typed in full-width digits finds the resident.
    const wide = child.atenaNo.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    await page.getByLabel('宛名番号').fill(wide);
    await page.keyboard.press('Enter');
    await page.locator(`tr[data-atena="${child.atenaNo}"]`).waitFor();

    // The birth date typed as 和暦 (R/H/S with dots) echoes the date it reads as.
    const [y, m, d] = child.birthDate.split('-').map(Number) as [number, number, number];
    const era = y >= 2019 ? ['R', y - 2018] : ['H', y - 1988];
    await page.getByLabel('宛名番号').fill('');
    await page.getByLabel('生年月日').fill(`${era[0]}${era[1]}.${m}.${d}`);
    await expect.poll(() => echoOf('生年月日')).toContain(`（${child.birthDate}）`);
    await page.keyboard.press('Enter');
    await page.locator(`tr[data-atena="${child.atenaNo}"]`).waitFor();
  });

  it('claim dates take 令和, R., slashes, eight digits and full width, and echo the 和暦; 年月 cells take R8.10', async () => {
    await openResident(page, seeded.edges.byName.testChild!.atenaNo, /試験\s+太郎/);
    await page.getByRole('button', { name: '請求を受け付ける' }).click();
    await page.getByLabel('請求の種類').selectOption('kodomo_shokan');
    await page.getByRole('table', { name: '領収書の明細' }).waitFor();
    expect(await page.locator('input[type=date], input[type=month]').count()).toBe(0);

    for (const typed of ['令和8年11月20日', 'R8.11.20', 'R8/11/20', '2026/11/20', '20261120', '２０２６／１１／２０']) {
      await page.getByLabel('申請日').fill(typed);
      await expect.poll(() => echoOf('申請日'), { message: typed }).toBe('令和8年11月20日（2026-11-20）');
    }
    // A day that does not exist is refused with a reason once the field is left, and nothing is sent.
    const before = invalidPayloads();
    await page.getByLabel('申請日').fill('2026/2/30');
    await page.keyboard.press('Tab');
    await page.getByText('2月は28日までです').first().waitFor();
    await page.getByLabel('申請日').fill('R8.11.20');

    await page.getByLabel('1行目 診療年月').fill('R8.10');
    await page.keyboard.press('Tab');
    expect(await page.getByLabel('1行目 診療年月').inputValue()).toBe('R8.10');
    await expect.poll(() => page.getByRole('table', { name: '領収書の明細' }).innerText()).toContain('令和8年10月');
    expect(invalidPayloads()).toBe(before);
  });

  it('a search the contract refuses is shown at its field and not sent: no 拒否 row in the audit log', async () => {
    await page.getByRole('button', { name: '業務終了' }).click();
    const before = invalidPayloads();
    const searches = () => (seeded.core.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action LIKE 'residents.search%'").get() as { n: number }).n;
    const searched = searches();
    await page.getByLabel('宛名番号').fill('12-AB');
    await page.keyboard.press('Enter');
    await page.locator('.field--error .field__error', { hasText: '宛名番号は数字15桁以内で入力してください' }).waitFor();
    expect(invalidPayloads()).toBe(before);
    expect(searches()).toBe(searched);
  });
});
