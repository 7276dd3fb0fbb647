import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clockFrom } from '../../../testing/clock';
import { createSeededCore, type SeededCore, loginSeeded } from '../../../testing/core';
import type { ResidentSeed } from '../../../testing/seed';
import { auditOf, count, must } from '../../../testing/db';
import { domainErrorOf as domainError, domainErrorOfAsync } from '../../../testing/errors';
import type { RequestOf } from '../../../shared/ipc/contract';
import { isValidRecipientNumber } from '../../../shared/domain/houbetsu';
import type { Actor } from '../actor';
import type { IssueRequest } from '../certificates/lifecycle-service';
import { uuidv7 } from '../db/records';
import { MYNUMBER_OFFLINE, WITHHELD_ADDRESS } from '../residents/resident-service';

let s: SeededCore;
let clerk: Actor;
let revealer: Actor;
const edge = (name: string): ResidentSeed => must(s.edges.byName[name], name);

beforeEach(async () => {
  s = await createSeededCore({ clock: clockFrom('2026-11-22T01:00:00Z'), households: 20 });
  clerk = await loginSeeded(s, 's1', 'D1001');
  revealer = await loginSeeded(s, 's2', 'D1002');
});
afterEach(() => s.cleanup());

/** Every key anywhere in a value, recursively. */
function keysOf(v: unknown): string[] {
  if (Array.isArray(v)) return v.flatMap(keysOf);
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => [k, ...keysOf(x)]);
  return [];
}

function expectNoMyNumber(value: unknown, ...numbers: (string | null)[]): void {
  const json = JSON.stringify(value);
  for (const n of numbers) expect(json).not.toContain(must(n));
  expect(keysOf(value).filter((k) => /^(my_?number|個人番号)$/i.test(k))).toEqual([]);
}

