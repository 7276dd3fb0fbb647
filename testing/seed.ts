import type { Db } from '../electron/core/db/database';
import { uuidv7 } from '../electron/core/db/records';
import { addNumberBlock } from '../electron/core/certificates/numbering';
import { CERT_TYPES } from '../shared/domain/certificate-types';
import { createStaff, type StaffSeed } from '../electron/core/provision/provision';
import { JIMU, type Right } from '../shared/domain/rights';
import { approveSeeded, makeSoftCredential, registerSoftCredential, type SoftCredential } from './webauthn';
import { PROVISIONING } from '../shared/identity/approval';
import { writeTerminalSetting } from '../electron/core/db/terminal-settings';
import { normalizeKana } from '../shared/domain/kana';
import { myNumberCheckDigit } from '../shared/domain/mynumber';
import { addDays, toIso } from '../shared/domain/wareki';
import { eighteenthFiscalYearEnd } from '../shared/domain/eligibility';
import { FEMALE_GIVEN, MALE_GIVEN, SURNAMES, TOWNS } from './names';

/** A small deterministic PRNG (mulberry32) so seeded data is the same on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ResidentSeed {
  id: string;
  atenaNo: string;
  nameKanji: string;
  nameKana: string;
  aliasName?: string | null;
  birthDate: string;
  sex: '1' | '2';
  postalCode: string;
  address: string;
  katagaki?: string;
  householdNo: string;
  myNumber: string | null;
  dvSupport?: boolean;
  nonDisclosure?: boolean;
  viewSuspended?: boolean;
  /**
   * The registered health insurance; null for none. Unset: the default pattern (two in three residents are
   * 国保 members, 保険者番号 KOKUHO_INSURER; the third has none).
   */
  insurance?: { insurerNo: string; symbol: string; number: string; branch: string } | null;
  /**
   * The 国保 資格 a member (insurance with KOKUHO_INSURER) gets, as the central server would deliver it from the 国保
   * system: 取得 on 2020-04-01 (or at birth), 所得区分 `incomeClass` (default '03', 区分ウ), lost on `lostOn` with
   * `loseReason` when given.
   */
  kokuho?: { incomeClass?: string | null; lostOn?: string; loseReason?: string };
  /**
   * 保護受給 (生活保護), as the central server delivers it from the 生活保護 system (docs/interfaces/seiho.md): the
   * ケース番号, 世帯主 '1' or 世帯員 '2', 保護開始年月日, 地区担当員 and 扶助の種類 codes ('01 04 05').
   */
  seiho?: { caseNo: string; headFlag: '1' | '2'; startedOn: string; caseworker: string; aidKinds: string };
  /**
   * The こども医療 受給資格 (as if 認定 at the counter): unset, every resident whose 18歳年度末 is on or after
   * KODOMO_SEED_FROM gets one from birth (事由 出生) with the first guardian as 保護者 and the registered insurance as
   * 主保険; false: none (a child whose 交付申請 is still to come); lostOn/loseReason: a 喪失.
   */
  kodomo?: false | { lostOn: string; loseReason: string };
}

/** Residents whose 18歳年度末 is on or after this day get a seeded こども 受給資格 (unless `kodomo: false`). */
export const KODOMO_SEED_FROM = '2020-03-31';

/** The sample city's 国民健康保険 保険者番号 (6 digits: a 国保 insurer) and a 協会けんぽ one (8 digits: 社保). */
export const KOKUHO_INSURER = '270017';
export const SHAHO_INSURER = '01270017';
/** The seeded 国保 members' 資格取得年月日 (or their birth, when later). */
export const KOKUHO_SINCE = '2020-04-01';

export interface GuardianLink {
  childId: string;
  guardianId: string;
  relationship: string;
}

export interface Dataset {
  residents: ResidentSeed[];
  guardians: GuardianLink[];
}

export function makeMyNumber(serial: number): string {
  const first11 = String(10_000_000_000 + serial).slice(-11);
  return first11 + String(myNumberCheckDigit(first11));
}

const SEED_STAMP = 'SEED';

