import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clockFrom } from '../../../testing/clock';
import { createSeededCore, loginSeeded, type SeededCore } from '../../../testing/core';
import { DEMO_LOGINS } from '../../../testing/seed';
import { allows } from '../../../shared/ipc/access';
import { channels, type ChannelName } from '../../../shared/ipc/contract';
import { ERROR_CODES, type Envelope } from '../../../shared/ipc/errors';
import { deeplyNested, fromSchema, hostileJson, hostileString } from '../../../testing/hostile';
import { PayloadSchema } from '../../../shared/sync/protocol';
import { IpcRouter } from '../router';

/**
 * Property-based fuzzing of every IPC channel through the real router and a real seeded core (issue 13 §1):
 * arbitrary JSON, and payloads shaped by the channel's request schema with hostile strings (control characters,
 * lone surrogates, huge strings, `__proto__` keys, deep nesting), sent with a session whose rights reach the
 * channel and without a session. For every request: no exception, no INTERNAL error, every refusal audited, and
 * the audit chain verifies after each channel. Fixed seed (FUZZ_SEED overrides), printed; runs sized to keep
 * the whole file within a few seconds per hundred channels.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 13_2026);
const RUNS_WITH_SESSION = Number(process.env.FUZZ_RUNS ?? 50);
const RUNS_WITHOUT = Math.max(5, Math.round(RUNS_WITH_SESSION / 3));

let s: SeededCore;
let router: IpcRouter;
const internal: unknown[] = [];
const names = Object.keys(channels) as ChannelName[];
let plausible: fc.Arbitrary<string>;
/** A valid request per channel where free text reaches a service: the fuzzer replaces one of its strings. */
const bases: Partial<Record<ChannelName, Record<string, unknown>>> = {};

beforeAll(async () => {
  console.log(`IPC fuzz: seed ${SEED}, ${RUNS_WITH_SESSION} runs per channel with a session, ${RUNS_WITHOUT} without (FUZZ_SEED, FUZZ_RUNS)`);
  s = await createSeededCore({ clock: clockFrom('2026-11-22T01:00:00Z'), households: 3 });
  router = new IpcRouter(s.core, { error: (_m, e) => internal.push(e) });
  const residents = Object.values(s.edges.byName).map((r) => r.id);
  // Real IDs, dates and codes, so that requests get past their ID fields and carry hostile text further in.
  plausible = fc.oneof(
    fc.constantFrom(...residents),
    fc.uuid(),
    fc.constantFrom('2026-04-01', '2026-11-22', 'D1001', 'D2001', '100000001', 'kodomo:certificate.issue', 'kokuho_shikaku', '窓口プリンタ1', 'a'.repeat(64), 'mr', '紛失'),
  );
  const clerk = await loginSeeded(s, 'fuzz-D1001', 'D1001', password('D1001'));
  const parent = s.edges.byName.testParent!;
  const cert = s.core.lifecycle.issue(clerk, { type: 'kokuho_shikaku', residentId: parent.id, issueKind: 'new', reissueReason: null, details: {}, nameChoice: 'real', printSex: true, residentVersion: s.core.residents.findRow(parent.id)!.version });
  const csv = (cells: string[]) => Buffer.from(`職員ID,氏名,氏名カナ,所属,役割,状態\n${cells.join(',')}\n`, 'utf8').toString('base64');
  Object.assign(bases, {
    'certificates.cancel': { certificateId: cert.id, version: cert.version, reason: '転出' },
    'certificates.correct': { certificateId: cert.id, version: cert.version, details: { limitKubun: 'ウ' }, nameChoice: 'real', printSex: true, reason: '区分の誤り' },
    'certificates.dvRelease': { certificateId: cert.id, reason: '本人確認済み' },
    'certificates.print': { certificateId: cert.id, printerName: '窓口プリンタ1', fingerprint: 'a'.repeat(64) },
    'mailing.select': { title: '一斉更新', certType: 'kokuho_shikaku', validToOnOrBefore: '2027-07-31' },
    'audit.exports.request': { filter: { reason: '窓口申請' }, reason: '定期監査', csvEncoding: 'utf8bom' },
    'audit.review': { filter: { staffId: 'D1001', action: 'residents.view', terminalId: 'DEMO-01', reason: '窓口申請' }, beforeSeq: null, limit: 10 },
    'admin.grants.grant': { staffId: 'D1001', right: 'mynumber.reveal', approvedBy: 'D7001', reason: '異動', expiresAt: null },
    'admin.roster.preview': { fileName: '名簿.csv', contentBase64: csv(['Z0001', '試験　太郎', 'シケン　タロウ', '情報政策課', '窓口職員', '在職']) },
    'admin.authenticators.finish': { staffId: 'D1001', label: '窓口の鍵', response: { id: 'x', rawId: 'x', type: 'public-key', response: {}, clientExtensionResults: {} } },
    'residents.search': { kana: 'テスト' },
    'banks.search': { bankCode: null, query: 'みずほ' },
    'claims.draft.save': { key: `kodomo_shokan:${parent.id}`, data: { form: { note: '下書き', lines: [{ amount: '1000' }] } } },
    'claims.decide': { claimId: parent.id, version: 1, decision: '支給', reason: '審査済み', overrideReason: null },
    'vaccinations.add': { residentId: parent.id, entry: { vaccine: 'mr', stage: '1期', doseNumber: 1, administeredOn: '2016-05-10', lotNumber: 'Y1', institution: '梅田こどもクリニック', overseas: false } },
    'sync.resolveConflict': { conflictId: 1, resolution: 'keep_server', reason: '確認済み' },
    'auth.login': { staffId: 'D9999', password: 'wrong-password' },
  } satisfies Partial<Record<ChannelName, Record<string, unknown>>>);
  rosterCells = (cells: string[]) => ({ fileName: '名簿.csv', contentBase64: csv(cells) });
}, 120_000);
let rosterCells: (cells: string[]) => Record<string, unknown>;