describe('resident search', () => {
  const search = (q: RequestOf<'residents.search'>) => s.core.residents.search(clerk, q).results;
  const ids = (q: RequestOf<'residents.search'>) => search(q).map((r) => r.id).sort();

  it('finds the same people by kana prefix in katakana, hiragana, half-width and with spaces', () => {
    const expected = [edge('testParent').id, edge('testChild').id].sort();
    expect(ids({ kana: 'シケン' })).toEqual(expected);
    expect(ids({ kana: 'しけん' })).toEqual(expected);
    expect(ids({ kana: 'ｼｹﾝ' })).toEqual(expected);
    expect(ids({ kana: 'シ ケン' })).toEqual(expected);
    expect(ids({ kana: 'しけん　たろう' })).toEqual([edge('testChild').id]);
    expect(ids({ kana: 'ｼｹﾝ ﾀﾛｳ' })).toEqual([edge('testChild').id]);
  });

  it('finds by birth date and by 宛名番号', () => {
    const child = edge('testChild');
    const byBirth = search({ birthDate: child.birthDate });
    expect(byBirth.map((r) => r.id)).toContain(child.id);
    expect(byBirth.every((r) => r.birthDate === child.birthDate)).toBe(true);
    expect(ids({ atenaNo: child.atenaNo })).toEqual([child.id]);
    expect(ids({ kana: 'シケン', birthDate: '1990-06-15' })).toEqual([edge('testParent').id]);
  });

  it('never finds or shows a resident whose viewing is suspended', async () => {
    const sus = edge('suspended');
    expect(ids({ atenaNo: sus.atenaNo })).toEqual([]);
    expect(ids({ kana: 'エツラン' })).toEqual([]);
    expect(ids({ birthDate: sus.birthDate })).not.toContain(sus.id);
    expect(domainError(() => s.core.residents.get(clerk, sus.id, '窓口申請')).code).toBe('NOT_FOUND');
    expect((await domainErrorOfAsync(() => s.core.residents.revealMyNumber(revealer, sus.id, '窓口申請'))).code).toBe('NOT_FOUND');
  });

  it('masks the address of DV等支援措置 and 不開示 residents in results', () => {
    const results = search({ kana: 'シエン' });
    expect(results.map((r) => r.id).sort()).toEqual([edge('dvParent').id, edge('dvChild').id].sort());
    for (const r of results) {
      expect(r.address).toBe(WITHHELD_ADDRESS);
      expect(r.flags.dvSupport).toBe(true);
    }
    expect(JSON.stringify(results)).not.toContain('中央区');
    expect(search({ atenaNo: edge('nonDisclosure').atenaNo })[0]?.address).toBe(WITHHELD_ADDRESS);
    expect(search({ atenaNo: edge('testParent').atenaNo })[0]?.address).toBe(edge('testParent').address);
  });

  it('reads a record only with a 処理事由, and audits the refusal of one without (the reason opened with goes to the entry)', async () => {
    const child = edge('testChild');
    for (const blank of ['', '  ']) {
      expect(domainError(() => s.core.residents.get(clerk, child.id, blank)).code).toBe('VALIDATION');
      expect((await domainErrorOfAsync(() => s.core.residents.revealMyNumber(revealer, child.id, blank))).code).toBe('VALIDATION');
    }
    expect(auditOf(s.core.db, 'residents.view').map((e) => [e.outcome, e.detail.why])).toEqual([
      ['rejected', 'no_reason'],
      ['rejected', 'no_reason'],
    ]);
    expect(auditOf(s.core.db, 'residents.revealMyNumber').map((e) => e.outcome)).toEqual(['rejected', 'rejected']);
    s.core.residents.get(clerk, child.id, '電話照会');
    expect(auditOf(s.core.db, 'residents.view').at(-1)).toMatchObject({ outcome: 'success', reason: '電話照会', targetAtenaNo: child.atenaNo });
  });

  // The number itself comes from the central server (electron/core/residents/__tests__/mynumber-online.test.ts); this
  // terminal has none configured.
  it('without a central server the reveal is refused with the offline message, audited as refused', async () => {
    const e = await domainErrorOfAsync(() => s.core.residents.revealMyNumber(revealer, edge('testChild').id, '審査'));
    expect([e.code, e.message]).toEqual(['RULE', MYNUMBER_OFFLINE]);
    expect(auditOf(s.core.db, 'residents.revealMyNumber').map((x) => [x.outcome, x.reason, x.detail.why])).toEqual([['rejected', '審査', 'offline_not_configured']]);
  });

  it('no search result or resident detail contains the 個人番号', () => {
    const child = edge('testChild');
    const parent = edge('testParent');
    for (const q of [{ kana: 'シケン' }, { birthDate: child.birthDate }, { atenaNo: child.atenaNo }]) {
      const r = s.core.residents.search(revealer, q);
      expect(r.results.length).toBeGreaterThan(0);
      expectNoMyNumber(r, child.myNumber, parent.myNumber);
    }
    const detail = s.core.residents.get(revealer, child.id, '窓口申請');
    expect(detail.hasMyNumber).toBe(true);
    expect(detail.guardians.map((g) => g.id)).toEqual([parent.id]);
    expectNoMyNumber(detail, child.myNumber, parent.myNumber);
    expectNoMyNumber(s.core.residents.get(revealer, parent.id, '窓口申請'), child.myNumber, parent.myNumber);
  });

  it('audits each search with the normalised query and the result count', () => {
    const n = search({ kana: 'しけん' }).length;
    search({ atenaNo: '999999999' });
    const entries = auditOf(s.core.db, 'residents.search');
    expect(entries.map((e) => [e.staffId, e.outcome, e.detail.resultCount])).toEqual([
      ['D1001', 'success', n],
      ['D1001', 'success', 0],
    ]);
    expect(entries[0]?.detail.query).toEqual({ kana: 'シケン' });
  });
});

describe('個人番号 reveal', () => {
  it('a member of staff without the grant is FORBIDDEN', async () => {
    expect((await domainErrorOfAsync(() => s.core.residents.revealMyNumber(clerk, edge('testChild').id, '審査'))).code).toBe('FORBIDDEN');
    expect(auditOf(s.core.db, 'residents.revealMyNumber').filter((e) => e.outcome === 'success')).toEqual([]);
  });

  it('a resident without a registered number is NOT_FOUND, audited', async () => {
    expect((await domainErrorOfAsync(() => s.core.residents.revealMyNumber(revealer, edge('noMyNumber').id, '審査'))).code).toBe('NOT_FOUND');
    expect(auditOf(s.core.db, 'residents.revealMyNumber').map((e) => e.outcome)).toEqual(['rejected']);
  });
});

