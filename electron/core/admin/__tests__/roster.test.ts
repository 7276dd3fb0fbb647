import Encoding from 'encoding-japanese';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clockFrom } from '../../../../testing/clock';
import { createSeededCore, type SeededCore } from '../../../../testing/core';
import { auditOf, count, must } from '../../../../testing/db';
import { domainErrorOf as domainError } from '../../../../testing/errors';
import { adminChannels, rosterPreview } from '../../../../shared/ipc/admin-contract';
import type { Role } from '../../../../shared/domain/rights';
import { verifyPassword } from '../../auth/passwords';
import type { Db } from '../../db/database';
import { insertRecord, updateRecord } from '../../db/records';
import type { Clock } from '../../platform';
import { ROSTER_ERRORS_NOT_APPLIED, ROSTER_PREVIEW_TTL_MS, RosterImport } from '../roster';
import type { StaffRow } from '../../auth/auth-service';

const HEADER = '職員ID,氏名,氏名カナ,所属,役割,状態';
const ADMIN = 'A0001';
const SEED = { by: 'SEED', at: '2026-03-25T00:00:00.000Z' };

let s: SeededCore;
let db: Db;
let roster: RosterImport;
/** Added to the real-time clock so a test can let 30 minutes pass. */
let offset: number;

type StaffRecord = StaffRow & { created_by: string };

function addStaff(staffId: string, name: string, nameKana: string, section: string, role: Role, disabled = 0): string {
  return insertRecord(
    db,
    'staff',
    { staff_id: staffId, name, name_kana: nameKana, section, role, password_hash: '$argon2id$v=19$placeholder', password_changed_at: SEED.at, disabled, demo: 0 },
    SEED,
  );
}

function addGrant(staffId: string, right: string, opts: { validFrom?: string; expiresAt?: string | null; revoked?: boolean } = {}): string {
  return insertRecord(
    db,
    'staff_grants',
    {
      staff_id: staffId,
      right_name: right,
      approved_by: 'A0009',
      reason: '事務分担（令和8年度）',
      valid_from: opts.validFrom ?? '2026-03-01T00:00:00.000Z',
      expires_at: opts.expiresAt ?? null,
      revoked_at: opts.revoked ? SEED.at : null,
      revoked_by: opts.revoked ? ADMIN : null,
    },
    SEED,
  );
}

const staff = (staffId: string): StaffRecord => must(db.prepare<[string], StaffRecord>('SELECT * FROM staff WHERE staff_id = ?').get(staffId), staffId);
const exists = (staffId: string): boolean => count(db, 'SELECT count(*) AS n FROM staff WHERE staff_id = ?', staffId) > 0;
const staffTable = () => db.prepare('SELECT * FROM staff ORDER BY staff_id').all();
const outboxRows = () => count(db, 'SELECT count(*) AS n FROM outbox');
const grants = (staffId: string) =>
  db
    .prepare<[string], { right_name: string; revoked_at: string | null; revoked_by: string | null; version: number; id: string }>(
      'SELECT id, right_name, revoked_at, revoked_by, version FROM staff_grants WHERE staff_id = ? ORDER BY right_name, valid_from',
    )
    .all(staffId);

const csv = (...lines: string[]): string => [HEADER, ...lines].join('\r\n') + '\r\n';
const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');
const utf8Bom = (text: string): Buffer => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(text)]);
const cp932 = (text: string): Buffer => Buffer.from(Encoding.convert(Encoding.stringToCode(text), { to: 'SJIS', from: 'UNICODE' }));

