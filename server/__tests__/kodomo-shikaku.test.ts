import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { push, resolveConflict, type TerminalPeer } from '../sync';
import { SYNC_ENTITY_FIELDS, type Mutation } from '../../shared/sync/protocol';
import { TEST_SCOPE, resetDb, startPostgres, type PgFixture } from '../../testing/server';

/**
 * こども医療 受給資格 at the central server (issue 15 §2/§3), real PostgreSQL: the server decides whether a pushed
 * kodomo_shikaku stands (only for a 認定 交付申請 it holds, repeating its input; afterwards only the 喪失 may change),
 * and, once the municipality has a 受給資格 on the server, refuses a こども医療証 or a こども償還 outside it. Each
 * refusal is a rejected mutation with its reason; the rest of the batch is applied. The terminal side end to end:
 * electron/core/sync/__tests__/kodomo-shikaku.test.ts.
 */
let pg: PgFixture;
beforeAll(async () => {
  pg = await startPostgres();
}, 120_000);
afterAll(async () => {
  await pg?.stop();
}, 120_000);
beforeEach(async () => {
  await resetDb(pg.pool);
  mutationId = 0;
});

const peer: TerminalPeer = { terminalId: 'T001', scope: TEST_SCOPE };
let mutationId = 0;
const AT = '2026-11-22T01:00:00.000Z';
const common = (id: string, version: number) => ({ id, version, created_at: AT, created_by: 'D1001', updated_at: AT, updated_by: 'D1001', deleted: 0 });

function m(entity: string, entityId: string, op: 'insert' | 'update' | 'delete', payload: Record<string, unknown>): Mutation {
  return { mutationId: 0, clientUuid: randomUUID(), entity, entityId, op, payload } as Mutation;
}
const insert = (entity: string, fields: Record<string, unknown>, id: string = randomUUID()) => m(entity, id, 'insert', { ...common(id, 1), ...fields });

async function send(...mutations: Mutation[]) {
  // Numbered as sent (the terminal's outbox order), whatever order the test built them in.
  const r = await push(pg.pool, peer, { terminalId: 'T001', mutations: mutations.map((x) => ({ ...x, mutationId: ++mutationId })) }, new Date('2026-11-22T01:00:00Z'));
  return r.results.map((x) => (x.status === 'applied' ? 'applied' : x.reason));
}

const CHILD = randomUUID();
const GUARDIAN = randomUUID();
const resident = (id: string, atena: string, birth: string) => insert('residents', { atena_no: atena, name_kanji: '窓口 児', birth_date: birth }, id);

const APPLICATION = {
  acquiredOn: '2026-11-01', acquireReason: '02', guardianId: GUARDIAN,
  insurance: { insurerName: '大阪市', kind: '国民健康保険', relation: '家族', symbol: '北', number: '10001', branch: '01' },
  delivery: { method: '郵送', postalCode: '530-0001', address: '大阪市北区梅田1-1-1', addressee: '窓口 花子' },
};

function claim(over: Record<string, unknown> = {}, id: string = randomUUID()) {
  return insert('claims', {
    claim_kind: 'kodomo_shikaku', claim_no: `K-${id.slice(0, 4)}`, resident_id: CHILD, applicant_id: GUARDIAN, application_date: '2026-11-20', state: 'decided',
    input_json: JSON.stringify(APPLICATION), identity_json: '{}', bank_json: null, calc_json: '{}', amount_yen: null, deadline: null, deadline_expired: 0,
    entered_by: 'D1001', checked_by: 'D2001', decided_by: 'D7001', decision: '認定', decision_reason: null, override_reason: null, decided_at: AT,
    notice_no: `NK-${id.slice(0, 4)}`, revision: 1, ...over,
  }, id);
}

/** The record a 認定 of `claimId` makes at the terminal (kodomo-shikaku-service certify), every synced field. */
function shikaku(claimId: string, over: Record<string, unknown> = {}, id: string = randomUUID()) {
  const mut = insert('kodomo_shikaku', {
    resident_id: CHILD, atena_no: '100000005', claim_id: claimId, guardian_id: GUARDIAN, acquired_on: '2026-11-01', acquire_reason: '02',
    insurer_name: '大阪市', insurance_kind: '国民健康保険', insured_relation: '家族', insurance_symbol: '北', insurance_number: '10001', insurance_branch: '01',
    delivery_json: JSON.stringify(APPLICATION.delivery), lost_on: null, lose_reason: null, lose_notified_on: null, ...over,
  }, id);
  expect(Object.keys(mut.payload).sort()).toEqual([...SYNC_ENTITY_FIELDS.kodomo_shikaku].sort());
  return mut;
}

const held = async (entity: string) =>
  (await pg.pool.query<{ entity_id: string; version: number; payload: Record<string, unknown> }>(
    'SELECT entity_id, version, payload FROM entities WHERE entity = $1 ORDER BY server_seq', [entity])).rows;

