import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clockFrom } from '../../../../testing/clock';
import { createSeededCore, RESOURCES_DIR, type SeededCore, loginSeeded } from '../../../../testing/core';
import { auditOf, count, must } from '../../../../testing/db';
import { domainErrorOf } from '../../../../testing/errors';
import { type CertType } from '../../../../shared/domain/certificate-types';
import { ACCESS_REASONS } from '../../../../shared/domain/resident';
import type { Actor } from '../../actor';
import type { IssueRequest } from '../lifecycle-service';
import { IpcRouter } from '../../../ipc/router';
import { databasePath, keyFilePath } from '../../app-core';
import { openDatabase } from '../../db/database';
import { FileKeyProvider } from '../../db/file-key-provider';
import { insertRecord } from '../../db/records';

/** Every certificate type and its lifecycle against the real core (SQLCipher, audit, shipped profile). */
let s: SeededCore;
let clerk: Actor;
let approver: Actor;

beforeEach(async () => {
  s = await createSeededCore({ clock: clockFrom('2026-11-22T01:00:00Z'), households: 30 });
  clerk = await loginSeeded(s, 'c', 'D1001');
  approver = await loginSeeded(s, 'a', 'D7001');
});
afterEach(() => s.cleanup());

const person = (key: string) => must(s.edges.byName[key]);
const version = (id: string) => must(s.core.residents.findRow(id)).version;
const refusal = (fn: () => unknown) => domainErrorOf(fn, 'a refusal');
function req(type: CertType, key: string, over: Partial<IssueRequest> = {}): IssueRequest {
  const id = person(key).id;
  return { type, residentId: id, issueKind: 'new', reissueReason: null, details: {}, nameChoice: 'real', printSex: true, residentVersion: version(id), ...over };
}

