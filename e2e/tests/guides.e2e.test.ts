import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { fixedClock } from '../../testing/clock';
import type { Counter } from '../../testing/browser';
import { useCounter } from '../../testing/browser';
import { confirmIssue, issueByInvoke, openPerson, startIssue } from './certificates-helpers';
import { fillBank, fillIdentity, openFromQueue, typeCell } from './claims-helpers';
import { keyboardDecide } from './keyboard-helpers';
import { decodePng, diffImages } from './png';

/**
 * The staff guides' screenshots (docs/ja/img), taken from the real screens at the counter PC's 1366×768 in Japanese
 * with the core's fixed clock (2026-11-24 10:00 JST, one millisecond per reading), so they change only when the
 * screens do. Every run writes them again, then checks that the guides and the README show exactly these images:
 * each image a guide or the README refers to was written by this run, and each image taken is shown in a guide.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const IMG_DIR = resolve(ROOT, 'docs/ja/img');
const GUIDES = ['窓口職員向け.md', '確認者・承認者向け.md', '監督者向け.md'].map((f) => resolve(ROOT, 'docs/ja', f));
const VIEWPORT = { width: 1366, height: 768 };

let counter: Counter;
useCounter({ clock: fixedClock('2026-11-24T01:00:00Z', 1), households: 8 }, (c) => (counter = c));

/**
 * When this run started, on the file system's clock (the one a written file's mtime comes from): the process clock may
 * be moved (npm run test:clock runs this under faketime) while the kernel stamps files with the real time.
 */
const runStarted = (() => {
  const marker = resolve(tmpdir(), `madoguchi-guides-${process.pid}`);
  writeFileSync(marker, '');
  const at = statSync(marker).mtimeMs;
  rmSync(marker);
  return at;
})();
/** Screenshots written by this run, by file name. */
const taken = new Set<string>();

/**
 * The window as it is (viewport only), written to docs/ja/img/<name>. When the stored image shows the same pixels
 * (none differs beyond anti-aliasing noise), its bytes are written back unchanged, so an unchanged screen does not
 * change the file in git; either way the file is written by this run.
 */
async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(IMG_DIR, { recursive: true });
  await page.bringToFront();
  await page.evaluate(() => document.fonts.ready);
  expect(await page.locator('.privacy-shield').count(), `${name}: the privacy shield is up`).toBe(0);
  const png = await page.screenshot({ animations: 'disabled', caret: 'hide' });
  const img = decodePng(png);
  expect([img.width, img.height]).toEqual([VIEWPORT.width, VIEWPORT.height]);
  const file = resolve(IMG_DIR, name);
  const old = existsSync(file) ? readFileSync(file) : null;
  const same = old !== null && diffImages(decodePng(old), img).differing === 0;
  writeFileSync(file, same ? old : png);
  taken.add(name);
}

const open = (staffId: string | null, landing?: string) =>
  counter.open(staffId, { viewport: VIEWPORT, ...(landing ? { landing: (p: Page) => p.getByRole('heading', { name: landing, level: 1 }) } : {}) });
const menu = (page: Page, name: string) => page.getByRole('navigation', { name: '業務メニュー' }).getByRole('button', { name, exact: true }).click();
const child = () => counter.seeded.edges.byName.testChild!;

