import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { keyFilePath } from '../../electron/core/app-core';
import { clockFrom } from '../../testing/clock';
import type { SeededCore } from '../../testing/core';
import { demoLogin } from '../../testing/seed';
import { loadCredential, loginAs, useCounter } from '../../testing/browser';
import type { Harness } from '../harness/server';
import { pdfText } from './pdf';
import { documentOf } from './certificates-helpers';

const clerk = demoLogin('D1001');

let seeded: SeededCore, harness: Harness, browser: Browser;
// 2026-11-22 10:00 JST. The windows are opened by the test itself: it logs in step by step.
useCounter({ clock: clockFrom('2026-11-22T01:00:00Z'), households: 60 }, (c) => ({ seeded, harness, browser } = c));

async function login(page: Page, staffId: string, password: string) {
  await loginAs(page, { staffId, password });
}

describe('a clerk at the counter', () => {
  it('logs in, finds a child, issues a こども医療証, prints it and logs out — every step audited', async () => {
    const child = seeded.edges.byName.testChild!;
    const page = await browser.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    // Everything the page receives from the core, to check what never crosses to the renderer.
    const frames: string[] = [];
    page.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(String(f.payload))));
    await loadCredential(page, seeded.edges.credentials[clerk.staffId]!);
    await page.goto(harness.url);
    await expect.poll(() => page.evaluate(() => typeof window.madoguchi?.invoke)).toBe('function');

    // A wrong password shows a Japanese error, keeps the staff ID, and is audited.
    await login(page, clerk.staffId, 'wrong-password-123');
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('職員IDまたはパスワードが正しくありません');
    expect(await page.getByLabel('職員ID').inputValue()).toBe(clerk.staffId);
    expect(await page.getByLabel('パスワード').inputValue()).toBe('');

    await login(page, clerk.staffId, clerk.password);
    await page.getByRole('heading', { name: '住民検索' }).waitFor();

    // カナ prefix search, typed in hiragana: normalised to カタカナ.
    await page.getByLabel('カナ氏名（前方一致）').fill('しけん');
    await page.keyboard.press('Enter');
    const row = page.locator(`tr[data-atena="${child.atenaNo}"]`);
    await row.waitFor();
    expect(await page.locator('table.results tbody tr').count()).toBe(2);
    const body = await page.locator('body').innerText();
    expect(body).not.toContain(child.myNumber!);
    expect(body).not.toContain('個人番号');

    // Keyboard only: the first row has focus; move to the child and open with Enter.
    const focusedAtena = () => page.evaluate(() => document.activeElement?.getAttribute('data-atena'));
    await expect.poll(focusedAtena).not.toBeNull();
    if ((await focusedAtena()) !== child.atenaNo) await page.keyboard.press('ArrowDown');
    expect(await focusedAtena()).toBe(child.atenaNo);
    await page.keyboard.press('Enter');
    // The record opens only with a 処理事由 (none preset): Enter alone is refused, the digit 1 chooses 窓口申請.
    await page.getByRole('heading', { name: '処理事由の選択' }).waitFor();
    await page.keyboard.press('Enter');
    await page.getByText('処理事由を選択してください').waitFor();
    await page.keyboard.press('1');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /試験\s+太郎/ }).waitFor();
    expect(await page.locator('body').innerText()).not.toContain(child.myNumber!);

    // Issue (the one issue screen, type こども医療証): prefilled form with the first 保護者 chosen, validity in 和暦,
    // confirmation step.
    await page.getByRole('button', { name: 'こども医療証を交付する' }).click();
    await page.getByRole('heading', { name: 'こども医療証の交付' }).waitFor();
    // Born 2015-05-05 → 18歳年度末 2034-03-31 (令和16年); issued on 2026-11-22 (令和8年).
    await expect.poll(() => page.getByTestId('validity').textContent()).toBe('令和8年11月22日 〜 令和16年3月31日');
    const guardian = page.getByLabel('受給者（保護者）');
    expect(await guardian.locator('option:checked').innerText()).toContain('試験　花子');
    await page.getByRole('button', { name: '確認へ進む' }).click();
    await page.getByRole('heading', { name: 'この内容で交付します。よろしいですか？' }).waitFor();
    expect(await page.getByRole('region', { name: '交付内容の確認' }).innerText()).toContain('試験　花子');
    await page.keyboard.press('Enter'); // the 交付する button has focus

    // Print preview with the bundled font.
    await page.getByRole('heading', { name: /^印刷プレビュー/ }).waitFor();
    const card = documentOf(page);
    await card.waitFor();
    const cardText = await card.innerText();
    expect(cardText).toContain('試験　太郎');
    expect(cardText).toContain('試験　花子');
    expect(cardText).toContain('令和8年11月22日から令和16年3月31日まで');
    expect(cardText).toContain('88270103');
    expect(cardText).toContain('大阪市（サンプル）');
    const certNo = (await card.locator('td[data-field="certificateNo"]').innerText()).trim();
    expect(certNo).toMatch(/^[0-9]{7}$/);
    await page.evaluate(() => document.fonts.ready);
    expect(await page.evaluate(() => document.fonts.check('16px "Noto Sans JP"', '試験太郎'))).toBe(true);

    // The print preview rendered to PDF (print media) holds the child's name and the 和暦 validity.
    const text = pdfText(await page.pdf({ format: 'A4', printBackground: true }));
    const flat = text.replace(/\s+/g, '');
    expect(flat).toContain('試験太郎');
    expect(flat).toContain('令和16年3月31日');
    expect(flat).toContain(certNo);
    expect(flat).not.toContain('印刷プレビュー'); // screen chrome is not printed

    // 印刷する: only policy-allowed printers are offered; the job goes to the chosen one, audited.
    const printerOptions = await page.getByLabel('プリンタ').locator('option').allTextContents();
    expect(printerOptions).toEqual(['窓口プリンタ1']); // the installed print-to-PDF printer is not offered
    await page.getByRole('button', { name: '印刷する' }).click();
    await page.getByText('印刷しました（窓口プリンタ1）。').waitFor();
    expect(seeded.printer.jobs).toHaveLength(1);
    expect(seeded.printer.jobs[0]?.printer).toBe('窓口プリンタ1');

    // A print to the PDF printer forged from the page is refused and audited.
    const certId = (seeded.core.db.prepare('SELECT id FROM certificates WHERE certificate_no = ?').get(certNo) as { id: string }).id;
    const forged = await page.evaluate(async (id) => {
      const view = (await window.madoguchi!.invoke('certificates.printFields', { certificateId: id })) as { data: { fingerprint: string } };
      return window.madoguchi!.invoke('certificates.print', { certificateId: id, printerName: 'Microsoft Print to PDF', fingerprint: view.data.fingerprint });
    }, certId);
    expect(forged).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(forged.error?.message).toContain('PDF');
    expect(seeded.printer.jobs).toHaveLength(1);

    // Back (Esc) to the person's 交付履歴: the certificate is in the history.
    await page.keyboard.press('Escape');
    const hist = page.locator(`tr[data-certificate="${certNo}"]`);
    await hist.waitFor();
    expect(await hist.innerText()).toContain('有効');
    expect(await hist.innerText()).toContain('受給者（保護者）: 試験　花子');

    // Log out returns to the login screen.
    await page.getByRole('button', { name: 'ログアウト' }).click();
    await page.getByRole('heading', { name: '窓口端末 ログイン' }).waitFor();
    expect(consoleErrors).toEqual([]);
    await page.close();

    // Neither the database key nor the child's 個人番号 ever reached the renderer.
    const key = readFileSync(keyFilePath(seeded.dataDir), 'utf8').trim();
    expect(frames.length).toBeGreaterThan(10);
    expect(frames.join('\n')).toContain(child.atenaNo);
    for (const f of frames) {
      expect(f).not.toContain(key);
      expect(f).not.toContain(child.myNumber!);
    }

    // The audit chain verifies and holds every step, in order.
    const audit = seeded.core.audit;
    const v = audit.verify();
    expect(v.ok).toBe(true);
    const entries = audit.list({ limit: 10_000 });
    const steps = entries.filter((e) => e.staffId === clerk.staffId).map((e) => `${e.action}:${e.outcome}`);
    const expected = [
      'auth.login:rejected',
      'auth.login:success',
      'residents.search:success',
      'residents.view:success',
      'certificates.issue:success',
      'certificates.printPreview:success',
      'certificates.print:success',
      'residents.view:success',
      'auth.logout:success',
    ];
    let i = 0;
    for (const s of steps) if (s === expected[i]) i++;
    expect(i, `audit steps were: ${steps.join(', ')}`).toBe(expected.length);
    const issue = entries.find((e) => e.action === 'certificates.issue')!;
    expect(issue.targetAtenaNo).toBe(child.atenaNo);
    expect(issue.detail.certificateNo).toBe(certNo);
    const search = entries.find((e) => e.action === 'residents.search')!;
    expect(search.detail).toMatchObject({ query: { kana: 'シケン' }, resultCount: 2 });
    expect(entries.find((e) => e.action === 'residents.view')!.reason).toBe('窓口申請');
  });
});