describe('types', () => {
  it('issues each 国保 type with the profile number format and the default validity (to the next 7月31日)', () => {
    const shikaku = s.core.lifecycle.issue(clerk, req('kokuho_shikaku', 'testParent', { details: { limitKubun: 'ウ' } }));
    expect(shikaku).toMatchObject({ certificateNo: 'S0000001', validFrom: '2026-11-22', validTo: '2027-07-31', details: { limitKubun: 'ウ' } });
    expect(s.core.lifecycle.issue(clerk, req('kokuho_oshirase', 'testParent'))).toMatchObject({ certificateNo: 'O0000001', validTo: null });
    // The 限度区分 is the 所得区分 of the 資格 (testParent: 区分ウ): another one typed is refused, none typed is filled in.
    expect(refusal(() => s.core.lifecycle.issue(clerk, req('kokuho_gendogaku', 'testParent', { details: { kubun: 'エ' } }))).message).toBe('限度区分「エ」は国保の資格の所得区分（区分ウ）と異なります。区分は「ウ」です');
    expect(s.core.lifecycle.issue(clerk, req('kokuho_gendogaku', 'testParent'))).toMatchObject({ certificateNo: 'G0000001', details: { kubun: 'ウ' } });
    expect(s.core.lifecycle.prepare(clerk, 'kokuho_gendogaku', person('testParent').id).limitKubun).toBe('ウ'); // the form starts from it
    expect(s.core.lifecycle.prepare(clerk, 'kodomo', person('testChild').id).limitKubun).toBeNull();
    expect(refusal(() => s.core.lifecycle.issue(clerk, req('kokuho_gengaku', 'testParent', { details: { kubun: 'ウ' } }))).message).toContain('「オ」');
    expect(refusal(() => s.core.lifecycle.issue(clerk, req('kokuho_tokutei', 'testParent', { details: { disease: '血友病', limitYen: 10000 } }))).code).toBe('VALIDATION');
    const view = s.core.lifecycle.printView(clerk, shikaku.id);
    expect(view.fields.find((f) => f.key === 'limitKubun')?.value).toBe('ウ');
    expect(view.size).toBe('card');
  });

  it('issue 15: a 国保 certificate only within the 資格 on today\'s date — a member whose 資格 was lost (転出) is refused, audited', () => {
    const p = person('aliasParent');
    s.core.db.prepare(`UPDATE kokuho_shikaku SET lost_on = '2026-10-31', lose_reason = '01' WHERE atena_no = ?`).run(p.atenaNo);
    const r = refusal(() => s.core.lifecycle.issue(clerk, req('kokuho_shikaku', 'aliasParent')));
    expect(r).toMatchObject({ code: 'RULE', message: '国民健康保険 資格確認書は交付できません。令和8年11月22日は国保の資格がありません（令和8年10月31日に喪失（転出））' });
    const why = s.core.db.prepare(`SELECT detail AS d FROM audit_log WHERE action = 'certificates.issue' AND outcome <> 'success' ORDER BY seq DESC LIMIT 1`).get() as { d: string };
    expect(JSON.parse(why.d)).toMatchObject({ why: 'ineligible', type: 'kokuho_shikaku' });
    expect(s.core.residents.get(clerk, p.id, ACCESS_REASONS[0]).offers.kokuho.reason).toContain('令和8年10月31日に喪失（転出）');
    // 再加入 (a new period from 2026-11-15) makes it available again.
    s.core.db.prepare(`INSERT INTO kokuho_shikaku (id, created_at, created_by, updated_at, updated_by, atena_no, household_no, insurer_no, symbol, number, branch, acquired_on, acquire_reason, income_class)
      VALUES ('00000000-0000-7000-8000-000000000015', 'x', 'T', 'x', 'T', ?, '990004', '270017', '大8', '200008', '01', '2026-11-15', '02', '03')`).run(p.atenaNo);
    expect(s.core.lifecycle.issue(clerk, req('kokuho_shikaku', 'aliasParent')).certificateNo).toMatch(/^S/);
  });

  it('通称名 and the printing of sex are honoured; a type that must print sex refuses to omit it', () => {
    const c = s.core.lifecycle.issue(clerk, req('kokuho_shikaku', 'aliasParent', { nameChoice: 'alias', printSex: false }));
    const fields = s.core.lifecycle.printView(clerk, c.id).fields;
    expect(fields.find((f) => f.key === 'name')?.value).toBe('金　民俊');
    expect(fields.some((f) => f.key === 'sex')).toBe(false);
    expect(refusal(() => s.core.lifecycle.issue(clerk, req('kokuho_shikaku', 'testParent', { nameChoice: 'alias' }))).message).toContain('通称名が登録されていません');
  });

  it('a 減免券 only from a 交付 decision of the same person; a 接種記録の証明 from the valid records', () => {
    expect(refusal(() => s.core.lifecycle.issue(clerk, req('yobou_genmen', 'elder', { details: { vaccine: '高齢者インフルエンザ', claimNo: 'X' } }))).message).toContain('交付」と決定された減免申請');
    // Issue 14 §5: a 減免券 is not for a 36-year-old, whatever claim number is sent.
    expect(refusal(() => s.core.lifecycle.issue(clerk, req('yobou_genmen', 'testParent', { details: { vaccine: '高齢者インフルエンザ', claimNo: 'X' } }))).message).toContain('65歳以上');
    // …and no 国保 certificate without 国保 資格 (a 協会けんぽ member): prepare and issue refuse, audited.
    expect(refusal(() => s.core.lifecycle.prepare(clerk, 'kokuho_shikaku', person('shahoMember').id)).message).toContain('国保の資格がありません');
    const forced = refusal(() => s.core.lifecycle.issue(clerk, req('kokuho_shikaku', 'shahoMember')));
    expect(forced.code).toBe('RULE');
    expect(forced.message).toContain('国保の資格がありません');
    const why = s.core.db.prepare(`SELECT detail AS d FROM audit_log WHERE action = 'certificates.issue' AND outcome <> 'success' ORDER BY seq DESC LIMIT 1`).get() as { d: string };
    expect(JSON.parse(why.d).why).toBe('ineligible');
    s.core.vaccinations.add(clerk, person('testChild').id, { vaccine: 'mr', stage: '1期', doseNumber: 1, administeredOn: '2016-05-10', lotNumber: 'Y1', institution: '梅田こどもクリニック', overseas: false } as never);
    const prep = s.core.lifecycle.prepare(clerk, 'yobou_shomei', person('testChild').id);
    expect(prep.vaccinationRecords).toHaveLength(1);
    const cert = s.core.lifecycle.issue(clerk, req('yobou_shomei', 'testChild', { details: { records: prep.vaccinationRecords, purpose: null } }));
    expect(s.core.lifecycle.printView(clerk, cert.id).fields.find((f) => f.key === 'record0')?.value).toContain('MR');
  });
});