describe('staff guides: screenshots of the main screens (docs/ja/img)', () => {
  it('counter staff: login, search, resident, issue, preview, recall list', async () => {
    const login = await open(null);
    await shot(login, '01-login.png');
    await login.close();

    const clerk = await open('D1001');
    await clerk.getByLabel('カナ氏名（前方一致）').fill('シケン');
    await clerk.keyboard.press('Enter');
    await clerk.locator(`tr[data-atena="${child().atenaNo}"]`).waitFor();
    await shot(clerk, '02-search.png');

    await openPerson(clerk, child());
    await clerk.getByRole('region', { name: '証の交付' }).waitFor();
    await shot(clerk, '03-resident.png');

    await startIssue(clerk, 'こども医療証');
    await clerk.getByTestId('validity').waitFor();
    await shot(clerk, '04-certificate-issue.png');
    await confirmIssue(clerk);
    await shot(clerk, '05-certificate-preview.png');

    // A 再交付 (紛失) puts the first card on the 回収リスト.
    await issueByInvoke(clerk, { type: 'kodomo', residentId: child().id, details: { guardianId: counter.seeded.edges.byName.testParent!.id }, issueKind: 'reissue', reissueReason: '紛失' });
    await menu(clerk, '回収リスト');
    await clerk.getByRole('table', { name: '回収リスト' }).waitFor();
    await shot(clerk, '06-recall-list.png');
    await clerk.close();
  });

  let claimNo = '';
  it('claims: entry, blind 二重チェック, 決裁', async () => {
    const clerk = await open('D1001');
    await openPerson(clerk, child());
    await clerk.getByRole('button', { name: '請求を受け付ける' }).click();
    await clerk.getByLabel('請求の種類').selectOption('kodomo_shokan');
    await clerk.getByRole('table', { name: '領収書の明細' }).waitFor();
    await clerk.getByLabel('1行目 診療年月').focus();
    for (const v of ['R8.10', '2712345', '梅田こどもクリニック', 'medical-outpatient', '3', 'yen', '10000', '', '', '']) await typeCell(clerk, v);
    await clerk.locator(':focus').fill('3000');
    await expect.poll(() => clerk.getByTestId('total-subsidy').innerText()).toBe('2,000円');
    await shot(clerk, '07-claim-entry.png');
    await fillIdentity(clerk);
    await fillBank(clerk);
    await clerk.getByRole('button', { name: '確認へ進む' }).click();
    await clerk.getByRole('button', { name: '受け付ける' }).click();
    await clerk.getByText(/受付番号 \S+ で受け付けました/).waitFor();
    claimNo = (counter.seeded.core.db.prepare('SELECT claim_no AS claimNo FROM claims').get() as { claimNo: string }).claimNo;
    await clerk.close();

    const checker = await open('D2001');
    await openFromQueue(checker, '要確認', claimNo);
    const check = checker.getByRole('region', { name: '二重チェック' });
    await check.getByLabel('領収書の明細数').fill('1');
    await check.getByLabel('日数の合計').fill('3');
    await check.scrollIntoViewIfNeeded();
    await shot(checker, '08-claim-check.png');
    await check.getByLabel('支払額の合計（円）').fill('3000');
    await check.getByLabel('口座番号').fill('1234567');
    await check.getByRole('button', { name: '確認する' }).click();
    await checker.getByText(/の二重チェックが完了しました/).waitFor();
    await checker.close();

    const approver = await open('D7001');
    await openFromQueue(approver, '要決裁', claimNo);
    await approver.getByRole('region', { name: '決裁' }).scrollIntoViewIfNeeded();
    await shot(approver, '09-claim-decide.png');
    await keyboardDecide(approver, '支給');
    await expect.poll(() => approver.getByTestId('claim-state').innerText()).toContain('決定済（支給）');
    await approver.close();
  });

  it('承認待ち: a grant naming the 所属長 waits for their authenticator', async () => {
    const admin = await open('D9001', 'システム管理');
    const r = await admin.evaluate(() => window.madoguchi!.invoke('admin.grants.grant', { staffId: 'D1001', right: 'mynumber.reveal', approvedBy: 'D7001', reason: '繁忙期の臨時応援', expiresAt: null }));
    expect(r.ok, JSON.stringify(r.error)).toBe(true);
    await admin.close();

    const chief = await open('D7001');
    await chief.getByRole('button', { name: '承認待ち' }).click();
    await chief.getByRole('listitem', { name: '権限の付与 D1001' }).waitFor();
    await shot(chief, '10-approvals.png');
    await chief.close();
  });

  it('supervisor: audit review, export request, sync', async () => {
    const sup = await open('D8001');
    await menu(sup, '監査ログ');
    const filter = sup.getByRole('form', { name: '監査ログの検索条件' });
    await filter.getByLabel('職員ID').fill('D1001');
    await filter.getByRole('button', { name: '検索' }).click();
    await expect.poll(() => sup.getByTestId('audit-summary').innerText()).toContain('すべて表示しています');
    await shot(sup, '11-audit-review.png');

    await menu(sup, '監査ログの出力');
    const form = sup.getByRole('form', { name: '監査ログの出力申請' });
    await form.getByLabel('出力の理由').fill('四半期の照合');
    await form.getByRole('button', { name: '出力を申請する' }).click();
    await expect.poll(() => form.getByRole('status').innerText()).toContain('出力を申請しました');
    await shot(sup, '12-audit-export.png');

    await sup.getByTestId('sync-indicator').click();
    await sup.getByRole('heading', { name: '同期の状態', level: 1 }).waitFor();
    await sup.getByTestId('sync-connection').waitFor();
    await shot(sup, '13-sync.png');
    await sup.close();
  });

  it('the guides and the README show exactly the screenshots this run wrote', () => {
    expect(taken.size).toBeGreaterThanOrEqual(8);
    const referenced = new Map<string, Set<string>>();
    const refs = (file: string, re: RegExp) => [...readFileSync(file, 'utf8').matchAll(re)].map((m) => m[1]!);
    for (const g of GUIDES) referenced.set(g, new Set(refs(g, /!\[[^\]]*\]\(img\/([^)\s]+)\)/g)));
    referenced.set('README.md', new Set(refs(resolve(ROOT, 'README.md'), /\(docs\/ja\/img\/([^)\s]+)\)/g)));
    for (const [file, names] of referenced) {
      expect(names.size, `${file} shows no screenshot`).toBeGreaterThan(0);
      for (const n of names) {
        expect(taken.has(n), `${file} shows img/${n}, which this run did not take`).toBe(true);
        expect(statSync(resolve(IMG_DIR, n)).mtimeMs).toBeGreaterThanOrEqual(runStarted - 1000);
      }
    }
    const inGuides = new Set(GUIDES.flatMap((g) => [...referenced.get(g)!]));
    expect([...taken].filter((n) => !inGuides.has(n)), 'screenshots no guide shows').toEqual([]);
  });
});