beforeEach(async () => {
  s = await createSeededCore({ clock: clockFrom('2026-04-01T00:00:00Z'), households: 2 });
  db = s.core.db;
  offset = 0;
  const base = s.core.clock;
  const clock: Clock = { now: () => new Date(base.now().getTime() + offset) };
  roster = new RosterImport(db, s.core.audit, clock);
  db.transaction(() => {
    addStaff(ADMIN, '管理　一郎', 'カンリ　イチロウ', '情報政策課', 'administrator');
    addStaff('S1001', '保険　太郎', 'ホケン　タロウ', '保険年金課', 'clerk');
    addStaff('S1002', '年金　花子', 'ネンキン　ハナコ', '保険年金課', 'checker');
    addStaff('S1003', '福祉　次郎', 'フクシ　ジロウ', 'こども青少年課', 'clerk', 1);
    addStaff('S1004', '退職　予定', 'タイショク　ヨテイ', '保険年金課', 'clerk');
    addStaff('S1005', '転出　五郎', 'テンシュツ　ゴロウ', 'こども青少年課', 'clerk');
  })();
});
afterEach(() => s.cleanup());

/** The 年度当初 roster: one unchanged, one moved and promoted, one back, one retired, one moved out, one new. */
const YEAR_START = csv(
  'A0001,管理　一郎,カンリ　イチロウ,情報政策課,システム管理者,在職',
  'S1001,保険　太郎,ほけん　たろう,こども青少年課,確認者,在職',
  'S1003,福祉　次郎,フクシ　ジロウ,こども青少年課,窓口職員,在職',
  'S1004,退職　予定,タイショク　ヨテイ,保険年金課,窓口職員,退職',
  'S1005,転出　五郎,ﾃﾝｼｭﾂ ｺﾞﾛｳ,こども青少年課,窓口職員,転出',
  'S2001,新人　三郎,シンジン　サブロウ,保険年金課,窓口職員,在職',
  'S2002,未着任　六子,ミチャクニン　ムツコ,保険年金課,窓口職員,退職',
);

