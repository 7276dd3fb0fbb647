import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { clockFrom } from '../../testing/clock';
import type { SeededCore } from '../../testing/core';
import { type Counter, useCounter } from '../../testing/browser';
import { auditSteps, decideClaim, fillBank, fillIdentity, focusedLabel, openFromQueue, openResident, typeCell } from './claims-helpers';
import { pdfText } from './pdf';

/**
 * Issue 6 end to end: a clerk enters a こども医療費 償還払い claim with three receipts from the keyboard, a
 * second person's blind check finds one figure that differs, the clerk corrects it with a reason, the check
 * passes, an approver decides 支給, and the notice renders to PDF with the amount. Nobody checks or approves
 * their own entry; every step is in the audit.
 */
let seeded: SeededCore, clerk: Page, checker: Page, approver: Page, counter: Counter;
let claim: { id: string; claimNo: string };

// The receipts of claim-service.test.ts (2026-10, 大阪府 model): 助成額 2,000 + 1,500 + 1,400 = 4,900円.
const RECEIPTS = [
  ['2026-10', '2712345', '梅田こどもクリニック', 'medical-outpatient', '3', 'yen', '10000', '', '', '', '3000'],
  ['2026-10', '2798765', '北区薬局', 'pharmacy', '1', 'yen', '5000', '', '', '', '1500'],
  ['2026-10', '2755555', '中之島歯科', 'dental-outpatient', '2', 'yen', '8000', '', '', '', '2400'],
];

useCounter({ clock: clockFrom('2026-11-22T01:00:00Z'), households: 5 }, async (c) => {
  counter = c;
  seeded = c.seeded;
});

const child = () => seeded.edges.byName.testChild!;
const menu = (p: Page) => p.getByRole('navigation', { name: '業務メニュー' });

