import { AxeBuilder } from '@axe-core/playwright';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { clockFrom } from '../../testing/clock';
import type { SeededCore } from '../../testing/core';
import { useCounter } from '../../testing/browser';
import { recipientNumberProblem } from '../../shared/domain/seikatsu';
import { openResident } from './residents-helpers';
import { expectFocus, keyboardMenu, tabTo } from './keyboard-helpers';

/**
 * Issue 17 at the 福祉事務所 counter, in Chromium with each member's virtual authenticator: the 生活保護 section of
 * a 保護受給者's record, 医療扶助（要否意見書による） from 申請受理 through 他法照会・回答, the 要否意見書 (its blank form
 * printed), 返戻, 嘱託医, a 確認 by a second person and a 決定 by a third (each signed with their own authenticator;
 * a refusal shown in Japanese), then a 医療券 issued and printed; 介護扶助 to its 決定; and no 個人番号 on any of
 * these screens.
 */
let seeded: SeededCore, clerk: Page, checker: Page, approver: Page;

useCounter({ clock: clockFrom('2026-11-22T01:00:00Z'), households: 3 }, async (c) => {
  seeded = c.seeded;
  [clerk, checker, approver] = [await c.open('D1001'), await c.open('D2001'), await c.open('D7001')];
});

const person = (k: string) => seeded.edges.byName[k]!;
/** Every 生活保護 screen visited, as text and HTML, for the 個人番号 check. */
const visited: { where: string; text: string; html: string }[] = [];
/** Critical or serious axe-core findings (WCAG 2.2 A/AA) on those screens. */
const axeFound: { where: string; id: string; targets: string[] }[] = [];

async function remember(page: Page, where: string) {
  visited.push({ where, text: await page.locator('body').innerText(), html: await page.content() });
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa']).analyze();
  for (const v of r.violations) if (v.impact === 'critical' || v.impact === 'serious') axeFound.push({ where, id: v.id, targets: v.nodes.slice(0, 3).map((n) => String(n.target)) });
}

/** The flow's state as the screen shows it (waits for the step's answer). */
async function expectState(page: Page, want: string) {
  await expect.poll(() => page.getByTestId('fujo-state').innerText()).toBe(want);
}

/** The result of a step: the screen's notice, focused (as on the claim screens). */
async function expectResult(page: Page, text: RegExp) {
  await expect
    .poll(() => page.evaluate(() => ({ role: document.activeElement?.getAttribute('role') ?? null, text: document.activeElement?.textContent ?? '' })))
    .toMatchObject({ role: 'status', text: expect.stringMatching(text) });
}

/** Fills one step's form (labels as on the screen) and sends it; a check or a 決裁 is confirmed and signed. */
async function step(page: Page, label: string, fill: (form: ReturnType<Page['getByRole']>) => Promise<void>, signed = false) {
  const form = page.getByRole('form', { name: label });
  await fill(form);
  await form.getByRole('button', { name: signed ? '認証器で署名して記録する' : '記録する' }).click();
  if (signed) await page.getByRole('alertdialog').getByRole('button', { name: '認証器で署名する' }).click();
}

async function openFromMenu(page: Page, menu: string, flowNo: string) {
  await page.getByRole('navigation', { name: '業務メニュー' }).getByRole('button', { name: menu }).click();
  await page.locator(`tr[data-flow="${flowNo}"]`).click();
  await page.getByRole('heading', { level: 1, name: new RegExp(flowNo) }).waitFor();
}

async function flowNoOf(page: Page): Promise<string> {
  const h = await page.getByRole('heading', { level: 1 }).innerText();
  return /受付番号\s*(\S+)/.exec(h)![1]!;
}

async function printPreview(page: Page, heading: RegExp) {
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  const before = seeded.printer.jobs.length;
  await page.getByRole('button', { name: '印刷する' }).click();
  await page.getByRole('status').filter({ hasText: '印刷しました' }).waitFor();
  expect(seeded.printer.jobs.length).toBe(before + 1);
}