describe('lifecycle', () => {
  it('更新 and 再交付 supersede the valid one and put it on the 回収 list; 回収 takes it off with date and 区分', () => {
    const first = s.core.lifecycle.issue(clerk, req('kokuho_shikaku', 'testParent'));
    expect(refusal(() => s.core.lifecycle.issue(clerk, req('kokuho_shikaku', 'testParent'))).message).toContain('更新か再交付');
    const renewed = s.core.lifecycle.issue(clerk, req('kokuho_shikaku', 'testParent', { issueKind: 'renew' }));
    expect(refusal(() => s.core.lifecycle.issue(clerk, req('kokuho_shikaku', 'testParent', { issueKind: 'reissue' }))).message).toContain('再交付の事由');
    const reissued = s.core.lifecycle.issue(clerk, req('kokuho_shikaku', 'testParent', { issueKind: 'reissue', reissueReason: '紛失' }));
    const list = s.core.lifecycle.recallList(clerk);
    expect(list.map((c) => [c.certificateNo, c.endReason])).toEqual([
      [first.certificateNo, '更新'],
      [renewed.certificateNo, '再交付（紛失）'],
    ]);
    expect(count(s.core.db, `SELECT count(*) AS n FROM certificates WHERE resident_id = ? AND cert_type = 'kokuho_shikaku' AND status = 'valid'`, person('testParent').id)).toBe(1);
    const old = must(list[0]);
    expect(refusal(() => s.core.lifecycle.recall(clerk, { certificateId: reissued.id, version: reissued.version, date: '2026-11-22', kind: '返納' })).message).toContain('有効な証は回収できません');
    const back = s.core.lifecycle.recall(clerk, { certificateId: old.id, version: old.version, date: '2026-11-22', kind: '返納' });
    expect(back).toMatchObject({ recallStatus: 'recalled', recallDate: '2026-11-22', recallKind: '返納' });
    expect(s.core.lifecycle.recallList(clerk).map((c) => c.certificateNo)).toEqual([renewed.certificateNo]);
    const events = s.core.lifecycle.lifecycle(clerk, person('testParent').id).events.map((e) => `${e.certificateNo}:${e.event}`);
    expect(events).toEqual(expect.arrayContaining([`${first.certificateNo}:issue`, `${first.certificateNo}:supersede`, `${first.certificateNo}:recall`, `${renewed.certificateNo}:renew`, `${reissued.certificateNo}:reissue`]));
  });

  it('訂正 makes a new certificate and marks the old; 取消 ends it and lists it for 回収; all audited', () => {
    const c = s.core.lifecycle.issue(clerk, req('kokuho_gendogaku', 'testParent', { details: { kubun: 'ウ' } }));
    // A 訂正 cannot give another 限度区分 than the 資格's 所得区分.
    expect(refusal(() => s.core.lifecycle.correct(clerk, { certificateId: c.id, version: c.version, details: { kubun: 'エ' }, nameChoice: 'real', printSex: true, reason: '所得区分の誤り' })).message).toContain('区分は「ウ」です');
    const fixed = s.core.lifecycle.correct(clerk, { certificateId: c.id, version: c.version, details: { kubun: 'ウ' }, nameChoice: 'real', printSex: false, reason: '性別記載の誤り' });
    expect(fixed).toMatchObject({ issueKind: 'correct', details: { kubun: 'ウ' }, validTo: c.validTo });
    const old = must(s.core.lifecycle.lifecycle(clerk, person('testParent').id).certificates.find((x) => x.id === c.id));
    expect(old).toMatchObject({ status: 'superseded', endReason: '訂正（性別記載の誤り）', recallStatus: 'pending' });
    const cancelled = s.core.lifecycle.cancel(clerk, { certificateId: fixed.id, version: fixed.version, reason: '資格喪失（転出）' });
    expect(cancelled).toMatchObject({ status: 'cancelled', recallStatus: 'pending' });
    expect(auditOf(s.core.db, 'certificates.correct')).toHaveLength(1);
    expect(auditOf(s.core.db, 'certificates.cancel')[0]?.reason).toBe('資格喪失（転出）');
  });

  it('no number is ever used twice: two processes issue at the same time on one database', async () => {
    // 60 国保 members (a 限度額適用認定証 is only for them).
    const ids = s.core.db.prepare(`SELECT r.id FROM residents r JOIN health_insurance h ON h.resident_id = r.id WHERE length(h.insurer_no) = 6 ORDER BY r.atena_no LIMIT 60`).all().map((r) => (r as { id: string }).id);
    expect(ids).toHaveLength(60);
    s.core.close();
    const run = promisify(execFile);
    const files = [ids.slice(0, 30), ids.slice(30, 60)].map((part, i) => {
      const f = join(s.dataDir, `ids-${i}.json`);
      writeFileSync(f, JSON.stringify(part));
      return f;
    });
    const worker = join(import.meta.dirname, 'issue-worker.ts');
    const ready = [0, 1].map((i) => join(s.dataDir, `ready-${i}`));
    const outs = await Promise.all(files.map((f, i) => run(process.execPath, ['--import', 'tsx', worker, s.dataDir, RESOURCES_DIR, 'kokuho_gendogaku', f, ready[i]!, ready[1 - i]!], { cwd: process.cwd(), timeout: 120_000 })));
    const results = outs.map((o) => JSON.parse(o.stdout) as { numbers: string[]; startedAt: number; endedAt: number });
    const numbers = results.flatMap((r) => r.numbers);
    expect(numbers).toHaveLength(60);
    expect(new Set(numbers).size).toBe(60);
    const db = openDatabase({ path: databasePath(s.dataDir), keyProvider: new FileKeyProvider(keyFilePath(s.dataDir)) });
    expect(count(db, `SELECT count(DISTINCT certificate_no) AS n FROM certificates WHERE cert_type = 'kokuho_gendogaku'`)).toBe(60);
    db.close();
    // The two ran at the same time (their issuing periods overlap); one waited for the other's write lock.
    const [a, b] = results as [(typeof results)[0], (typeof results)[0]];
    expect(a.startedAt < b.endedAt && b.startedAt < a.endedAt).toBe(true);
  }, 180_000);
});

