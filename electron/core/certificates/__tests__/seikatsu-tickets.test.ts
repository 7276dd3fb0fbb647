import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clockFrom } from '../../../../testing/clock';
import { createSeededCore, type SeededCore } from '../../../../testing/core';
import { must } from '../../../../testing/db';
import { domainErrorOf } from '../../../../testing/errors';
import { harnessPrinting } from '../../../../testing/printer';
import { jimuRight } from '../../../../shared/domain/rights';
import { applyAction, recipientNumberProblem, seikatsuRecipientNumber, startFlow, type FlowAction, type FlowActor, type FlowKind, type FlowRecord } from '../../../../shared/domain/seikatsu';
import { certificatesChannels } from '../../../../shared/ipc/certificates-contract';
import type { Actor } from '../../actor';
import { CertificateLifecycle, type AidFlows, type IssueRequest } from '../lifecycle-service';
import { MailingService } from '../mailing-service';
import { insertRecord } from '../../db/records';

/**
 * 生活保護の給付券 (医療券・調剤券・介護券) in the certificate machinery, against the real core's database (SQLCipher,
 * audit, shipped profile): issued only within a decided 扶助 (the flows are real records built with the pure flow
 * rules, given through the AidFlows port), one per recipient, month, 指定機関 and 診療別, the monthly run of the
 * standing lines, the mailing lists per 指定機関, and print safety.
 */
let s: SeededCore;
let lifecycle: CertificateLifecycle;
let mailing: MailingService;
let printer: ReturnType<typeof harnessPrinting>;
const flows = new Map<string, FlowRecord[]>();
const aidFlows: AidFlows = { flowsOf: (id) => flows.get(id) ?? [] };

const actor = (staffId: string, rights: string[]): Actor => ({ staffId, name: staffId, role: 'clerk', rights: rights as Actor['rights'], demo: false, loggedInAt: '2026-05-20T01:00:00.000Z', locked: false });
const SEIKATSU = ['resident.view', jimuRight('seikatsu', 'certificate.issue'), jimuRight('seikatsu', 'certificate.print')];
const caseworker = actor('W1001', SEIKATSU);
const kokuhoClerk = actor('K1001', ['resident.view', jimuRight('kokuho', 'certificate.issue'), jimuRight('kokuho', 'certificate.print')]);

beforeEach(async () => {
  const clock = clockFrom('2026-05-20T01:00:00Z');
  s = await createSeededCore({ clock, households: 10 });
  printer = harnessPrinting();
  lifecycle = new CertificateLifecycle(s.core.db, s.core.audit, clock, s.core.residents, s.core.profile, printer, () => null, aidFlows);
  mailing = new MailingService(s.core.db, s.core.audit, clock, lifecycle);
  flows.clear();
});
afterEach(() => s.cleanup());

const person = (key: string) => must(s.edges.byName[key]);
const version = (id: string) => must(s.core.residents.findRow(id)).version;
const refusal = (fn: () => unknown) => domainErrorOf(fn, 'a refusal');

// The flow's staff: an entry, a check and a 決裁 by three people (the two-person rule of flows.ts).
const enter: FlowActor = { staffId: 'W1001', functions: ['claim.enter'] };
const check: FlowActor = { staffId: 'W2001', functions: ['claim.check'] };
const approve: FlowActor = { staffId: 'W3001', functions: ['claim.approve'] };

function step(f: FlowRecord, action: FlowAction, by: FlowActor, input: Record<string, unknown>): FlowRecord {
  const r = applyAction(f, action, by, input, '2026-04-01T01:00:00.000Z');
  if (!r.ok) throw new Error(`test setup: ${action}: ${r.message}`);
  return r.flow;
}