describe('a pushed こども 受給資格 stands only for a 認定 交付申請 the server holds', () => {
  it('forged records (no claim, a claim not 認定, another child, fields differing, a second record for one claim) are refused; the rest of the batch is applied', async () => {
    const decided = claim();
    const received = claim({ state: 'checked', decided_by: null, decision: null, decided_at: null, notice_no: null });
    const refused = claim({ decision: '却下', decision_reason: '保護者が確認できないため' });
    const shokan = claim({ claim_kind: 'kodomo_shokan', decision: '支給', input_json: JSON.stringify({ lines: [] }) });
    const other = randomUUID();
    const good = shikaku(decided.entityId);
    const results = await send(
      resident(CHILD, '100000005', '2026-10-20'), resident(GUARDIAN, '100000004', '1990-01-01'), decided, received, refused, shokan,
      shikaku(randomUUID()),
      shikaku(received.entityId),
      shikaku(refused.entityId),
      shikaku(shokan.entityId),
      shikaku(decided.entityId, { resident_id: other }),
      shikaku(decided.entityId, { atena_no: '100000099' }),
      shikaku(decided.entityId, { acquired_on: '2026-10-20' }),
      shikaku(decided.entityId, { guardian_id: other, insurance_number: '99999' }),
      shikaku(decided.entityId, { delivery_json: JSON.stringify({ method: '窓口' }) }),
      good,
      shikaku(decided.entityId),
      resident(randomUUID(), '100000006', '1990-02-02'),
    );
    expect(results).toEqual([
      'applied', 'applied', 'applied', 'applied', 'applied', 'applied',
      'invalid: 受給資格の交付申請（請求）が中央サーバにありません。認定された交付申請のない受給資格は登録できません',
      'invalid: 交付申請が認定されていません（決裁で認定された交付申請にのみ受給資格を登録できます）',
      'invalid: 交付申請が認定されていません（決裁で認定された交付申請にのみ受給資格を登録できます）',
      'invalid: 受給資格が指す請求はこども医療費 受給資格の交付申請ではありません',
      'invalid: 受給資格の住民が交付申請の住民と一致しません',
      'invalid: 受給資格の宛名番号が住民記録と一致しません',
      'invalid: 受給資格の資格取得日が認定された交付申請と一致しません',
      'invalid: 受給資格の保護者・主保険が認定された交付申請と一致しません',
      'invalid: 受給資格の交付方法が認定された交付申請と一致しません',
      'applied',
      'invalid: この交付申請の受給資格はすでに登録されています',
      'applied',
    ]);
    expect((await held('kodomo_shikaku')).map((r) => r.entity_id)).toEqual([good.entityId]);
    const stored = await pg.pool.query(`SELECT status, count(*)::int AS n FROM mutations GROUP BY status ORDER BY status`);
    expect(stored.rows).toEqual([{ status: 'applied', n: 8 }, { status: 'rejected', n: 10 }]);
  });

  it('after the 認定 only the 喪失 may change: a 喪失 is accepted, a change of the 取得日 or a deletion refused', async () => {
    const decided = claim();
    const s = shikaku(decided.entityId);
    expect(await send(resident(CHILD, '100000005', '2026-10-20'), decided, s)).toEqual(['applied', 'applied', 'applied']);
    const id = s.entityId;
    expect(await send(
      m('kodomo_shikaku', id, 'update', { id, version: 2, updated_by: 'D7001', updated_at: AT, lost_on: '2026-12-01', lose_reason: '02', lose_notified_on: '2026-11-25' }),
      m('kodomo_shikaku', id, 'update', { id, version: 3, updated_by: 'D7001', updated_at: AT, acquired_on: '2026-10-20' }),
      m('kodomo_shikaku', id, 'update', { id, version: 3, updated_by: 'D7001', updated_at: AT, lose_notified_on: '2026-11-26', insurance_number: '20002', guardian_id: CHILD }),
      m('kodomo_shikaku', id, 'update', { id, version: 3, updated_by: 'D7001', updated_at: AT, deleted: 1 }),
    )).toEqual([
      'applied',
      'invalid: こども医療費の受給資格は認定後に喪失（喪失日・事由・届出日）のほかは変更できません（資格取得日）',
      'invalid: こども医療費の受給資格は認定後に喪失（喪失日・事由・届出日）のほかは変更できません（保護者・主保険）',
      'invalid: こども医療費の受給資格は削除できません（喪失を登録してください）',
    ]);
    const [row] = await held('kodomo_shikaku');
    expect(row).toMatchObject({ version: 2, payload: { acquired_on: '2026-11-01', lost_on: '2026-12-01', lose_reason: '02', lose_notified_on: '2026-11-25', insurance_number: '10001', deleted: 0 } });

    // An edit based on version 1 is a conflict; a supervisor cannot apply its change of the 取得日 either, only a 喪失.
    expect(await send(m('kodomo_shikaku', id, 'update', { id, version: 2, updated_by: 'D7001', updated_at: AT, acquired_on: '2026-10-25' }))).toEqual([
      'conflict: based on version 1, server has 2',
    ]);
    const cf = await pg.pool.query<{ conflict_id: string }>('SELECT conflict_id FROM conflicts ORDER BY conflict_id DESC LIMIT 1');
    expect(await resolveConflict(pg.pool, peer, Number(cf.rows[0]!.conflict_id), { resolution: 'apply_terminal', staffId: 'D7001', reason: '窓口の訂正' }, new Date(AT))).toEqual({
      status: 'rejected', reason: 'invalid: こども医療費の受給資格は認定後に喪失（喪失日・事由・届出日）のほかは変更できません（資格取得日）',
    });
    expect((await held('kodomo_shikaku'))[0]).toMatchObject({ version: 2, payload: { acquired_on: '2026-11-01' } });
  });
});

