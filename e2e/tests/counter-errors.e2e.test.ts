import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { clockFrom } from '../../testing/clock';
import type { SeededCore } from '../../testing/core';
import { demoLogin } from '../../testing/seed';
import { useCounter } from '../../testing/browser';
import { openResident } from './residents-helpers';

const clerk = demoLogin('D1002');

let seeded: SeededCore, page: Page;
useCounter({ clock: clockFrom('2026-11-22T01:00:00Z'), households: 10 }, async (c) => {
  seeded = c.seeded;
  page = await c.open(clerk.staffId);
});

/** Back to the search screen with Esc, as a clerk would. */
async function home() {
  const heading = page.getByRole('heading', { name: '住民検索' });
  for (let i = 0; i < 4 && !(await heading.isVisible()); i++) await page.keyboard.press('Escape');
  await heading.waitFor();
}

async function search(q: { kana?: string; atenaNo?: string }) {
  await home();
  await page.getByLabel('カナ氏名（前方一致）').fill(q.kana ?? '');
  await page.getByLabel('宛名番号').fill(q.atenaNo ?? '');
  await page.getByRole('button', { name: '検索' }).click();
}

const open = (atenaNo: string) => openResident(page, atenaNo);

describe('errors at the counter', () => {
  it('shows search errors in Japanese next to the field and keeps what was typed', async () => {
    await search({ kana: 'yamada' });
    const err = page.locator('.field--error .field__error');
    await expect.poll(() => err.first().textContent()).toContain('カタカナ');
    expect(await page.getByLabel('カナ氏名（前方一致）').inputValue()).toBe('yamada');

    await search({});
    await expect.poll(() => err.first().textContent()).toContain('いずれかを入力してください');
  });

  it('hides residents under 閲覧停止 and masks DV addresses in results', async () => {
    await search({ kana: 'エツラン' });
    await page.getByText('該当する住民はいません。').waitFor();
    await search({ kana: 'シエン' });
    const row = page.locator(`tr[data-atena="${seeded.edges.byName.dvChild!.atenaNo}"]`);
    await row.waitFor();
    expect(await row.innerText()).toContain('支援措置対象のため住所は表示しません');
  });

  it('does not offer issuance to a child past 18歳年度末 (born 4/1)', async () => {
    await open(seeded.edges.byName.born0401!.atenaNo);
    await page.getByText('対象外 — 18歳年度末').waitFor();
    expect(await page.getByRole('button', { name: 'こども医療証を交付する' }).count()).toBe(0);
    // …and says why, where the other types are offered (issue 14 §5).
    expect(await page.getByTestId('unavailable-certificates').innerText()).toContain('こども医療証：こども医療費助成の対象外です（18歳年度末');
  });

  it('asks for a 個人番号 only with a reason, for a holder of the right; offline (no central server here) it is refused on screen', async () => {
    const child = seeded.edges.byName.born0402!;
    await open(child.atenaNo);
    await page.getByRole('button', { name: '個人番号を表示' }).click();
    await page.getByText('処理事由を選択してください').waitFor();
    expect(seeded.core.audit.list({ limit: 10_000 }).filter((e) => e.action === 'residents.revealMyNumber')).toEqual([]);
    await page.getByLabel('個人番号を表示する処理事由').selectOption('審査');
    await page.getByRole('button', { name: '個人番号を表示' }).click();
    // The number lives on the central server only (issue 16 §2); this terminal has none configured.
    await page.getByText('中央サーバに接続できないため、個人番号を表示できません。個人番号は端末には保存していません。').waitFor();
    expect(await page.locator('body').innerText()).not.toContain(child.myNumber!);
    const entry = seeded.core.audit.list({ limit: 10_000 }).find((e) => e.action === 'residents.revealMyNumber');
    expect(entry).toMatchObject({ staffId: clerk.staffId, targetAtenaNo: child.atenaNo, reason: '審査', outcome: 'rejected', detail: { why: 'offline_not_configured' } });
  });

  it('requires a reason for 再交付 and supersedes the previous certificate, which goes on the 回収リスト', async () => {
    const child = seeded.edges.byName.born0402!;
    await open(child.atenaNo);
    // First issue: 新規, with the child's 保護者 pre-selected.
    await page.getByRole('button', { name: 'こども医療証を交付する' }).click();
    // Born 2008-04-02 → valid until 2027-03-31 (令和9年).
    await expect.poll(() => page.getByTestId('validity').textContent()).toBe('令和8年11月22日 〜 令和9年3月31日');
    expect(await page.getByLabel('受給者（保護者）').locator('option:checked').innerText()).toContain('境界　一郎');
    await page.getByRole('button', { name: '確認へ進む' }).click();
    await page.getByRole('button', { name: '交付する' }).click();
    await page.getByRole('heading', { name: /^印刷プレビュー/ }).waitFor();
    await page.keyboard.press('Escape'); // to the 交付履歴
    await page.getByRole('heading', { name: /証の交付履歴/ }).waitFor();
    await page.keyboard.press('Escape'); // to the resident

    // Second: the form suggests 再交付 and needs its reason.
    await page.getByRole('button', { name: 'こども医療証を交付する' }).click();
    await page.getByText('有効なこども医療証があります').waitFor();
    expect(await page.getByRole('radio', { name: '再交付' }).isChecked()).toBe(true);
    await page.getByRole('button', { name: '確認へ進む' }).click();
    await page.getByText('再交付の事由を選択してください').first().waitFor();
    await page.getByLabel('再交付の事由').selectOption('紛失');
    await page.getByRole('button', { name: '確認へ進む' }).click();
    await page.getByRole('button', { name: '交付する' }).click();
    await page.getByRole('heading', { name: /^印刷プレビュー/ }).waitFor();
    expect(await page.getByTestId('certificate-document').innerText()).toContain('再交付');
    await page.keyboard.press('Escape');

    const rows = page.locator('table.cert-lifecycle tbody tr[data-certificate]');
    await expect.poll(() => rows.count()).toBe(2);
    const states = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-status')));
    expect(states.sort()).toEqual(['superseded', 'valid']);
    const old = page.locator('table.cert-lifecycle tr[data-status="superseded"]');
    expect(await old.getByTestId('recall-status').innerText()).toBe('回収待ち');
    expect(await old.innerText()).toContain('再交付（紛失）');
  });
});