/** Every path to a string in a plain value (objects and arrays). */
function stringPaths(v: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof v === 'string') return [path];
  if (Array.isArray(v)) return v.flatMap((x, i) => stringPaths(x, [...path, i]));
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => stringPaths(x, [...path, k]));
  return [];
}

/** A copy of `base` with the string at `path` replaced. */
function replaced(base: unknown, path: (string | number)[], value: string): unknown {
  if (path.length === 0) return value;
  const copy = (Array.isArray(base) ? [...base] : { ...(base as Record<string, unknown>) }) as Record<string | number, unknown>;
  copy[path[0]!] = replaced(copy[path[0]!], path.slice(1), value);
  return copy;
}

/** Ordinary text as staff type it (kana, kanji, ASCII, full-width spaces): mostly accepted. */
const benignString = fc.string({ unit: fc.constantFrom(...'あいうアイウ漢字転出理由 　abcXYZ019-（）𠮷'.split(/(?:)/u)), maxLength: 30 });
afterAll(() => s?.cleanup());

const password = (id: string) => DEMO_LOGINS.find((l) => l.staffId === id)!.password;

/** The sender for `staffId`, logged in and unlocked (a fuzzed logout, lock or failed unlock is undone). */
async function sessionOf(staffId: string): Promise<string> {
  const sender = `fuzz-${staffId}`;
  const actor = s.core.auth.sessionFor(sender);
  if (actor && !actor.locked) return sender;
  s.core.db.prepare('UPDATE staff SET failed_count = 0, locked_until = NULL WHERE staff_id = ?').run(staffId);
  await loginSeeded(s, sender, staffId, password(staffId));
  return sender;
}

/** A demo member of staff whose rights reach the channel (null: none does, e.g. a right no demo account holds). */
function staffFor(name: ChannelName): string | null {
  const access = channels[name].access;
  for (const l of DEMO_LOGINS) {
    const rights = s.core.auth.sessionFor(`fuzz-${l.staffId}`)?.rights ?? l.rights ?? [];
    if (allows(access, { rights, locked: false })) return l.staffId;
  }
  return null;
}

const lastSeq = () => (s.core.db.prepare('SELECT coalesce(max(seq), 0) AS m FROM audit_log').get() as { m: number }).m;