/** A 医療扶助 (直接) or 介護扶助 decided 開始 from `aidStartOn` (介護: with the plan received). */
function decidedFlow(kind: FlowKind, residentId: string, aidStartOn: string): FlowRecord {
  const started = startFlow(kind, enter, { residentId, appliedOn: aidStartOn }, '2026-04-01T01:00:00.000Z');
  if (!started.ok) throw new Error(started.message);
  let f = started.flow;
  if (kind === 'kaigo') {
    f = step(f, 'insurance_query', enter, { queriedOn: aidStartOn, agency: '介護保険課' });
    f = step(f, 'insurance_answer', enter, { answeredOn: aidStartOn, insured: true, careLevel: '要介護1' });
  }
  f = step(f, 'check', check, {});
  f = step(f, 'decide', approve, { decidedOn: aidStartOn, decision: '開始', aidStartOn });
  if (kind === 'kaigo') {
    f = step(f, 'request_plan', enter, { requestedOn: aidStartOn, provider: '居宅介護支援センター' });
    f = step(f, 'receive_plan', enter, { receivedOn: aidStartOn });
  }
  return f;
}

function abolish(f: FlowRecord, abolishedOn: string): FlowRecord {
  f = step(f, 'propose_abolish', enter, { abolishedOn, reason: '治癒' });
  f = step(f, 'check_abolish', check, {});
  return step(f, 'approve_abolish', approve, {});
}

const setFlows = (residentId: string, ...fs: FlowRecord[]) => flows.set(residentId, fs);

const RECIPIENT = seikatsuRecipientNumber('', 1);
const PAYER = '12270104';
const HOSPITAL = { institutionCode: '2712345678', institutionName: '大阪第一病院' };
const CLINIC = { institutionCode: '2799999990', institutionName: '中央歯科クリニック' };
const PHARMACY = { institutionCode: '2740000001', institutionName: 'みなと薬局' };

function ticket(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    shinryo: '入院外', month: '2026-05', recipientNo: RECIPIENT, publicPayerNo: PAYER, ...HOSPITAL, caseNo: '4501', caseworker: 'D1001',
    diseaseNames: ['高血圧症'], selfPayYen: 0, coverage: '単独', ...over,
  };
}

function req(type: IssueRequest['type'], residentId: string, details: Record<string, unknown>): IssueRequest {
  return { type, residentId, issueKind: 'new', reissueReason: null, details, nameChoice: 'real', printSex: true, residentVersion: version(residentId) };
}

const lastRefusal = () =>
  JSON.parse((s.core.db.prepare(`SELECT detail FROM audit_log WHERE action = 'certificates.issue' AND outcome <> 'success' ORDER BY seq DESC LIMIT 1`).get() as { detail: string }).detail) as Record<string, unknown>;
const ticketsIn = (month: string) => s.core.db.prepare(`SELECT count(*) AS n FROM certificates WHERE cert_type LIKE 'seikatsu_%' AND json_extract(details_json, '$.month') = ?`).get(month) as { n: number };

