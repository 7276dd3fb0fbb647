import { describe, expect, it } from 'vitest';
import { insertRecord } from '../../electron/core/db/records';
import { clockFrom } from '../../testing/clock';
import { loginSeeded, type SeededCore } from '../../testing/core';
import { type Counter, useCounter } from '../../testing/browser';
import { openResident } from './claims-helpers';
import { pdfText } from './pdf';

/**
 * Staff-facing words (issue 14 §4) in the browser against the real core: the 支給決定通知書 with 〒, the full 教示 and
 * no −0円 line; the roster import in the staff list's own vocabulary and the list of accounts still to set up;
 * the sync state in plain Japanese with a way back, no 未送信 count for views, and 今すぐ同期 for the supervisor only.
 */

let seeded: SeededCore, counter: Counter;
// 2026-11-24 (Tuesday) 10:00 JST.
useCounter({ clock: clockFrom('2026-11-24T01:00:00Z'), households: 6 }, (c) => {
  counter = c;
  seeded = c.seeded;
});

/** Text a member of staff must never be shown (identifiers, JSON, commands). */
const DEVELOPER_TEXT = ['null', 'undefined', 'annualCap', 'npx', 'Electron', 'JSON', 'mutationId', 'entity', '{"'];
const expectNoDeveloperText = (text: string) => {
  for (const d of DEVELOPER_TEXT) expect(text).not.toContain(d);
};

describe('支給決定通知書', () => {
  it('prints the 〒 with the address, both parts of the 教示 and no −0円 line', async () => {
    // A こども医療費 claim decided in the core (the workflow itself is covered in claims-kodomo): the pharmacy
    // line's 一部自己負担 is 0円.
    const child = seeded.edges.byName.testChild!;
    const parent = seeded.edges.byName.testParent!;
    const clerk = await loginSeeded(seeded, 'w-clerk', 'D1001');
    const checker = await loginSeeded(seeded, 'w-check', 'D2001');
    const approver = await loginSeeded(seeded, 'w-appr', 'D7001');
    const lines = [
      { serviceMonth: '2026-10', institutionCode: '2712345', institutionName: '梅田こどもクリニック', category: 'medical-outpatient', days: 3, totalCostYen: 10000, paidYen: 3000 },
      { serviceMonth: '2026-10', institutionCode: '2798765', institutionName: '北区薬局', category: 'pharmacy', days: 1, totalCostYen: 5000, paidYen: 1500 },
    ];
    const identity = { presenter: '本人', documents: ['個人番号カード'], agent: null, confirmed: { name: true, birthDate: true, sex: true, address: true } };
    const bank = { bankCode: '0001', branchCode: '100', depositType: '普通', accountNumber: '1234567', holderKana: 'しけん はなこ', publicFundAccount: false, publicFundConsent: false };
    const c = await seeded.core.claims.receive(clerk, { kind: 'kodomo_shokan', residentId: child.id, applicantId: parent.id, applicationDate: '2026-11-20', input: { lines }, identity, bank, draftKey: null });
    const checked = seeded.core.claims.check(checker, { claimId: c.id, version: c.version, mode: 'confirm', figures: {}, confirmedAll: true });
    seeded.core.claims.decide(approver, { claimId: c.id, version: checked.claim.version, decision: '支給', reason: null, overrideReason: null });
    expect(c.breakdown.some((l) => l.kind === 'deduct' && l.amount === 0)).toBe(true);
    for (const sender of ['w-clerk', 'w-check', 'w-appr']) seeded.core.auth.logout(sender);

    const page = await counter.open('D7001');
    await openResident(page, child.atenaNo, /試験\s+太郎/);
    await page.locator(`tr[data-claim="${c.claimNo}"]`).click();
    await page.getByRole('heading', { name: new RegExp(`受付番号 ${c.claimNo}`) }).waitFor();
    await page.getByRole('button', { name: '通知書' }).click();
    const notice = page.locator('article.notice');
    await notice.waitFor();
    const text = await notice.innerText();
    expect(text).toContain('〒530-0001');
    expect(text).toMatch(/〒530-0001\s*大阪市北区梅田一丁目1番1号/);
    expect(text).toContain('審査請求について');
    expect(text).toContain('3か月以内に、大阪市長に対して審査請求をすることができます');
    expect(text).toContain('取消訴訟について');
    expect(text).toContain('6か月以内に、大阪市を被告として（訴訟において大阪市を代表する者は大阪市長となります。）提起することができます');
    expect(text).not.toMatch(/−\s*0円/);
    expectNoDeveloperText(text);

    // The PDF the printer gets says the same.
    await page.evaluate(() => document.fonts.ready);
    const flat = pdfText(await page.pdf({ format: 'A4', printBackground: true })).replace(/\s+/g, '');
    expect(flat).toContain('〒530-0001');
    expect(flat).toContain('大阪市長に対して審査請求');
    expect(flat).toContain('大阪市を被告として');
    expect(flat).toContain('取消訴訟について');
    expect(flat).not.toMatch(/−0円/);
    expect(flat).toContain('支給決定通知書');
    await page.close();
  });
});

