import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { clockFrom } from '../../testing/clock';
import type { SeededCore } from '../../testing/core';
import { useCounter } from '../../testing/browser';
import { auditSteps, decideClaim, fillBank, fillIdentity, focusedLabel, openFromQueue, openResident, typeCell } from './claims-helpers';
import { pdfText } from './pdf';

/**
 * Issue 6: one 国保 高額療養費 case and one 予防接種 減免 case end to end, each entered by a clerk, checked
 * blind by a second person and decided by an approver, with the notice rendered to PDF.
 */
let seeded: SeededCore, clerk: Page, checker: Page, approver: Page;

useCounter({ clock: clockFrom('2026-11-22T01:00:00Z'), households: 5 }, async (c) => {
  seeded = c.seeded;
  [clerk, checker, approver] = [await c.open('D1001'), await c.open('D2001'), await c.open('D7001')];
});

const parent = () => seeded.edges.byName.testParent!;
const lastClaimNo = () => (seeded.core.db.prepare('SELECT claim_no AS n FROM claims ORDER BY created_at DESC LIMIT 1').get() as { n: string }).n;

/** The B類 減免 is for 65歳以上 (issue 14 §5): its case is the 76-year-old 国保 member. */
async function startEntry(kind: string, who: { atenaNo: string; name: RegExp } = { atenaNo: parent().atenaNo, name: /試験\s+花子/ }) {
  await openResident(clerk, who.atenaNo, who.name);
  await clerk.getByRole('button', { name: '請求を受け付ける' }).click();
  await clerk.getByLabel('請求の種類').selectOption(kind);
  await clerk.getByLabel('申請日').fill('2026-11-20');
}

async function receive() {
  await clerk.getByRole('button', { name: '確認へ進む' }).click();
  await clerk.getByRole('heading', { name: 'この内容で受け付けます。よろしいですか？' }).waitFor();
  await clerk.getByRole('button', { name: '受け付ける' }).click();
  await clerk.getByText(/受付番号 \S+ で受け付けました/).waitFor();
  return lastClaimNo();
}

async function checkBlind(claimNo: string, figures: Record<string, string>) {
  await openFromQueue(checker, '要確認', claimNo);
  const check = checker.getByRole('region', { name: '二重チェック' });
  for (const [label, value] of Object.entries(figures)) await check.getByLabel(label, { exact: true }).fill(value);
  await check.getByRole('button', { name: '確認する' }).click();
  await checker.getByText(/の二重チェックが完了しました/).waitFor();
}

async function noticePdf(): Promise<string> {
  await approver.getByRole('button', { name: '通知書' }).click();
  await approver.locator('article.notice').waitFor();
  await approver.evaluate(() => document.fonts.ready);
  return pdfText(await approver.pdf({ format: 'A4', printBackground: true })).replace(/\s+/g, '');
}

describe('国保 高額療養費', () => {
  it('household charges of one month: only those ≥ 21,000円 combine; 区分ウ on the 2026-08 table → 33,060円 支給', async () => {
    await startEntry('kokuho_kogaku');
    await clerk.getByLabel('所得区分').selectOption('ウ');
    await clerk.getByLabel('診療年月').fill('2026-10');
    const charges = [
      ['試験　花子', '2711111', '北区総合病院', 'medical-inpatient', '300000', '90000'],
      ['試験　太郎', '2712345', '梅田こどもクリニック', 'medical-outpatient', '100000', '30000'],
      ['試験　太郎', '2755555', '中之島歯科', 'dental-outpatient', '69990', '20997'],
    ];
    await clerk.getByLabel('1行目 対象者').focus();
    for (const [i, row] of charges.entries()) {
      expect(await focusedLabel(clerk)).toBe(`${i + 1}行目 対象者`);
      for (const [c, v] of row.entries()) {
        if (i === charges.length - 1 && c === row.length - 1) await clerk.locator(':focus').fill(v);
        else await typeCell(clerk, v);
      }
    }
    await expect.poll(() => clerk.getByTestId('claim-amount').innerText()).toBe('33,060円');
    expect(await clerk.getByTestId('total-copay').innerText()).toBe('140,997円');
    const breakdown = await clerk.getByRole('region', { name: '計算の内訳' }).innerText();
    expect(breakdown).toContain('21,000円未満のため合算対象外');
    expect(breakdown).toContain('区分ウ');
    await fillIdentity(clerk);
    await fillBank(clerk);
    const claimNo = await receive();

    await checkBlind(claimNo, { 診療年月: '2026-10', 所得区分: 'ウ', '一部負担金の合計（円）': '140,997', 口座番号: '1234567' });

    await openFromQueue(approver, '要決裁', claimNo);
    await decideClaim(approver, '支給');
    await expect.poll(() => approver.getByTestId('claim-state').innerText()).toContain('決定済（支給）');
    const pdf = await noticePdf();
    expect(pdf).toContain('支給決定通知書');
    expect(pdf).toContain('33,060円');
    expect(pdf).toContain('国保高額療養費');
  });
});