describe('who sees which certificates', () => {
  it('the history shows a person only the certificates of the 事務 the member of staff works in', () => {
    const kokuho = s.core.lifecycle.issue(clerk, req('kokuho_shikaku', 'testParent'));
    expect(count(s.core.db, `SELECT count(*) AS n FROM certificates`)).toBe(1);
    // A clerk of こども医療 only, with resident.view: no 国保 資格確認書, not even its events.
    const kodomoOnly: Actor = { ...clerk, staffId: 'D1099', rights: ['resident.search', 'resident.view', 'kodomo:certificate.issue'] };
    const seen = s.core.lifecycle.lifecycle(kodomoOnly, person('testParent').id);
    expect(seen.certificates).toEqual([]);
    expect(seen.events).toEqual([]);
    // Someone of the 国保 事務 sees it.
    expect(s.core.lifecycle.lifecycle(clerk, person('testParent').id).certificates.map((c) => c.id)).toEqual([kokuho.id]);
  });
});

describe('回収通知', () => {
  it('a certificate on the 回収 list gets a printable return request; print safety applies; the mailing is recorded', async () => {
    const first = s.core.lifecycle.issue(clerk, req('kokuho_shikaku', 'testParent'));
    expect(() => s.core.lifecycle.recallNoticeView(clerk, first.id)).toThrow(/回収待ちの証ではありません/);
    s.core.lifecycle.issue(clerk, req('kokuho_shikaku', 'testParent', { issueKind: 'reissue', reissueReason: '紛失' }));
    const v = s.core.lifecycle.recallNoticeView(clerk, first.id);
    expect(v.fields.find((f) => f.key === 'certificate')?.value).toBe(`国民健康保険 資格確認書（番号 ${first.certificateNo}）`);
    expect(v.fields.find((f) => f.key === 'reason')?.value).toBe('再交付（紛失）');
    expect(v.fields.find((f) => f.key === 'address')?.value).toBe(person('testParent').address);
    s.core.db.prepare(`UPDATE residents SET address = '大阪市北区転居先1-1' WHERE id = ?`).run(person('testParent').id);
    await expect(s.core.lifecycle.printRecallNotice(clerk, { certificateId: first.id, printerName: '窓口プリンタ1', fingerprint: v.fingerprint }, 'x')).rejects.toThrow(/住所（プレビュー/);
    const again = s.core.lifecycle.recallNoticeView(clerk, first.id);
    await s.core.lifecycle.printRecallNotice(clerk, { certificateId: first.id, printerName: '窓口プリンタ1', fingerprint: again.fingerprint }, 'x');
    expect(s.printer.jobs).toHaveLength(1);
    const events = s.core.lifecycle.lifecycle(clerk, person('testParent').id).events.filter((e) => e.certificateId === first.id).map((e) => `${e.event}:${e.reason ?? ''}`);
    expect(events).toContain('mail:回収通知');
    // DV: the address on the letter is withheld like on the certificate.
    const dv = s.core.lifecycle.issue(clerk, req('kokuho_shikaku', 'dvParent'));
    s.core.lifecycle.cancel(clerk, { certificateId: dv.id, version: dv.version, reason: '資格喪失' });
    expect(s.core.lifecycle.recallNoticeView(clerk, dv.id).fields.find((f) => f.key === 'address')?.value).toBe('');
  });
});