describe('医療扶助（要否意見書による）: 申請受理 → 他法 → 要否意見書 → 嘱託医 → 確認 → 決定 → 医療券', () => {
  it('runs with three people, each check and 決裁 signed with their own authenticator, and prints the 要否意見書 and the 医療券', async () => {
    const head = person('seihoHead');
    await openResident(clerk, head.atenaNo, /保護\s+一男/);
    const section = clerk.getByRole('region', { name: '生活保護' });
    const jukyu = section.getByRole('table', { name: '保護受給' });
    await expect.poll(() => jukyu.innerText()).toMatch(/1200345[\s\S]*生活扶助・住宅扶助・医療扶助[\s\S]*D1001[\s\S]*保護中/);
    await remember(clerk, 'resident (D1001)');

    // 申請受理: the kind has no preset; the 申請日 as staff write it.
    const start = clerk.getByRole('form', { name: '扶助の申請受理' });
    await start.getByRole('button', { name: '申請を受理する' }).click();
    await start.getByText('扶助の種類を選択してください').first().waitFor();
    await start.getByLabel('扶助の種類').selectOption({ label: '医療扶助（要否意見書による）' });
    await start.getByLabel('申請日', { exact: true }).fill('2026/11/20');
    await start.getByRole('button', { name: '申請を受理する' }).click();
    await clerk.getByRole('heading', { level: 1, name: /医療扶助（要否意見書による）/ }).waitFor();
    await expectResult(clerk, /申請を受理しました/);
    const flowNo = await flowNoOf(clerk);
    await expectState(clerk, '申請受理');
    expect(await clerk.locator('main').innerText()).toContain('1200345');

    await step(clerk, '他法照会', async (f) => {
      await f.getByLabel('照会日').fill('2026/11/20');
      await f.getByLabel('照会先').fill('大阪市保健所');
      await f.getByLabel('自立支援医療').check();
    });
    await expectResult(clerk, /他法照会を記録しました/);
    await expectState(clerk, '他法照会中');
    await step(clerk, '他法回答の記録', async (f) => {
      await f.getByLabel('回答日').fill('2026/11/21');
      await f.getByLabel('他法で医療を受けられるか').selectOption({ label: '受けられない' });
    });
    await expectState(clerk, '他法回答済み');

    // A bad 指定医療機関コード is refused at its field, in Japanese; nothing is recorded.
    await step(clerk, '要否意見書の発行', async (f) => {
      await f.getByLabel('交付日').fill('2026/11/21');
      await f.getByLabel('指定医療機関コード').fill('27123');
      await f.getByLabel('指定医療機関名').fill('梅田クリニック');
    });
    await clerk.getByRole('form', { name: '要否意見書の発行' }).getByText('指定医療機関コードは7桁または10桁の半角数字です').first().waitFor();
    await expectState(clerk, '他法回答済み');
    await step(clerk, '要否意見書の発行', async (f) => {
      await f.getByLabel('指定医療機関コード').fill('2712345');
    });
    await expectResult(clerk, /要否意見書の発行を記録しました/);
    await expectState(clerk, '要否意見書 発行済み');
    await remember(clerk, 'flow (D1001)');

    // The blank 要否意見書: the recipient and the 指定医療機関, the doctor's items blank; printed once.
    await clerk.getByRole('button', { name: '要否意見書を印刷する' }).click();
    const opinion = clerk.getByTestId('opinion-form');
    await opinion.waitFor();
    expect(await opinion.innerText()).toMatch(/保護\s+一男[\s\S]*梅田クリニック（2712345）/);
    await remember(clerk, 'opinion form (D1001)');
    await printPreview(clerk, /医療要否意見書/);
    await clerk.getByRole('button', { name: '扶助の画面に戻る' }).click();

    await step(clerk, '要否意見書の返戻（受理）', async (f) => {
      await f.getByLabel('受理日').fill('2026/11/21');
    });
    await expectState(clerk, '要否意見書 返戻済み');
    await step(clerk, '嘱託医の判定', async (f) => {
      await f.getByLabel('判定日').fill('2026/11/22');
      await f.getByLabel('嘱託医').fill('嘱託　医師');
      await f.getByLabel('判定', { exact: true }).selectOption('要');
    });
    await expectState(clerk, '嘱託医 判定済み');
    // The clerk holds no check right: nothing more to do here.
    await clerk.getByText('この扶助について、あなたが今行える手続きはありません。').waitFor();

    // 確認 by a second person, from their 要確認 list, signed with their own authenticator.
    await openFromMenu(checker, '扶助 要確認', flowNo);
    await remember(checker, 'flow (D2001)');
    await step(checker, '確認（二重チェック）', async () => undefined, true);
    await expectResult(checker, /確認（二重チェック）を記録しました/);
    await expectState(checker, '確認済み（決裁待ち）');

    // 決定 by a third: a 開始 without the 扶助開始日 is refused in Japanese (before the authenticator); then decided.
    await openFromMenu(approver, '扶助 要決裁', flowNo);
    await step(approver, '決定（決裁）', async (f) => {
      await f.getByLabel('決定日').fill('2026/11/22');
      await f.getByLabel('決定', { exact: true }).selectOption('開始');
    }, true);
    await approver.getByRole('alert').filter({ hasText: '開始の決定には扶助開始日が必要です' }).waitFor();
    await expectState(approver, '確認済み（決裁待ち）');
    await step(approver, '決定（決裁）', async (f) => {
      await f.getByLabel('扶助開始日').fill('2026/11/20');
    }, true);
    await expectResult(approver, /決定（決裁）を記録しました/);
    await expectState(approver, '決定（扶助開始）');
    await remember(approver, 'flow decided (D7001)');
    const flowRow = seeded.core.db.prepare('SELECT proofs_json FROM fujo_flows WHERE flow_no = ?').get(flowNo) as { proofs_json: string };
    expect(Object.keys(JSON.parse(flowRow.proofs_json) as object).sort()).toEqual(['6', '7']); // the check and the 決定, signed

    // The 医療券 from the decided flow: the 扶助開始日 is the flow's; the 指定医療機関 and ケース番号 come filled in.
    await openResident(clerk, head.atenaNo, /保護\s+一男/);
    await clerk.locator(`tr[data-flow="${flowNo}"]`).click();
    await clerk.getByRole('heading', { level: 1, name: new RegExp(flowNo) }).waitFor();
    const ticket = clerk.getByRole('form', { name: '給付券の交付' });
    expect(await ticket.getByLabel('ケース番号').inputValue()).toBe('1200345');
    expect(await ticket.getByLabel('指定医療機関コード').inputValue()).toBe('2712345');
    await ticket.getByLabel('診療別').selectOption('入院外');
    await ticket.getByLabel('対象年月').fill('2026/11');
    // Both numbers left blank: the 福祉事務所's 公費負担者番号 (the profile's) and a new 受給者番号 are filled in by the core.
    expect(await ticket.getByLabel('受給者番号').inputValue()).toBe('');
    expect(await ticket.getByLabel('公費負担者番号').inputValue()).toBe('');
    await ticket.getByLabel('傷病名').fill('高血圧症');
    await ticket.getByRole('button', { name: '交付して印刷プレビューへ' }).click();
    await clerk.getByTestId('certificate-document').waitFor();
    const doc = await clerk.getByTestId('certificate-document').innerText();
    expect(doc).toMatch(/医療券/);
    expect(doc).toContain('梅田クリニック');
    await remember(clerk, 'ticket preview (D1001)');
    await printPreview(clerk, /印刷プレビュー — 医療券/);
    const issued = seeded.core.db.prepare(`SELECT certificate_no, valid_from, details_json FROM certificates WHERE cert_type = 'seikatsu_iryo'`).all() as { certificate_no: string; valid_from: string; details_json: string }[];
    expect(issued).toHaveLength(1);
    expect(issued[0]!.valid_from).toBe('2026-11-20');
    const stored = JSON.parse(issued[0]!.details_json) as Record<string, unknown>;
    expect(stored).toMatchObject({ aidStartOn: '2026-11-20', caseNo: '1200345', month: '2026-11', publicPayerNo: seeded.core.profile.seikatsu!.publicPayerNo });
    expect(recipientNumberProblem(String(stored.recipientNo))).toBeNull();
    expect(doc).toContain(String(stored.recipientNo));
    expect(doc).toContain(seeded.core.profile.seikatsu!.publicPayerNo);
  });
});

