import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clockFrom } from '../../../../testing/clock';
import { createSeededCore, type SeededCore, loginSeeded } from '../../../../testing/core';
import { auditOf, count, must } from '../../../../testing/db';
import type { Actor } from '../../actor';
import { rejectsWith } from '../../../../testing/errors';
import { GUARDIAN_DETAIL } from '../../../../shared/domain/certificate-types';

/**
 * こども医療 受給資格 at the terminal (issue 15 §2/§3) against the real core: the 交付申請 is a claim of kind
 * kodomo_shikaku (受付 → blind 二重チェック → 決裁 by three people); a 認定 makes the 資格 record in the same
 * transaction, a 却下 makes none and has its notice; the 医療証 and the こども償還 follow the 資格; a 喪失 ends it.
 * The seed gives every young resident a 資格 from birth except `newborn` (born 2026-11-01), who has none.
 */
let s: SeededCore;
let clerk: Actor;
let checker: Actor;
let approver: Actor;

const identity = { presenter: '本人', documents: ['個人番号カード'], agent: null, confirmed: { name: true, birthDate: true, sex: true, address: true } };
const TODAY = '2026-11-22';

beforeEach(async () => {
  s = await createSeededCore({ clock: clockFrom(`${TODAY}T01:00:00Z`), households: 1 });
  clerk = await loginSeeded(s, 'c', 'D1001');
  checker = await loginSeeded(s, 'k', 'D2001');
  approver = await loginSeeded(s, 'a', 'D7001');
});
afterEach(() => s.cleanup());

const newborn = () => must(s.edges.byName.newborn);
const newbornParent = () => must(s.edges.byName.newbornParent);
const child = () => must(s.edges.byName.testChild);
const parent = () => must(s.edges.byName.testParent);

const application = (over: Record<string, unknown> = {}) => ({
  acquiredOn: '2026-11-01',
  acquireReason: '01',
  guardianId: newbornParent().id,
  insurance: { insurerName: '全国健康保険協会 大阪支部', kind: '全国健康保険協会', relation: '家族', symbol: '1234', number: '56789', branch: '02' },
  delivery: { method: '郵送', postalCode: '530-0001', address: '大阪市北区梅田一丁目1番1号', addressee: '新生　父' },
  ...over,
});

function apply(input: Record<string, unknown> = application(), residentId = newborn().id, applicantId: string | null = newbornParent().id) {
  return s.core.claims.receive(clerk, { kind: 'kodomo_shikaku', residentId, applicantId, applicationDate: '2026-11-20', input, identity, bank: null, draftKey: null });
}

const rejects = rejectsWith;

const figures = { acquired: 'R8.11.1', number: '56789', delivery: '郵送' };

async function certified(): Promise<string> {
  const c = await apply();
  const checked = s.core.claims.check(checker, { claimId: c.id, version: c.version, mode: 'blind', figures, confirmedAll: false });
  expect(checked.result).toBe('checked');
  const d = s.core.claims.decide(approver, { claimId: c.id, version: checked.claim.version, decision: '認定', reason: null, overrideReason: null });
  expect(d).toMatchObject({ state: 'decided', decision: '認定' });
  return c.id;
}

const shikakuRows = (residentId: string) => s.core.residents.kodomoRowsOf(residentId);