describe('こども医療証 through the one certificate path (certificates.issue)', () => {
  const router = () => new IpcRouter(s.core, { error: () => undefined });
  const kodomo = (key: string, guardian: string | null, over: Partial<IssueRequest> = {}) =>
    req('kodomo', key, { printSex: true, details: guardian === null ? {} : { guardianId: person(guardian).id }, ...over });
  type Envelope = { ok: boolean; data?: Record<string, unknown>; error?: { code: string; message: string; fieldErrors?: Record<string, string> } };
  const call = async (channel: 'certificates.issue' | 'certificates.recallList' | 'certificates.printFields', payload: unknown, r = router()) => (await r.handle({ senderId: 'c' }, channel, payload)) as Envelope;

  it('a 再交付 puts the old こども医療証 on the 回収リスト (回収待ち, with the 再交付 reason); the new one is the only valid one', async () => {
    const r = router();
    const first = await call('certificates.issue', kodomo('testChild', 'testParent'), r);
    expect(first.ok, JSON.stringify(first.error)).toBe(true);
    const again = await call('certificates.issue', kodomo('testChild', 'testParent', { issueKind: 'reissue', reissueReason: '紛失' }), r);
    expect(again.ok, JSON.stringify(again.error)).toBe(true);
    const list = await call('certificates.recallList', {}, r);
    const pending = (list.data?.certificates as { id: string; type: string; status: string; recallStatus: string; endReason: string | null }[]).filter((c) => c.type === 'kodomo');
    expect(pending).toEqual([expect.objectContaining({ id: first.data?.id, status: 'superseded', recallStatus: 'pending', endReason: '再交付（紛失）' })]);
    expect(count(s.core.db, `SELECT count(*) AS n FROM certificates WHERE resident_id = ? AND cert_type = 'kodomo' AND status = 'valid'`, person('testChild').id)).toBe(1);
    expect(again.data).toMatchObject({ issueKind: 'reissue', reissueReason: '紛失', status: 'valid' });
  });

  it('a こども医療証 names a 保護者 of the child: none, or someone else, is refused in Japanese; the one named is recorded and printed', async () => {
    const none = await call('certificates.issue', kodomo('testChild', null));
    expect(none).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(none.error?.fieldErrors?.['details.guardianId']).toContain('保護者');
    const stranger = await call('certificates.issue', kodomo('testChild', 'dvParent'));
    expect(stranger).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(stranger.error?.fieldErrors?.['details.guardianId']).toContain('保護者');
    expect(count(s.core.db, `SELECT count(*) AS n FROM certificates WHERE cert_type = 'kodomo'`)).toBe(0);
    expect(auditOf(s.core.db, 'certificates.issue').map((e) => e.outcome)).toEqual(['rejected', 'rejected']);

    const ok = await call('certificates.issue', kodomo('testChild', 'testParent'));
    expect(ok.ok, JSON.stringify(ok.error)).toBe(true);
    expect(s.core.db.prepare('SELECT guardian_id FROM certificates WHERE id = ?').pluck().get(ok.data?.id)).toBe(person('testParent').id);
    const printed = await call('certificates.printFields', { certificateId: ok.data?.id });
    const fields = printed.data?.fields as { key: string; value: string }[];
    expect(fields.find((f) => f.key === 'guardian')?.value).toBe('試験　花子');
  });
});