describe('給付券の月次交付', () => {
  it('lists the next month\'s standing 医療券 (none chosen), issues the chosen one and lists it per 指定機関; the hand-issued 券 too', async () => {
    await clerk.getByRole('navigation', { name: '業務メニュー' }).getByRole('button', { name: '給付券 月次交付' }).click();
    await clerk.getByRole('heading', { level: 1, name: '給付券の月次交付' }).waitFor();
    await clerk.getByLabel('対象年月').fill('2026/12');
    await clerk.getByRole('button', { name: '継続の券を表示する' }).click();
    const lines = clerk.getByRole('table', { name: '継続の券' });
    await expect.poll(() => lines.innerText()).toMatch(/保護\s+一男[\s\S]*医療券[\s\S]*梅田クリニック（2712345）[\s\S]*入院外[\s\S]*2026-11/);
    await remember(clerk, 'monthly run (D1001)');
    const issue = clerk.getByRole('button', { name: /選んだ券を交付する/ });
    expect(await issue.isDisabled()).toBe(true);
    await lines.getByRole('checkbox').check();
    await issue.click();
    await clerk.getByRole('alertdialog').getByRole('button', { name: '交付する' }).click();
    await clerk.getByRole('status').filter({ hasText: '1件の券を交付しました' }).waitFor();
    expect(await clerk.getByRole('table', { name: '発送リスト' }).innerText()).toContain('令和8年12月分 医療券 梅田クリニック（2712345）');
    const december = seeded.core.db.prepare(`SELECT count(*) AS n FROM certificates WHERE cert_type = 'seikatsu_iryo' AND json_extract(details_json, '$.month') = '2026-12'`).get() as { n: number };
    expect(december.n).toBe(1);
    // The 11月 医療券 issued at the counter goes on a list of its own.
    await clerk.getByLabel('対象年月').fill('2026/11');
    await clerk.getByRole('button', { name: '継続の券を表示する' }).click();
    await clerk.getByText('この月に交付する継続の券はありません。').waitFor();
    await clerk.getByRole('button', { name: 'この月に窓口で交付した券を発送リストにする' }).click();
    await expect.poll(() => clerk.getByRole('table', { name: '発送リスト' }).innerText()).toContain('令和8年11月分 医療券 梅田クリニック（2712345）');
  });
});

