import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createCore, databasePath, keyFilePath, type Core } from '../../electron/core/app-core';
import { openDatabase } from '../../electron/core/db/database';
import { FileKeyProvider } from '../../electron/core/db/file-key-provider';
import { loadRuleProfile, profilePath } from '../../electron/core/profile/load-profile';
import { provisionTerminal } from '../../electron/core/provision/provision';
import { clockFrom } from '../../testing/clock';
import { createSeededCore, RESOURCES_DIR, type SeededCore } from '../../testing/core';
import { demoLogin } from '../../testing/seed';
import { launchBrowser, loadCredential, loginAs, virtualAuthenticator } from '../../testing/browser';
import { startHarness, type Harness } from '../harness/server';

const admin = demoLogin('D9001');
const clerk = demoLogin('D1001');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('first run: the provisioned administrator', () => {
  let core: Core;
  let harness: Harness;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'madoguchi-first-'));
    const keyProvider = new FileKeyProvider(keyFilePath(dataDir));
    const clock = clockFrom('2026-11-22T01:00:00Z');
    const db = openDatabase({ path: databasePath(dataDir), keyProvider });
    await provisionTerminal(db, { terminalId: 'T001', admin: { staffId: 'A0001', name: '管理　太郎', password: 'one-time-Pass-4711' }, numberBlock: { first: 1, last: 100 } }, clock);
    db.close();
    core = createCore({ dataDir, keyProvider, clock, profile: loadRuleProfile(profilePath(RESOURCES_DIR, 'sample-osaka')), webauthn: { rpID: 'localhost', rpName: 't', origins: [] } });
    harness = await startHarness(core);
  });
  afterAll(async () => {
    await harness?.close();
    core?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('registers their own authenticator, must replace the one-time password, then reaches administration only', async () => {
    const page = await browser.newPage();
    await virtualAuthenticator(page); // an empty authenticator: the first login registers a credential in it
    await page.goto(harness.url);
    await loginAs(page, { staffId: 'A0001', password: 'one-time-Pass-4711' });
    await page.getByRole('heading', { name: 'パスワードの変更' }).waitFor();
    await page.getByLabel('現在のパスワード').fill('one-time-Pass-4711');
    await page.getByLabel('新しいパスワード', { exact: true }).fill('password-1234');
    await page.getByLabel('新しいパスワード（確認）').fill('password-1234');
    await page.keyboard.press('Enter');
    await page.getByText('よく使われる単語').first().waitFor();
    await page.getByLabel('新しいパスワード', { exact: true }).fill('Hoshi-to-Tsuki-2026');
    await page.getByLabel('新しいパスワード（確認）').fill('Hoshi-to-Tsuki-2026');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'システム管理' }).waitFor();
    // Menus show only what this person may do: no resident search for an administrator.
    expect(await page.getByRole('button', { name: '業務終了' }).count()).toBe(0);
    const actions = core.audit.list({ limit: 100 }).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['terminal.provision', 'auth.enrollFactor', 'auth.passwordChangeRequired', 'auth.changePassword', 'auth.login']));
    const n = core.db.prepare(`SELECT count(*) AS n FROM authenticators WHERE staff_id = 'A0001' AND revoked_at IS NULL`).get() as { n: number };
    expect(n.n).toBe(1);
    await page.close();
  });
});