describe('職員名簿の取込', () => {
  it('reads the statuses the staff list shows (在職・利用停止, 退職) and tells which new accounts still lack rights, password or authenticator', async () => {
    // A member of staff who is leaving (not a demo account: the roster never changes those).
    const at = seeded.core.clock.now().toISOString();
    insertRecord(seeded.core.db, 'staff', { staff_id: 'S1500', name: '退職　予定', name_kana: 'タイショク　ヨテイ', section: '保険年金課', role: 'clerk', password_hash: '$argon2id$v=19$placeholder', password_changed_at: at, disabled: 0, demo: 0 }, { by: 'D9001', at });

    const page = await counter.open('D9001', { landing: (p) => p.getByRole('button', { name: 'ログアウト' }) });
    const tabs = page.getByRole('navigation', { name: 'システム管理のメニュー' });
    await tabs.getByRole('button', { name: '職員一覧' }).click();
    await expect.poll(() => page.getByTestId('staff-row-S1500').locator('td').nth(4).innerText()).toBe('在職');
    await tabs.getByRole('button', { name: '名簿の取込' }).click();

    const csv = [
      '職員ID,氏名,氏名カナ,所属,役割,状態',
      'S2101,新任　一子,シンニン　イチコ,こども青少年課,窓口職員,在職',
      'S2102,新任　二郎,シンニン　ジロウ,保険年金課,確認者,在職（パスワード変更待ち）',
      'S2103,新任　三子,シンニン　ミツコ,保険年金課,窓口職員,有効',
      'S1500,退職　予定,タイショク　ヨテイ,保険年金課,窓口職員,退職',
    ].join('\r\n');
    await page.getByLabel('名簿ファイル（CSV、UTF-8 または Shift_JIS）').setInputFiles({ name: 'roster.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${csv}\r\n`) });
    await page.getByRole('button', { name: '読み込む' }).click();
    const changes = page.getByTestId('roster-changes');
    await changes.waitFor();
    expect(await page.getByTestId('roster-errors').count()).toBe(0);
    const changeText = await changes.innerText();
    expect(changeText).toContain('状態: 在職 → 退職');
    expect(changeText).toMatch(/利用停止\s+S1500/);
    expect((changeText.match(/新規/g) ?? []).length).toBe(3);

    await page.getByRole('button', { name: '適用する', exact: true }).click();
    await page.getByText('適用しました（新規 3件、変更 0件、利用停止 1件、利用再開 0件）。').waitFor();
    const missing = page.getByTestId('roster-incomplete');
    await missing.waitFor();
    const rows = await missing.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows).toEqual([
      ['S2101', '新任　一子', '権限、初期パスワード、認証器'],
      ['S2102', '新任　二郎', '権限、初期パスワード、認証器'],
      ['S2103', '新任　三子', '権限、初期パスワード、認証器'],
    ]);
    expect(await page.getByText('次の3人は、まだ業務を始められません。').count()).toBe(1);

    // The staff list speaks the same words: the leaver is 利用停止, a new account 在職 (with its note), never 有効/無効.
    await tabs.getByRole('button', { name: '職員一覧' }).click();
    await expect.poll(() => page.getByTestId('staff-row-S1500').locator('td').nth(4).innerText()).toBe('利用停止');
    expect(await page.getByTestId('staff-row-S2101').locator('td').nth(4).innerText()).toBe('在職（パスワード変更待ち）');
    const list = await page.locator('table.staff-table').innerText();
    expect(list).not.toMatch(/\t(有効|無効)\t/);
    expectNoDeveloperText(list);
    await page.close();
  });
});

describe('同期の状態', () => {
  it('a clerk: no 未送信 count for views, a plain explanation, a way back, and no 今すぐ同期', async () => {
    const page = await counter.open('D1001');
    const indicator = page.getByTestId('sync-indicator');
    expect(await indicator.innerText()).toBe('端末内で処理中（中央サーバなし）');
    // Viewing leaves nothing to send: the core's count of waiting records does not move.
    const pending = async () => ((await page.evaluate(() => window.madoguchi!.invoke('sync.status', {}))) as { data: { pending: number } }).data.pending;
    const before = await pending();
    const child = seeded.edges.byName.testChild!;
    for (let i = 0; i < 3; i++) await openResident(page, child.atenaNo, /試験\s+太郎/);
    await page.getByRole('button', { name: '業務終了' }).click();
    await page.getByRole('heading', { name: '住民検索' }).waitFor();
    expect(await pending()).toBe(before);
    expect(await indicator.innerText()).not.toContain('未送信');

    await indicator.click();
    await page.getByRole('heading', { name: '同期の状態' }).waitFor();
    // The heading is drawn before the core's answer arrives: read the screen once the status is on it.
    await page.getByTestId('sync-connection').waitFor();
    const body = await page.locator('main').innerText();
    expect(body).toContain('この端末は中央サーバにつながない設定です。記録はこの端末の中だけに保存されます。');
    expect(body).toContain('中央サーバが受け付けなかった記録');
    expectNoDeveloperText(body);
    expect(await page.getByRole('button', { name: '今すぐ同期' }).count()).toBe(0);
    await page.getByRole('button', { name: '← 前の画面に戻る（Esc）' }).click();
    await page.getByRole('heading', { name: '住民検索' }).waitFor();
    await indicator.click();
    await page.getByRole('heading', { name: '同期の状態' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('heading', { name: '住民検索' }).waitFor();
    await page.close();
  });

  it('the supervisor: 今すぐ同期 runs a round now and says what happened; a clerk may not call it', async () => {
    // A central server that cannot be reached: each request of the round is recorded and fails as a network would.
    // The terminal last synced half an hour ago (within the offline grace, so staff may still log in).
    const lastSync = new Date(seeded.core.clock.now().getTime() - 30 * 60_000).toISOString();
    seeded.core.db.prepare(`INSERT INTO sync_state (key, value) VALUES ('last_success_at', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(lastSync);
    const requests: string[] = [];
    seeded.core.sync.attach({
      request: async (method, url) => {
        requests.push(`${method} ${url}`);
        throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      },
    });

    const clerk = await counter.open('D1001');
    await clerk.getByTestId('sync-indicator').click();
    await clerk.getByRole('heading', { name: '同期の状態' }).waitFor();
    expect(await clerk.getByRole('button', { name: '今すぐ同期' }).count()).toBe(0);
    const refused = await clerk.evaluate(() => window.madoguchi!.invoke('sync.now', {}));
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // Logging in claims the session at the server; no sync round was asked for.
    const roundStarts = () => requests.filter((r) => r === 'GET /v1/time').length;
    expect(roundStarts()).toBe(0);
    await clerk.close();

    const sup = await counter.open('D8001');
    await sup.getByTestId('sync-indicator').click();
    await sup.getByRole('heading', { name: '同期の状態' }).waitFor();
    expect(roundStarts()).toBe(0);
    await sup.getByRole('button', { name: '今すぐ同期' }).click();
    await sup.getByText('同期を試みましたが、中央サーバに接続できませんでした。記録はこの端末に保存されています。').waitFor();
    expect(roundStarts()).toBe(1);
    const text = await sup.locator('main').innerText();
    expect(text).toContain('中央サーバに接続できません。窓口の業務はこのまま続けられます（縮退運用）。');
    expect(text).toContain('同期できないとき');
    expect(text).toContain('システム管理者に連絡してください');
    expect(text).toMatch(/送信待ちの記録\s+[\d,]+件（接続が戻ると自動で送られます）/);
    expect(text).toMatch(/最後に同期できた日時\s+令和8年11月24日 \d{1,2}:\d\d/);
    expectNoDeveloperText(text);
    expect(text).not.toContain('ECONNREFUSED');
    const audited = seeded.core.db.prepare(`SELECT staff_id, outcome FROM audit_log WHERE action = 'sync.now'`).all();
    expect(audited).toEqual([{ staff_id: 'D8001', outcome: 'failure' }]);
    await sup.getByRole('button', { name: '← 前の画面に戻る（Esc）' }).click();
    await sup.getByRole('heading', { name: '住民検索' }).waitFor();
    await sup.close();
  });
});