describe('医療券・調剤券・介護券 as certificate types', () => {
  it('issues a 医療券 within the decided 医療扶助: the 交付番号 from the profile, valid for its month from the 扶助開始日, the dates from the flow', () => {
    const p = person('testParent').id;
    setFlows(p, decidedFlow('iryo_direct', p, '2026-05-11'));
    const c = lifecycle.issue(caseworker, req('seikatsu_iryo', p, ticket()));
    expect(c).toMatchObject({ type: 'seikatsu_iryo', typeName: '医療券', certificateNo: 'IR00000001', validFrom: '2026-05-11', validTo: '2026-05-31', status: 'valid' });
    expect(c.details).toMatchObject({ month: '2026-05', shinryo: '入院外', aidStartOn: '2026-05-11', abolishedOn: null, institutionCode: '2712345678', prescriberCode: null, socialInsurance: null });
    const row = s.core.db.prepare('SELECT public_payer_no FROM certificates WHERE id = ?').get(c.id) as { public_payer_no: string };
    expect(row.public_payer_no).toBe(PAYER);
    // The 扶助開始日 is the flow's, never typed.
    const typed = refusal(() => lifecycle.issue(caseworker, req('seikatsu_iryo', p, ticket({ month: '2026-06', aidStartOn: '2026-04-01' }))));
    expect(typed).toMatchObject({ code: 'VALIDATION', message: '扶助開始日・廃止日は扶助の決定（決裁）から取ります。入力しないでください。' });
  });

  it('a 調剤券 and a 介護券: each under its 扶助, with its own rules (処方箋発行元, no 傷病名 on a 介護券)', () => {
    const p = person('elder').id;
    setFlows(p, decidedFlow('iryo_direct', p, '2026-04-01'), decidedFlow('kaigo', p, '2026-04-01'));
    const chozai = lifecycle.issue(caseworker, req('seikatsu_chozai', p, ticket({ shinryo: '調剤', ...PHARMACY, prescriberCode: HOSPITAL.institutionCode })));
    expect(chozai).toMatchObject({ certificateNo: 'CZ00000001', validFrom: '2026-05-01', validTo: '2026-05-31' });
    expect(refusal(() => lifecycle.issue(caseworker, req('seikatsu_chozai', p, ticket({ shinryo: '調剤', ...PHARMACY, month: '2026-06' })))).message).toBe('調剤券には処方箋発行元医療機関が必要です');
    const kaigo = lifecycle.issue(caseworker, req('seikatsu_kaigo', p, ticket({ shinryo: '介護', institutionCode: '2770000012', institutionName: '訪問介護さくら', diseaseNames: [], selfPayYen: 1500 })));
    expect(kaigo).toMatchObject({ certificateNo: 'KG00000001', validTo: '2026-05-31' });
    expect(refusal(() => lifecycle.issue(caseworker, req('seikatsu_iryo', p, ticket({ shinryo: '調剤' })))).message).toBe('医療券の診療別は入院・入院外・歯科・訪問看護です');
  });

  it('refuses without a decided (開始) flow of the right 扶助, audited with the reason', () => {
    const p = person('testParent').id;
    expect(refusal(() => lifecycle.issue(caseworker, req('seikatsu_iryo', p, ticket()))).message).toBe('この方には医療扶助の申請・決定の記録がないため、医療券は交付できません。');
    expect(lastRefusal()).toMatchObject({ why: 'no_flow', type: 'seikatsu_iryo' });
    // Received and checked, not yet decided.
    const started = startFlow('iryo_direct', enter, { residentId: p, appliedOn: '2026-05-01' }, '2026-05-01T01:00:00.000Z');
    if (!started.ok) throw new Error(started.message);
    setFlows(p, step(started.flow, 'check', check, {}));
    expect(refusal(() => lifecycle.issue(caseworker, req('seikatsu_iryo', p, ticket()))).message).toBe('医療扶助（要否意見書によらない）が開始の決定（決裁）に至っていないため、券は交付できません');
    expect(lastRefusal()).toMatchObject({ why: 'not_decided' });
    // A decided 介護扶助 is not a 医療扶助.
    setFlows(p, decidedFlow('kaigo', p, '2026-04-01'));
    expect(refusal(() => lifecycle.issue(caseworker, req('seikatsu_iryo', p, ticket()))).message).toContain('医療扶助の申請・決定の記録がない');
    expect(ticketsIn('2026-05').n).toBe(0);
  });

  it('a month outside the period is refused: before the 扶助開始日, and from the 廃止日 on (a 廃止 stops next month\'s 券)', () => {
    const p = person('testParent').id;
    setFlows(p, abolish(decidedFlow('iryo_direct', p, '2026-04-10'), '2026-05-16'));
    expect(refusal(() => lifecycle.issue(caseworker, req('seikatsu_iryo', p, ticket({ month: '2026-03' })))).message).toBe('扶助開始日（2026-04-10）より前の月の券は発行できません');
    expect(lastRefusal()).toMatchObject({ why: 'outside_period' });
    expect(lifecycle.issue(caseworker, req('seikatsu_iryo', p, ticket({ month: '2026-05' })))).toMatchObject({ validFrom: '2026-05-01', validTo: '2026-05-15' });
    expect(refusal(() => lifecycle.issue(caseworker, req('seikatsu_iryo', p, ticket({ month: '2026-06' })))).message).toBe('廃止日（2026-05-16）以後の月の券は発行できません（廃止日の前日まで有効）');
  });

  it('a duplicate (same recipient, month, 指定機関, 診療別) is refused, another 診療別 or 機関 is not; a cancelled one no longer blocks', () => {
    const p = person('testParent').id;
    setFlows(p, decidedFlow('iryo_direct', p, '2026-04-01'));
    const first = lifecycle.issue(caseworker, req('seikatsu_iryo', p, ticket()));
    const dup = refusal(() => lifecycle.issue(caseworker, req('seikatsu_iryo', p, ticket({ diseaseNames: ['糖尿病'] }))));
    expect(dup).toMatchObject({ code: 'RULE', message: `この受給者の2026-05の入院外の券は、この指定機関にすでに交付されています（交付番号 ${first.certificateNo}）` });
    expect(lastRefusal()).toMatchObject({ why: 'duplicate' });
    lifecycle.issue(caseworker, req('seikatsu_iryo', p, ticket({ shinryo: '入院' })));
    lifecycle.issue(caseworker, req('seikatsu_iryo', p, ticket({ ...CLINIC, shinryo: '歯科', diseaseNames: ['う蝕'] })));
    // The database holds the rule too: a second valid ticket of the same key cannot be stored.
    expect(() => s.core.db.prepare(`UPDATE certificates SET details_json = (SELECT details_json FROM certificates WHERE id = ?) WHERE cert_type = 'seikatsu_iryo' AND id <> ? AND json_extract(details_json, '$.shinryo') = '入院'`).run(first.id, first.id)).toThrow(/UNIQUE/);
    // 訂正 is 取消 + 新規交付.
    expect(refusal(() => lifecycle.correct(caseworker, { certificateId: first.id, version: first.version, details: ticket(), nameChoice: 'real', printSex: true, reason: '傷病名' })).message).toBe('医療券は訂正できません。取消のうえ、正しい内容で新規交付してください。');
    lifecycle.cancel(caseworker, { certificateId: first.id, version: first.version, reason: '傷病名の誤り' });
    expect(lifecycle.issue(caseworker, req('seikatsu_iryo', p, ticket({ diseaseNames: ['糖尿病'] }))).status).toBe('valid');
  });

  it("numbers from the profile: left blank, the 公費負担者番号 is the 福祉事務所's and a new 受給者番号 is drawn (prefix + serial + check digit); the person keeps it on every later 券, and nobody else gets it", () => {
    expect(s.core.profile.seikatsu).toEqual({ publicPayerNo: PAYER, recipientNumberPrefix: '' });
    const a = person('testParent').id;
    const b = person('aliasParent').id;
    setFlows(a, decidedFlow('iryo_direct', a, '2026-04-01'), decidedFlow('kaigo', a, '2026-04-01'));
    setFlows(b, decidedFlow('iryo_direct', b, '2026-04-01'));
    const blank = { recipientNo: '', publicPayerNo: '' };
    const first = lifecycle.issue(caseworker, req('seikatsu_iryo', a, ticket(blank)));
    const recipientA = String(first.details.recipientNo);
    expect(recipientNumberProblem(recipientA)).toBeNull();
    expect(first.details.publicPayerNo).toBe(PAYER);
    // The same person: the same number on the next month's 医療券 and on a 介護券 (typed or left blank).
    const next = lifecycle.issue(caseworker, req('seikatsu_iryo', a, ticket({ ...blank, month: '2026-06' })));
    const kaigo = lifecycle.issue(caseworker, req('seikatsu_kaigo', a, ticket({ ...blank, shinryo: '介護', institutionCode: '2770000012', institutionName: '訪問介護さくら', diseaseNames: [] })));
    const typed = lifecycle.issue(caseworker, req('seikatsu_iryo', a, ticket({ recipientNo: recipientA, month: '2026-07' })));
    expect([next, kaigo, typed].map((c) => c.details.recipientNo)).toEqual([recipientA, recipientA, recipientA]);
    // Another number typed for them is refused, naming theirs.
    expect(refusal(() => lifecycle.issue(caseworker, req('seikatsu_iryo', a, ticket({ month: '2026-08', recipientNo: seikatsuRecipientNumber('', 777) })))).message).toBe(`この方の受給者番号は ${recipientA} です（交付済みの券の番号）。空欄にすると自動で記載されます。`);
    // Another person: another number.
    const other = lifecycle.issue(caseworker, req('seikatsu_iryo', b, ticket(blank)));
    expect(recipientNumberProblem(String(other.details.recipientNo))).toBeNull();
    expect(other.details.recipientNo).not.toBe(recipientA);
  });

  it('bad numbers and check digits are refused with the field named; nothing is stored', () => {
    const p = person('testParent').id;
    setFlows(p, decidedFlow('iryo_direct', p, '2026-04-01'));
    const wrongCheck = RECIPIENT.slice(0, 6) + String((Number(RECIPIENT[6]) + 1) % 10);
    expect(refusal(() => lifecycle.issue(caseworker, req('seikatsu_iryo', p, ticket({ recipientNo: wrongCheck }))))).toMatchObject({ code: 'VALIDATION', message: '受給者番号の検証番号が一致しません', fieldErrors: { 'details.recipientNo': '受給者番号の検証番号が一致しません' } });
    // The 公費負担者番号 is the 福祉事務所's (the profile's): any other typed one is refused, whatever its form.
    for (const other of ['12270105', '25270101']) {
      expect(refusal(() => lifecycle.issue(caseworker, req('seikatsu_iryo', p, ticket({ publicPayerNo: other }))))).toMatchObject({
        code: 'VALIDATION', message: `公費負担者番号はこの福祉事務所の番号（${PAYER}）です。空欄にすると自動で記載されます。`, fieldErrors: { 'details.publicPayerNo': expect.any(String) },
      });
    }
    expect(refusal(() => lifecycle.issue(caseworker, req('seikatsu_iryo', p, ticket({ institutionCode: '12AB' })))).message).toBe('指定医療機関コードは7桁または10桁の半角数字です');
    expect(lastRefusal()).toMatchObject({ why: 'invalid' });
    // The ケース番号 is the 保護受給's (from the 生活保護 system) once the terminal holds it.
    insertRecord(s.core.db, 'seiho_jukyu', {
      resident_id: p, case_no: '4501', atena_no: person('testParent').atenaNo, household_no: '990001', head_flag: '1', started_on: '2026-04-01', changed_on: null,
      ended_on: null, change_reason: '01', caseworker: 'D1001', aid_kinds: '1 2',
    }, { by: 'SERVER', at: '2026-04-01T00:00:00.000Z' });
    expect(refusal(() => lifecycle.issue(caseworker, req('seikatsu_iryo', p, ticket({ caseNo: '4599' }))))).toMatchObject({ code: 'RULE', message: 'ケース番号 4599 はこの方の保護受給の記録にありません（記録のケース番号: 4501）' });
    expect(lastRefusal()).toMatchObject({ why: 'case_mismatch' });
    expect(ticketsIn('2026-05').n).toBe(0);
    // The number block was not used by the refusals.
    expect(lifecycle.issue(caseworker, req('seikatsu_iryo', p, ticket())).certificateNo).toBe('IR00000001');
  });

  it('a clerk without the 生活保護 事務 is refused, audited as forbidden', () => {
    const p = person('testParent').id;
    setFlows(p, decidedFlow('iryo_direct', p, '2026-04-01'));
    expect(refusal(() => lifecycle.issue(kokuhoClerk, req('seikatsu_iryo', p, ticket())))).toMatchObject({ code: 'FORBIDDEN' });
    expect(lastRefusal()).toMatchObject({ why: 'forbidden' });
    expect(refusal(() => lifecycle.standingTickets(kokuhoClerk, '2026-06')).code).toBe('FORBIDDEN');
    expect(refusal(() => lifecycle.issueStandingTickets(kokuhoClerk, { month: '2026-06', keys: ['x'] })).code).toBe('FORBIDDEN');
    expect(refusal(() => mailing.selectTickets(kokuhoClerk, { month: '2026-05' })).code).toBe('FORBIDDEN');
    expect(ticketsIn('2026-05').n).toBe(0);
  });

  it('prints through print safety with the 給付券 items, no address and no 12-digit 個人番号', async () => {
    const p = person('dvParent').id; // DV等支援措置: the ticket prints no address, so nothing is withheld
    setFlows(p, decidedFlow('iryo_direct', p, '2026-04-01'));
    const c = lifecycle.issue(caseworker, req('seikatsu_iryo', p, ticket({ coverage: '併用', socialInsurance: { insurerNo: '06270018', symbol: '大', number: '123', branch: '01' }, selfPayYen: 2500 })));
    const view = lifecycle.printView(caseworker, c.id);
    expect(view).toMatchObject({ size: 'a4', typeName: '医療券', restricted: false });
    const byLabel = Object.fromEntries(view.fields.map((f) => [f.label, f.value]));
    expect(byLabel).toMatchObject({
      交付番号: c.certificateNo, 公費負担者番号: PAYER, 受給者番号: RECIPIENT, 氏名: '支援　秘子', 生年月日: '1988-03-03', 指定医療機関: '大阪第一病院（2712345678）',
      診療別: '入院外', '有効期間（自）': '2026-05-01', '有効期間（至）': '2026-05-31', 傷病名: '高血圧症', 本人支払額: '2,500円', '単独/併用': '併用',
      社会保険: '保険者番号 06270018 記号 大 番号 123（枝番 01）', ケース番号: '4501', 地区担当員: 'デモ窓口　一郎（D1001）', 対象年月: '令和8年5月',
    });
    expect(view.fields.some((f) => f.key === 'address' || f.label.includes('住所'))).toBe(false);
    const text = view.fields.map((f) => `${f.label}:${f.value}`).join('\n');
    expect(text).not.toMatch(/(?<![0-9])[0-9]{12}(?![0-9])/);
    expect(text).not.toMatch(/個人番号/);
    // Print safety: a change after the preview stops the print, naming the field.
    s.core.db.prepare(`UPDATE staff SET name = 'デモ窓口 改名' WHERE staff_id = 'D1001'`).run();
    const stopped = await lifecycle.print(caseworker, { certificateId: c.id, printerName: '窓口プリンタ1', fingerprint: view.fingerprint }, 'sender').catch((e: unknown) => e);
    expect(stopped).toMatchObject({ code: 'RULE' });
    expect((stopped as Error).message).toContain('地区担当員');
    const again = lifecycle.printView(caseworker, c.id);
    await lifecycle.print(caseworker, { certificateId: c.id, printerName: '窓口プリンタ1', fingerprint: again.fingerprint }, 'sender');
    expect(printer.port.jobs.length).toBe(1);
  });
});