describe('administration of rights and authenticators', () => {
  let seeded: SeededCore;
  let harness: Harness;
  beforeAll(async () => {
    seeded = await createSeededCore({ clock: clockFrom('2026-11-22T01:00:00Z'), households: 3 });
    harness = await startHarness(seeded.core);
  });
  afterAll(async () => {
    await harness?.close();
    seeded?.cleanup();
  });

  async function openStaff(page: Page, staffId: string) {
    await page.getByTestId(`staff-row-${staffId}`).dblclick();
  }

  it('a grant form sent empty lists every missing field in one summary, each a link to its field, and sends nothing', async () => {
    const page = await browser.newPage();
    await loadCredential(page, seeded.edges.credentials[admin.staffId]!);
    await page.goto(harness.url);
    await loginAs(page, admin);
    await page.getByRole('heading', { name: 'システム管理' }).waitFor();
    await openStaff(page, clerk.staffId);
    const grant = page.getByRole('form', { name: '権限の付与' });
    // Required fields say so to assistive technology and show 「必須」; the optional 期限 does not.
    for (const label of ['権限', '承認する所属長（職員ID）', '理由']) expect(await grant.getByLabel(label, { exact: true }).getAttribute('aria-required'), label).toBe('true');
    expect(await grant.getByLabel('期限（臨時付与は期限を入力）').getAttribute('aria-required')).toBeNull();
    expect(await grant.locator('.required-badge').count()).toBe(3);
    // The rights on offer are the role's ceiling by 事務, 生活保護 (issue 17) among them with its label.
    const rightSelect = grant.getByLabel('権限', { exact: true });
    expect(await rightSelect.locator('optgroup').evaluateAll((gs) => gs.map((g) => g.getAttribute('label')))).toEqual(['共通', 'こども医療', '国民健康保険', '予防接種', '生活保護']);
    expect(await rightSelect.locator('optgroup[label="生活保護"] option').allInnerTexts()).toEqual(['生活保護：証の交付（付与済み）', '生活保護：証の印刷（付与済み）', '生活保護：申請の入力（付与済み）']);
    const grantsLogged = () => seeded.core.audit.list({ limit: 10_000 }).filter((e) => e.action === 'admin.grants.grant').length;
    const before = grantsLogged();

    await grant.getByRole('button', { name: '付与する' }).click();
    const summary = grant.getByTestId('error-summary');
    await summary.waitFor();
    expect(await summary.getByRole('heading').innerText()).toBe('入力内容を確認してください（3件）');
    expect(await summary.getByRole('link').allInnerTexts()).toEqual(['付与する権限を選択してください', '承認する所属長の職員IDを入力してください', '付与の理由を入力してください']);
    // The summary takes focus; each error also stands next to its field.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('error-summary');
    expect(await grant.locator('.field__error').allInnerTexts()).toEqual(['付与する権限を選択してください', '承認する所属長の職員IDを入力してください', '付与の理由を入力してください']);
    // A link goes to its field.
    await summary.getByRole('link', { name: '付与の理由を入力してください' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('reason');
    await summary.getByRole('link', { name: '承認する所属長の職員IDを入力してください' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('approvedBy');
    // Nothing reached the core: a form check is not a refused request in the audit log.
    expect(grantsLogged()).toBe(before);

    // Filling one field leaves the other two in the summary at the next attempt.
    await grant.getByLabel('権限', { exact: true }).selectOption('mynumber.reveal');
    await grant.getByRole('button', { name: '付与する' }).click();
    await expect.poll(() => summary.getByRole('link').allInnerTexts()).toEqual(['承認する所属長の職員IDを入力してください', '付与の理由を入力してください']);
    expect(grantsLogged()).toBe(before);

    // The other forms of the panel do the same: 必須 on what they need, one summary of everything missing.
    const password = page.getByRole('form', { name: '初期パスワードの設定' });
    for (const label of ['初期パスワード', '初期パスワード（確認）']) expect(await password.getByLabel(label, { exact: true }).getAttribute('aria-required'), label).toBe('true');
    await password.getByRole('button', { name: '設定する' }).click();
    await expect.poll(() => password.getByTestId('error-summary').getByRole('link').allInnerTexts()).toEqual(['パスワードを入力してください', '確認のため、同じパスワードをもう一度入力してください']);
    const register = page.getByRole('form', { name: '認証器の登録' });
    await register.getByRole('button', { name: '登録を開始' }).click();
    await expect.poll(() => register.getByTestId('error-summary').getByRole('link').allInnerTexts()).toEqual(['認証器の名前を入力してください', '承認する所属長の職員IDを入力してください']);
    await page.close();
  });

  it('grants a temporary right with the 所属長, replaces a lost authenticator, and the clerk logs in with the new one', async () => {
    const page = await browser.newPage();
    await loadCredential(page, seeded.edges.credentials[admin.staffId]!);
    await page.goto(harness.url);
    await loginAs(page, admin);
    await page.getByRole('heading', { name: 'システム管理' }).waitFor();
    await openStaff(page, clerk.staffId);

    // Grant 個人番号閲覧 until the end of the month, approved by D7001 (承認者).
    const grant = page.getByRole('form', { name: '権限の付与' });
    await grant.getByLabel('権限').selectOption('mynumber.reveal');
    await grant.getByLabel('承認する所属長（職員ID）').fill('D1002'); // not a 所属長: refused next to the field
    await grant.getByLabel('理由').fill('繁忙期の臨時応援');
    await grant.getByLabel('期限（臨時付与は期限を入力）').fill('R8.11.30'); // 和暦 as staff type it
    await grant.getByRole('button', { name: '付与する' }).click();
    await grant.locator('.field__error').getByText('承認者（所属長）の職員ID').waitFor(); // next to the field (and in the summary)
    expect(await grant.getByLabel('理由').inputValue()).toBe('繁忙期の臨時応援'); // nothing typed is lost
    await grant.getByLabel('承認する所属長（職員ID）').fill('D7001');
    await grant.getByRole('button', { name: '付与する' }).click();
    await page.getByText('個人番号の閲覧').first().waitFor();
    const g = seeded.core.db.prepare(`SELECT approved_by, expires_at FROM staff_grants WHERE staff_id = ? AND right_name = 'mynumber.reveal'`).get(clerk.staffId);
    expect(g).toEqual({ approved_by: 'D7001', expires_at: '2026-11-30T14:59:59.999Z' });

    // The clerk lost their authenticator: revoke it and register a new one (touched at this terminal).
    await page.getByRole('button', { name: '認証器「テスト用仮想認証器」を無効化する' }).click();
    await page.getByRole('textbox', { name: '認証器「テスト用仮想認証器」を無効化する理由' }).fill('紛失届（11/22）');
    await page.getByRole('button', { name: '無効化する', exact: true }).click();
    await page.getByRole('form', { name: '認証器の登録' }).getByLabel('名前').fill('セキュリティキー2');
    await page.getByRole('form', { name: '認証器の登録' }).getByLabel('承認する所属長（職員ID）').fill('D7001');
    await page.getByRole('button', { name: '登録を開始' }).click();
    await page.getByText('認証器「セキュリティキー2」を登録しました').waitFor();
    const creds = seeded.core.db.prepare(`SELECT label, revoked_at IS NOT NULL AS revoked FROM authenticators WHERE staff_id = ? ORDER BY created_at`).all(clerk.staffId);
    expect(creds).toEqual([
      { label: 'テスト用仮想認証器', revoked: 1 },
      { label: 'セキュリティキー2', revoked: 0 },
    ]);
    expect(seeded.core.audit.list({ limit: 10_000 }).map((e) => e.action)).toEqual(expect.arrayContaining(['admin.grants.grant', 'admin.authenticators.revoke', 'admin.authenticators.register']));

    // The 権限点検表 lists the clerk's rights by 事務 with the approver and expiry.
    await page.getByRole('button', { name: '権限点検表' }).click();
    const report = page.getByTestId('rights-review');
    await report.waitFor();
    expect(await report.innerText()).toContain('個人番号の閲覧');
    await page.getByRole('button', { name: 'ログアウト' }).click();
    await page.getByRole('heading', { name: '窓口端末 ログイン' }).waitFor();

    // The old credential no longer works; the new one (now in this virtual authenticator) does.
    const old = await browser.newPage();
    await loadCredential(old, seeded.edges.credentials[clerk.staffId]!);
    await old.goto(harness.url);
    await loginAs(old, clerk);
    await old.getByRole('alert').filter({ hasText: /認証器|第二要素/ }).first().waitFor();
    await old.close();
    // The new authenticator waits for D7001: the clerk cannot log in with it until D7001 approves it.
    await loginAs(page, clerk);
    await page.getByRole('alert').filter({ hasText: '第二要素' }).first().waitFor();
    const chief = await browser.newPage();
    await loadCredential(chief, seeded.edges.credentials.D7001!);
    await chief.goto(harness.url);
    await loginAs(chief, demoLogin('D7001'));
    await chief.getByRole('button', { name: '承認待ち' }).click();
    await chief.getByRole('listitem', { name: `認証器の登録 ${clerk.staffId}` }).getByRole('button', { name: '承認する' }).click();
    await chief.getByText('認証器の登録を承認しました').waitFor();
    await chief.close();
    await page.goto(harness.url);
    await loginAs(page, clerk);
    await page.getByRole('heading', { name: '住民検索' }).waitFor();
    await page.close();
  });

  it('a roster with a bad line is not applied unless the valid part is chosen knowingly', async () => {
    const page = await browser.newPage();
    await loadCredential(page, seeded.edges.credentials[admin.staffId]!);
    await page.goto(harness.url);
    await loginAs(page, admin);
    await page.getByRole('button', { name: '名簿の取込' }).click();
    const csv = '\uFEFF職員ID,氏名,氏名カナ,所属,役割,状態\r\nS2001,新規　花子,シンキ ハナコ,こども青少年課,窓口職員,在職\r\nS2002,誤り　次郎,ゴリ ジロウ,こども青少年課,係長,在職\r\n';
    await page.getByLabel('名簿ファイル（CSV、UTF-8 または Shift_JIS）').setInputFiles({ name: 'roster.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: '読み込む' }).click();
    await page.getByTestId('roster-errors').waitFor();
    expect(await page.getByTestId('roster-errors').innerText()).toContain('3行目');
    expect(await page.getByRole('button', { name: '適用する', exact: true }).isDisabled()).toBe(true);
    await page.getByLabel('エラーのある行を除き、正しい行だけを適用する').check();
    await page.getByRole('button', { name: '正しい行だけ適用する' }).click();
    await page.getByText('適用しました（新規 1件').waitFor();
    const created = seeded.core.db.prepare(`SELECT staff_id, must_change_password, password_hash FROM staff WHERE staff_id IN ('S2001','S2002')`).all();
    expect(created).toEqual([{ staff_id: 'S2001', must_change_password: 1, password_hash: '!' }]);
    await page.close();
  });
});