describe('こども医療証 rows written before the one path', () => {
  it('keep their 保護者 (guardian_id): shown as a detail, printed, carried by 訂正, and reissued onto the 回収リスト', async () => {
    const child = person('testChild');
    const parent = person('testParent');
    // Exactly the columns the retired こども-only service wrote (details_json, recall_status … take their defaults).
    const oldId = insertRecord(s.core.db, 'certificates', {
      resident_id: child.id, cert_type: 'kodomo', certificate_no: '9000001', public_payer_no: '88270103', issue_kind: 'new', reissue_reason: null,
      issue_date: '2026-04-01', valid_from: '2026-04-01', valid_to: '2034-03-31', guardian_id: parent.id, status: 'valid', superseded_by: null,
    }, { by: 'D1001', at: '2026-04-01T01:00:00.000Z' });
    const old = must(s.core.lifecycle.lifecycle(clerk, child.id).certificates.find((c) => c.id === oldId));
    expect(old).toMatchObject({ type: 'kodomo', status: 'valid', recallStatus: 'none', details: { guardianId: parent.id } });
    const fields = s.core.lifecycle.printView(clerk, oldId).fields;
    expect(fields.find((f) => f.key === 'guardian')?.value).toBe(parent.nameKanji);
    expect(fields.find((f) => f.key === 'address')?.value).toBe(parent.address);

    // 訂正 (through the form's details, which carry the guardian) keeps the 保護者 on the new certificate.
    const fixed = s.core.lifecycle.correct(clerk, { certificateId: oldId, version: old.version, details: old.details, nameChoice: 'real', printSex: true, reason: '氏名の誤り' });
    expect(s.core.db.prepare('SELECT guardian_id FROM certificates WHERE id = ?').pluck().get(fixed.id)).toBe(parent.id);
    expect(fixed.details).toEqual({ guardianId: parent.id });
    // 再交付 of it through certificates.issue: both earlier ones wait on the 回収リスト.
    const again = s.core.lifecycle.issue(clerk, req('kodomo', 'testChild', { issueKind: 'reissue', reissueReason: '破損', details: fixed.details }));
    expect(s.core.lifecycle.recallList(clerk).filter((c) => c.type === 'kodomo').map((c) => [c.id, c.recallStatus])).toEqual([
      [oldId, 'pending'],
      [fixed.id, 'pending'],
    ]);
    expect(again).toMatchObject({ status: 'valid', details: { guardianId: parent.id } });
  });
});

describe('こども医療証 superseded by the retired こども-only service', () => {
  it('reach the 回収リスト (that service left their recall status at none), get a 回収通知, and can be recorded as returned', async () => {
    const child = person('testChild');
    const parent = person('testParent');
    const s0 = { by: 'D1001', at: '2026-04-01T01:00:00.000Z' };
    const common = { resident_id: child.id, cert_type: 'kodomo', public_payer_no: '88270103', issue_date: '2026-04-01', valid_from: '2026-04-01', valid_to: '2034-03-31', guardian_id: parent.id, superseded_by: null };
    // What the old path wrote on a 再交付: the old card superseded (recall_status left 'none'), a new valid one.
    const oldId = insertRecord(s.core.db, 'certificates', { ...common, certificate_no: '9000001', issue_kind: 'new', reissue_reason: null, status: 'superseded' }, s0);
    insertRecord(s.core.db, 'certificates', { ...common, certificate_no: '9000002', issue_kind: 'reissue', reissue_reason: '紛失', status: 'valid' }, s0);
    expect(s.core.lifecycle.recallList(clerk).map((c) => [c.id, c.recallStatus])).toEqual([[oldId, 'pending']]);
    expect(s.core.lifecycle.recallNoticeView(clerk, oldId).fields.find((f) => f.key === 'address')?.value).toBe(parent.address);
    const version = must(s.core.lifecycle.lifecycle(clerk, child.id).certificates.find((c) => c.id === oldId)).version;
    s.core.lifecycle.recall(clerk, { certificateId: oldId, version, date: '2026-11-22', kind: '返納' });
    expect(s.core.lifecycle.recallList(clerk)).toEqual([]);
  });
});