describe('the monthly run', () => {
  /** May: 医療券 at two institutions and a 調剤券 for one recipient; a 医療券 for another whose 扶助 is abolished from 2026-06-01. */
  function may() {
    const a = person('testParent').id;
    const b = person('elder').id;
    setFlows(a, decidedFlow('iryo_direct', a, '2026-04-01'));
    setFlows(b, decidedFlow('iryo_direct', b, '2026-04-01'));
    lifecycle.issue(caseworker, req('seikatsu_iryo', a, ticket()));
    lifecycle.issue(caseworker, req('seikatsu_iryo', a, ticket({ ...CLINIC, shinryo: '歯科', diseaseNames: ['う蝕'] })));
    lifecycle.issue(caseworker, req('seikatsu_chozai', a, ticket({ shinryo: '調剤', ...PHARMACY, prescriberCode: HOSPITAL.institutionCode })));
    lifecycle.issue(caseworker, req('seikatsu_iryo', b, ticket({ recipientNo: seikatsuRecipientNumber('', 2), caseNo: '4502' })));
    return { a, b };
  }

  it('lists the standing lines, issues them in one transaction, and lists them per 指定機関 for mailing; a 廃止 stops next month\'s 券', () => {
    const { a, b } = may();
    setFlows(b, abolish(decidedFlow('iryo_direct', b, '2026-04-01'), '2026-06-01'));
    const lines = lifecycle.standingTickets(caseworker, '2026-06');
    expect(lines.map((l) => [l.residentId, l.type, l.institutionCode, l.shinryo, l.lastMonth, l.validFrom, l.validTo]).sort()).toEqual(
      [
        [a, 'seikatsu_chozai', PHARMACY.institutionCode, '調剤', '2026-05', '2026-06-01', '2026-06-30'],
        [a, 'seikatsu_iryo', CLINIC.institutionCode, '歯科', '2026-05', '2026-06-01', '2026-06-30'],
        [a, 'seikatsu_iryo', HOSPITAL.institutionCode, '入院外', '2026-05', '2026-06-01', '2026-06-30'],
      ].sort(),
    );
    // Each line names its recipient as the run's screen lists them (name and 宛名番号).
    const named = must(s.core.residents.findRow(a));
    expect(lines.map((l) => [l.residentName, l.atenaNo])).toEqual(lines.map(() => [named.name_kanji, named.atena_no]));
    // b's 医療扶助 ends on 2026-06-01: no June 券 (and none can be issued by hand either).
    expect(lines.some((l) => l.residentId === b)).toBe(false);
    expect(refusal(() => lifecycle.issue(caseworker, req('seikatsu_iryo', b, ticket({ month: '2026-06', recipientNo: seikatsuRecipientNumber('', 2) })))).message).toContain('廃止日（2026-06-01）以後の月の券は発行できません');

    expect(certificatesChannels['tickets.standing'].response.safeParse({ lines }).success).toBe(true);
    expect(certificatesChannels['tickets.monthlyRun'].request.safeParse({ month: '2026-06', keys: lines.map((l) => l.key) }).success).toBe(true);
    const result = mailing.monthlyTickets(caseworker, { month: '2026-06', keys: lines.map((l) => l.key) });
    // What the IPC channel answers with is what its contract says.
    expect(certificatesChannels['tickets.monthlyRun'].response.safeParse(result).error).toBeUndefined();
    const { issued, runs } = result;
    expect(issued.map((c) => [c.type, c.details.month, c.details.institutionCode, c.validFrom, c.validTo]).sort()).toEqual(
      [
        ['seikatsu_chozai', '2026-06', PHARMACY.institutionCode, '2026-06-01', '2026-06-30'],
        ['seikatsu_iryo', '2026-06', CLINIC.institutionCode, '2026-06-01', '2026-06-30'],
        ['seikatsu_iryo', '2026-06', HOSPITAL.institutionCode, '2026-06-01', '2026-06-30'],
      ].sort(),
    );
    // One mailing list per 指定機関 (and type), each holding its 券.
    expect(runs.map((r) => [r.title, r.certType, r.total]).sort()).toEqual(
      [
        ['令和8年6月分 医療券 大阪第一病院（2712345678）', 'seikatsu_iryo', 1],
        ['令和8年6月分 医療券 中央歯科クリニック（2799999990）', 'seikatsu_iryo', 1],
        ['令和8年6月分 調剤券 みなと薬局（2740000001）', 'seikatsu_chozai', 1],
      ].sort(),
    );
    // Nothing is left to issue for June; the run is refused if asked again (changed since the list).
    expect(lifecycle.standingTickets(caseworker, '2026-06')).toEqual([]);
    expect(refusal(() => mailing.monthlyTickets(caseworker, { month: '2026-06', keys: [lines[0]!.key] })).code).toBe('CONFLICT');
    expect(ticketsIn('2026-06').n).toBe(3);

    // The mailing goes through the batch-mailing machinery: validation, then each 券 recorded as sent (not renewed).
    const hospital = must(runs.find((r) => r.title.includes('大阪第一病院')));
    mailing.validate(caseworker, hospital.runId);
    const done = mailing.issueNext(caseworker, hospital.runId);
    expect(done).toMatchObject({ state: 'done', printed: 1, changed: 0, held: 0 });
    const certId = must(done.items[0]!.certificateId);
    expect(s.core.db.prepare(`SELECT event, reason FROM certificate_events WHERE certificate_id = ? ORDER BY created_at`).all(certId)).toEqual([
      { event: 'issue', reason: '月次交付（2026-06）' },
      { event: 'mail', reason: hospital.title },
    ]);
    expect(lifecycle.requireCert(certId).status).toBe('valid');
  });

  it('is one transaction: a line that fails leaves nothing issued', () => {
    const { a, b } = may();
    // The 調剤券 line last: the 医療券 lines before it are issued (in the transaction) before it fails.
    const lines = lifecycle.standingTickets(caseworker, '2026-06').sort((x, y) => Number(x.type === 'seikatsu_chozai') - Number(y.type === 'seikatsu_chozai'));
    expect(lines.map((l) => l.type)).toEqual(['seikatsu_iryo', 'seikatsu_iryo', 'seikatsu_iryo', 'seikatsu_chozai']);
    // The 調剤券 number block runs out: that line cannot be numbered.
    s.core.db.prepare(`UPDATE number_blocks SET next_serial = last_serial + 1 WHERE cert_type = 'seikatsu_chozai'`).run();
    expect(refusal(() => mailing.monthlyTickets(caseworker, { month: '2026-06', keys: lines.map((l) => l.key) })).message).toContain('払出し枠がありません');
    expect(ticketsIn('2026-06').n).toBe(0);
    expect(s.core.db.prepare('SELECT count(*) AS n FROM mailing_runs').get()).toEqual({ n: 0 });
    // A recipient whose 扶助 is not decided has no standing line.
    setFlows(a);
    expect(lifecycle.standingTickets(caseworker, '2026-06').map((l) => l.residentId)).toEqual([b]);
    // Nor does a person no longer shown (消除): the run of the others goes on.
    s.core.db.prepare('UPDATE residents SET view_suspended = 1 WHERE id = ?').run(b);
    expect(lifecycle.standingTickets(caseworker, '2026-06')).toEqual([]);
  });

  it('lists a month\'s tickets not yet on a list, per 指定機関, once', () => {
    may();
    const runs = mailing.selectTickets(caseworker, { month: '2026-05' });
    expect(runs.map((r) => r.total).reduce((x, y) => x + y, 0)).toBe(4);
    expect(runs.find((r) => r.title.includes('大阪第一病院'))?.total).toBe(2);
    expect(mailing.selectTickets(caseworker, { month: '2026-05' })).toEqual([]);
  });
});

