import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { clockFrom } from '../../testing/clock';
import type { SeededCore } from '../../testing/core';
import { useCounter } from '../../testing/browser';
import type { Actor } from '../../electron/core/actor';
import { auditSteps, openFromQueue } from './claims-helpers';

/**
 * The two ways of 二重チェック in the UI: blind (the core withholds the figures from the checker) and field by field
 * (choosing it shows the figures, is recorded, and rules out a blind check of that revision).
 */
let seeded: SeededCore, checker: Page;
let claimNo: string;
let claimId: string;

const identity = { presenter: '本人', documents: ['個人番号カード'], agent: null, confirmed: { name: true, birthDate: true, sex: true, address: true } };
const bank = { bankCode: '0001', branchCode: '100', depositType: '普通', accountNumber: '7654321', holderKana: 'しけん はなこ', publicFundAccount: false, publicFundConsent: false };

useCounter({ clock: clockFrom('2026-11-22T01:00:00Z'), households: 2 }, async (counter) => {
  seeded = counter.seeded;
  // The entry itself comes from the core (its UI is covered by claims-kodomo): D1001 receives a 償還払い of 1,500円.
  const clerk = { staffId: 'D1001', name: 'clerk', role: 'clerk', rights: ['resident.view', 'kodomo:claim.enter'], demo: true, loggedInAt: '', locked: false } as unknown as Actor;
  const child = seeded.edges.byName.testChild!;
  const c = await seeded.core.claims.receive(clerk, {
    kind: 'kodomo_shokan', residentId: child.id, applicantId: null, applicationDate: '2026-11-20', identity, bank, draftKey: null,
    input: { lines: [{ serviceMonth: '2026-10', institutionCode: '2798765', institutionName: '北区薬局', category: 'pharmacy', days: 1, totalCostYen: 5000, paidYen: 1500 }] },
  });
  claimNo = c.claimNo;
  claimId = c.id;
  checker = await counter.open('D2001');
});

describe('二重チェック: blind or field by field', () => {
  it('blind: the figures are not on the page; choosing field-by-field shows them, is recorded, and the check passes', async () => {
    await openFromQueue(checker, '要確認', claimNo);
    const panel = checker.getByRole('region', { name: '二重チェック' });
    await panel.getByRole('form', { name: '見ずに再入力' }).waitFor();
    const blindText = await checker.locator('main').innerText();
    expect(blindText).not.toContain('1,500');
    expect(blindText).not.toContain('7654321');

    await panel.getByLabel('項目ごとに申請書と照合').check();
    await panel.getByRole('form', { name: '項目ごとに照合' }).waitFor();
    await expect.poll(async () => checker.locator('main').innerText()).toContain('1,500');
    const viewed = seeded.core.db.prepare(`SELECT created_by FROM claim_events WHERE claim_id = ? AND event = 'figures_viewed'`).all(claimId);
    expect(viewed).toEqual([{ created_by: 'D2001' }]);

    // Back to blind for this revision: the core refuses, and the page says why.
    await panel.getByLabel('見ずに再入力（入力内容は隠します）').check();
    const form = panel.getByRole('form', { name: '見ずに再入力' });
    await form.waitFor();
    await form.getByLabel('領収書の明細数').fill('1');
    await form.getByLabel('日数の合計').fill('1');
    await form.getByLabel('支払額の合計（円）').fill('1500');
    await form.getByLabel('口座番号').fill('7654321');
    await form.getByRole('button', { name: '確認する' }).click();
    await panel.getByText('この版の入力内容を表示したため、見ずに再入力する確認はできません。', { exact: false }).waitFor();

    // Field by field: tick every item against the paper, then confirm.
    await panel.getByLabel('項目ごとに申請書と照合').check();
    const list = panel.getByRole('form', { name: '項目ごとに照合' });
    await list.waitFor();
    for (const box of await list.getByRole('checkbox').all()) await box.check();
    await list.getByRole('button', { name: '確認する' }).click();
    await expect.poll(() => checker.getByTestId('claim-state').innerText()).toContain('確認済');
    expect(auditSteps(seeded, 'claims.check')).toEqual(['claims.check:D2001:rejected', 'claims.check:D2001:success']);
  });
});
