import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clockFrom } from '../../../../testing/clock';
import { createSeededCore, type SeededCore, loginSeeded } from '../../../../testing/core';
import { auditOf, count, must } from '../../../../testing/db';
import { IpcRouter } from '../../../ipc/router';
import type { Actor } from '../../actor';
import { rejectsWith } from '../../../../testing/errors';

/**
 * Claim entry and its workflow against the real core: SQLCipher database, hash-chained audit, the shared
 * calculation over the shipped rule profile (大阪府 model) and rule tables, the 全銀 list from zengin-code.
 */
let s: SeededCore;
let clerk: Actor;
let checker: Actor;
let approver: Actor;

const identity = { presenter: '本人', documents: ['個人番号カード'], agent: null, confirmed: { name: true, birthDate: true, sex: true, address: true } };
const bank = { bankCode: '0001', branchCode: '100', depositType: '普通', accountNumber: '1234567', holderKana: 'しけん はなこ', publicFundAccount: false, publicFundConsent: false };

// Three receipts in 2026-10 (hand-computed, 大阪府 model: 500円/day for the first 2 days per institution and
// 入院/通院・歯科/医科, pharmacies free, 2,500円 monthly cap):
//   clinic A 通院 3 days, paid 3,000 → copay 2×500 = 1,000 → 2,000
//   pharmacy  1 day,  paid 1,500 → free             → 1,500
//   clinic B 歯科 2 days, paid 2,400 → copay 1,000    → 1,400      total 助成額 4,900
const receipts = [
  { serviceMonth: '2026-10', institutionCode: '2712345', institutionName: '梅田こどもクリニック', category: 'medical-outpatient', days: 3, totalCostYen: 10000, paidYen: 3000 },
  { serviceMonth: '2026-10', institutionCode: '2798765', institutionName: '北区薬局', category: 'pharmacy', days: 1, totalCostYen: 5000, paidYen: 1500 },
  { serviceMonth: '2026-10', institutionCode: '2755555', institutionName: '中之島歯科', category: 'dental-outpatient', days: 2, totalCostYen: 8000, paidYen: 2400 },
];

beforeEach(async () => {
  s = await createSeededCore({ clock: clockFrom('2026-11-22T01:00:00Z'), households: 2 });
  clerk = await loginSeeded(s, 'c', 'D1001');
  checker = await loginSeeded(s, 'k', 'D2001');
  approver = await loginSeeded(s, 'a', 'D7001');
});
afterEach(() => s.cleanup());

const child = () => must(s.edges.byName.testChild);
const parent = () => must(s.edges.byName.testParent);
const elder = () => must(s.edges.byName.elder);

function receiveKodomo(lines = receipts, applicationDate = '2026-11-20') {
  return s.core.claims.receive(clerk, { kind: 'kodomo_shokan', residentId: child().id, applicantId: parent().id, applicationDate, input: { lines }, identity, bank, draftKey: null });
}

const rejects = rejectsWith;