describe('the blank 要否意見書', () => {
  it('prints the recipient and the 指定医療機関 of the flow\'s 発行 step through print safety; refused before the 発行 and without the right', async () => {
    const p = person('testParent').id;
    const started = startFlow('iryo_ikensho', enter, { residentId: p, appliedOn: '2026-05-10' }, '2026-05-10T01:00:00.000Z');
    if (!started.ok) throw new Error(started.message);
    let f = step(started.flow, 'tahou_query', enter, { queriedOn: '2026-05-10', agency: '保健所', laws: ['自立支援医療'] });
    f = step(f, 'tahou_answer', enter, { answeredOn: '2026-05-11', otherLawApplies: false });
    setFlows(p, f);
    expect(refusal(() => lifecycle.opinionFormView(caseworker, p)).message).toBe('要否意見書の発行（指定医療機関）が記録されていないため、要否意見書は印刷できません。');
    setFlows(p, step(f, 'issue_opinion', enter, { issuedOn: '2026-05-12', ...HOSPITAL }));
    expect(refusal(() => lifecycle.opinionFormView(kokuhoClerk, p)).code).toBe('FORBIDDEN');
    const view = lifecycle.opinionFormView(caseworker, p);
    expect(certificatesChannels['seikatsu.opinionForm'].response.safeParse(view).error).toBeUndefined();
    const byLabel = Object.fromEntries(view.fields.map((x) => [x.label, x.value]));
    expect(byLabel).toMatchObject({ 文書名: '医療要否意見書', 氏名: '試験　花子', 生年月日: '1990-06-15', 指定医療機関: '大阪第一病院（2712345678）', 交付年月日: '2026-05-12', 傷病名: '' });
    expect(view.fields.map((x) => x.value).join('\n')).not.toMatch(/(?<![0-9])[0-9]{12}(?![0-9])/);
    // Without the preview's fingerprint nothing prints; with it, it prints once on the allowed printer.
    await expect(lifecycle.printOpinionForm(caseworker, { residentId: p, printerName: '窓口プリンタ1', fingerprint: 'x' }, 'sender')).rejects.toMatchObject({ code: 'RULE' });
    const again = lifecycle.opinionFormView(caseworker, p);
    await lifecycle.printOpinionForm(caseworker, { residentId: p, printerName: '窓口プリンタ1', fingerprint: again.fingerprint }, 'sender');
    expect(printer.port.jobs).toHaveLength(1);
  });
});
