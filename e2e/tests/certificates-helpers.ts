import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { SeededCore } from '../../testing/core';
import type { ResidentSeed } from '../../testing/seed';
import { openResident } from './claims-helpers';
import { pdfText } from './pdf';
import { compareWithReference } from './png';

/** Shared steps of the certificate e2e tests (issue 7). */

/** Opens a resident from the search (業務終了 first), waiting for the name heading. */
export async function openPerson(page: Page, p: ResidentSeed): Promise<void> {
  const [family] = p.nameKanji.split('\u3000');
  await openResident(page, p.atenaNo, new RegExp(escapeRe(family!)));
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** From the resident detail: 証の交付 → the type's issue screen. */
export async function startIssue(page: Page, typeName: string): Promise<void> {
  await page.getByRole('region', { name: '証の交付' }).getByRole('button', { name: `${typeName}を交付する`, exact: true }).click();
  await page.getByRole('heading', { name: `${typeName}の交付` }).waitFor();
}

/** 確認へ進む → 交付する → the preview; returns the certificate number shown on it. */
export async function confirmIssue(page: Page): Promise<string> {
  await page.getByRole('button', { name: '確認へ進む' }).click();
  await page.getByRole('heading', { name: 'この内容で交付します。よろしいですか？' }).waitFor();
  await page.getByRole('button', { name: '交付する' }).click();
  await page.getByRole('heading', { name: /^印刷プレビュー/ }).waitFor();
  await documentOf(page).waitFor();
  return (await documentOf(page).locator('td[data-field="certificateNo"]').innerText()).trim();
}

export const documentOf = (page: Page): Locator => page.getByTestId('certificate-document');

/** Issues through the page's bridge (the same channel the UI uses), for types whose UI path is covered elsewhere. */
export async function issueByInvoke(page: Page, req: { type: string; residentId: string; details: Record<string, unknown>; printSex?: boolean; issueKind?: 'new' | 'renew' | 'reissue'; reissueReason?: string }): Promise<{ id: string; certificateNo: string }> {
  const r = await page.evaluate(async (q) => {
    const prep = (await window.madoguchi!.invoke('certificates.prepare', { type: q.type, residentId: q.residentId })) as { ok: boolean; data: { residentVersion: number; vaccinationRecords: unknown[] } };
    const details = q.details.records === 'ALL' ? { ...q.details, records: prep.data.vaccinationRecords } : q.details;
    return window.madoguchi!.invoke('certificates.issue', { type: q.type, residentId: q.residentId, issueKind: q.issueKind ?? 'new', reissueReason: q.reissueReason ?? null, details, nameChoice: 'real', printSex: q.printSex ?? true, residentVersion: prep.data.residentVersion });
  }, req);
  expect(r.ok, JSON.stringify(r.error)).toBe(true);
  return r.data as { id: string; certificateNo: string };
}

/** Resident detail → 交付履歴 → the row's 印刷プレビュー. */
export async function previewFromHistory(page: Page, p: ResidentSeed, certificateNo: string): Promise<void> {
  await openPerson(page, p);
  await page.getByRole('button', { name: '交付履歴・訂正・回収（全種類）' }).click();
  await page.getByRole('heading', { name: /証の交付履歴/ }).waitFor();
  await page.locator(`tr[data-certificate="${certificateNo}"]`).getByRole('button', { name: /印刷プレビュー|内容を表示/ }).click();
  await documentOf(page).waitFor();
}

/** The preview rendered to PDF (print media: only the certificate), text extracted, whitespace removed. */
export async function previewPdfText(page: Page): Promise<string> {
  await page.evaluate(() => document.fonts.ready);
  return pdfText(await page.pdf({ format: 'A4', printBackground: true })).replace(/\s+/g, '');
}

/**
 * One rendered page per type as PNG, compared with e2e/references/<name>.png (≤ 1% of pixels differing).
 * For the shot the document is pinned at the top left of a fixed 1280×1100 viewport, so its pixels do not
 * depend on what is above it (the top bar's sync counts, banners) or on a sub-pixel offset; the
 * time-stamped watermark (staff ID and the current minute) is hidden. Everything is restored afterwards.
 */
export async function expectMatchesReference(page: Page, name: string, size: 'card' | 'a4'): Promise<Buffer> {
  await page.evaluate(() => document.fonts.ready);
  const viewport = page.viewportSize();
  await page.setViewportSize({ width: 1280, height: 1100 });
  await page.getByTestId('watermark').evaluate((el) => (el.style.visibility = 'hidden'));
  await documentOf(page).evaluate((el) => Object.assign(el.style, { position: 'fixed', top: '0', left: '0', margin: '0', zIndex: '1000', background: '#fff' }));
  const target = size === 'card' ? documentOf(page) : documentOf(page).locator('.cert-doc__front');
  const png = await target.screenshot({ animations: 'disabled', caret: 'hide' });
  await documentOf(page).evaluate((el) => el.removeAttribute('style'));
  await page.getByTestId('watermark').evaluate((el) => (el.style.visibility = ''));
  if (viewport) await page.setViewportSize(viewport);
  const r = compareWithReference(name, png);
  if (!r.written) expect(r.message).toBe('ok');
  return png;
}

/**
 * Whether two strings are drawn differently in the certificate's name font (the bundled Noto Sans JP):
 * each is rendered large in a temporary element and the screenshots are compared.
 */
export async function drawnDifferently(page: Page, a: string, b: string): Promise<boolean> {
  const shots: Buffer[] = [];
  for (const text of [a, b]) {
    await page.evaluate((t) => {
      const d = document.createElement('div');
      d.id = 'glyph-probe';
      d.textContent = t;
      Object.assign(d.style, { fontFamily: getComputedStyle(document.querySelector('.cert-doc__name')!).fontFamily, fontSize: '64px', lineHeight: '1', display: 'inline-block', background: '#fff', color: '#000' });
      document.body.prepend(d);
    }, text);
    await page.evaluate((t) => document.fonts.load('64px "Noto Sans JP"', t), text);
    shots.push(await page.locator('#glyph-probe').screenshot());
    await page.evaluate(() => document.getElementById('glyph-probe')?.remove());
  }
  return !shots[0]!.equals(shots[1]!);
}

/** Print jobs recorded by the harness printer. */
export const jobs = (seeded: SeededCore) => seeded.printer.jobs.length;

/** 令和 date of an ISO date as the tests expect it (independent of the renderer's formatter). */
export function reiwa(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return `令和${y - 2018}年${m}月${d}日`;
}