describe('preview', () => {
  it('gives the same preview for UTF-8 with a BOM, UTF-8 without, and CP932, in the contract shape', () => {
    const a = roster.preview(ADMIN, 'roster-bom.csv', utf8Bom(YEAR_START));
    const b = roster.preview(ADMIN, 'roster.csv', utf8(YEAR_START));
    const c = roster.preview(ADMIN, 'roster-sjis.csv', cp932(YEAR_START));
    const lf = roster.preview(ADMIN, 'roster-lf.csv', cp932(YEAR_START.replace(/\r\n/g, '\n')));
    for (const p of [a, b, c, lf]) expect(rosterPreview.parse(p)).toEqual(p);
    expect(adminChannels['admin.roster.apply'].request.safeParse({ previewId: a.previewId, applyValidPart: false }).success).toBe(true);
    expect(adminChannels['admin.roster.apply'].request.safeParse({ previewId: a.previewId, applyValidPart: false, roleApprover: 'D7001' }).success).toBe(true);
    expect([a.encoding, b.encoding, c.encoding, lf.encoding]).toEqual(['UTF-8', 'UTF-8', 'CP932', 'CP932']);
    const body = (p: typeof a) => ({ rows: p.rows, changes: p.changes, errors: p.errors });
    expect(body(b)).toEqual(body(a));
    expect(body(c)).toEqual(body(a));
    expect(body(lf)).toEqual(body(a));
    expect(new Set([a.previewId, b.previewId, c.previewId, lf.previewId]).size).toBe(4);
  });

  it('detects create, update, enable and disable with readable changes, and leaves the rest alone', () => {
    const before = staffTable();
    const p = roster.preview(ADMIN, 'r.csv', utf8(YEAR_START));
    expect(p.rows).toBe(7);
    expect(p.errors).toEqual([]);
    expect(p.changes).toEqual([
      { line: 3, kind: 'update', staffId: 'S1001', name: '保険　太郎', changes: ['所属: 保険年金課 → こども青少年課', '役割: 窓口職員 → 確認者（所属長の承認後に有効）'] },
      { line: 4, kind: 'enable', staffId: 'S1003', name: '福祉　次郎', changes: ['状態: 利用停止 → 在職'] },
      { line: 5, kind: 'disable', staffId: 'S1004', name: '退職　予定', changes: ['状態: 在職 → 退職'] },
      { line: 6, kind: 'disable', staffId: 'S1005', name: '転出　五郎', changes: ['状態: 在職 → 転出'] },
      {
        line: 7,
        kind: 'create',
        staffId: 'S2001',
        name: '新人　三郎',
        changes: ['氏名: 新人　三郎', '氏名カナ: シンジン　サブロウ', '所属: 保険年金課', '役割: 窓口職員'],
      },
    ]);
    // A preview changes nothing; S1002 (absent from the file) is not reported.
    expect(staffTable()).toEqual(before);
    expect(p.changes.map((c) => c.staffId)).not.toContain('S1002');
  });

  it('reports name and kana changes, and accepts 承認者 / 所属長 for the approver', () => {
    const p = roster.preview(
      ADMIN,
      'r.csv',
      utf8(csv('S1001,保険　太朗,ホケン　タロウ,保険年金課,所属長,在職', 'S1002,年金　花子,ネンキン　ハナ,保険年金課,承認者,在職')),
    );
    expect(p.changes).toEqual([
      { line: 2, kind: 'update', staffId: 'S1001', name: '保険　太朗', changes: ['氏名: 保険　太郎 → 保険　太朗', '役割: 窓口職員 → 承認者（所属長）（所属長の承認後に有効）'] },
      { line: 3, kind: 'update', staffId: 'S1002', name: '年金　花子', changes: ['氏名カナ: ネンキン　ハナコ → ネンキン　ハナ', '役割: 確認者 → 承認者（所属長）（所属長の承認後に有効）'] },
    ]);
  });

  it('reads a quoted field with a comma and a doubled quote', () => {
    const p = roster.preview(ADMIN, 'r.csv', utf8(csv('S2001,"新人　""サブ""三郎",シンジン　サブロウ,"保険年金課,国保係",窓口職員,在職')));
    expect(p.errors).toEqual([]);
    expect(p.changes[0]?.name).toBe('新人　"サブ"三郎');
    expect(p.changes[0]?.changes).toContain('所属: 保険年金課,国保係');
  });

  it('gives each kind of bad line one error with its line number, and keeps the valid lines', () => {
    db.transaction(() => updateRecord(db, 'staff', staff('D9001').id, staff('D9001').version, { disabled: 1 }, SEED))();
    const file = csv(
      /* 2 */ 'S2001,正常　一,セイジョウ　ハジメ,保険年金課,窓口職員,在職',
      /* 3 */ 'S2002,役割　誤,ヤクワリ　アヤマリ,保険年金課,係長,在職',
      /* 4 */ 'ab,短い　ID,ミジカイ　アイディー,保険年金課,窓口職員,在職',
      /* 5 */ 'S2004,,カラ,保険年金課,窓口職員,在職',
      /* 6 */ 'S2005,英字　混在,エイジ　Konzai,保険年金課,窓口職員,在職',
      /* 7 */ 'S2006,所属　空,ショゾク　カラ,,窓口職員,在職',
      /* 8 */ 'S2007,休職　中,キュウショク　チュウ,保険年金課,窓口職員,休職',
      /* 9 */ 'S2001,重複　一,チョウフク　ハジメ,保険年金課,窓口職員,在職',
      /* 10 */ 'S2008,列　多,レツ　オオ,保険年金課,窓口職員,在職,余分',
      /* 11 */ 'D1001,デモ窓口　一郎,デモマドグチ　イチロウ,保険年金課,窓口職員,在職',
      /* 12 */ `S2009,${'長'.repeat(61)},ナガイ,保険年金課,窓口職員,在職`,
      /* 13 */ 'A0001,管理　一郎,カンリ　イチロウ,情報政策課,確認者,在職',
      /* 14 */ 's1001,保険　太郎,ホケン　タロウ,保険年金課,窓口職員,在職',
      /* 15 */ 'S2010,,ミメイ,保険年金課,窓口職員,在籍',
      /* 16 */ '',
      /* 17 */ 'S2011,"閉じない　引用,ト,保険年金課,窓口職員,在職',
    );
    const p = roster.preview(ADMIN, 'r.csv', utf8(file));
    expect(p.rows).toBe(15);
    expect(p.changes.map((c) => [c.line, c.kind, c.staffId])).toEqual([[2, 'create', 'S2001']]);
    expect(p.errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17]);
    for (const e of p.errors) expect(e.message.startsWith(`${e.line}行目: `)).toBe(true);
    const msg = (line: number) => must(p.errors.find((e) => e.line === line)).message;
    expect(msg(3)).toBe('3行目: 役割「係長」は使えません（窓口職員・確認者・承認者（所属長）・監督者・システム管理者のいずれか）');
    expect(msg(4)).toBe('4行目: 職員ID「ab」は半角英数字3〜32文字で入力してください');
    expect(msg(5)).toBe('5行目: 氏名が空です');
    expect(msg(6)).toContain('氏名カナ「エイジ　Konzai」はカタカナで入力してください');
    expect(msg(7)).toBe('7行目: 所属が空です');
    expect(msg(8)).toBe('8行目: 状態「休職」は使えません（在職・利用停止・退職・転出・有効・無効のいずれか）');
    expect(msg(9)).toBe('9行目: 職員ID「S2001」が2行目と重複しています');
    expect(msg(10)).toContain('列の数が見出し行と合いません（見出し6列、この行7列）');
    expect(msg(11)).toBe('11行目: 職員ID「D1001」はデモ用の職員のため、名簿では変更できません');
    expect(msg(12)).toBe('12行目: 氏名は60文字以内にしてください（61文字）');
    expect(msg(13)).toContain('最後のシステム管理者のため、役割を「確認者」に変更できません');
    expect(msg(14)).toContain('職員ID「s1001」は登録済みの職員ID「S1001」と大文字・小文字だけが異なります');
    expect(msg(15)).toBe('15行目: 氏名が空です。状態「在籍」は使えません（在職・利用停止・退職・転出・有効・無効のいずれか）');
    expect(msg(17)).toContain('閉じられていません');
  });

  it('reports a CP932 外字 on its line instead of importing a "?"', () => {
    const bytes = Buffer.concat([
      cp932(csv('S2001,新人　三郎,シンジン　サブロウ,保険年金課,窓口職員,在職') + 'S2002,'),
      Buffer.from([0xf0, 0x40]),
      cp932('田　花子,タ　ハナコ,保険年金課,窓口職員,在職\r\n'),
    ]);
    const p = roster.preview(ADMIN, 'gaiji.csv', bytes);
    expect(p.encoding).toBe('CP932');
    expect(p.changes.map((c) => c.staffId)).toEqual(['S2001']);
    expect(p.errors).toEqual([{ line: 3, message: '3行目: 氏名に読み取れない文字（外字など）が含まれています' }]);
  });

  it('never imports garbage from a file in another encoding (EUC-JP): refused, or one header error', () => {
    const euc = (text: string) => Buffer.from(Encoding.convert(Encoding.stringToCode(text), { to: 'EUCJP', from: 'UNICODE' }));
    const whole = domainError(() => roster.preview(ADMIN, 'euc.csv', euc(YEAR_START)));
    expect([whole.code, whole.message]).toEqual(['VALIDATION', expect.stringContaining('文字コードを判別できません')]);
    // These bytes happen to be well-formed Shift_JIS: they decode to nonsense, which the header check stops.
    const p = roster.preview(ADMIN, 'euc.csv', euc('職員ID,氏名\r\n'));
    expect(p.encoding).toBe('CP932');
    expect([p.rows, p.changes, p.errors.map((e) => e.line)]).toEqual([0, [], [1]]);
  });

  it('refuses content that is not a UTF-8 or CP932 CSV with a Japanese VALIDATION error, and audits the refusal', () => {
    const e = domainError(() => roster.preview(ADMIN, 'roster.xlsx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00])));
    expect(e.code).toBe('VALIDATION');
    expect(e.message).toContain('CSV');
    expect(domainError(() => roster.preview(ADMIN, 'bad.csv', Buffer.from([0x41, 0x80, 0x42, 0x0d, 0x0a]))).message).toContain('文字コードを判別できません');
    const audits = auditOf(db, 'admin.roster.preview');
    expect(audits.map((a) => a.outcome)).toEqual(['rejected', 'rejected']);
    expect(audits[0]?.detail.fileName).toBe('roster.xlsx');
  });
});

describe('apply', () => {
  it('applies the whole roster in one go: creates, updates, enables and disables, with outbox rows', () => {
    const outboxBefore = outboxRows();
    const p = roster.preview(ADMIN, 'r.csv', utf8(YEAR_START));
    const result = roster.apply(ADMIN, p.previewId, false, 'D7001');
    // The administrator is told what the new and the re-enabled accounts still lack: S2001 everything; S1003
    // (back from 利用停止) has its password and no authenticator, and its grants went when it was stopped.
    expect(result).toEqual({
      created: 1,
      updated: 1,
      disabled: 2,
      enabled: 1,
      incomplete: [
        { staffId: 'S1003', name: '福祉　次郎', missing: ['rights', 'authenticator'] },
        { staffId: 'S2001', name: '新人　三郎', missing: ['rights', 'password', 'authenticator'] },
      ],
    });

    const moved = staff('S1001');
    // The wider role waits for the named 所属長; the other changes apply now.
    expect([moved.section, moved.role, moved.name_kana, moved.version]).toEqual(['こども青少年課', 'clerk', 'ホケン　タロウ', 2]);
    expect(JSON.parse(String((moved as unknown as { role_request: string }).role_request))).toMatchObject({ fromRole: 'clerk', toRole: 'checker', requestedBy: ADMIN, approver: 'D7001' });
    expect([staff('S1003').disabled, staff('S1004').disabled, staff('S1005').disabled]).toEqual([0, 1, 1]);
    expect(staff('S1002').version).toBe(1);
    expect(staff(ADMIN).version).toBe(1);
    expect(exists('S2002')).toBe(false);

    const created = staff('S2001');
    expect(created).toMatchObject({
      name: '新人　三郎',
      name_kana: 'シンジン　サブロウ',
      section: '保険年金課',
      role: 'clerk',
      password_hash: '!',
      must_change_password: 1,
      may_self_enroll: 0,
      disabled: 0,
      demo: 0,
      created_by: ADMIN,
    });
    expect(Date.parse(created.password_changed_at)).toBeGreaterThanOrEqual(Date.parse('2026-04-01T00:00:00Z'));
    expect(grants('S2001')).toEqual([]);

    // One outbox row per staff change, in the same transaction.
    const outbox = db.prepare<[], { entity: string; entity_id: string; op: string; payload: string }>('SELECT entity, entity_id, op, payload FROM outbox').all();
    expect(outboxRows() - outboxBefore).toBe(5);
    const ins = must(outbox.find((o) => o.entity === 'staff' && o.entity_id === created.id && o.op === 'insert'));
    expect(JSON.parse(ins.payload)).toMatchObject({ staff_id: 'S2001', must_change_password: 1 });
    for (const id of ['S1001', 'S1003', 'S1004', 'S1005']) {
      expect(outbox.some((o) => o.entity === 'staff' && o.entity_id === staff(id).id && o.op === 'update')).toBe(true);
    }
  });

  it('creates accounts whose password cannot be used until the administrator sets one', async () => {
    const p = roster.preview(ADMIN, 'r.csv', utf8(csv('S2001,新人　三郎,シンジン　サブロウ,保険年金課,窓口職員,在職')));
    roster.apply(ADMIN, p.previewId, false, 'D7001');
    const hash = staff('S2001').password_hash;
    expect(await verifyPassword(hash, '')).toBe(false);
    expect(await verifyPassword(hash, '!')).toBe(false);
  });

  it('refuses a file with errors unless told to apply the valid part, and then applies exactly the valid lines', () => {
    const file = csv(
      'S1001,保険　太郎,ホケン　タロウ,こども青少年課,窓口職員,在職',
      'S2001,新人　三郎,シンジン　サブロウ,保険年金課,窓口職員,在職',
      'S2002,誤り　四郎,ゴリ　シロウ,保険年金課,係長,在職',
      'S1004,退職　予定,タイショク　ヨテイ,保険年金課,窓口職員,退職した',
    );
    const p = roster.preview(ADMIN, 'r.csv', utf8(file));
    expect(p.errors.map((e) => e.line)).toEqual([4, 5]);
    const before = staffTable();
    const outboxBefore = outboxRows();

    const e = domainError(() => roster.apply(ADMIN, p.previewId, false, 'D7001'));
    expect(e.code).toBe('VALIDATION');
    expect(e.message).toBe(ROSTER_ERRORS_NOT_APPLIED);
    expect(staffTable()).toEqual(before);
    expect(outboxRows()).toBe(outboxBefore);

    expect(roster.apply(ADMIN, p.previewId, true, 'D7001')).toMatchObject({ created: 1, updated: 1, disabled: 0, enabled: 0 });
    expect(staff('S1001').section).toBe('こども青少年課');
    expect(exists('S2001')).toBe(true);
    expect(exists('S2002')).toBe(false);
    expect(staff('S1004').disabled).toBe(0);
    expect(outboxRows() - outboxBefore).toBe(2);

    const applied = auditOf(db, 'admin.roster.apply');
    expect(applied.map((a) => [a.outcome, a.detail.appliedValidPartOnly])).toEqual([
      ['rejected', undefined],
      ['success', true],
    ]);
  });

  it('refuses with CONFLICT and applies nothing when an affected staff row changed since the preview', () => {
    const p = roster.preview(ADMIN, 'r.csv', utf8(YEAR_START));
    const s1004 = staff('S1004');
    db.transaction(() => updateRecord(db, 'staff', s1004.id, s1004.version, { section: '市民課' }, { by: 'A0009', at: '2026-04-01T00:05:00.000Z' }))();
    const before = staffTable();
    const outboxBefore = outboxRows();

    const e = domainError(() => roster.apply(ADMIN, p.previewId, false, 'D7001'));
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toContain('S1004');
    expect(staffTable()).toEqual(before);
    expect(exists('S2001')).toBe(false);
    expect(outboxRows()).toBe(outboxBefore);
    expect(auditOf(db, 'admin.staff.update')).toEqual([]);
    expect(auditOf(db, 'admin.roster.apply').map((a) => [a.outcome, a.detail.code])).toEqual([['rejected', 'CONFLICT']]);
  });

  it('refuses with CONFLICT when a planned new account was created meanwhile, but not for a change to an unrelated row', () => {
    const p1 = roster.preview(ADMIN, 'r.csv', utf8(csv('S2001,新人　三郎,シンジン　サブロウ,保険年金課,窓口職員,在職')));
    db.transaction(() => addStaff('S2001', '新人　三郎', 'シンジン　サブロウ', '保険年金課', 'clerk'))();
    expect(domainError(() => roster.apply(ADMIN, p1.previewId, false, 'D7001')).code).toBe('CONFLICT');

    const p2 = roster.preview(ADMIN, 'r.csv', utf8(csv('S1001,保険　太郎,ホケン　タロウ,こども青少年課,窓口職員,在職')));
    const s1002 = staff('S1002');
    db.transaction(() => updateRecord(db, 'staff', s1002.id, s1002.version, { section: '市民課' }, SEED))();
    expect(roster.apply(ADMIN, p2.previewId, false, 'D7001')).toEqual({ created: 0, updated: 1, disabled: 0, enabled: 0, incomplete: [] });
  });

  it('lets only the administrator who made the preview apply it', () => {
    const p = roster.preview(ADMIN, 'r.csv', utf8(YEAR_START));
    const before = staffTable();
    const e = domainError(() => roster.apply('A0002', p.previewId, false, 'D7001'));
    expect(e.code).toBe('FORBIDDEN');
    expect(staffTable()).toEqual(before);
    // The session's Actor object is accepted as well as a bare staff ID.
    expect(roster.apply({ staffId: ADMIN }, p.previewId, false, 'D7001').created).toBe(1);
  });

  it('applies a preview only once', () => {
    const p = roster.preview(ADMIN, 'r.csv', utf8(YEAR_START));
    roster.apply(ADMIN, p.previewId, false, 'D7001');
    const after = staffTable();
    const e = domainError(() => roster.apply(ADMIN, p.previewId, false, 'D7001'));
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toContain('すでに適用済み');
    expect(staffTable()).toEqual(after);
  });

  it('forgets a preview after 30 minutes', () => {
    const p = roster.preview(ADMIN, 'r.csv', utf8(YEAR_START));
    offset = ROSTER_PREVIEW_TTL_MS + 1000;
    const e = domainError(() => roster.apply(ADMIN, p.previewId, false, 'D7001'));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toContain('30分');
    expect(exists('S2001')).toBe(false);
    expect(domainError(() => roster.apply(ADMIN, '0195f000-0000-7000-8000-000000000000', false, 'D7001')).code).toBe('NOT_FOUND');
  });

  it("revokes a disabled person's active and future grants, through updateRecord (version, outbox)", () => {
    db.transaction(() => {
      addGrant('S1004', 'resident.search');
      addGrant('S1004', 'kodomo:certificate.issue');
      addGrant('S1004', 'mynumber.reveal', { validFrom: '2026-05-01T00:00:00.000Z' });
      addGrant('S1004', 'resident.view', { validFrom: '2026-01-01T00:00:00.000Z', expiresAt: '2026-03-31T00:00:00.000Z' });
      addGrant('S1004', 'kodomo:certificate.print', { revoked: true });
      addGrant('S1002', 'resident.search');
    })();
    const p = roster.preview(ADMIN, 'r.csv', utf8(csv('S1004,退職　予定,タイショク　ヨテイ,保険年金課,窓口職員,退職')));
    const grantUpdatesBefore = count(db, "SELECT count(*) AS n FROM outbox WHERE entity = 'staff_grants' AND op = 'update'");
    roster.apply(ADMIN, p.previewId, false, 'D7001');

    const g = grants('S1004');
    const revokedNow = g.filter((x) => x.revoked_by === ADMIN && x.version === 2).map((x) => x.right_name);
    expect(revokedNow.sort()).toEqual(['kodomo:certificate.issue', 'mynumber.reveal', 'resident.search']);
    expect(g.find((x) => x.right_name === 'resident.view')?.revoked_at).toBeNull(); // already expired: left as it was
    expect(g.find((x) => x.right_name === 'kodomo:certificate.print')?.version).toBe(1); // already revoked
    expect(grants('S1002').every((x) => x.revoked_at === null)).toBe(true);
    expect(count(db, "SELECT count(*) AS n FROM outbox WHERE entity = 'staff_grants' AND op = 'update'") - grantUpdatesBefore).toBe(3);

    const update = must(auditOf(db, 'admin.staff.update')[0]);
    expect(update.detail).toMatchObject({ staffId: 'S1004', kind: 'disable', changes: ['状態: 在職 → 退職'] });
    expect((update.detail.revokedGrants as string[]).sort()).toEqual(['kodomo:certificate.issue', 'mynumber.reveal', 'resident.search']);
  });

  it("revokes only the grants outside the new role's ceiling when the role changes", () => {
    db.transaction(() => {
      addGrant('S1002', 'resident.search');
      addGrant('S1002', 'kodomo:claim.check');
      addGrant('S1002', 'kokuho:claim.enter');
      addGrant('S1001', 'resident.search');
      addGrant('S1001', 'resident.view');
    })();
    const p = roster.preview(
      ADMIN,
      'r.csv',
      utf8(csv('S1002,年金　花子,ネンキン　ハナコ,保険年金課,窓口職員,在職', 'S1001,保険　太郎,ホケン　タロウ,保険年金課,監督者,在職')),
    );
    roster.apply(ADMIN, p.previewId, false, 'D7001');
    const active = (id: string) => grants(id).filter((x) => x.revoked_at === null).map((x) => x.right_name).sort();
    expect(active('S1002')).toEqual(['kokuho:claim.enter', 'resident.search']);
    // 窓口職員 → 監督者 widens (audit rights): it waits for the 所属長, so nothing is revoked yet.
    expect(active('S1001')).toEqual(['resident.search', 'resident.view']);
    expect(staff('S1001').role).toBe('clerk');
  });

  it('never disables or demotes the last enabled administrator', () => {
    // The demo administrator is disabled, as on a production terminal: A0001 is the only one left.
    const d = staff('D9001');
    db.transaction(() => updateRecord(db, 'staff', d.id, d.version, { disabled: 1 }, SEED))();

    const demote = roster.preview(
      ADMIN,
      'r.csv',
      utf8(csv('S1001,保険　太郎,ホケン　タロウ,保険年金課,システム管理者,在職', 'A0001,管理　一郎,カンリ　イチロウ,情報政策課,確認者,在職')),
    );
    expect(demote.errors).toEqual([
      { line: 3, message: '3行目: 職員ID「A0001」は最後のシステム管理者のため、役割を「確認者」に変更できません（先に別のシステム管理者を登録してください）' },
    ]);
    const retire = roster.preview(ADMIN, 'r.csv', utf8(csv('A0001,管理　一郎,カンリ　イチロウ,情報政策課,システム管理者,退職')));
    expect(retire.errors.map((e) => e.message)).toEqual([
      '2行目: 職員ID「A0001」は最後のシステム管理者のため、退職にできません（先に別のシステム管理者を登録してください）',
    ]);
    expect(retire.changes).toEqual([]);

    // With two administrators, one may go, but not both.
    db.transaction(() => addStaff('A0002', '管理　二郎', 'カンリ　ジロウ', '情報政策課', 'administrator'))();
    const both = roster.preview(
      ADMIN,
      'r.csv',
      utf8(csv('A0002,管理　二郎,カンリ　ジロウ,情報政策課,システム管理者,転出', 'A0001,管理　一郎,カンリ　イチロウ,情報政策課,システム管理者,退職')),
    );
    expect(both.changes.map((c) => [c.staffId, c.kind])).toEqual([['A0002', 'disable']]);
    expect(both.errors.map((e) => e.line)).toEqual([3]);
    roster.apply(ADMIN, both.previewId, true, 'D7001');
    expect([staff('A0001').disabled, staff('A0002').disabled]).toEqual([0, 1]);
  });

  it('writes audit entries: the preview (file hash, encoding, counts), the apply, and one per changed account', () => {
    const bytes = cp932(YEAR_START + 'S2003,誤り,ゴリ,保険年金課,係長,在職\r\n');
    const p = roster.preview(ADMIN, '令和8年度名簿.csv', bytes);
    roster.apply(ADMIN, p.previewId, true, 'D7001');

    const [pre] = auditOf(db, 'admin.roster.preview');
    expect(pre).toMatchObject({ staffId: ADMIN, outcome: 'success' });
    expect(pre?.detail).toEqual({
      previewId: p.previewId,
      fileName: '令和8年度名簿.csv',
      sha256: createHash('sha256').update(bytes).digest('hex'),
      encoding: 'CP932',
      rows: 8,
      counts: { create: 1, update: 1, disable: 2, enable: 1 },
      errorCount: 1,
    });

    const [app] = auditOf(db, 'admin.roster.apply');
    expect(app).toMatchObject({ staffId: ADMIN, outcome: 'success' });
    expect(app?.detail).toMatchObject({ previewId: p.previewId, counts: { created: 1, updated: 1, disabled: 2, enabled: 1 }, appliedValidPartOnly: true });

    const updates = auditOf(db, 'admin.staff.update');
    expect(updates.map((u) => [u.detail.staffId, u.detail.kind])).toEqual([
      ['S1001', 'update'],
      ['S1003', 'enable'],
      ['S1004', 'disable'],
      ['S1005', 'disable'],
      ['S2001', 'create'],
    ]);
    expect(updates[0]?.detail.changes).toEqual(['所属: 保険年金課 → こども青少年課', '役割: 窓口職員 → 確認者（所属長の承認後に有効）']);
    expect(updates.every((u) => u.staffId === ADMIN && u.outcome === 'success')).toBe(true);
    expect(s.core.audit.verify().ok).toBe(true);
  });
});