describe('こども医療費 償還払い: 受付 → 二重チェック → 決裁 → 通知書', () => {
  it('runs the whole workflow with three different people; nobody checks or approves their own entry', async () => {
    const c = await receiveKodomo();
    expect(c).toMatchObject({ state: 'received', amountYen: 4900, enteredBy: 'D1001', revision: 1, deadlineExpired: false, deadline: '2028-10-31' });
    expect(c.breakdown.at(-1)).toMatchObject({ kind: 'result', amount: 4900 });
    expect(c.checkFields.map((f) => f.label)).toEqual(['領収書の明細数', '日数の合計', '支払額の合計（円）', '口座番号']);
    expect(c.bank).toMatchObject({ bankName: 'みずほ', branchName: '本店', holderKana: 'ｼｹﾝ ﾊﾅｺ' });

    // The clerk can neither check nor decide their own claim.
    await rejects(Promise.resolve().then(() => s.core.claims.check(clerk, { claimId: c.id, version: c.version, mode: 'confirm', figures: {}, confirmedAll: true })), 'FORBIDDEN');
    await rejects(Promise.resolve().then(() => s.core.claims.decide(approver, { claimId: c.id, version: c.version, decision: '支給', reason: null, overrideReason: null })), 'RULE', /二重チェックが済んでいない/);

    // Blind check with one figure mistyped: the mismatch is named, its stored value is not shown.
    const miss = s.core.claims.check(checker, { claimId: c.id, version: c.version, mode: 'blind', figures: { lines: '3', days: '6', paid: '6,800', account: '1234567' }, confirmedAll: false });
    expect(miss.result).toBe('mismatch');
    expect(miss.mismatches).toEqual([{ key: 'paid', label: '支払額の合計（円）' }]);
    expect(miss.claim.state).toBe('received');

    // The paper says 2,300 on the dental receipt: the clerk corrects the entry with a reason (new revision).
    const fixed = await s.core.claims.correct(clerk, {
      claimId: c.id, version: miss.claim.version, reason: '歯科領収書の支払額の入力誤り', applicantId: parent().id, applicationDate: '2026-11-20',
      input: { lines: [must(receipts[0]), must(receipts[1]), { ...must(receipts[2]), paidYen: 2300 }] }, identity, bank,
    });
    expect(fixed).toMatchObject({ revision: 2, state: 'received', amountYen: 4800 });
    const corrected = fixed.events.find((e) => e.event === 'corrected');
    expect(corrected?.reason).toBe('歯科領収書の支払額の入力誤り');
    expect(corrected?.detail).toMatchObject({ revision: 1, previous: { amountYen: 4900 } });

    const ok = s.core.claims.check(checker, { claimId: c.id, version: fixed.version, mode: 'blind', figures: { lines: '３', days: '6', paid: '6,800円', account: '1234567' }, confirmedAll: false });
    expect(ok.result).toBe('checked');
    expect(ok.claim).toMatchObject({ state: 'checked', checkedBy: 'D2001' });

    // The checker holds no approve right; the clerk is the enterer: neither may decide.
    await rejects(Promise.resolve().then(() => s.core.claims.decide(checker, { claimId: c.id, version: ok.claim.version, decision: '支給', reason: null, overrideReason: null })), 'FORBIDDEN');
    const decided = s.core.claims.decide(approver, { claimId: c.id, version: ok.claim.version, decision: '支給', reason: null, overrideReason: null });
    expect(decided).toMatchObject({ state: 'decided', decision: '支給', decidedBy: 'D7001', noticeNo: decided.claimNo });

    const notice = s.core.notices.view(approver, c.id);
    expect(notice).toMatchObject({ title: '支給決定通知書', amountYen: 4800, subjectName: child().nameKanji, addressee: { name: parent().nameKanji } });
    expect(notice.bankLine).toBe('みずほ 本店 普通 ****567 ｼｹﾝ ﾊﾅｺ');
    // The notice prints the 〒 with the address, the full 教示 for a municipal 事務 (審査請求 to the mayor, 取消訴訟
    // against the city), and leaves out deductions of 0円 that the stored calculation carries.
    expect(notice.addressee.postalCode).toBe('530-0001');
    expect(notice.appeal.review).toContain('3か月以内に、大阪市長に対して審査請求');
    expect(notice.appeal.lawsuit).toContain('6か月以内に、大阪市を被告として（訴訟において大阪市を代表する者は大阪市長となります。）');
    const stored = JSON.parse((s.core.db.prepare('SELECT calc_json FROM claims WHERE id = ?').get(c.id) as { calc_json: string }).calc_json) as { breakdown: { kind: string; amount: number }[] };
    const zeroDeduct = (l: { kind: string; amount: number }) => l.kind === 'deduct' && l.amount === 0;
    expect(stored.breakdown.some(zeroDeduct)).toBe(true);
    expect(notice.breakdown.some(zeroDeduct)).toBe(false);
    expect(notice.breakdown.length).toBe(stored.breakdown.filter((l) => !zeroDeduct(l)).length);

    const actions = auditOf(s.core.db, 'claims.receive').concat(auditOf(s.core.db, 'claims.check'), auditOf(s.core.db, 'claims.correct'), auditOf(s.core.db, 'claims.decide'), auditOf(s.core.db, 'claims.noticePreview'));
    expect(actions.map((a) => `${a.action}:${a.staffId}:${a.outcome}`).sort()).toEqual(
      [
        'claims.receive:D1001:success', 'claims.check:D1001:rejected', 'claims.check:D2001:rejected', 'claims.check:D2001:success',
        'claims.correct:D1001:success', 'claims.decide:D7001:rejected', 'claims.decide:D2001:rejected', 'claims.decide:D7001:success',
        'claims.noticePreview:D7001:success',
      ].sort(),
    );
    expect(s.core.audit.verify().ok).toBe(true);
    // Every change went to the outbox for the central server: insert, correction, check, decision; 5 events.
    expect(count(s.core.db, `SELECT count(*) AS n FROM outbox WHERE entity = 'claims' AND entity_id = ?`, c.id)).toBe(4);
    expect(count(s.core.db, `SELECT count(*) AS n FROM claim_events WHERE claim_id = ?`, c.id)).toBe(5);
  });

  it('whoever corrected a claim may neither check nor approve it', async () => {
    const c = await receiveKodomo();
    // D2001 holds enter and check: after correcting D1001's entry it may not be the one to check it.
    const fixed = await s.core.claims.correct(checker, { claimId: c.id, version: c.version, reason: '日数の訂正', applicantId: parent().id, applicationDate: '2026-11-20', input: { lines: receipts }, identity, bank });
    expect(fixed.may.check).toBe(false);
    await rejects(Promise.resolve().then(() => s.core.claims.check(checker, { claimId: c.id, version: fixed.version, mode: 'confirm', figures: {}, confirmedAll: true })), 'RULE', /入力・訂正した請求は確認できません/);
    // Someone who neither entered nor corrected it (D7001) may check it.
    const k = s.core.claims.check(approver, { claimId: c.id, version: fixed.version, mode: 'confirm', figures: {}, confirmedAll: true });
    expect(k.result).toBe('checked');
    // A corrector who also holds the approve right may not decide it either.
    const both = { ...approver, staffId: 'D7777', rights: [...approver.rights, 'kodomo:claim.enter'] } as Actor;
    const again = await s.core.claims.correct(both, { claimId: c.id, version: k.claim.version, reason: '口座番号の確認', applicantId: parent().id, applicationDate: '2026-11-20', input: { lines: receipts }, identity, bank });
    const k2 = s.core.claims.check(approver, { claimId: c.id, version: again.version, mode: 'confirm', figures: {}, confirmedAll: true });
    expect(k2.result).toBe('checked');
    await rejects(Promise.resolve().then(() => s.core.claims.decide(both, { claimId: c.id, version: k2.claim.version, decision: '支給', reason: null, overrideReason: null })), 'RULE', /入力・訂正した請求は決裁できません/);
  });

  it('a possible checker does not get the figures unless they choose to see them, and then cannot check blind', async () => {
    const c = await receiveKodomo();
    expect(s.core.claims.queue(checker, 'check')[0]?.amountYen).toBeNull();
    const blind = s.core.claims.get(checker, c.id);
    expect(blind).toMatchObject({ redacted: true, input: {}, amountYen: null, breakdown: [] });
    expect(blind.bank?.accountNumber).toBe('*******');
    expect(s.core.claims.get(clerk, c.id)).toMatchObject({ redacted: false, amountYen: 4900 }); // the enterer sees it all
    const seen = s.core.claims.get(checker, c.id, true);
    expect(seen).toMatchObject({ redacted: false, amountYen: 4900 });
    await rejects(Promise.resolve().then(() => s.core.claims.check(checker, { claimId: c.id, version: c.version, mode: 'blind', figures: { lines: '3', days: '6', paid: '6900', account: '1234567' }, confirmedAll: false })), 'RULE', /見ずに再入力する確認はできません/);
    expect(s.core.claims.check(checker, { claimId: c.id, version: c.version, mode: 'confirm', figures: {}, confirmedAll: true }).result).toBe('checked');
  });

  it('an approver who did the 二重チェック may not also approve; the database refuses it too', async () => {
    const c = await receiveKodomo();
    const checked = s.core.claims.check(approver, { claimId: c.id, version: c.version, mode: 'confirm', figures: {}, confirmedAll: true });
    expect(checked.claim.checkedBy).toBe('D7001');
    await rejects(Promise.resolve().then(() => s.core.claims.decide(approver, { claimId: c.id, version: checked.claim.version, decision: '支給', reason: null, overrideReason: null })), 'RULE', /二重チェックした請求は決裁できません/);
    expect(() => s.core.db.prepare(`UPDATE claims SET decided_by = 'D7001' WHERE id = ?`).run(c.id)).toThrow(/CHECK constraint/);
  });

  it('past the deadline: 支給 only with a reason; 不支給 needs its reason', async () => {
    // 診療 2024-09, Osaka sample: 2 years from the day after the month's end → 2026-09-30.
    const late = await receiveKodomo([{ ...must(receipts[0]), serviceMonth: '2024-09' }]);
    expect(late).toMatchObject({ deadlineExpired: true, deadline: '2026-09-30' });
    const checked = s.core.claims.check(checker, { claimId: late.id, version: late.version, mode: 'confirm', figures: {}, confirmedAll: true }).claim;
    const e = await rejects(Promise.resolve().then(() => s.core.claims.decide(approver, { claimId: late.id, version: checked.version, decision: '支給', reason: null, overrideReason: null })), 'VALIDATION', /請求期限（2026-09-30）を過ぎています/);
    expect(e.fieldErrors).toHaveProperty('overrideReason');
    await rejects(Promise.resolve().then(() => s.core.claims.decide(approver, { claimId: late.id, version: checked.version, decision: '不支給', reason: null, overrideReason: null })), 'VALIDATION', /不支給の理由/);
    const d = s.core.claims.decide(approver, { claimId: late.id, version: checked.version, decision: '支給', reason: null, overrideReason: '災害により申請が遅れたため' });
    expect(d).toMatchObject({ decision: '支給', overrideReason: '災害により申請が遅れたため' });
  });

  it('bad input gets a clear message next to the field and writes nothing', async () => {
    const before = count(s.core.db, 'SELECT count(*) AS n FROM claims');
    const outbox = count(s.core.db, 'SELECT count(*) AS n FROM outbox');
    const badBank = await rejects(s.core.claims.receive(clerk, { kind: 'kodomo_shokan', residentId: child().id, applicantId: null, applicationDate: '2026-11-20', input: { lines: receipts }, identity, bank: { ...bank, branchCode: '999' }, draftKey: null }), 'VALIDATION');
    expect(Object.keys(badBank.fieldErrors ?? {})).toEqual(['bank.branchCode']);
    const badLine = await rejects(receiveKodomo([{ ...must(receipts[0]), days: 32 }]), 'VALIDATION', /日数（32日）/);
    expect(Object.keys(badLine.fieldErrors ?? {})[0]).toBe('input.lines.0.days');
    const noId = await rejects(s.core.claims.receive(clerk, { kind: 'kodomo_shokan', residentId: child().id, applicantId: null, applicationDate: '2026-11-20', input: { lines: receipts }, identity: { ...identity, confirmed: { ...identity.confirmed, address: false } }, bank, draftKey: null }), 'VALIDATION');
    expect(noId.message).toContain('住所');
    await rejects(receiveKodomo(receipts, '2026-11-23'), 'VALIDATION', /未来の日付/);
    expect(count(s.core.db, 'SELECT count(*) AS n FROM claims')).toBe(before);
    expect(count(s.core.db, 'SELECT count(*) AS n FROM outbox')).toBe(outbox);
  });

  it('through the IPC router: a member of staff without any claim right cannot reach the channels', async () => {
    const router = new IpcRouter(s.core);
    await loginSeeded(s, 'x', 'D8001');
    const r = await router.handle({ senderId: 'x' }, 'claims.queue', { queue: 'check' });
    expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const q = await router.handle({ senderId: 'k' }, 'claims.queue', { queue: 'check' });
    expect(q).toMatchObject({ ok: true, data: { claims: [] } });
  });

  it('queues: 要確認 for others, 要決裁 for a third person; drafts survive and go when the claim is received', async () => {
    s.core.claims.saveDraft(clerk, 'kodomo_shokan:draft', { lines: receipts.slice(0, 1) });
    expect(s.core.claims.loadDraft(clerk, 'kodomo_shokan:draft').data).toEqual({ lines: receipts.slice(0, 1) });
    expect(s.core.claims.loadDraft(checker, 'kodomo_shokan:draft').data).toBeNull(); // drafts are per person
    const c = await s.core.claims.receive(clerk, { kind: 'kodomo_shokan', residentId: child().id, applicantId: null, applicationDate: '2026-11-20', input: { lines: receipts }, identity, bank, draftKey: 'kodomo_shokan:draft' });
    expect(s.core.claims.loadDraft(clerk, 'kodomo_shokan:draft').data).toBeNull();
    expect(s.core.claims.queue(checker, 'check').map((q) => q.id)).toEqual([c.id]);
    expect(s.core.claims.queue(clerk, 'check')).toEqual([]); // no check right
    expect(s.core.claims.queue(approver, 'approve')).toEqual([]);
    const k = s.core.claims.check(checker, { claimId: c.id, version: c.version, mode: 'confirm', figures: {}, confirmedAll: true });
    expect(s.core.claims.queue(approver, 'approve').map((q) => q.id)).toEqual([k.claim.id]);
    expect(s.core.claims.byResident(clerk, child().id).map((q) => q.claimNo)).toEqual([c.claimNo]);
    expect(c.claimNo).toMatch(/^20261122-DEMO-01-0001$/);
  });
});