describe('交付申請 → 二重チェック → 認定: the 資格 is a record made by the 決裁', () => {
  it('before 認定 the child has no 資格: the 医療証 is refused with the reason; after it the 資格 holds the application', async () => {
    const before = s.core.residents.get(clerk, newborn().id, '窓口での相談');
    expect(before.kodomoShikaku).toEqual([]);
    expect(before.offers.certificates.kodomo).toEqual({ available: false, reason: expect.stringContaining('受給資格がありません') });
    expect(before.offers.claims.kodomo_shikaku.available).toBe(true);
    expect(() => s.core.lifecycle.prepare(clerk, 'kodomo', newborn().id)).toThrow(/受給資格がありません/);

    const c = await apply();
    expect(c).toMatchObject({ state: 'received', amountYen: null, kind: 'kodomo_shikaku' });
    expect(c.checkFields.map((f) => f.label)).toEqual(['資格取得日', '主保険の番号', '交付方法（窓口・郵送）']);
    // Still nothing: a 受付 is not a 認定.
    expect(shikakuRows(newborn().id)).toEqual([]);

    // The checker re-enters blind (a 和暦 date is the same date); a wrong 番号 is named, not shown.
    const miss = s.core.claims.check(checker, { claimId: c.id, version: c.version, mode: 'blind', figures: { ...figures, number: '56780' }, confirmedAll: false });
    expect(miss.mismatches).toEqual([{ key: 'number', label: '主保険の番号' }]);
    const checked = s.core.claims.check(checker, { claimId: c.id, version: c.version, mode: 'blind', figures, confirmedAll: false });
    expect(checked.result).toBe('checked');

    // Only 認定 or 却下; the checker cannot decide.
    await rejects(Promise.resolve().then(() => s.core.claims.decide(approver, { claimId: c.id, version: checked.claim.version, decision: '支給', reason: null, overrideReason: null })), 'VALIDATION', /「認定」か「却下」/);
    await rejects(Promise.resolve().then(() => s.core.claims.decide(checker, { claimId: c.id, version: checked.claim.version, decision: '認定', reason: null, overrideReason: null })), 'FORBIDDEN');
    const d = s.core.claims.decide(approver, { claimId: c.id, version: checked.claim.version, decision: '認定', reason: null, overrideReason: null });
    expect(d.noticeNo).toMatch(/^N/);

    const [row, ...more] = shikakuRows(newborn().id);
    expect(more).toEqual([]);
    expect(row).toMatchObject({
      claim_id: c.id, atena_no: newborn().atenaNo, guardian_id: newbornParent().id, acquired_on: '2026-11-01', acquire_reason: '01',
      insurer_name: '全国健康保険協会 大阪支部', insurance_kind: '全国健康保険協会', insured_relation: '家族', insurance_symbol: '1234',
      insurance_number: '56789', insurance_branch: '02', lost_on: null, lose_reason: null, created_by: 'D7001',
    });
    expect(JSON.parse(row!.delivery_json)).toEqual({ method: '郵送', postalCode: '530-0001', address: '大阪市北区梅田一丁目1番1号', addressee: '新生　父' });
    // The 決裁 event names the 資格 it made; the record is in the outbox to be sent to the server.
    expect(d.events.find((e) => e.event === 'decided')?.detail).toMatchObject({ decision: '認定', shikakuId: row!.id });
    expect(count(s.core.db, `SELECT count(*) AS n FROM outbox WHERE entity = 'kodomo_shikaku' AND entity_id = ?`, row!.id)).toBe(1);

    // Now the resident shows it, the 医療証 is offered and runs to the 18歳年度末 (or the profile's renewal).
    const after = s.core.residents.get(clerk, newborn().id, '窓口での相談');
    expect(after.kodomoShikaku).toHaveLength(1);
    expect(after.kodomoShikaku[0]).toMatchObject({ acquiredOn: '2026-11-01', guardianName: '新生　父', lostOn: null, lastDay: '2045-03-31', text: '令和8年11月1日取得（出生）・令和27年3月31日まで（18歳年度末）' });
    expect(after.offers.certificates.kodomo.available).toBe(true);
    expect(after.offers.claims.kodomo_shikaku).toEqual({ available: false, reason: expect.stringContaining('すでに受給資格があります') });
    const prep = s.core.lifecycle.prepare(clerk, 'kodomo', newborn().id);
    expect(prep.validFrom).toBe(TODAY);
  });

  it('a second 交付申請 while a 資格 is current is refused (offers and the core alike)', async () => {
    await certified();
    await rejects(apply(), 'RULE', /すでに受給資格があります/);
  });

  it('the 保護者 must be the child’s guardian; the 取得日 not before the birth; refused with the field named, nothing stored', async () => {
    const claims = () => count(s.core.db, `SELECT count(*) AS n FROM claims WHERE claim_kind = 'kodomo_shikaku'`);
    const e1 = await rejects(apply(application({ guardianId: parent().id })), 'VALIDATION', /保護者/);
    expect(Object.keys(e1.fieldErrors ?? {})).toEqual(['input.guardianId']);
    const e2 = await rejects(apply(application({ acquiredOn: '2026-10-31' })), 'VALIDATION', /生年月日/);
    expect(Object.keys(e2.fieldErrors ?? {})).toEqual(['input.acquiredOn']);
    const e3 = await rejects(apply(application({ delivery: { method: '郵送', postalCode: '53', address: '', addressee: '新生　父' } })), 'VALIDATION');
    expect(Object.keys(e3.fieldErrors ?? {}).sort()).toEqual(['input.delivery.address', 'input.delivery.postalCode']);
    expect(claims()).toBe(0);
    expect(auditOf(s.core.db, 'claims.receive').filter((a) => a.outcome === 'rejected').length).toBe(3);
  });

  it('却下 makes no 資格 and its notice says 却下 with the reason', async () => {
    const c = await apply();
    const checked = s.core.claims.check(checker, { claimId: c.id, version: c.version, mode: 'blind', figures, confirmedAll: false });
    await rejects(Promise.resolve().then(() => s.core.claims.decide(approver, { claimId: c.id, version: checked.claim.version, decision: '却下', reason: null, overrideReason: null })), 'VALIDATION', /却下の理由/);
    s.core.claims.decide(approver, { claimId: c.id, version: checked.claim.version, decision: '却下', reason: '保護者が市外に住所を有するため', overrideReason: null });
    expect(shikakuRows(newborn().id)).toEqual([]);
    const notice = s.core.notices.view(approver, c.id);
    expect(notice).toMatchObject({ title: '却下通知書', decision: '却下', reason: '保護者が市外に住所を有するため', kindLabel: 'こども医療費 受給資格の交付申請', amountYen: null });
    expect(notice.addressee.name).toBe('新生　父');
  });
});