describe('こども医療証 and こども償還 against the 受給資格 held on the server', () => {
  const cert = (issue: string, validTo: string, residentId = CHILD) => insert('certificates', {
    resident_id: residentId, cert_type: 'kodomo', certificate_no: `K${randomUUID().slice(0, 8)}`, public_payer_no: null, issue_kind: 'new', reissue_reason: null,
    issue_date: issue, valid_from: issue, valid_to: validTo, guardian_id: GUARDIAN, status: 'valid', superseded_by: null, details_json: '{}',
    name_choice: 'real', print_sex: 1, end_reason: null, recall_status: 'none', recall_date: null, recall_kind: null,
  });
  const line = (serviceMonth: string) => ({ serviceMonth, institutionCode: '2712345', institutionName: '梅田こどもクリニック', category: 'medical-outpatient', days: 1, totalCostYen: 3000, paidYen: 900 });
  const shokan = (...months: string[]) => claim({ claim_kind: 'kodomo_shokan', state: 'received', checked_by: null, decided_by: null, decision: null, decided_at: null, notice_no: null, input_json: JSON.stringify({ lines: months.map(line) }) });

  it('before any 受給資格 is on the server nothing is checked (the old world); after, a 医療証 outside the 資格 or past its last day and a claim month outside it are refused, naming the month', async () => {
    const early = randomUUID();
    expect(await send(resident(CHILD, '100000005', '2026-10-20'), resident(early, '100000007', '2008-04-01'), cert('2026-11-22', '2027-07-31', early), shokan('2026-01'))).toEqual(['applied', 'applied', 'applied', 'applied']);

    const decided = claim();
    // The 資格 from 2026-11-01, lost on 2026-12-20 (last day 12-19).
    const s = shikaku(decided.entityId, {});
    expect(await send(decided, s)).toEqual(['applied', 'applied']);
    expect(await send(m('kodomo_shikaku', s.entityId, 'update', { id: s.entityId, version: 2, lost_on: '2026-12-20', lose_reason: '02', lose_notified_on: null }))).toEqual(['applied']);

    const inside = shokan('2026-11', '2026-12');
    expect(await send(
      cert('2026-10-25', '2027-07-31'),
      cert('2026-12-20', '2027-07-31'),
      cert('2026-11-22', '2027-07-31'),
      cert('2026-11-22', '2026-12-19'),
      cert('2026-11-22', '2027-07-31', early),
      shokan('2026-11', '2027-01'),
      shokan('2026-10'),
      inside,
    )).toEqual([
      'invalid: 令和8年10月25日はこども医療費助成の受給資格がありません（資格取得日は令和8年11月1日です）',
      'invalid: 令和8年12月20日はこども医療費助成の受給資格がありません（令和8年12月19日まで（転出））',
      'invalid: 有効期限（令和9年7月31日）が受給資格の最終日（令和8年12月19日）を過ぎています',
      'applied',
      expect.stringMatching(/^invalid: こども医療費助成の対象外です（18歳年度末/),
      'invalid: 2行目（令和9年1月診療分）: 令和9年1月診療分はこども医療費助成の受給資格がありません（令和8年12月19日まで（転出））',
      'invalid: 1行目（令和8年10月診療分）: 令和8年10月診療分はこども医療費助成の受給資格がありません（資格取得日は令和8年11月1日です）',
      'applied',
    ]);
    // A 訂正 moving the accepted claim to a month after the 喪失 is refused; the server keeps version 1.
    const id = inside.entityId;
    expect(await send(m('claims', id, 'update', { id, version: 2, input_json: JSON.stringify({ lines: [line('2027-02')] }) }))).toEqual([
      'invalid: 1行目（令和9年2月診療分）: 令和9年2月診療分はこども医療費助成の受給資格がありません（令和8年12月19日まで（転出））',
    ]);
    const kept = await pg.pool.query(`SELECT version FROM entities WHERE entity = 'claims' AND entity_id = $1`, [id]);
    expect(kept.rows).toEqual([{ version: 1 }]);
  });
});
