import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CERT_TYPE_DEFS, CERT_TYPES, isTicketType, TOKUTEI_DISEASES, type CertType } from '../../shared/domain/certificate-types';
import { clockFrom } from '../../testing/clock';
import { loginSeeded, type SeededCore } from '../../testing/core';
import { useCounter } from '../../testing/browser';
import { confirmIssue, documentOf, drawnDifferently, expectMatchesReference, issueByInvoke, openPerson, previewFromHistory, previewPdfText, reiwa, startIssue } from './certificates-helpers';
import { decodePng, diffImages, REFERENCES_DIR } from './png';

/**
 * Issue 7 §5/§6: every certificate type issued (five through the UI, three through the same IPC channel),
 * its preview rendered to PDF (text checked with pdftotext: type name, number, 和暦 dates, the person's
 * name incl. JIS X 0213 and an IVS sequence) and one rendered page per type compared with a committed PNG.
 * The clock is fixed (2026-11-22 10:00 JST) and the data seeded deterministically, so the images are too.
 */
let seeded: SeededCore, clerk: Page;
const shots: Partial<Record<CertType, Buffer>> = {};
const ISSUED = '2026-11-22';
const person = (k: string) => seeded.edges.byName[k]!;

useCounter({ clock: clockFrom('2026-11-22T01:00:00Z'), households: 5 }, async (c) => {
  seeded = c.seeded;
  // Data a 減免券 and a 接種記録の証明 are issued from: a 減免 claim decided 交付 (entered, checked and decided
  // by three people) and one 接種歴 entry. Set up through the core; the sessions end before the browser logs in.
  const login = (sender: string, id: string) => loginSeeded(seeded, sender, id);
  const [enter, check, decide] = [await login('setup-1', 'D1001'), await login('setup-2', 'D2001'), await login('setup-3', 'D7001')];
  const identity = { presenter: '本人', documents: ['個人番号カード'], agent: null, confirmed: { name: true, birthDate: true, sex: true, address: true } };
  const claim = await seeded.core.claims.receive(enter, { kind: 'yobou_genmen', residentId: person('elder').id, applicantId: null, applicationDate: '2026-11-20', input: { taxStatus: '非課税', vaccine: '高齢者インフルエンザ' }, identity, bank: null, draftKey: null } as never);
  const checked = seeded.core.claims.check(check, { claimId: claim.id, version: claim.version, mode: 'blind', figures: { tax: '非課税', vaccine: '高齢者インフルエンザ' }, confirmedAll: false });
  expect(checked.result).toBe('checked');
  seeded.core.claims.decide(decide, { claimId: claim.id, version: checked.claim.version, decision: '交付', reason: null, overrideReason: null });
  seeded.core.vaccinations.add(enter, person('testChild').id, { vaccine: 'mr', stage: '1期', doseNumber: 1, administeredOn: '2016-05-10', lotNumber: 'Y123', institution: '梅田こどもクリニック', overseas: false } as never);
  for (const s of ['setup-1', 'setup-2', 'setup-3']) seeded.core.auth.logout(s);

  clerk = await c.open('D1001');
});

/** PDF text and the reference image of the preview on screen. */
async function checkRendering(type: CertType, expected: { number: string; name: string; dates: string[]; more?: string[] }) {
  const pdf = await previewPdfText(clerk);
  for (const s of [CERT_TYPE_DEFS[type].name.replace(/\s+/g, ''), expected.number, expected.name, ...expected.dates, ...(expected.more ?? [])]) expect(pdf, `${type}: PDF text lacks ${s}`).toContain(s);
  expect(pdf).not.toContain('印刷プレビュー'); // screen chrome is not printed
  expect(pdf).not.toMatch(/\d{4}-\d{2}-\d{2}/); // dates in 和暦 only
  shots[type] = await expectMatchesReference(clerk, type, CERT_TYPE_DEFS[type].size);
}

