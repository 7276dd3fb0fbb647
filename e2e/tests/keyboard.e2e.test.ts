import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { clockFrom } from '../../testing/clock';
import type { Counter } from '../../testing/browser';
import { useCounter } from '../../testing/browser';
import { auditSteps } from './claims-helpers';
import { chooseWithArrows, expectFocus, focusedValue, keyboardDecide, keyboardLogin, keyboardMenu, keyboardOpenClaim, keyboardOpenResident, pressAccessKey, tabTo, typeIn, typeInto } from './keyboard-helpers';

/**
 * Issue 14 §6, keyboard only: the counter journey (log in → search → open with 処理事由 → issue → print) and the claim
 * journey (entry → 二重チェック by a second person → 決裁 by an approver), each driven with page.keyboard alone at
 * 1366×768. Locators only find where the focus is and check results; nothing is clicked or filled.
 */
let counter: Counter;
useCounter({ clock: clockFrom('2026-11-22T01:00:00Z'), households: 5 }, (c) => (counter = c));

const child = () => counter.seeded.edges.byName.testChild!;

/** One receipt line of the grid, in column order (診療年月 typed in 和暦 shorthand); the last cell is left without Enter. */
const LINE = ['R8.10', '2712345', '梅田こどもクリニック', 'medical-outpatient', '3', 'yen', '10000', '', '', '', '3000'];