describe('介護扶助: 申請 → 介護保険 照会・回答 → 確認 → 決定', () => {
  it('reaches its 決定 with the same three people', async () => {
    const mother = person('seihoMother');
    await openResident(clerk, mother.atenaNo, /保護\s+和子/);
    const start = clerk.getByRole('form', { name: '扶助の申請受理' });
    await start.getByLabel('扶助の種類').selectOption({ label: '介護扶助' });
    await start.getByLabel('申請日', { exact: true }).fill('2026/11/02');
    await start.getByRole('button', { name: '申請を受理する' }).click();
    await clerk.getByRole('heading', { level: 1, name: /介護扶助/ }).waitFor();
    const flowNo = await flowNoOf(clerk);
    await step(clerk, '介護保険 資格・認定 照会', async (f) => {
      await f.getByLabel('照会日').fill('2026/11/02');
      await f.getByLabel('照会先').fill('大阪市介護保険課');
    });
    await step(clerk, '介護保険 回答の記録', async (f) => {
      await f.getByLabel('回答日').fill('2026/11/05');
      await f.getByLabel('介護保険の被保険者か').selectOption({ label: '被保険者である' });
      await f.getByLabel('要介護状態区分').selectOption('要介護2');
    });
    await expectState(clerk, '介護保険 回答済み');
    await remember(clerk, 'kaigo flow (D1001)');
    // The 確認 from the keyboard only: the menu, the list's first row (focused), the signed step and its confirmation.
    await keyboardMenu(checker, '扶助 要確認', /扶助 要確認/);
    await expect.poll(() => checker.evaluate(() => document.activeElement?.getAttribute('data-flow') ?? null)).toBe(flowNo);
    await checker.keyboard.press('Enter');
    await checker.getByRole('heading', { level: 1, name: new RegExp(flowNo) }).waitFor();
    await tabTo(checker, 'button', '認証器で署名して記録する');
    await checker.keyboard.press('Enter');
    await expectFocus(checker, 'button', '認証器で署名する');
    await checker.keyboard.press('Enter');
    await expectResult(checker, /確認（二重チェック）を記録しました/);
    await expectState(checker, '確認済み（決裁待ち）');
    await openFromMenu(approver, '扶助 要決裁', flowNo);
    await remember(approver, 'kaigo queue flow (D7001)');
    await step(approver, '決定（決裁）', async (f) => {
      await f.getByLabel('決定日').fill('2026/11/10');
      await f.getByLabel('決定', { exact: true }).selectOption('開始');
      await f.getByLabel('扶助開始日').fill('2026/11/02');
    }, true);
    await expectResult(approver, /決定（決裁）を記録しました/);
    await expectState(approver, '決定（扶助開始）');
    // Its 介護券 waits for the received 居宅介護支援計画: the next step offered is the plan's request.
    await openFromMenu(clerk, '扶助 要入力', flowNo);
    await clerk.getByRole('form', { name: '居宅介護支援計画の依頼' }).waitFor();
    expect(await clerk.getByRole('form', { name: '給付券の交付' }).count()).toBe(0);
    await remember(clerk, 'kaigo decided (D1001)');
  });
});

describe('no 個人番号 on the 生活保護 screens, and no serious accessibility finding', () => {
  it('the seeded 個人番号 of the 世帯 appears in no page text or HTML visited', async () => {
    const numbers = [person('seihoHead').myNumber, person('seihoMother').myNumber].filter((n): n is string => n !== null);
    expect(numbers).toHaveLength(2);
    expect(visited.length).toBeGreaterThanOrEqual(8);
    for (const v of visited) {
      for (const n of numbers) {
        expect(v.text.replace(/\s/g, ''), v.where).not.toContain(n);
        expect(v.html, v.where).not.toContain(n);
      }
    }
    // The 要決裁 list itself, as the approver sees it.
    await approver.getByRole('navigation', { name: '業務メニュー' }).getByRole('button', { name: '扶助 要決裁' }).click();
    await approver.getByRole('heading', { level: 1, name: /扶助 要決裁/ }).waitFor();
    const html = await approver.content();
    for (const n of numbers) expect(html).not.toContain(n);
  });

  it('axe-core finds no critical or serious WCAG 2.2 A/AA violation on them', () => {
    expect(visited.length).toBeGreaterThanOrEqual(8);
    expect(axeFound).toEqual([]);
  });
});