describe('each type: issued, previewed, rendered to PDF and compared with its reference image', () => {
  it('国保 資格確認書 (UI): 限度区分, 通称名 chosen, sex on the reverse; valid to the next 7月31日', async () => {
    await openPerson(clerk, person('aliasParent'));
    await startIssue(clerk, '国民健康保険 資格確認書');
    expect(await clerk.getByTestId('validity').innerText()).toBe('令和8年11月22日 〜 令和9年7月31日');
    await clerk.getByLabel('限度区分の記載').selectOption('ウ');
    await clerk.getByLabel('通称名（金　民俊）').check();
    expect(await clerk.getByLabel('性別を裏面に記載する').isChecked()).toBe(true);
    const no = await confirmIssue(clerk);
    expect(no).toBe('S0000001');
    const doc = await documentOf(clerk).innerText();
    expect(doc).toContain('金　民俊');
    expect(doc).not.toContain('ＫＩＭ');
    expect(doc).toContain('キム ミンジュン'); // furigana
    expect(await documentOf(clerk).getByRole('region', { name: '裏面' }).innerText()).toContain('男');
    await checkRendering('kokuho_shikaku', { number: no, name: '金民俊', dates: [reiwa(ISSUED), '令和9年7月31日', '昭和60年11月11日'], more: ['限度区分', 'ウ', '大阪市（サンプル）'] });
  });

  it('限度額適用認定証 (UI): 適用区分; a JIS X 0213 character and an IVS sequence in the name', async () => {
    const p = person('rareCharParent');
    await openPerson(clerk, p);
    await startIssue(clerk, '限度額適用認定証');
    // The 適用区分 starts from the 所得区分 of the person's 国保 資格 (区分エ), not typed by staff (issue 15).
    expect(await clerk.getByLabel('適用区分').inputValue()).toBe('エ');
    const no = await confirmIssue(clerk);
    expect(no).toBe('G0000001');
    expect(await documentOf(clerk).locator('.cert-doc__name').innerText()).toBe(p.nameKanji);
    expect(await clerk.evaluate((n) => document.fonts.check('9pt "Noto Sans JP"', n), p.nameKanji.slice(0, 2))).toBe(true);
    // Drawn with the bundled font: 𠮷 is not 吉, and the IVS 葛󠄀 (U+845B U+E0100) is not the plain 葛.
    expect(await drawnDifferently(clerk, '\u{20BB7}', '吉')).toBe(true);
    expect(await drawnDifferently(clerk, '葛\u{E0100}', '葛')).toBe(true);
    const pdf = await previewPdfText(clerk);
    expect(pdf).toContain('\u{20BB7}田'); // 𠮷 (U+20BB7) survives into the PDF's text layer
    expect(pdf).toContain('葛\u{E0100}子');
    await checkRendering('kokuho_gendogaku', { number: no, name: '\u{20BB7}田', dates: [reiwa(ISSUED), '令和9年7月31日', '昭和62年7月7日'], more: ['適用区分', 'エ'] });
  });

  it('特定疾病療養受療証 (UI): disease and 自己負担限度額; open-ended validity', async () => {
    await openPerson(clerk, person('boundaryParent'));
    await startIssue(clerk, '特定疾病療養受療証');
    await clerk.getByLabel('特定疾病').selectOption(TOKUTEI_DISEASES[0]);
    await clerk.getByLabel('自己負担限度額').selectOption('10000');
    const no = await confirmIssue(clerk);
    expect(no).toBe('T0000001');
    await checkRendering('kokuho_tokutei', { number: no, name: '境界一郎', dates: [`${reiwa(ISSUED)}から`, '昭和55年1月10日'], more: [TOKUTEI_DISEASES[0], '10,000円'] });
  });

  it('予防接種 B類 減免券 (UI): chosen from the person’s 減免 claim decided 交付', async () => {
    await openPerson(clerk, person('elder'));
    await startIssue(clerk, '予防接種 B類 自己負担金減免券');
    const option = (await clerk.getByLabel('減免申請（交付決定済み）').locator('option').allInnerTexts())[1]!;
    expect(option).toMatch(/^受付番号 \S+（高齢者インフルエンザ）$/);
    await clerk.getByLabel('減免申請（交付決定済み）').selectOption({ label: option });
    const no = await confirmIssue(clerk);
    expect(no).toBe('YG000001');
    const claimNo = option.split(' ')[1]!.replace(/（.*$/, '');
    await checkRendering('yobou_genmen', { number: no, name: '長寿松子', dates: [reiwa(ISSUED), '令和9年3月31日', '昭和25年3月3日'], more: ['高齢者インフルエンザ', claimNo] });
  });

  it('こども医療証 (UI, the 保護者 chosen on the form) in the preview from the history', async () => {
    const child = person('testChild');
    await openPerson(clerk, child);
    await startIssue(clerk, 'こども医療証');
    await clerk.getByLabel('受給者（保護者）').selectOption({ label: '試験　花子（母）' });
    const no = await confirmIssue(clerk);
    expect(no).toMatch(/^\d{7}$/);
    await previewFromHistory(clerk, child, no);
    const guardian = await documentOf(clerk).locator('td[data-field="guardian"]').innerText();
    expect(guardian).toContain('試験　花子');
    expect(guardian).toContain('シケン ハナコ'); // furigana
    await checkRendering('kodomo', { number: no, name: '試験太郎', dates: [`${reiwa(ISSUED)}から令和16年3月31日まで`, '平成27年5月5日'], more: ['88270103', '試験花子'] });
  });

  it('資格情報のお知らせ (A4, by invoke), sex left off at the person’s request', async () => {
    const p = person('testParent');
    const c = await issueByInvoke(clerk, { type: 'kokuho_oshirase', residentId: p.id, details: {}, printSex: false });
    await previewFromHistory(clerk, p, c.certificateNo);
    expect(await documentOf(clerk).getByRole('region', { name: '裏面' }).count()).toBe(0); // nothing for the reverse
    await checkRendering('kokuho_oshirase', { number: c.certificateNo, name: '試験花子', dates: [reiwa(ISSUED), '平成2年6月15日'], more: ['資格情報は、次のとおりです'] });
    expect(await previewPdfText(clerk)).not.toContain('性別');
  });

  it('限度額適用・標準負担額減額認定証 (by invoke): 区分オ and the 長期入院 date', async () => {
    const p = person('noMyNumber');
    const c = await issueByInvoke(clerk, { type: 'kokuho_gengaku', residentId: p.id, details: { kubun: 'オ', longStayFrom: '2026-09-01' } });
    await previewFromHistory(clerk, p, c.certificateNo);
    await checkRendering('kokuho_gengaku', { number: c.certificateNo, name: '未登録番号', dates: [reiwa(ISSUED), '令和9年7月31日', '令和8年9月1日', '昭和50年5月5日'], more: ['長期入院該当年月日'] });
  });

  it('予防接種の接種記録の証明 (A4, by invoke) from the 接種歴', async () => {
    const p = person('testChild');
    const c = await issueByInvoke(clerk, { type: 'yobou_shomei', residentId: p.id, details: { records: 'ALL', purpose: '入学手続' } });
    await previewFromHistory(clerk, p, c.certificateNo);
    await checkRendering('yobou_shomei', { number: c.certificateNo, name: '試験太郎', dates: [reiwa(ISSUED), '平成28年5月10日', '平成27年5月5日'], more: ['MR（麻しん風しん混合）', '梅田こどもクリニック', '下記のとおり予防接種を受けたことを証明します'] });
  });

  it('covers the 8 types issued at the person\'s certificate section, and the comparison notices a different image', () => {
    // The 生活保護の給付券 are issued from the 扶助 (its flow), not from this section: their core tests are
    // electron/core/certificates/__tests__/seikatsu-tickets.test.ts; their screen comes with the 扶助 screens.
    expect(Object.keys(shots).sort()).toEqual(CERT_TYPES.filter((t) => !isTicketType(t)).sort());
    if (process.env.UPDATE_REFERENCES === '1') return;
    // The 減額認定証 reference against the 限度額適用認定証 rendering (same size, other content) must fail.
    const other = diffImages(decodePng(readFileSync(join(REFERENCES_DIR, 'kokuho_gengaku.png'))), decodePng(shots.kokuho_gendogaku!));
    expect(other.comparable && other.ratio <= 0.01).toBe(false);
    const same = diffImages(decodePng(readFileSync(join(REFERENCES_DIR, 'kokuho_gendogaku.png'))), decodePng(shots.kokuho_gendogaku!));
    expect(same.ratio).toBeLessThanOrEqual(0.01);
  });
});