const outcomes = new Map<string, number>();
const lastOutbox = () => (s.core.db.prepare('SELECT coalesce(max(mutation_id), 0) AS m FROM outbox').get() as { m: number }).m;
afterAll(() => {
  const byCode = new Map<string, number>();
  for (const [k, n] of outcomes) byCode.set(k.split(':')[1]!, (byCode.get(k.split(':')[1]!) ?? 0) + n);
  const served = new Set([...outcomes.keys()].filter((k) => k.endsWith(':OK')).map((k) => k.split(':')[0]));
  console.log(`IPC fuzz outcomes: ${[...byCode].sort().map(([k, n]) => `${k} ${n}`).join(', ')}; channels that served at least one request: ${served.size}/${names.length} (FUZZ_VERBOSE=1 for each channel)`);
  if (process.env.FUZZ_VERBOSE) console.log([...outcomes].sort().map(([k, n]) => `${k} ${n}`).join('\n'));
});

async function check(sender: string, name: ChannelName, payload: unknown): Promise<void> {
  const before = lastSeq();
  const outboxBefore = lastOutbox();
  const env: Envelope<unknown> = await router.handle({ senderId: sender }, name, payload);
  const key = `${name}:${env.ok ? 'OK' : env.error.code}`;
  outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  expect(typeof env.ok).toBe('boolean');
  if (!env.ok) {
    expect(ERROR_CODES).toContain(env.error.code);
    expect(env.error.code, `${name}: ${env.error.message}`).not.toBe('INTERNAL');
    expect(typeof env.error.message).toBe('string');
    expect(lastSeq(), `${name}: refusal ${env.error.code} not audited`).toBeGreaterThan(before);
  }
  expect(internal).toEqual([]);
  // Whatever a request wrote goes to the central server: every change must be one it takes (shared/sync/protocol.ts).
  const written = s.core.db.prepare<[number], { entity: string; payload: string }>('SELECT entity, payload FROM outbox WHERE mutation_id > ?').all(outboxBefore);
  for (const w of written) expect(PayloadSchema.safeParse(JSON.parse(w.payload)).success, `${name} wrote a ${w.entity} change the server would refuse`).toBe(true);
}

const payloads = (name: ChannelName): fc.Arbitrary<unknown> => {
  const base = bases[name];
  const arbs: fc.WeightedArbitrary<unknown>[] = [
    { weight: 1, arbitrary: hostileJson(4) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(undefined, null, [], 'x', 42, deeplyNested(5_000), JSON.parse('{"__proto__":{"isAdmin":true}}')) },
    { weight: 4, arbitrary: fromSchema(channels[name].request, plausible) },
  ];
  if (base) {
    // One string of a valid request replaced by hostile or ordinary text, so the rest of it reaches the service.
    const paths = stringPaths(base);
    arbs.push({ weight: 6, arbitrary: fc.tuple(fc.constantFrom(...paths), fc.oneof(hostileString, benignString)).map(([p, v]) => replaced(base, p, v)) });
    arbs.push({ weight: 1, arbitrary: fc.constant(base) });
  }
  if (name === 'admin.roster.preview') arbs.push({ weight: 6, arbitrary: fc.array(fc.oneof(hostileString, benignString), { minLength: 6, maxLength: 6 }).map(rosterCells) });
  return fc.oneof(...arbs);
};

describe('IPC fuzz: every channel through the real router', () => {
  it('covers every channel of the contract', () => {
    expect(names.length).toBeGreaterThan(50);
  });

  for (const name of names) {
    it(name, async () => {
      const staffId = staffFor(name);
      if (staffId) {
        await fc.assert(
          fc.asyncProperty(payloads(name), async (payload) => check(await sessionOf(staffId), name, payload)),
          { seed: SEED, numRuns: RUNS_WITH_SESSION, endOnFailure: true },
        );
      }
      await fc.assert(
        fc.asyncProperty(payloads(name), async (payload) => check('fuzz-nobody', name, payload)),
        { seed: SEED + 1, numRuns: RUNS_WITHOUT, endOnFailure: true },
      );
      expect(Object.prototype).not.toHaveProperty('isAdmin');
      const verified = s.core.audit.verify();
      expect(verified.message).toMatch(/改ざんは検出されませんでした/);
      expect(verified.ok).toBe(true);
    });
  }
});