describe('keyboard only', () => {
  it('counter: log in, search, open the child with 処理事由, issue a こども医療証 and print it', async () => {
    const page = await keyboardLogin(counter, 'D1001');
    await keyboardOpenResident(page, child().atenaNo, /試験\s+太郎/);

    // The access keys the guide lists: Alt+H opens the 交付履歴, Esc comes back.
    await pressAccessKey(page, 'h');
    await page.getByRole('heading', { name: /^証の交付履歴/, level: 1 }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('heading', { name: /試験\s+太郎/, level: 1 }).waitFor();

    await tabTo(page, 'button', 'こども医療証を交付する');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'こども医療証の交付', level: 1 }).waitFor();
    await expect.poll(() => page.getByTestId('validity').textContent()).toBe('令和8年11月22日 〜 令和16年3月31日');
    await tabTo(page, 'button', '確認へ進む');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'この内容で交付します。よろしいですか？' }).waitFor();
    await expectFocus(page, 'button', '交付する');
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { name: /^印刷プレビュー/ }).waitFor();
    const certNo = (await page.getByTestId('certificate-document').locator('td[data-field="certificateNo"]').innerText()).trim();
    await expectFocus(page, 'button', '印刷する');
    await page.keyboard.press('Enter');
    await page.getByText('印刷しました（窓口プリンタ1）。').waitFor();
    expect(counter.seeded.printer.jobs).toHaveLength(1);

    // Esc: back to the person's 交付履歴, where the certificate is listed as valid.
    await page.keyboard.press('Escape');
    const row = page.locator(`tr[data-certificate="${certNo}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('valid');
    const view = counter.seeded.core.audit.list({ limit: 10_000 }).find((e) => e.action === 'residents.view' && e.staffId === 'D1001');
    expect(view?.reason).toBe('窓口申請');

    // Alt+E: 業務終了, back to an empty search.
    await pressAccessKey(page, 'e');
    await page.getByRole('heading', { name: '住民検索', level: 1 }).waitFor();
    expect(await page.locator('tr[data-atena]').count()).toBe(0);
    await page.close();
  });

  let claimNo = '';
  it('claim entry: one receipt line, 本人確認 and 振込先口座 from the keyboard, 受け付ける', async () => {
    const page = await keyboardLogin(counter, 'D1001');
    await keyboardOpenResident(page, child().atenaNo, /試験\s+太郎/);
    await pressAccessKey(page, 'c'); // 請求を受け付ける (Alt+C, as the guide says)
    await page.getByRole('heading', { name: /^請求受付/, level: 1 }).waitFor();
    await tabTo(page, 'combobox', '請求の種類');
    await chooseWithArrows(page, 'kodomo_shokan');
    await page.getByRole('table', { name: '領収書の明細' }).waitFor();

    // The grid: Enter moves to the next cell; selects are chosen with the arrows.
    await tabTo(page, 'textbox', '1行目 診療年月');
    for (const [i, value] of LINE.entries()) {
      const tag = await page.evaluate(() => document.activeElement?.tagName);
      if (tag === 'SELECT') await chooseWithArrows(page, value);
      else await typeInto(page, value);
      if (i < LINE.length - 1) await page.keyboard.press('Enter');
    }
    expect(await page.locator('table.line-grid tbody tr').count()).toBe(1);
    await expect.poll(() => page.getByTestId('total-subsidy').innerText()).toBe('2,000円');

    // 本人確認: Space ticks a checkbox.
    await tabTo(page, 'checkbox', '個人番号カード');
    await page.keyboard.press('Space');
    for (const what of ['氏名', '生年月日', '性別', '住所']) {
      await tabTo(page, 'checkbox', `${what}を確認した`);
      await page.keyboard.press('Space');
    }
    await expect.poll(() => page.getByTestId('identity-result').innerText()).toContain('本人確認ができています（個人番号カード）');

    // 振込先口座: the bank's and branch's names appear as the codes are typed.
    await typeIn(page, 'textbox', '金融機関コード', '0001');
    await expect.poll(() => page.getByTestId('bank-name').innerText()).toContain('みずほ');
    await typeIn(page, 'textbox', '支店コード', '100');
    await expect.poll(() => page.getByTestId('branch-name').innerText()).toContain('本店');
    await typeIn(page, 'textbox', '口座番号', '1234567');
    await typeIn(page, 'textbox', '口座名義（カナ）', 'しけん はなこ');
    await expect.poll(() => page.getByTestId('holder-kana').innerText()).toBe('振込名義: ｼｹﾝ ﾊﾅｺ');

    await tabTo(page, 'button', '確認へ進む');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'この内容で受け付けます。よろしいですか？' }).waitFor();
    await expectFocus(page, 'button', '受け付ける');
    await page.keyboard.press('Enter');
    await page.getByText(/受付番号 \S+ で受け付けました/).waitFor();
    claimNo = (counter.seeded.core.db.prepare('SELECT claim_no AS claimNo FROM claims').get() as { claimNo: string }).claimNo;
    expect(await page.getByTestId('claim-state').innerText()).toContain('受付済');
    // Alt+Q: ログアウト.
    await pressAccessKey(page, 'q');
    await page.getByRole('heading', { name: '窓口端末 ログイン' }).waitFor();
    await page.close();
  });

  it('二重チェック by a second person, blind, from the keyboard', async () => {
    const page: Page = await keyboardLogin(counter, 'D2001');
    await keyboardMenu(page, '要確認', /要確認/);
    await keyboardOpenClaim(page, claimNo);
    const check = page.getByRole('region', { name: '二重チェック' });
    await check.waitFor();
    expect(await page.locator('main').innerText()).not.toContain('2,000円'); // blind: the entry's figures stay hidden
    await typeIn(page, 'textbox', '領収書の明細数', '1');
    await typeIn(page, 'textbox', '日数の合計', '3');
    await typeIn(page, 'textbox', '支払額の合計（円）', '3,000');
    await typeIn(page, 'textbox', '口座番号', '1234567');
    expect(await focusedValue(page)).toBe('1234567');
    await page.keyboard.press('Enter'); // submits the check form
    await page.getByText(/の二重チェックが完了しました/).waitFor();
    expect(await page.getByTestId('claim-state').innerText()).toContain('確認済');
    await page.close();
  });

  it('決裁 by the approver from the keyboard', async () => {
    const page = await keyboardLogin(counter, 'D7001');
    await keyboardMenu(page, '要決裁', /要決裁/);
    await keyboardOpenClaim(page, claimNo);
    await page.getByRole('region', { name: '決裁' }).waitFor();
    await keyboardDecide(page, '支給');
    await expect.poll(() => page.getByTestId('claim-state').innerText()).toContain('決定済（支給）');
    await page.close();

    const steps = auditSteps(counter.seeded, 'claims.');
    const order = ['claims.receive:D1001:success', 'claims.check:D2001:success', 'claims.decide:D7001:success'];
    expect(steps.filter((s) => order.includes(s))).toEqual(order);
  });
});
