import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { clockFrom } from '../../testing/clock';
import type { SeededCore } from '../../testing/core';
import { useCounter } from '../../testing/browser';
import { openResident } from './residents-helpers';
import { auditSteps } from './claims-helpers';
import { documentOf, issueByInvoke, jobs, previewFromHistory, previewPdfText } from './certificates-helpers';

/**
 * Issue 7 §4 in the UI: a field changed between preview and print blocks the print with the core's
 * explanation (nothing reaches the printer) until the preview is refreshed; the address of a DV等支援措置
 * person is withheld until a 所属長 releases it with a reason (audited).
 */
let seeded: SeededCore, clerk: Page, approver: Page;
const person = (k: string) => seeded.edges.byName[k]!;

useCounter({ clock: clockFrom('2026-11-22T01:00:00Z'), households: 5 }, async (c) => {
  seeded = c.seeded;
  [clerk, approver] = [await c.open('D1001'), await c.open('D7001')];
});

const printButton = (page: Page) => page.getByRole('button', { name: '印刷する' });
const address = (page: Page) => documentOf(page).locator('td[data-field="address"]').innerText();

describe('print safety', () => {
  it('an address changed after the preview blocks the print with an explanation; 「プレビューを更新」 then prints', async () => {
    const p = person('testParent');
    const c = await issueByInvoke(clerk, { type: 'kokuho_shikaku', residentId: p.id, details: { limitKubun: null } });
    await previewFromHistory(clerk, p, c.certificateNo);
    expect(await address(clerk)).toBe('大阪市北区梅田一丁目1番1号');
    const before = jobs(seeded);

    // A data migration rewrites the person's address between the preview and the print.
    seeded.core.db.prepare('UPDATE residents SET address = ? WHERE id = ?').run('大阪市北区別人の住所1-1', p.id);
    await printButton(clerk).click();
    const refusal = clerk.getByTestId('print-refusal');
    await refusal.waitFor();
    const text = await refusal.innerText();
    expect(text).toContain('プレビューの後に記載内容が変わったため印刷を止めました');
    expect(text).toMatch(/住所（プレビュー: 大阪市北区梅田一丁目1番1号 → 現在: 大阪市北区別人の住所1-1）/);
    expect(jobs(seeded)).toBe(before); // nothing was printed
    expect(await printButton(clerk).isDisabled()).toBe(true);
    expect(await address(clerk)).toBe('大阪市北区梅田一丁目1番1号'); // the screen still shows what was previewed

    await refusal.getByRole('button', { name: 'プレビューを更新' }).click();
    await expect.poll(() => address(clerk)).toBe('大阪市北区別人の住所1-1');
    expect(await clerk.getByTestId('print-refusal').count()).toBe(0);
    await printButton(clerk).click();
    await clerk.getByText('印刷しました（窓口プリンタ1）。').waitFor();
    expect(jobs(seeded)).toBe(before + 1);
    expect(seeded.printer.jobs.at(-1)?.printer).toBe('窓口プリンタ1');

    const prints = seeded.core.audit.list({ limit: 10_000 }).filter((e) => e.action === 'certificates.print' && e.detail.certificateNo === c.certificateNo);
    expect(prints.map((e) => e.outcome)).toEqual(expect.arrayContaining(['rejected', 'success']));
    expect(prints.find((e) => e.outcome === 'rejected')?.detail).toMatchObject({ why: 'changed_since_preview', fields: ['住所'] });
  });
});