describe('こども医療証 (one type of the certificate table, issued through the lifecycle)', () => {
  const guardianOf: Record<string, string> = { testChild: 'testParent', born0401: 'boundaryParent', dvChild: 'dvParent' };
  /** A こども医療証 request; `guardianId` (null: none named) goes into its details. */
  const req = (child: string, over: Partial<Omit<IssueRequest, 'type' | 'residentId'>> & { guardianId?: string | null } = {}): IssueRequest => {
    const { guardianId = edge(must(guardianOf[child])).id, ...rest } = over;
    return { type: 'kodomo', residentId: edge(child).id, issueKind: 'new', reissueReason: null, details: { guardianId }, nameChoice: 'real', printSex: true, residentVersion: 1, ...rest };
  };
  const issue = (child: string, over: Parameters<typeof req>[1] = {}) => s.core.lifecycle.issue(clerk, req(child, over));
  const issueAudit = () => auditOf(s.core.db, 'certificates.issue');
  const certCount = () => count(s.core.db, 'SELECT count(*) AS n FROM certificates');
  const field = (fields: { key: string; value: string }[], key: string) => fields.find((f) => f.key === key)?.value;

  it('new issue: valid 7-digit number, validity to 18歳年度末, events, outbox and audit', () => {
    const c = issue('testChild');
    expect(c.certificateNo).toMatch(/^\d{7}$/);
    expect(isValidRecipientNumber(c.certificateNo)).toBe(true);
    expect(c).toMatchObject({ issueKind: 'new', status: 'valid', issueDate: '2026-11-22', validFrom: '2026-11-22', validTo: '2034-03-31', issuedBy: 'D1001' });
    const outbox = s.core.db.prepare(`SELECT op FROM outbox WHERE entity = 'certificates' AND entity_id = ?`).pluck().all(c.id);
    expect(outbox).toEqual(['insert']);
    expect(count(s.core.db, `SELECT count(*) AS n FROM outbox WHERE entity = 'certificate_events'`)).toBe(1);
    expect(issueAudit().map((e) => [e.outcome, e.targetAtenaNo, e.detail.certificateNo])).toEqual([['success', edge('testChild').atenaNo, c.certificateNo]]);
  });

  it('a second new issue is refused; 再交付 supersedes with a new number; numbers are never reused', () => {
    const first = issue('testChild');
    const again = domainError(() => issue('testChild'));
    expect(again.code).toBe('RULE');
    expect(again.fieldErrors?.issueKind).toBeDefined();
    expect(certCount()).toBe(1);

    const second = issue('testChild', { issueKind: 'reissue', reissueReason: '紛失' });
    expect(second.certificateNo).not.toBe(first.certificateNo);
    expect(isValidRecipientNumber(second.certificateNo)).toBe(true);
    const rows = s.core.db.prepare('SELECT id, certificate_no, status, superseded_by FROM certificates ORDER BY created_at, id').all();
    expect(rows).toEqual([
      { id: first.id, certificate_no: first.certificateNo, status: 'superseded', superseded_by: second.id },
      { id: second.id, certificate_no: second.certificateNo, status: 'valid', superseded_by: null },
    ]);
    const third = issue('testChild', { issueKind: 'reissue', reissueReason: '破損' });
    const numbers = (s.core.db.prepare('SELECT certificate_no FROM certificates').pluck().all() as string[]);
    expect(new Set(numbers).size).toBe(3);
    expect(numbers).toContain(third.certificateNo);
    expect(count(s.core.db, `SELECT count(*) AS n FROM certificates WHERE status = 'valid'`)).toBe(1);
    const h = s.core.lifecycle.lifecycle(clerk, edge('testChild').id);
    expect(h.events.map((e) => e.event).sort()).toEqual(['issue', 'reissue', 'reissue', 'supersede', 'supersede']);
    expect(count(s.core.db, `SELECT count(*) AS n FROM outbox WHERE entity = 'certificates' AND entity_id = ? AND op = 'update'`, first.id)).toBeGreaterThan(0);
    expect(issueAudit().map((e) => e.outcome)).toEqual(['success', 'rejected', 'success', 'success']);
    // The number can never be issued again, whatever the status of its certificate.
    expect(() =>
      s.core.db
        .prepare(`INSERT INTO certificates (id, created_at, created_by, updated_at, updated_by, resident_id, cert_type, certificate_no, public_payer_no, issue_kind, issue_date, valid_from, valid_to, status)
                  VALUES (?, 'x', 'x', 'x', 'x', ?, 'kodomo', ?, '88270103', 'new', '2026-11-22', '2026-11-22', '2027-03-31', 'superseded')`)
        .run(uuidv7(), edge('orphan').id, first.certificateNo),
    ).toThrow(/UNIQUE/);
  });

  it('refuses a child whose eligibility ended (born 4/1, ended 2026-03-31) with RULE, audited', () => {
    const e = domainError(() => issue('born0401'));
    expect(e.code).toBe('RULE');
    expect(e.message).toContain('18歳年度末');
    expect(certCount()).toBe(0);
    expect(issueAudit().map((x) => [x.outcome, x.targetAtenaNo])).toEqual([['rejected', edge('born0401').atenaNo]]);
  });

  it('a stale resident version is a CONFLICT; a guardian who is not the child’s is VALIDATION; both audited', () => {
    s.core.db.prepare(`UPDATE residents SET version = 2 WHERE id = ?`).run(edge('testChild').id);
    expect(domainError(() => issue('testChild')).code).toBe('CONFLICT');
    const v = domainError(() => issue('testChild', { residentVersion: 2, guardianId: edge('dvParent').id }));
    expect(v.code).toBe('VALIDATION');
    expect(v.fieldErrors?.['details.guardianId']).toBeDefined();
    expect(domainError(() => issue('testChild', { residentVersion: 2, guardianId: null })).code).toBe('VALIDATION');
    expect(certCount()).toBe(0);
    expect(issueAudit().map((x) => x.outcome)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(issue('testChild', { residentVersion: 2 }).status).toBe('valid');
    // A child with no 保護者 in the resident data cannot be issued one at all.
    const orphan = domainError(() => issue('orphan', { guardianId: edge('testParent').id }));
    expect([orphan.code, orphan.message]).toEqual(['RULE', '保護者が登録されていないため交付できません。住民記録を確認してください。']);
    expect(issueAudit().map((x) => [x.outcome, x.targetAtenaNo])).toContainEqual(['rejected', edge('orphan').atenaNo]);
  });

  it('an exhausted number block is refused with RULE, audited, and nothing is issued', () => {
    s.core.db.prepare('UPDATE number_blocks SET next_serial = last_serial + 1').run();
    expect(domainError(() => issue('testChild')).code).toBe('RULE');
    expect(certCount()).toBe(0);
    expect(issueAudit().map((x) => x.outcome)).toEqual(['rejected']);
  });

  it('the partial unique index refuses two valid certificates of a type for one person', () => {
    const insert = s.core.db.prepare(
      `INSERT INTO certificates (id, created_at, created_by, updated_at, updated_by, resident_id, cert_type, certificate_no, public_payer_no, issue_kind, issue_date, valid_from, valid_to, status)
       VALUES (?, 'x', 'x', 'x', 'x', ?, 'kodomo', ?, '88270103', 'new', '2026-11-22', '2026-11-22', '2027-03-31', ?)`,
    );
    const child = edge('orphan').id;
    insert.run(uuidv7(), child, '9000001', 'superseded');
    insert.run(uuidv7(), child, '9000002', 'valid');
    expect(() => insert.run(uuidv7(), child, '9000003', 'valid')).toThrow(/UNIQUE/);
    expect(count(s.core.db, `SELECT count(*) AS n FROM certificates WHERE resident_id = ? AND status = 'valid'`, child)).toBe(1);
  });

  it('printView shows the current records and is audited; printing a superseded certificate is refused', async () => {
    const first = issue('testChild');
    s.core.db.prepare('UPDATE residents SET name_kanji = ? WHERE id = ?').run('試験　次郎', edge('testChild').id);
    const view = s.core.lifecycle.printView(clerk, first.id);
    expect(view).toMatchObject({ restricted: false, released: false });
    expect(field(view.fields, 'certificateNo')).toBe(first.certificateNo);
    expect(field(view.fields, 'validTo')).toBe('2034-03-31');
    expect(field(view.fields, 'name')).toBe('試験　次郎');
    expect(field(view.fields, 'guardian')).toBe(edge('testParent').nameKanji);
    expect(field(view.fields, 'address')).toContain(edge('testParent').address);
    expectNoMyNumber(view, edge('testChild').myNumber, edge('testParent').myNumber);
    expect(auditOf(s.core.db, 'certificates.printPreview').map((e) => e.detail.certificateNo)).toEqual([first.certificateNo]);

    const { fingerprint } = view;
    expect((await s.core.lifecycle.print(clerk, { certificateId: first.id, printerName: '窓口プリンタ1', fingerprint }, 'x')).printedAt).toBeTruthy();
    issue('testChild', { issueKind: 'reissue', reissueReason: '紛失' });
    await expect(s.core.lifecycle.print(clerk, { certificateId: first.id, printerName: '窓口プリンタ1', fingerprint }, 'x')).rejects.toMatchObject({ code: 'RULE' });
    expect(auditOf(s.core.db, 'certificates.print').map((e) => e.outcome)).toEqual(['success', 'rejected']);
  });

  it('printView withholds the address of a DV等支援措置 child and guardian', () => {
    const c = issue('dvChild');
    const view = s.core.lifecycle.printView(clerk, c.id);
    expect(view).toMatchObject({ restricted: true, released: false });
    expect(field(view.fields, 'address')).toBe('');
    expect(field(view.fields, 'guardian')).toBe(edge('dvParent').nameKanji);
    expect(JSON.stringify(view)).not.toContain('中央区');
  });
});