describe('こども医療費 償還払い: 受付 → 二重チェック（不一致 → 訂正）→ 決裁 → 通知書', () => {
  it('the clerk enters three receipts from the keyboard; totals and the breakdown follow as they type', async () => {
    clerk = await counter.open('D1001');
    expect(await menu(clerk).getByRole('button', { name: '請求受付' }).isVisible()).toBe(true);
    expect(await menu(clerk).getByRole('button', { name: '要確認', exact: true }).count()).toBe(0);
    expect(await menu(clerk).getByRole('button', { name: '要決裁', exact: true }).count()).toBe(0);

    await openResident(clerk, child().atenaNo, /試験\s+太郎/);
    await clerk.getByRole('button', { name: '請求を受け付ける' }).click();
    await clerk.getByLabel('請求の種類').selectOption('kodomo_shokan');
    await clerk.getByRole('table', { name: '領収書の明細' }).waitFor();
    // Nothing typed, nothing attempted: no "at least one line" error yet.
    expect(await clerk.getByText('領収書の明細を1行以上入力してください').count()).toBe(0);
    expect(await clerk.getByLabel('申請者').locator('option:checked').innerText()).toContain('試験　花子');
    expect(await clerk.getByLabel('申請日').inputValue()).toBe('2026-11-22');
    await clerk.getByLabel('申請日').fill('2026-11-20');

    // A wrong 日数 is named while the rest of the line is still empty.
    await clerk.getByLabel('1行目 診療年月').fill('2026-10');
    await clerk.getByLabel('1行目 日数').fill('40');
    await clerk.locator('.cell-error', { hasText: '日数（40日）が診療月（令和8年10月）の日数（31日）を超えています' }).waitFor();
    // The breakdown names what the calculation still needs: the wrong cell with its reason, the empty ones as 未入力.
    const missing = await clerk.getByTestId('breakdown-missing').innerText();
    expect(missing).toContain('1行目の日数: 日数（40日）が診療月（令和8年10月）の日数（31日）を超えています');
    expect(missing).toContain('1行目の医療機関コード（未入力）');
    await clerk.getByLabel('1行目 日数').fill('');

    await clerk.getByLabel('1行目 診療年月').focus();
    for (const [i, line] of RECEIPTS.entries()) {
      expect(await focusedLabel(clerk)).toBe(`${i + 1}行目 診療年月`);
      for (const [c, value] of line.entries()) {
        if (i === RECEIPTS.length - 1 && c === line.length - 1) await clerk.locator(':focus').fill(value);
        else await typeCell(clerk, value);
      }
    }
    // Enter in the last cell added the lines: three rows, the cursor never left the keyboard.
    expect(await clerk.locator('table.line-grid tbody tr').count()).toBe(3);
    await expect.poll(() => clerk.getByTestId('total-subsidy').innerText()).toBe('4,900円');
    expect(await clerk.getByTestId('claim-amount').innerText()).toBe('4,900円');
    expect(await clerk.getByTestId('total-paid').innerText()).toBe('6,900円');
    expect(await clerk.getByTestId('line-subsidy-1').innerText()).toBe('2,000円');
    const breakdown = await clerk.getByRole('region', { name: '計算の内訳' }).innerText();
    expect(breakdown).toContain('調剤は負担なし');
    expect(breakdown).toContain('助成額の合計');

    // An invalid value stays as typed, with its message next to the cell; the total waits for it.
    await clerk.getByLabel('1行目 日数').fill('32');
    await clerk.locator('.cell-error', { hasText: '日数（32日）が診療月（令和8年10月）の日数（31日）を超えています' }).waitFor();
    expect(await clerk.getByLabel('1行目 日数').inputValue()).toBe('32');
    expect(await clerk.getByTestId('total-subsidy').innerText()).toBe('—');
    await clerk.getByLabel('1行目 日数').fill('3');
    await expect.poll(() => clerk.getByTestId('total-subsidy').innerText()).toBe('4,900円');

    await fillIdentity(clerk);
    await fillBank(clerk);
    await clerk.getByRole('button', { name: '確認へ進む' }).click();
    await clerk.getByRole('heading', { name: 'この内容で受け付けます。よろしいですか？' }).waitFor();
    const confirm = await clerk.getByRole('region', { name: '受付内容の確認' }).innerText();
    expect(confirm).toContain('みずほ 本店 普通 1234567 ｼｹﾝ ﾊﾅｺ');
    expect(confirm).toContain('4,900円');
    await clerk.keyboard.press('Enter'); // 受け付ける has focus
    await clerk.getByText(/受付番号 \S+ で受け付けました/).waitFor();
    claim = seeded.core.db.prepare('SELECT id, claim_no AS claimNo FROM claims').get() as { id: string; claimNo: string };
    expect(await clerk.getByTestId('claim-state').innerText()).toContain('受付済');
    expect(await clerk.getByTestId('detail-amount').innerText()).toBe('4,900円');

    // The clerk sees no check or decision, and the core refuses them when forged from the page.
    expect(await clerk.getByRole('region', { name: '二重チェック' }).count()).toBe(0);
    expect(await clerk.getByRole('region', { name: '決裁' }).count()).toBe(0);
    const forged = await clerk.evaluate((id) => window.madoguchi!.invoke('claims.decide', { claimId: id, version: 2, decision: '支給', reason: null, overrideReason: null }), claim.id);
    expect(forged).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const forgedCheck = await clerk.evaluate((id) => window.madoguchi!.invoke('claims.check', { claimId: id, version: 1, mode: 'confirm', figures: {}, confirmedAll: true }), claim.id);
    expect(forgedCheck).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('a second person checks blind: the figures stay hidden, one mistyped figure is named', async () => {
    checker = await counter.open('D2001');
    await menu(checker).getByRole('button', { name: '要確認', exact: true }).click();
    expect(await checker.locator(`tr[data-claim="${claim.claimNo}"]`).innerText()).toContain('（確認後に表示）');
    await openFromQueue(checker, '要確認', claim.claimNo);
    const shown = await checker.locator('main').innerText();
    expect(shown).toContain('二重チェックが終わるまで表示しません');
    for (const hidden of ['4,900円', '6,900円', '1234567', '中之島歯科']) expect(shown).not.toContain(hidden);
    expect(await checker.getByRole('button', { name: '訂正' }).count()).toBe(0); // the prefilled form would show the figures
    const check = checker.getByRole('region', { name: '二重チェック' });
    await check.getByLabel('領収書の明細数').fill('3');
    await check.getByLabel('日数の合計').fill('6');
    await check.getByLabel('支払額の合計（円）').fill('6,800'); // the paper says 2,300 on the dental receipt
    await check.getByLabel('口座番号').fill('1234567');
    await check.getByRole('button', { name: '確認する' }).click();
    await expect.poll(() => checker.getByTestId('check-mismatch').innerText()).toContain('一致しない項目: 支払額の合計（円）');
    expect(await checker.getByTestId('claim-state').innerText()).toContain('受付済');
  });

  it('the clerk corrects the entry with a reason; the history keeps what was there', async () => {
    await openFromQueue(clerk, '請求受付', claim.claimNo);
    expect(await clerk.locator('tr[data-event="check_mismatch"]').innerText()).toContain('一致しない項目: 支払額の合計（円）');
    await clerk.getByRole('button', { name: '訂正' }).click();
    await clerk.getByRole('heading', { name: /請求の訂正/ }).waitFor();
    expect(await clerk.getByLabel('3行目 支払額').inputValue()).toBe('2400');
    await clerk.getByLabel('3行目 支払額').fill('2300');
    await expect.poll(() => clerk.getByTestId('total-subsidy').innerText()).toBe('4,800円');
    await expect.poll(() => clerk.getByTestId('bank-name').innerText()).toContain('みずほ');
    await expect.poll(() => clerk.getByTestId('branch-name').innerText()).toContain('本店');
    await clerk.getByRole('button', { name: '確認へ進む' }).click();
    await clerk.getByRole('button', { name: '訂正する' }).click();
    await clerk.getByText('訂正の理由を入力してください').waitFor(); // a correction needs its reason
    await clerk.getByLabel('訂正の理由').fill('歯科領収書の支払額の入力誤り');
    await clerk.getByRole('button', { name: '訂正する' }).click();
    await clerk.getByText(/を訂正しました（第2版）/).waitFor();
    expect(await clerk.getByTestId('detail-amount').innerText()).toBe('4,800円');
    const corrected = await clerk.locator('tr[data-event="corrected"]').innerText();
    expect(corrected).toContain('歯科領収書の支払額の入力誤り');
    expect(corrected).toContain('訂正前の金額 4,900円');
  });

  it('the second check matches; the approver decides 支給 and prints the notice', async () => {
    await openFromQueue(checker, '要確認', claim.claimNo);
    const check = checker.getByRole('region', { name: '二重チェック' });
    await check.getByLabel('領収書の明細数').fill('３');
    await check.getByLabel('日数の合計').fill('6');
    await check.getByLabel('支払額の合計（円）').fill('6,800円');
    await check.getByLabel('口座番号').fill('1234567');
    await check.getByRole('button', { name: '確認する' }).click();
    await checker.getByText(/の二重チェックが完了しました/).waitFor();
    expect(await checker.getByTestId('claim-state').innerText()).toContain('確認済');
    // The checker holds no approve right: no 決裁 here either.
    expect(await checker.getByRole('region', { name: '決裁' }).count()).toBe(0);

    // The clerk, looking again, still has no 決裁.
    await openFromQueue(clerk, '請求受付', claim.claimNo);
    expect(await clerk.getByRole('region', { name: '決裁' }).count()).toBe(0);

    approver = await counter.open('D7001');
    await openFromQueue(approver, '要決裁', claim.claimNo);
    const decide = approver.getByRole('region', { name: '決裁' });
    expect(await decide.getByLabel('決定').locator('option').allInnerTexts()).toEqual(['選択してください', '支給', '不支給']);
    expect(await decide.getByLabel('決定').inputValue()).toBe(''); // no preset decision
    await decideClaim(approver, '支給');
    await expect.poll(() => approver.getByTestId('claim-state').innerText()).toContain('決定済（支給）');

    await approver.getByRole('button', { name: '通知書' }).click();
    const notice = approver.locator('article.notice');
    await notice.waitFor();
    const text = await notice.innerText();
    expect(text).toContain('支給決定通知書');
    expect(text).toContain('4,800円');
    expect(text).toContain('試験　花子 様');
    await approver.evaluate(() => document.fonts.ready);
    const pdf = pdfText(await approver.pdf({ format: 'A4', printBackground: true }));
    const flat = pdf.replace(/\s+/g, '');
    expect(flat).toContain('支給決定通知書');
    expect(flat).toContain('4,800円');
    expect(flat).toContain(claim.claimNo);
    expect(flat).not.toContain('印刷プレビュー');
    await approver.getByRole('button', { name: '印刷する' }).click();
    await approver.getByText('印刷しました（窓口プリンタ1）。').waitFor();
    expect(seeded.printer.jobs.at(-1)?.printer).toBe('窓口プリンタ1');
  });

  it('the audit holds every step, and the chain verifies', () => {
    const steps = auditSteps(seeded, 'claims.');
    expect(steps).toEqual(
      expect.arrayContaining([
        'claims.receive:D1001:success',
        'claims.check:D2001:rejected',
        'claims.correct:D1001:success',
        'claims.check:D2001:success',
        'claims.decide:D7001:success',
        'claims.noticePreview:D7001:success',
        'claims.printNotice:D7001:success',
      ]),
    );
    const order = ['claims.receive:D1001:success', 'claims.check:D2001:rejected', 'claims.correct:D1001:success', 'claims.check:D2001:success', 'claims.decide:D7001:success'];
    expect(steps.filter((s) => order.includes(s))).toEqual(order);
    const refused = seeded.core.audit.list({ limit: 100_000 }).filter((e) => e.action === 'ipc.rejected' && e.staffId === 'D1001').map((e) => e.detail.channel);
    expect(refused).toEqual(expect.arrayContaining(['claims.decide', 'claims.check']));
    expect(seeded.core.audit.verify().ok).toBe(true);
  });
});