describe('国保 高額療養費 and 予防接種 減免', () => {
  it('高額療養費: household charges ≥ 21,000 combine; the 2026-10 table applies; decided 支給', async () => {
    // 区分ウ, 2026-10 (table from 2026-08): limit 85,800 + (400,000 − 286,000) × 1% = 86,940 → 支給 120,000 − 86,940 = 33,060.
    const input = {
      kubun: 'ウ', serviceMonth: '2026-10', previousApplicableMonths: [],
      charges: [
        { memberId: 'p', institutionCode: '2711111', institutionName: '北区総合病院', category: 'medical-inpatient', totalCostYen: 300000, copayYen: 90000 },
        { memberId: 'c', institutionCode: '2712345', institutionName: '梅田こどもクリニック', category: 'medical-outpatient', totalCostYen: 100000, copayYen: 30000 },
        { memberId: 'c', institutionCode: '2755555', institutionName: '中之島歯科', category: 'dental-outpatient', totalCostYen: 69990, copayYen: 20997 },
      ],
    };
    const c = await s.core.claims.receive(clerk, { kind: 'kokuho_kogaku', residentId: parent().id, applicantId: null, applicationDate: '2026-11-20', input, identity, bank, draftKey: null });
    expect(c.amountYen).toBe(33060);
    expect(c.breakdown.some((l) => l.label.includes('21,000'))).toBe(true);
    const k = s.core.claims.check(checker, { claimId: c.id, version: c.version, mode: 'blind', figures: { month: '2026-10', kubun: 'ウ', copay: '140997', account: '1234567' }, confirmedAll: false });
    expect(k.result).toBe('checked');
    expect(s.core.claims.decide(approver, { claimId: c.id, version: k.claim.version, decision: '支給', reason: null, overrideReason: null }).decision).toBe('支給');
  });

  it('issue 15: a 国保 claim whose 診療月 or 支払日 lies outside the 資格 is refused naming the month, audited; within it is received', async () => {
    // testParent's 資格 (from 2020-04-01) as if the 国保 system had sent a 喪失 on 2026-10-31 (転出).
    s.core.db.prepare(`UPDATE kokuho_shikaku SET lost_on = '2026-10-31', lose_reason = '01' WHERE atena_no = ?`).run(parent().atenaNo);
    const charges = [{ memberId: 'p', institutionCode: '2711111', institutionName: '北区総合病院', category: 'medical-inpatient', totalCostYen: 300000, copayYen: 90000 }];
    const kogaku = (serviceMonth: string) => s.core.claims.receive(clerk, { kind: 'kokuho_kogaku', residentId: parent().id, applicantId: null, applicationDate: '2026-11-20', input: { kubun: 'ウ', serviceMonth, previousApplicableMonths: [], charges }, identity, bank, draftKey: null });
    const nov = await rejects(kogaku('2026-11'), 'RULE');
    expect(nov.message).toBe('国保 高額療養費は受け付けられません。令和8年11月診療分は国保の資格がありません（令和8年10月31日に喪失（転出））');
    const why = s.core.db.prepare(`SELECT detail AS d FROM audit_log WHERE action = 'claims.receive' AND outcome <> 'success' ORDER BY seq DESC LIMIT 1`).get() as { d: string };
    expect(JSON.parse(why.d).why).toBe('ineligible');
    expect((await kogaku('2026-10')).amountYen).toBeGreaterThan(0); // the month of the 喪失 had 資格 days
    const before = await rejects(kogaku('2020-03'), 'RULE');
    expect(before.message).toContain('令和2年3月診療分は国保の資格がありません（資格取得日は令和2年4月1日です）');
    const ryoyohi = (paidOn: string) => s.core.claims.receive(clerk, { kind: 'kokuho_ryoyohi', residentId: parent().id, applicantId: null, applicationDate: '2026-11-20', input: { costYen: 10000, paidOn }, identity, bank, draftKey: null });
    expect((await rejects(ryoyohi('2026-10-31'), 'RULE')).message).toContain('令和8年10月31日に喪失（転出）');
    expect((await ryoyohi('2026-10-30')).state).toBe('received');
    // A 訂正 cannot move an accepted claim into a month without 資格 either.
    const oct = await kogaku('2026-10');
    const moved = await rejects(s.core.claims.correct(clerk, { claimId: oct.id, version: oct.version, applicantId: null, applicationDate: '2026-11-20', input: { kubun: 'ウ', serviceMonth: '2026-11', previousApplicableMonths: [], charges }, identity, bank, reason: '診療月の誤り' }), 'RULE');
    expect(moved.message).toBe('訂正できません。令和8年11月診療分は国保の資格がありません（令和8年10月31日に喪失（転出））');
  });

  it('減免: a 課税 household is suggested 却下; 支給 is not a valid decision; 却下 needs its reason', async () => {
    const c = await s.core.claims.receive(clerk, { kind: 'yobou_genmen', residentId: elder().id, applicantId: null, applicationDate: '2026-11-20', input: { taxStatus: '課税', vaccine: '高齢者インフルエンザ' }, identity, bank: null, draftKey: null });
    expect(c).toMatchObject({ amountYen: null, suggestion: { decision: '却下', reason: '市町村民税課税世帯のため、自己負担金減免の対象外です' } });
    const k = s.core.claims.check(checker, { claimId: c.id, version: c.version, mode: 'blind', figures: { tax: '課税', vaccine: '高齢者インフルエンザ' }, confirmedAll: false });
    await rejects(Promise.resolve().then(() => s.core.claims.decide(approver, { claimId: c.id, version: k.claim.version, decision: '支給', reason: null, overrideReason: null })), 'VALIDATION', /交付」か「却下/);
    const d = s.core.claims.decide(approver, { claimId: c.id, version: k.claim.version, decision: '却下', reason: '市町村民税課税世帯のため', overrideReason: null });
    expect(s.core.notices.view(approver, d.id)).toMatchObject({ title: '却下通知書', amountYen: null, reason: '市町村民税課税世帯のため' });
    const bankGiven = await rejects(s.core.claims.receive(clerk, { kind: 'yobou_genmen', residentId: elder().id, applicantId: null, applicationDate: '2026-11-20', input: { taxStatus: '非課税', vaccine: '高齢者インフルエンザ' }, identity, bank, draftKey: null }), 'VALIDATION');
    expect(bankGiven.message).toContain('口座は不要');
  });

  it('only what the person’s data allows (issue 14 §5): no B類 減免 for a child, no 国保 給付 without 国保 資格 — refused and audited', async () => {
    const minor = await rejects(s.core.claims.receive(clerk, { kind: 'yobou_genmen', residentId: child().id, applicantId: null, applicationDate: '2026-11-20', input: { taxStatus: '非課税', vaccine: '高齢者インフルエンザ' }, identity, bank: null, draftKey: null }), 'RULE');
    expect(minor.message).toContain('65歳以上');
    const shaho = must(s.edges.byName.shahoMember);
    const sousai = await rejects(s.core.claims.receive(clerk, { kind: 'kokuho_sousai', residentId: shaho.id, applicantId: null, applicationDate: '2026-11-20', input: { funeralDate: '2026-11-01', mournerName: '社保　加入' }, identity, bank, draftKey: null }), 'RULE');
    expect(sousai.message).toContain('国保の資格がありません');
    const refused = s.core.db.prepare(`SELECT detail AS d FROM audit_log WHERE action = 'claims.receive' AND outcome <> 'success' ORDER BY seq DESC LIMIT 2`).all() as { d: string }[];
    expect(refused.map((r) => JSON.parse(r.d).why)).toEqual(['ineligible', 'ineligible']);
  });
});