describe('the 医療証 and the こども償還 follow the 資格', () => {
  it('a 喪失 at the counter: only by an approver, after the 取得日; the 医療証 then ends the day before, and is refused from the 喪失日', async () => {
    await certified();
    // The 医療証 issued on the 認定 runs to the 18歳年度末 (this profile has no yearly renewal) …
    const version = s.core.db.prepare<[string], { version: number }>('SELECT version FROM residents WHERE id = ?').get(newborn().id)!.version;
    const card = s.core.lifecycle.issue(clerk, { type: 'kodomo', residentId: newborn().id, issueKind: 'new', reissueReason: null, details: { [GUARDIAN_DETAIL]: newbornParent().id }, nameChoice: 'real', printSex: true, residentVersion: version });
    expect((card.validTo ?? '') > '2026-12-10').toBe(true);
    const [row] = shikakuRows(newborn().id);
    const lose = (a: Actor, over: Record<string, unknown> = {}) =>
      s.core.kodomoShikaku.lose(a, { shikakuId: row!.id, version: row!.version, lostOn: '2026-12-10', loseReason: '02', notifiedOn: TODAY, ...over });
    await rejects(Promise.resolve().then(() => lose(clerk)), 'FORBIDDEN');
    await rejects(Promise.resolve().then(() => lose(approver, { lostOn: '2026-11-01' })), 'VALIDATION', /取得日より後/);
    await rejects(Promise.resolve().then(() => lose(approver, { loseReason: '77' })), 'VALIDATION', /喪失の事由/);
    await rejects(Promise.resolve().then(() => lose(approver, { notifiedOn: '2026-11-23' })), 'VALIDATION', /未来/);
    // … so the 喪失 cancels it (取消) and puts it on the 回収リスト, in the same transaction.
    expect(lose(approver)).toEqual({ lastDay: '2026-12-09', recalled: card.certificateNo });
    const cancelled = s.core.lifecycle.requireCert(card.id);
    expect(cancelled).toMatchObject({ status: 'cancelled', recall_status: 'pending', end_reason: '取消（受給資格の喪失（転出、喪失日 令和8年12月10日））' });
    expect(s.core.lifecycle.recallList(clerk).map((c) => c.certificateNo)).toContain(card.certificateNo);
    await rejects(Promise.resolve().then(() => lose(approver, { version: row!.version + 1 })), 'RULE', /すでに喪失/);
    expect(auditOf(s.core.db, 'shikaku.kodomo.lose').filter((a) => a.outcome === 'success')).toHaveLength(1);
    expect(auditOf(s.core.db, 'shikaku.kodomo.lose').find((a) => a.outcome === 'success')).toMatchObject({ outcome: 'success', detail: { lostOn: '2026-12-10', loseReason: '転出' } });

    // Issued today, the 医療証 runs to the last day of the 資格, not to the 18歳年度末.
    const prep = s.core.lifecycle.prepare(clerk, 'kodomo', newborn().id);
    expect(prep.validTo).toBe('2026-12-09');
    const detail = s.core.residents.get(clerk, newborn().id, '窓口での相談');
    expect(detail.kodomoShikaku[0]).toMatchObject({ lostOn: '2026-12-10', loseReason: '02', lastDay: '2026-12-09', text: '令和8年11月1日取得（出生）・令和8年12月9日まで（転出）' });
  });

  it('a こども償還 line whose 診療月 lies outside the 資格 is refused naming the month (受付 and 訂正); the month of the 取得 counts', async () => {
    const bank = { bankCode: '0001', branchCode: '100', depositType: '普通', accountNumber: '1234567', holderKana: 'しんせい ちち', publicFundAccount: false, publicFundConsent: false };
    const line = (serviceMonth: string) => ({ serviceMonth, institutionCode: '2712345', institutionName: '梅田こどもクリニック', category: 'medical-outpatient', days: 1, totalCostYen: 5000, paidYen: 1500 });
    const receive = (months: string[]) =>
      s.core.claims.receive(clerk, { kind: 'kodomo_shokan', residentId: newborn().id, applicantId: newbornParent().id, applicationDate: '2026-11-20', input: { lines: months.map(line) }, identity, bank, draftKey: null });
    // No 資格 at all: the kind is not offered.
    await rejects(receive(['2026-11']), 'RULE', /受給資格がありません/);
    await certified();
    const c = await receive(['2026-11']);
    expect(c.state).toBe('received');
    const e = await rejects(receive(['2026-11', '2026-10']), 'RULE', /2行目（令和8年10月診療分）/);
    expect(e.message).toContain('資格取得日は令和8年11月1日です');
    await rejects(
      s.core.claims.correct(clerk, { claimId: c.id, version: c.version, reason: '診療月の訂正', applicantId: newbornParent().id, applicationDate: '2026-11-20', input: { lines: [line('2026-10')] }, identity, bank }),
      'RULE',
      /訂正できません。1行目（令和8年10月診療分）/,
    );
  });

  it('the seeded children: the 資格 from birth ends with the 18歳年度末 (born 4/1 → 3/31 of the 18th year; born 4/2 → the next)', () => {
    const get = (k: string) => s.core.residents.get(clerk, must(s.edges.byName[k]).id, '窓口での相談');
    expect(get('born0401').kodomoShikaku[0]).toMatchObject({ lastDay: '2026-03-31' });
    expect(get('born0401').offers.certificates.kodomo.available).toBe(false);
    expect(get('born0402').kodomoShikaku[0]).toMatchObject({ lastDay: '2027-03-31' });
    expect(get('born0402').offers.certificates.kodomo.available).toBe(true);
    expect(get('testChild').offers.kodomo.available).toBe(true);
    expect(child().id).toBeTruthy();
  });
});