describe('DV等支援措置', () => {
  it('the address is withheld until a 所属長 releases it with a reason; the release is audited and then the address prints', async () => {
    const p = person('dvParent');
    const c = await issueByInvoke(clerk, { type: 'kokuho_shikaku', residentId: p.id, details: { limitKubun: null } });
    await previewFromHistory(clerk, p, c.certificateNo);
    expect(await clerk.getByTestId('address-withheld').innerText()).toContain('住所は支援措置により印字しません');
    expect(await address(clerk)).toBe('（記載を省略しています）');
    expect(await previewPdfText(clerk)).not.toContain('支援措置対象');
    expect(await clerk.getByRole('form', { name: /住所印字の解除/ }).count()).toBe(0); // a clerk cannot release

    // The 所属長 opens the person's history: 住所印字の解除 with a reason.
    await openHistory(approver, p);
    const row = approver.locator(`tr[data-certificate="${c.certificateNo}"]`);
    await row.getByRole('button', { name: '住所印字の解除' }).click();
    const form = approver.getByRole('form', { name: `住所印字の解除（番号 ${c.certificateNo}）` });
    await form.getByRole('button', { name: '住所の印字を解除する' }).click();
    await form.getByText('解除の理由を入力してください').waitFor();
    await form.getByLabel('解除の理由（所属長）').fill('本人からの申出（転居先への郵送のため）');
    await form.getByRole('button', { name: '住所の印字を解除する' }).click();
    await approver.getByText(`番号 ${c.certificateNo} について、本日に限り住所の印字を解除しました。`).waitFor();
    const events = await approver.getByRole('region', { name: '操作の記録' }).innerText();
    expect(events).toContain('住所印字の解除（支援措置）');
    expect(events).toContain('本人からの申出（転居先への郵送のため）');

    // The clerk's preview is stale: the print is refused naming 住所; refreshed, the address prints.
    const before = jobs(seeded);
    await printButton(clerk).click();
    expect(await clerk.getByTestId('print-refusal').innerText()).toContain('住所');
    expect(jobs(seeded)).toBe(before);
    await clerk.getByRole('button', { name: 'プレビューを更新' }).click();
    await expect.poll(() => address(clerk)).toBe('大阪市中央区（支援措置対象）');
    await clerk.getByText('所属長の解除により、本日に限り住所を印字します。').waitFor();
    expect(await clerk.getByTestId('address-withheld').count()).toBe(0);
    expect(await previewPdfText(clerk)).toContain('大阪市中央区（支援措置対象）');
    await printButton(clerk).click();
    await clerk.getByText('印刷しました（窓口プリンタ1）。').waitFor();
    expect(jobs(seeded)).toBe(before + 1);

    const release = seeded.core.audit.list({ limit: 10_000 }).find((e) => e.action === 'certificates.dvRelease');
    expect(release).toMatchObject({ staffId: 'D7001', outcome: 'success', targetAtenaNo: p.atenaNo, reason: '本人からの申出（転居先への郵送のため）' });
    const print = seeded.core.audit.list({ limit: 10_000 }).filter((e) => e.action === 'certificates.print' && e.outcome === 'success' && e.detail.certificateNo === c.certificateNo);
    expect(print.at(-1)?.detail).toMatchObject({ addressReleased: true });
    expect(auditSteps(seeded, 'certificates.dvRelease')).toEqual(['certificates.dvRelease:D7001:success']);
    expect(seeded.core.audit.verify().ok).toBe(true);
  });
});

describe('DV等支援措置 in the preview', () => {
  it('a 所属長 who may print the type releases the address from the preview itself, which then reloads', async () => {
    const child = person('dvChild');
    const { certificateNo: no } = await issueByInvoke(approver, { type: 'kodomo', residentId: child.id, details: { guardianId: person('dvParent').id } });
    await previewFromHistory(approver, child, no);
    expect(await approver.getByTestId('address-withheld').innerText()).toContain('住所は支援措置により印字しません');
    expect(await address(approver)).toBe('（記載を省略しています）');
    const form = approver.getByRole('form', { name: `住所印字の解除（番号 ${no}）` });
    await form.getByLabel('解除の理由（所属長）').fill('保護者本人の来庁・確認済み');
    await form.getByRole('button', { name: '住所の印字を解除する' }).click();
    await expect.poll(() => address(approver)).toBe('大阪市中央区（支援措置対象）');
    expect(await approver.getByTestId('address-withheld').count()).toBe(0);
    expect(auditSteps(seeded, 'certificates.dvRelease')).toHaveLength(2);
  });
});

/** The approver has no 国保 print right: the release is made from the person's history. */
async function openHistory(page: Page, p: { atenaNo: string; nameKanji: string }) {
  await openResident(page, p.atenaNo);
  await page.getByRole('button', { name: '交付履歴・訂正・回収（全種類）' }).click();
  await page.getByRole('heading', { name: /証の交付履歴/ }).waitFor();
}