describe('channels', () => {
  it('the history (certificates.lifecycle) holds the こども医療証 with its 保護者 beside the other types, within its contract', async () => {
    const router = new IpcRouter(s.core, { error: () => undefined });
    s.core.lifecycle.issue(clerk, req('kokuho_shikaku', 'testChild'));
    const k = s.core.lifecycle.issue(clerk, req('kodomo', 'testChild', { details: { guardianId: person('testParent').id } }));
    s.core.lifecycle.cancel(clerk, { certificateId: k.id, version: k.version, reason: '転出' });
    const h = await router.handle({ senderId: 'c' }, 'certificates.lifecycle', { residentId: person('testChild').id });
    expect(h).toMatchObject({ ok: true });
    const data = (h as { data: { certificates: { id: string; type: string; status: string; details: Record<string, unknown> }[]; events: { certificateId: string; event: string }[] } }).data;
    expect(data.certificates).toHaveLength(2);
    const kodomo = data.certificates.filter((c) => c.type === 'kodomo');
    expect(kodomo.map((c) => [c.type, c.status])).toEqual([['kodomo', 'cancelled']]);
    expect(kodomo[0]?.details).toEqual({ guardianId: person('testParent').id });
    expect(data.events.filter((e) => e.certificateId === k.id).map((e) => e.event).sort()).toEqual(['cancel', 'issue']);
  });
});

describe('print safety and DV等支援措置', () => {
  it('a field changed after the preview blocks the print with an explanation; a fresh preview prints', async () => {
    const c = s.core.lifecycle.issue(clerk, req('kokuho_shikaku', 'testParent'));
    const view = s.core.lifecycle.printView(clerk, c.id);
    // A data migration rewrites the person's address between preview and print.
    s.core.db.prepare(`UPDATE residents SET address = '大阪市北区別人の住所1-1' WHERE id = ?`).run(person('testParent').id);
    await expect(s.core.lifecycle.print(clerk, { certificateId: c.id, printerName: '窓口プリンタ1', fingerprint: view.fingerprint }, 'x')).rejects.toThrow(/住所（プレビュー: .*梅田.* → 現在: 大阪市北区別人の住所1-1）/);
    expect(s.printer.jobs).toHaveLength(0);
    expect(auditOf(s.core.db, 'certificates.print').at(-1)).toMatchObject({ outcome: 'rejected', detail: { why: 'changed_since_preview', fields: ['住所'] } });
    const again = s.core.lifecycle.printView(clerk, c.id);
    await s.core.lifecycle.print(clerk, { certificateId: c.id, printerName: '窓口プリンタ1', fingerprint: again.fingerprint }, 'x');
    expect(s.printer.jobs).toHaveLength(1);
  });

  it('without a preview there is no print; a forged fingerprint is refused', async () => {
    const c = s.core.lifecycle.issue(clerk, req('kokuho_shikaku', 'testParent'));
    await expect(s.core.lifecycle.print(clerk, { certificateId: c.id, printerName: '窓口プリンタ1', fingerprint: 'a'.repeat(64) }, 'x')).rejects.toThrow(/プレビューを表示/);
    s.core.lifecycle.printView(clerk, c.id);
    await expect(s.core.lifecycle.print(clerk, { certificateId: c.id, printerName: '窓口プリンタ1', fingerprint: 'a'.repeat(64) }, 'x')).rejects.toThrow(/印刷を止めました/);
  });

  it('DV: the address is withheld until a 所属長 releases it for today; the release is audited; a clerk cannot release', () => {
    const c = s.core.lifecycle.issue(clerk, req('kokuho_shikaku', 'dvParent'));
    const before = s.core.lifecycle.printView(clerk, c.id);
    expect(before).toMatchObject({ restricted: true, released: false });
    expect(before.fields.find((f) => f.key === 'address')?.value).toBe('');
    expect(refusal(() => s.core.lifecycle.releaseDv(clerk, { certificateId: c.id, reason: '本人の依頼により郵送' })).code).toBe('FORBIDDEN');
    s.core.lifecycle.releaseDv(approver, { certificateId: c.id, reason: '本人の依頼により郵送' });
    const after = s.core.lifecycle.printView(clerk, c.id);
    expect(after.released).toBe(true);
    expect(after.fields.find((f) => f.key === 'address')?.value).toBe(person('dvParent').address);
    expect(auditOf(s.core.db, 'certificates.dvRelease').map((e) => [e.staffId, e.outcome, e.reason])).toEqual([
      ['D1001', 'rejected', null],
      ['D7001', 'success', '本人の依頼により郵送'],
    ]);
  });
});