/** Bulk-load resident master data (as the central server would deliver it). One transaction. */
export function loadDataset(db: Db, data: Dataset, at: string): void {
  const res = db.prepare(
    `INSERT INTO residents (id, version, created_at, created_by, updated_at, updated_by, deleted, atena_no, name_kanji, name_kana, name_kana_key,
       alias_name, birth_date, sex, postal_code, address, katagaki, household_no, has_my_number, dv_support, non_disclosure, view_suspended)
     VALUES (?, 1, ?, '${SEED_STAMP}', ?, '${SEED_STAMP}', 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const link = db.prepare(
    `INSERT INTO resident_guardians (id, version, created_at, created_by, updated_at, updated_by, deleted, child_id, guardian_id, relationship)
     VALUES (?, 1, ?, '${SEED_STAMP}', ?, '${SEED_STAMP}', 0, ?, ?, ?)`,
  );
  const ins = db.prepare(
    `INSERT INTO health_insurance (id, version, created_at, created_by, updated_at, updated_by, deleted, resident_id, insurer_no, symbol, number, branch)
     VALUES (?, 1, ?, '${SEED_STAMP}', ?, '${SEED_STAMP}', 0, ?, ?, ?, ?, ?)`,
  );
  const shikaku = db.prepare(
    `INSERT INTO kokuho_shikaku (id, version, created_at, created_by, updated_at, updated_by, deleted, atena_no, household_no, insurer_no, symbol, number, branch,
       acquired_on, acquire_reason, acquire_notified_on, lost_on, lose_reason, lose_notified_on, income_class)
     VALUES (?, 1, ?, '${SEED_STAMP}', ?, '${SEED_STAMP}', 0, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, NULL, ?)`,
  );
  const kodomo = db.prepare(
    `INSERT INTO kodomo_shikaku (id, version, created_at, created_by, updated_at, updated_by, deleted, resident_id, atena_no, claim_id, guardian_id,
       acquired_on, acquire_reason, insurer_name, insurance_kind, insured_relation, insurance_symbol, insurance_number, insurance_branch, delivery_json,
       lost_on, lose_reason, lose_notified_on)
     VALUES (?, 1, ?, '${SEED_STAMP}', ?, '${SEED_STAMP}', 0, ?, ?, ?, ?, ?, '01', ?, ?, '家族', ?, ?, ?, '{"method":"窓口"}', ?, ?, NULL)`,
  );
  const seiho = db.prepare(
    `INSERT INTO seiho_jukyu (id, version, created_at, created_by, updated_at, updated_by, deleted, resident_id, case_no, atena_no, household_no, head_flag,
       started_on, changed_on, ended_on, change_reason, caseworker, aid_kinds)
     VALUES (?, 1, ?, '${SEED_STAMP}', ?, '${SEED_STAMP}', 0, ?, ?, ?, ?, ?, ?, NULL, NULL, '開始', ?, ?)`,
  );
  const firstGuardian = new Map<string, string>();
  for (const g of data.guardians) if (!firstGuardian.has(g.childId)) firstGuardian.set(g.childId, g.guardianId);
  const insuranceOf = new Map<string, { insurerNo: string; symbol: string; number: string; branch: string } | null>();
  db.transaction(() => {
    data.residents.forEach((r, i) => {
      res.run(r.id, at, at, r.atenaNo, r.nameKanji, r.nameKana, normalizeKana(r.nameKana), r.aliasName ?? null, r.birthDate, r.sex, r.postalCode, r.address,
        r.katagaki ?? '', r.householdNo, r.myNumber ? 1 : 0, r.dvSupport ? 1 : 0, r.nonDisclosure ? 1 : 0, r.viewSuspended ? 1 : 0);
      const insurance = r.insurance !== undefined ? r.insurance : i % 3 !== 2 ? { insurerNo: KOKUHO_INSURER, symbol: `大${(i % 90) + 10}`, number: String(100000 + i), branch: String((i % 3) + 1).padStart(2, '0') } : null;
      if (insurance) ins.run(uuidv7(), at, at, r.id, insurance.insurerNo, insurance.symbol, insurance.number, insurance.branch);
      insuranceOf.set(r.id, insurance);
      if (insurance?.insurerNo === KOKUHO_INSURER) {
        const born = r.birthDate > KOKUHO_SINCE;
        const k = r.kokuho ?? {};
        shikaku.run(uuidv7(), at, at, r.atenaNo, r.householdNo, insurance.insurerNo, insurance.symbol, insurance.number, insurance.branch,
          born ? r.birthDate : KOKUHO_SINCE, born ? '04' : '01', k.lostOn ?? null, k.loseReason ?? null, k.incomeClass === undefined ? '03' : k.incomeClass);
      }
    });
    for (const g of data.guardians) link.run(uuidv7(), at, at, g.childId, g.guardianId, g.relationship);
    for (const r of data.residents) {
      if (r.seiho) seiho.run(uuidv7(), at, at, r.id, r.seiho.caseNo, r.atenaNo, r.householdNo, r.seiho.headFlag, r.seiho.startedOn, r.seiho.caseworker, r.seiho.aidKinds);
    }
    for (const r of data.residents) {
      if (r.kodomo === false || eighteenthFiscalYearEnd(r.birthDate) < KODOMO_SEED_FROM) continue;
      // The child's own insurance, else its first guardian's (a child is normally 家族 of a parent's insurance).
      const guardian = firstGuardian.get(r.id) ?? null;
      const insured = insuranceOf.get(r.id) ?? (guardian ? insuranceOf.get(guardian) : null) ?? null;
      const kokuho = insured?.insurerNo === KOKUHO_INSURER;
      const id = uuidv7();
      kodomo.run(id, at, at, r.id, r.atenaNo, `SEED-${id}`, guardian, r.birthDate,
        insured ? (kokuho ? '大阪市国民健康保険' : '全国健康保険協会 大阪支部') : '全国健康保険協会 大阪支部',
        insured ? (kokuho ? '国民健康保険' : '全国健康保険協会') : '全国健康保険協会',
        insured?.symbol ?? '大阪1', insured?.number ?? String(5000 + (Number(r.atenaNo) % 10000)), insured?.branch ?? '',
        r.kodomo?.lostOn ?? null, r.kodomo?.loseReason ?? null);
    }
  })();
}

/**
 * Generate `households` realistic households: two parents (or one), 0–3 children, addresses in 大阪市.
 * Birth dates are spread so that some children are in the こども医療 age range and some are not.
 */
export function generateHouseholds(households: number, seed = 1, atenaStart = 100_001): Dataset {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const residents: ResidentSeed[] = [];
  const guardians: GuardianLink[] = [];
  let atena = atenaStart;
  const date = (fromYear: number, toYear: number) => addDays(toIso(fromYear, 1, 1), Math.floor(r() * (toYear - fromYear) * 365));
  for (let h = 0; h < households; h++) {
    const [surname, surnameKana] = pick(SURNAMES);
    const [postalCode, town] = pick(TOWNS);
    const address = `${town}${1 + Math.floor(r() * 20)}番${1 + Math.floor(r() * 30)}号`;
    const householdNo = String(500_000 + h);
    const person = (given: [string, string], birthDate: string, sex: '1' | '2'): ResidentSeed => {
      const n = atena++;
      return {
        id: uuidv7(),
        atenaNo: String(n),
        nameKanji: `${surname}\u3000${given[0]}`,
        nameKana: `${surnameKana} ${given[1]}`,
        birthDate,
        sex,
        postalCode,
        address,
        householdNo,
        myNumber: r() < 0.97 ? makeMyNumber(n * 7919) : null,
      };
    };
    const parents: ResidentSeed[] = [];
    const singleParent = r() < 0.15;
    if (!singleParent || r() < 0.3) parents.push(person(pick(MALE_GIVEN), date(1970, 1998), '1'));
    if (!singleParent || parents.length === 0) parents.push(person(pick(FEMALE_GIVEN), date(1972, 2000), '2'));
    residents.push(...parents);
    const kids = Math.floor(r() * 4);
    for (let k = 0; k < kids; k++) {
      const sex = r() < 0.5 ? '1' : '2';
      const child = person(pick(sex === '1' ? MALE_GIVEN : FEMALE_GIVEN), date(2004, 2026), sex);
      residents.push(child);
      for (const p of parents) guardians.push({ childId: child.id, guardianId: p.id, relationship: p.sex === '1' ? '父' : '母' });
    }
  }
  return { residents, guardians };
}

/** Residents that each exercise one edge case, with their guardians. */
export function edgeCases(atenaStart = 900_001): Dataset & { byName: Record<string, ResidentSeed> } {
  let atena = atenaStart;
  const residents: ResidentSeed[] = [];
  const guardians: GuardianLink[] = [];
  const byName: Record<string, ResidentSeed> = {};
  const add = (key: string, p: Omit<ResidentSeed, 'id' | 'atenaNo' | 'postalCode' | 'address' | 'householdNo' | 'myNumber'> & Partial<ResidentSeed>, household: string) => {
    const n = atena++;
    const seed: ResidentSeed = { id: uuidv7(), atenaNo: String(n), postalCode: '530-0001', address: '大阪市北区梅田一丁目1番1号', householdNo: household, myNumber: makeMyNumber(n * 104_729), ...p };
    residents.push(seed);
    byName[key] = seed;
    return seed;
  };
  const family = (key: string, parent: Parameters<typeof add>[1], kids: [string, Parameters<typeof add>[1]][], household: string) => {
    const p = add(key, parent, household);
    for (const [k, c] of kids) guardians.push({ childId: add(k, c, household).id, guardianId: p.id, relationship: p.sex === '1' ? '父' : '母' });
  };
  family('testParent', { nameKanji: '試験　花子', nameKana: 'シケン ハナコ', birthDate: '1990-06-15', sex: '2' }, [
    ['testChild', { nameKanji: '試験　太郎', nameKana: 'シケン タロウ', birthDate: '2015-05-05', sex: '1' }],
  ], '990001');
  family('boundaryParent', { nameKanji: '境界　一郎', nameKana: 'キョウカイ イチロウ', birthDate: '1980-01-10', sex: '1', insurance: { insurerNo: KOKUHO_INSURER, symbol: '大2', number: '200002', branch: '01' }, kokuho: { incomeClass: '04' } }, [
    // Born 4/1: 18歳年度末 is 2026-03-31 (already past on 2026-11-22).
    ['born0401', { nameKanji: '境界　四月一日', nameKana: 'キョウカイ シガツツイタチ', birthDate: '2008-04-01', sex: '1' }],
    // Born 4/2: eligible until 2027-03-31.
    ['born0402', { nameKanji: '境界　四月二日', nameKana: 'キョウカイ シガツフツカ', birthDate: '2008-04-02', sex: '2' }],
    // Born 2/29 of a leap year: 18歳年度末 is 2026-03-31.
    ['born0229', { nameKanji: '境界　閏', nameKana: 'キョウカイ ウルウ', birthDate: '2008-02-29', sex: '2' }],
  ], '990002');
  family('dvParent', { nameKanji: '支援　秘子', nameKana: 'シエン ヒミコ', birthDate: '1988-03-03', sex: '2', dvSupport: true, address: '大阪市中央区（支援措置対象）' }, [
    ['dvChild', { nameKanji: '支援　守', nameKana: 'シエン マモル', birthDate: '2018-09-09', sex: '1', dvSupport: true }],
  ], '990003');
  family('aliasParent', { nameKanji: 'ＫＩＭ　ＭＩＮＪＵＮ', nameKana: 'キム ミンジュン', aliasName: '金　民俊', birthDate: '1985-11-11', sex: '1', insurance: { insurerNo: KOKUHO_INSURER, symbol: '大8', number: '200008', branch: '01' } }, [
    ['aliasChild', { nameKanji: 'ＫＩＭ　ＳＯＹＥＯＮ', nameKana: 'キム ソヨン', aliasName: '金　素妍', birthDate: '2020-02-02', sex: '2' }],
  ], '990004');
  // JIS X 0213 (𠮷 U+20BB7) and an IVS sequence (葛 + U+E0100).
  family('rareCharParent', { nameKanji: '\u{20BB7}田　\u845B\u{E0100}子', nameKana: 'ヨシダ クズコ', birthDate: '1987-07-07', sex: '2', kokuho: { incomeClass: '04' } }, [
    ['rareCharChild', { nameKanji: '𠮷田　髙志', nameKana: 'ヨシダ タカシ', birthDate: '2016-12-24', sex: '1' }],
  ], '990005');
  add('orphan', { nameKanji: '単独　孤', nameKana: 'タンドク コ', birthDate: '2012-08-08', sex: '1' }, '990006');
  add('noMyNumber', { nameKanji: '未登録　番号', nameKana: 'ミトウロク バンゴウ', birthDate: '1975-05-05', sex: '1', myNumber: null, insurance: { insurerNo: KOKUHO_INSURER, symbol: '大13', number: '200013', branch: '01' }, kokuho: { incomeClass: '05' } }, '990007');
  add('suspended', { nameKanji: '閲覧　停止', nameKana: 'エツラン テイシ', birthDate: '1999-09-09', sex: '2', viewSuspended: true }, '990008');
  add('nonDisclosure', { nameKanji: '不開　示子', nameKana: 'フカイ シメコ', birthDate: '1992-02-02', sex: '2', nonDisclosure: true }, '990009');
  family('newbornParent', { nameKanji: '新生　父', nameKana: 'シンセイ チチ', birthDate: '1993-04-04', sex: '1' }, [
    // No こども 受給資格 yet: the 交付申請 → 二重チェック → 認定 → 交付 journey starts here.
    ['newborn', { nameKanji: '新生　児', nameKana: 'シンセイ ジ', birthDate: '2026-11-01', sex: '2', kodomo: false }],
  ], '990010');
  // Issue 14 §5 (added last, so the numbers above stay): a 76-year-old 国保 member (B類 定期接種 age) and a
  // member of a 協会けんぽ (社保), who has no 国保 資格.
  add('elder', { nameKanji: '長寿　松子', nameKana: 'チョウジュ マツコ', birthDate: '1950-03-03', sex: '2', insurance: { insurerNo: KOKUHO_INSURER, symbol: '大18', number: '200018', branch: '01' } }, '990011');
  add('shahoMember', { nameKanji: '社保　加入', nameKana: 'シャホ カニュウ', birthDate: '1984-10-10', sex: '1', insurance: { insurerNo: SHAHO_INSURER, symbol: '大阪1', number: '4321', branch: '00' } }, '990012');
  // Issue 17 (added last, so the numbers above stay): a 生活保護 世帯 (fictional) — the 世帯主 receives 医療扶助, his
  // mother 医療扶助 and 介護扶助; no 国保 (a 被保護者 leaves it), 地区担当員 D1001.
  const seihoAt = { postalCode: '556-0016', address: '大阪市浪速区元町一丁目2番3号', insurance: null };
  add('seihoHead', { nameKanji: '保護　一男', nameKana: 'ホゴ カズオ', birthDate: '1961-08-20', sex: '1', ...seihoAt, seiho: { caseNo: '1200345', headFlag: '1', startedOn: '2024-04-01', caseworker: 'D1001', aidKinds: '01 03 04' } }, '990013');
  add('seihoMother', { nameKanji: '保護　和子', nameKana: 'ホゴ カズコ', birthDate: '1938-01-15', sex: '2', ...seihoAt, seiho: { caseNo: '1200345', headFlag: '2', startedOn: '2024-04-01', caseworker: 'D1001', aidKinds: '01 04 05' } }, '990013');
  return { residents, guardians, byName };
}

export interface DemoLogin extends StaffSeed {
  label: string;
}

const COUNTER_KODOMO: Right[] = ['resident.search', 'resident.view', 'kodomo:certificate.issue', 'kodomo:certificate.print'];
/** The demo staff's 事務 rights span every 事務 (生活保護 included), each within the role's ceiling. */
const claimRights = (...fns: string[]): Right[] => [...new Set(JIMU.flatMap((j) => fns.map((f) => `${j}:${f}` as Right)))].filter((r) => !COUNTER_KODOMO.includes(r));

/** The seeded 所属長 who approves the other demo staff's grants and authenticators (the bootstrap approver). */
export const SEED_APPROVER = 'D7001';

/** Demo staff: only ever created in demo or test databases, and flagged demo in the staff table. */
export const DEMO_LOGINS: DemoLogin[] = [
  { staffId: 'D1001', name: 'デモ窓口　一郎', nameKana: 'デモマドグチ イチロウ', section: 'こども青少年課', role: 'clerk', password: 'Demo-Clerk-01-Pass!', rights: [...COUNTER_KODOMO, ...claimRights('claim.enter', 'certificate.issue', 'certificate.print')], label: '窓口職員', demo: true },
  {
    staffId: 'D1002',
    name: 'デモ窓口　二葉',
    nameKana: 'デモマドグチ フタバ',
    section: 'こども青少年課',
    role: 'clerk',
    password: 'Demo-Clerk-02-Pass!',
    rights: [...COUNTER_KODOMO, 'mynumber.reveal'],
    label: '窓口職員（個人番号閲覧可）',
    demo: true,
  },
  {
    staffId: 'D2001',
    name: 'デモ係長　二郎',
    nameKana: 'デモカカリチョウ ジロウ',
    section: 'こども青少年課',
    role: 'checker',
    password: 'Demo-Checker-01-Pass!',
    rights: [...COUNTER_KODOMO, ...claimRights('claim.enter', 'claim.check', 'certificate.issue', 'certificate.print')],
    label: '確認者（二重チェック）',
    demo: true,
  },
  { staffId: 'D7001', name: 'デモ課長　七海', nameKana: 'デモカチョウ ナナミ', section: 'こども青少年課', role: 'approver', password: 'Demo-Approver-01!', rights: [...COUNTER_KODOMO, ...claimRights('claim.check', 'claim.approve'), 'audit.export.approve'], label: '承認者（所属長）', demo: true },
  { staffId: 'D8001', name: 'デモ監督　三郎', nameKana: 'デモカントク サブロウ', section: '情報政策課', role: 'supervisor', password: 'Demo-Super-01-Pass!', rights: ['resident.search', 'audit.verify', 'audit.review', 'audit.export.request', 'audit.export.approve'], label: '監督者', demo: true },
  { staffId: 'D9001', name: 'デモ管理　四子', nameKana: 'デモカンリ ヨツコ', section: '情報政策課', role: 'administrator', password: 'Demo-Admin-01-Pass!', rights: ['admin.staff', 'audit.verify'], label: 'システム管理者', demo: true },
];

/** The demo login of `staffId` (a test setup error when there is none). */
export function demoLogin(staffId: string): DemoLogin {
  const login = DEMO_LOGINS.find((l) => l.staffId === staffId);
  if (!login) throw new Error(`test setup: no demo login ${staffId}`);
  return login;
}

export interface DemoSeed extends ReturnType<typeof edgeCases> {
  /** The software credential registered for each demo login (tests load it into a virtual authenticator). */
  credentials: Record<string, SoftCredential>;
}

/** Provision a demo/test terminal: terminal ID, demo staff with grants and credentials, a number block, data. */
export async function seedDemo(db: Db, opts: { terminalId: string; households: number; at: string; seed?: number }): Promise<DemoSeed> {
  writeTerminalSetting(db, 'terminal_id', opts.terminalId);
  writeTerminalSetting(db, 'demo', '1');
  const credentials: Record<string, SoftCredential> = {};
  // D7001 is the terminal's bootstrap 所属長 (provisioned, self-enrolled); everyone else's grants and
  // authenticators wait for D7001, who approves them with their authenticator (approveSeeded).
  for (const s of DEMO_LOGINS) {
    const bootstrap = s.staffId === SEED_APPROVER;
    await createStaff(db, { ...s, approvedBy: bootstrap ? PROVISIONING : SEED_APPROVER }, SEED_STAMP, opts.at);
    credentials[s.staffId] = makeSoftCredential();
    db.transaction(() => registerSoftCredential(db, s.staffId, credentials[s.staffId]!, opts.at, bootstrap ? { bootstrap } : { approver: SEED_APPROVER }))();
  }
  approveSeeded(db, SEED_APPROVER, credentials[SEED_APPROVER]!, opts.at);
  db.transaction(() => {
    for (const type of CERT_TYPES) addNumberBlock(db, type, 1, 99_999, 'demo', { by: SEED_STAMP, at: opts.at });
  })();
  loadDataset(db, generateHouseholds(opts.households, opts.seed ?? 1), opts.at);
  const edges = edgeCases();
  loadDataset(db, edges, opts.at);
  return { ...edges, credentials };
}