describe('予防接種 B類自己負担金 減免', () => {
  it('a 課税 household: 却下 is suggested, decided with its reason, and the 却下通知書 carries it', async () => {
    await startEntry('yobou_genmen', { atenaNo: seeded.edges.byName.elder!.atenaNo, name: /長寿\s+松子/ });
    await clerk.getByLabel('課税有無').selectOption('課税');
    await clerk.getByLabel('ワクチン').selectOption('高齢者インフルエンザ');
    await expect.poll(() => clerk.getByTestId('claim-suggestion').innerText()).toContain('却下（市町村民税課税世帯のため、自己負担金減免の対象外です）');
    expect(await clerk.getByRole('region', { name: '振込先口座' }).count()).toBe(0); // no money, no account
    await fillIdentity(clerk);
    const claimNo = await receive();

    await checkBlind(claimNo, { 課税有無: '課税', ワクチン: '高齢者インフルエンザ' });

    await openFromQueue(approver, '要決裁', claimNo);
    const decide = approver.getByRole('region', { name: '決裁' });
    expect(await decide.getByLabel('決定').locator('option').allInnerTexts()).toEqual(['選択してください', '交付', '却下']);
    // No preset decision: the checker's suggestion is shown beside the field, the staff choose.
    expect(await decide.getByLabel('決定').inputValue()).toBe('');
    expect(await decide.getByText('確認時の提案: 却下').count()).toBe(1);
    await decideClaim(approver, '却下', '');
    await decide.getByText('却下の理由を入力してください').first().waitFor();
    await decideClaim(approver, '却下', '市町村民税課税世帯のため');
    await expect.poll(() => approver.getByTestId('claim-state').innerText()).toContain('決定済（却下）');
    const pdf = await noticePdf();
    expect(pdf).toContain('却下通知書');
    expect(pdf).toContain('市町村民税課税世帯のため');
    expect(pdf).not.toContain('支給額');
  });

  it('接種歴: added from the 母子健康手帳 copy; a correction strikes the old entry through with its reason', async () => {
    const child = seeded.edges.byName.testChild!;
    await openResident(clerk, child.atenaNo, /試験\s+太郎/);
    const section = clerk.getByRole('region', { name: '接種歴' });
    await section.getByRole('button', { name: '接種歴を追加' }).click();
    const form = section.getByRole('form', { name: '接種歴の追加' });
    await form.getByLabel('ワクチン').selectOption('mr');
    await form.getByLabel('期・区分').selectOption('1期');
    await form.getByLabel('回', { exact: true }).fill('1');
    await form.getByLabel('接種日').fill('2026-12-01'); // in the future: refused, nothing typed is lost
    await form.getByLabel('ロット番号').fill('Y123');
    await form.getByLabel('医療機関').fill('梅田こどもクリニック');
    await form.getByRole('button', { name: '追加する' }).click();
    await form.getByText(/未来の日付です/).first().waitFor();
    expect(await form.getByLabel('医療機関').inputValue()).toBe('梅田こどもクリニック');
    await form.getByLabel('接種日').fill('2016-05-10');
    await form.getByRole('button', { name: '追加する' }).click();
    const rows = section.locator('tr[data-vaccination]');
    await expect.poll(() => rows.count()).toBe(1);

    await section.getByRole('button', { name: '訂正' }).click();
    const fix = section.getByRole('form', { name: '接種歴の訂正' });
    await fix.getByLabel('接種日').fill('2016-05-12');
    await fix.getByRole('button', { name: '訂正する' }).click();
    await fix.locator('.field__error', { hasText: '訂正の理由を入力してください' }).waitFor(); // next to its field (and in the summary)
    await fix.getByLabel('訂正の理由').fill('母子健康手帳の読み違い');
    await fix.getByRole('button', { name: '訂正する' }).click();
    await expect.poll(() => rows.count()).toBe(2);
    const old = section.locator('tr.invalid');
    expect(await old.innerText()).toContain('無効（訂正理由: 母子健康手帳の読み違い）');
    expect(await old.locator('td').first().evaluate((td) => getComputedStyle(td).textDecorationLine)).toBe('line-through');
    expect(await section.locator('tr[data-vaccination]:not(.invalid)').innerText()).toContain('平成28年5月12日');
  });

  it('every case is in the audit', () => {
    const steps = auditSteps(seeded, 'claims.');
    for (const s of ['claims.receive:D1001:success', 'claims.check:D2001:success', 'claims.decide:D7001:success', 'claims.decide:D7001:rejected']) expect(steps).toContain(s);
    expect(auditSteps(seeded, 'vaccinations.')).toEqual(expect.arrayContaining(['vaccinations.add:D1001:rejected', 'vaccinations.add:D1001:success', 'vaccinations.correct:D1001:success']));
    expect(steps.filter((s) => s === 'claims.receive:D1001:success')).toHaveLength(2);
    expect(steps.filter((s) => s === 'claims.decide:D7001:success')).toHaveLength(2);
    expect(seeded.core.audit.verify().ok).toBe(true);
  });
});