describe('接種歴 (never deleted)', () => {
  const entry = { vaccine: 'mr', stage: '1期', doseNumber: 1, administeredOn: '2016-05-10', lotNumber: 'Y123', institution: '梅田こどもクリニック', overseas: false };

  it('adds, refuses impossible dates, corrects by marking the old record invalid, and cannot delete', async () => {
    const list = s.core.vaccinations.add(clerk, child().id, entry as never);
    expect(list).toHaveLength(1);
    await rejects(Promise.resolve().then(() => s.core.vaccinations.add(clerk, child().id, { ...entry, stage: '2期', administeredOn: '2015-01-01' } as never)), 'VALIDATION', /生年月日/);
    await rejects(Promise.resolve().then(() => s.core.vaccinations.add(clerk, child().id, { ...entry, stage: '2期', administeredOn: '2026-12-01' } as never)), 'VALIDATION', /未来/);
    const after = s.core.vaccinations.correct(clerk, list[0]!.id, list[0]!.version, { ...entry, administeredOn: '2016-05-12' } as never, '母子健康手帳の読み違い');
    expect(after).toHaveLength(2);
    expect(after.find((r) => r.id === list[0]!.id)).toMatchObject({ invalid: true, invalidatedReason: '母子健康手帳の読み違い' });
    expect(after.find((r) => r.id !== list[0]!.id)).toMatchObject({ invalid: false, administeredOn: '2016-05-12', replaces: list[0]!.id });
    expect(() => s.core.db.prepare('DELETE FROM vaccination_records').run()).toThrow(/接種歴は削除できません/);
  });
});

describe('接種歴 rights', () => {
  it('only staff of 予防接種 see a resident’s 接種歴', async () => {
    const sup = await loginSeeded(s, 'sup', 'D8001');
    await rejects(Promise.resolve().then(() => s.core.vaccinations.list(sup, child().id)), 'FORBIDDEN');
    expect(s.core.vaccinations.list(clerk, child().id)).toEqual([]);
  });
});
