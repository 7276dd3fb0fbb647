import { createHash, randomUUID, webcrypto } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { beforeEach, describe, expect, it } from 'vitest';
import { Agent, request as httpsRequest } from 'node:https';
import type { SyncApp } from '../app';
import { MAX_OPEN_LEASES } from '../leases';
import { ensureCa, issueTerminal, loadServerTls, pkiPaths, revoke, x509 } from '../pki';
import { pruneTombstones, scheduleTombstonePruning, tombstoneRetentionDays } from '../sync';
import { createPool } from '../db';
import { call, resetDb, useSyncServer, type ClientCert, type PgFixture, type PkiFixture } from '../../testing/server';
import { clockFrom } from '../../testing/clock';
import type { ChecksumResponse, PullResponse, PushResponse } from '../../shared/sync/protocol';
import { applyAction, seikatsuRecipientNumber, startFlow, type FlowAction, type FlowKind, type FlowRecord, type FlowResult } from '../../shared/domain/seikatsu';
import { publishProfile } from '../profiles';
import sampleProfile from '../../resources/profiles/sample-osaka.json';

/**
 * Pull scope and server-side validation: a terminal sees and changes only records of its municipality and
 * 事務 (as written into its certificate), its own number blocks, and only records that pass shared/domain.
 */
let pg: PgFixture, pki: PkiFixture, port: number, server: SyncApp;
useSyncServer(['OSA1', 'OSA2', 'KOKU', 'KODO', 'KUMA', 'REVK', 'FUKU'], {
  clock: clockFrom('2026-11-22T01:00:00Z'),
  scopes: {
    KOKU: { municipality: '271004', jimu: ['kokuho'] },
    KODO: { municipality: '271004', jimu: ['kodomo'] },
    FUKU: { municipality: '271004', jimu: ['seikatsu'] },
    KUMA: { municipality: '431001', jimu: ['kodomo', 'kokuho', 'yobou'] },
  },
}, (s) => ({ pg, pki, port, server } = s));

const next: Record<string, number> = {};
beforeEach(async () => {
  await resetDb(pg.pool);
  for (const k of Object.keys(next)) delete next[k];
});

const t = (id: string): ClientCert => pki.terminals[id]!;

function mutation(terminal: string, entity: string, entityId: string, op: 'insert' | 'update', payload: Record<string, unknown>) {
  next[terminal] = (next[terminal] ?? 0) + 1;
  return { mutationId: next[terminal], clientUuid: randomUUID(), entity, entityId, op, payload };
}

async function push(terminal: string, ...mutations: unknown[]): Promise<PushResponse['results']> {
  const r = await call(port, pki.ca, t(terminal), 'POST', '/v1/push', { terminalId: terminal, mutations });
  expect(r.status).toBe(200);
  return (r.body as PushResponse).results;
}

async function pullAll(terminal: string, query = ''): Promise<PullResponse> {
  const r = await call(port, pki.ca, t(terminal), 'GET', `/v1/pull?cursor=0&limit=5000${query}`);
  expect(r.status).toBe(200);
  return r.body as PullResponse;
}

const resident = (atena: string, extra: Record<string, unknown> = {}) => ({
  version: 1, atena_no: atena, name_kanji: '窓口 花子', birth_date: '2016-05-05', sex: '2', ...extra,
});
const certificate = (residentId: string, certType: string, no: string) => ({
  version: 1, resident_id: residentId, cert_type: certType, certificate_no: no, issue_kind: 'new', issue_date: '2026-11-01',
  valid_from: '2026-11-01', valid_to: '2027-07-31', status: 'valid',
});

/**
 * A 扶助 flow as the server holds it after an accepted push (server/fujo.ts verified it then): an honest history
 * built with the pure state machine the terminal and the server run, written into the server's entities.
 */
const W = (staffId: string, ...functions: ('claim.enter' | 'claim.check' | 'claim.approve')[]) => ({ staffId, functions });
const [clerk, checker, approver] = [W('W1001', 'claim.enter'), W('W2001', 'claim.check'), W('W7001', 'claim.check', 'claim.approve')];
function must(r: FlowResult): FlowRecord {
  if (!r.ok) throw new Error(r.message);
  return r.flow;
}
function flowUpTo(kind: FlowKind, residentId: string, o: { aidStartOn?: string; abolishedOn?: string; upTo?: FlowAction } = {}): FlowRecord {
  let f = must(startFlow(kind, clerk, { residentId, appliedOn: '2026-10-01' }, '2026-10-01T01:00:00.000Z'));
  let minute = 0;
  const steps: (readonly [FlowAction, typeof clerk, Record<string, unknown>])[] = [
    ...(kind === 'kaigo'
      ? [['insurance_query', clerk, { queriedOn: '2026-10-02', agency: '大阪市 介護保険課' }], ['insurance_answer', clerk, { answeredOn: '2026-10-03', insured: true, careLevel: '要介護1' }]] as const
      : []),
    ['check', checker, {}],
    ['decide', approver, { decidedOn: '2026-10-05', decision: '開始', aidStartOn: o.aidStartOn ?? '2026-11-10' }],
    ...(kind === 'kaigo' ? [['request_plan', clerk, { requestedOn: '2026-10-06', provider: '居宅介護支援 さくら' }], ['receive_plan', clerk, { receivedOn: '2026-10-07' }]] as const : []),
    ...(o.abolishedOn ? [['propose_abolish', clerk, { abolishedOn: o.abolishedOn, reason: '転出' }], ['check_abolish', checker, {}], ['approve_abolish', approver, {}]] as const : []),
  ];
  for (const [action, who, input] of steps) {
    if (o.upTo && f.history.at(-1)!.action === o.upTo) break;
    f = must(applyAction(f, action, who, input, `2026-10-08T01:${String(minute++).padStart(2, '0')}:00.000Z`));
  }
  return f;
}
async function serverFlow(flow: FlowRecord, deleted = false): Promise<void> {
  const id = randomUUID();
  const payload = {
    id, version: 1, resident_id: flow.residentId, flow_no: `F${id.slice(0, 8)}`, kind: flow.kind, state: flow.state, applied_on: flow.facts.appliedOn,
    record_json: JSON.stringify(flow), proofs_json: '{}', deleted: deleted ? 1 : 0,
  };
  await pg.pool.query(
    `INSERT INTO entities (entity, entity_id, version, payload, updated_by_terminal, deleted, municipality, jimu) VALUES ('fujo_flows', $1, 1, $2, 'FUKU', $3, '271004', 'seikatsu')`,
    [id, JSON.stringify(payload), deleted],
  );
}

describe('pull scope', () => {
  it('never shows one municipality the records of another, nor lets it change them', async () => {
    const osakaRes = randomUUID();
    const kumaRes = randomUUID();
    expect((await push('OSA1', mutation('OSA1', 'residents', osakaRes, 'insert', resident('1001'))))[0]!.status).toBe('applied');
    expect((await push('KUMA', mutation('KUMA', 'residents', kumaRes, 'insert', resident('2001'))))[0]!.status).toBe('applied');

    expect((await pullAll('OSA2')).changes.map((c) => c.entityId)).toEqual([osakaRes]);
    expect((await pullAll('KUMA')).changes.map((c) => c.entityId)).toEqual([kumaRes]);

    // Kumamoto edits (and re-inserts) an Osaka record by ID: refused, and the record is untouched.
    const [upd] = await push('KUMA', mutation('KUMA', 'residents', osakaRes, 'update', { version: 2, address: '熊本市' }));
    expect(upd).toMatchObject({ status: 'rejected', reason: expect.stringContaining('forbidden') });
    const [ins] = await push('KUMA', mutation('KUMA', 'residents', osakaRes, 'insert', resident('2002')));
    expect(ins).toMatchObject({ status: 'rejected', reason: expect.stringContaining('forbidden') });
    const stored = await pg.pool.query('SELECT version, payload FROM entities WHERE entity_id = $1', [osakaRes]);
    expect(stored.rows[0]).toMatchObject({ version: 1, payload: expect.not.objectContaining({ address: '熊本市' }) });
    // … and no conflict carrying the Osaka record was stored for Kumamoto's supervisors.
    expect(Number((await pg.pool.query('SELECT count(*) AS n FROM conflicts')).rows[0].n)).toBe(0);
  });

  it('shows a 事務-scoped terminal only the certificates of its 事務, and refuses others', async () => {
    const res = randomUUID();
    const kodomoCert = randomUUID();
    const kokuhoCert = randomUUID();
    const event = randomUUID();
    await push(
      'OSA1',
      mutation('OSA1', 'residents', res, 'insert', resident('1001')),
      mutation('OSA1', 'certificates', kodomoCert, 'insert', certificate(res, 'kodomo', '0000001')),
      mutation('OSA1', 'certificates', kokuhoCert, 'insert', certificate(res, 'kokuho_shikaku', '0000001')),
      mutation('OSA1', 'certificate_events', event, 'insert', { version: 1, certificate_id: kodomoCert, resident_id: res, event: 'issued' }),
    );
    const kokuhoView = (await pullAll('KOKU')).changes.map((c) => c.entityId).sort();
    expect(kokuhoView).toEqual([res, kokuhoCert].sort());
    expect((await pullAll('OSA2')).changes).toHaveLength(4);

    const refused = await push(
      'KOKU',
      mutation('KOKU', 'certificates', randomUUID(), 'insert', certificate(res, 'kodomo', '0000002')),
      mutation('KOKU', 'certificate_events', randomUUID(), 'insert', { version: 1, certificate_id: kodomoCert, resident_id: res, event: 'recalled' }),
      mutation('KOKU', 'certificates', kodomoCert, 'update', { version: 2, status: 'superseded' }),
      // re-typing its own kokuho certificate into kodomo is refused too
      mutation('KOKU', 'certificates', kokuhoCert, 'update', { version: 2, cert_type: 'kodomo' }),
    );
    expect(refused.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    for (const r of refused) expect(r.reason).toContain('forbidden');
    const ok = await push('KOKU', mutation('KOKU', 'certificates', kokuhoCert, 'update', { version: 2, status: 'superseded' }));
    expect(ok[0]!.status).toBe('applied');
  });

  it('a 生活保護-only terminal (no 扶助 records yet) holds nobody and may change no other 事務', async () => {
    const res = randomUUID();
    const kodomoCert = randomUUID();
    await push(
      'OSA1',
      mutation('OSA1', 'residents', res, 'insert', resident('1001')),
      mutation('OSA1', 'certificates', kodomoCert, 'insert', certificate(res, 'kodomo', '0000001')),
    );
    // Its population is the people a record of 生活保護 names: none yet, so neither the resident nor the 証.
    const view = await pullAll('FUKU');
    expect(view.changes).toEqual([]);
    expect(view.scopeKey).toBe('271004:seikatsu:p2');
    const refused = await push(
      'FUKU',
      mutation('FUKU', 'certificates', randomUUID(), 'insert', certificate(res, 'kodomo', '0000002')),
      mutation('FUKU', 'certificates', kodomoCert, 'update', { version: 2, status: 'superseded' }),
      mutation('FUKU', 'vaccination_records', randomUUID(), 'insert', { version: 1, resident_id: res, administered_on: '2026-10-01' }),
    );
    expect(refused.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const r of refused) expect(r.reason).toContain('forbidden');
    expect((await pg.pool.query('SELECT version FROM entities WHERE entity_id = $1', [kodomoCert])).rows[0]).toMatchObject({ version: 1 });
  });

  it('a 給付券 (医療券・調剤券・介護券) only from a 生活保護 terminal, of a known type, and only as a terminal could have issued it', async () => {
    const res = randomUUID();
    await push('OSA1', mutation('OSA1', 'residents', res, 'insert', resident('1001')));
    // The 医療扶助 decided 開始 from 2026-11-10, as the server holds it (each ticket's 扶助 is checked against it).
    await serverFlow(flowUpTo('iryo_direct', res));
    const recipientNo = seikatsuRecipientNumber('', 1);
    const details = {
      shinryo: '入院外', month: '2026-11', recipientNo, publicPayerNo: '12270104', institutionCode: '2712345678', institutionName: '大阪第一病院', prescriberCode: null,
      caseNo: '4501', caseworker: 'D1001', diseaseNames: ['高血圧症'], selfPayYen: 0, coverage: '単独', socialInsurance: null, aidStartOn: '2026-11-10', abolishedOn: null,
      infectiousDisease37_2: false, lateElderly: false, prefecturalCost: false,
    };
    const ticket = (no: string, over: Record<string, unknown> = {}) => ({
      ...certificate(res, 'seikatsu_iryo', no), public_payer_no: '12270104', valid_from: '2026-11-10', valid_to: '2026-11-30', details_json: JSON.stringify(details), ...over,
    });
    const [fromOsaka] = await push('OSA1', mutation('OSA1', 'certificates', randomUUID(), 'insert', ticket('IR1')));
    expect(fromOsaka).toMatchObject({ status: 'rejected', reason: expect.stringContaining('forbidden') });
    const wrongCheck = recipientNo.slice(0, 6) + String((Number(recipientNo[6]) + 1) % 10);
    const results = await push(
      'FUKU',
      mutation('FUKU', 'certificates', randomUUID(), 'insert', ticket('IR2')),
      // valid from the 1st although the 扶助 starts on the 10th
      mutation('FUKU', 'certificates', randomUUID(), 'insert', ticket('IR3', { valid_from: '2026-11-01' })),
      mutation('FUKU', 'certificates', randomUUID(), 'insert', ticket('IR4', { details_json: JSON.stringify({ ...details, recipientNo: wrongCheck }) })),
      // a month after the 廃止
      mutation('FUKU', 'certificates', randomUUID(), 'insert', ticket('IR5', { details_json: JSON.stringify({ ...details, month: '2026-12', abolishedOn: '2026-11-20' }), valid_from: '2026-12-01', valid_to: '2026-12-31' })),
      // a type the 事務 does not have (the prefix alone no longer passes)
      mutation('FUKU', 'certificates', randomUUID(), 'insert', certificate(res, 'seikatsu_other', 'X1')),
    );
    expect(results.map((r) => r.status)).toEqual(['applied', 'rejected', 'rejected', 'rejected', 'rejected']);
    expect(results[1]!.reason).toContain('医療券の有効期間が対象年月・扶助開始日・廃止日と合いません（2026-11-10〜2026-11-30）');
    expect(results[2]!.reason).toContain('受給者番号の検証番号が一致しません');
    expect(results[3]!.reason).toContain('廃止日（2026-11-20）以後の月の券は発行できません');
    expect(results[4]!.reason).toContain('証の種類が正しくありません');
    // One valid ticket per recipient, month, 指定機関 and 診療別 across the municipality's terminals; another 診療別 is another ticket.
    const again = await push(
      'FUKU',
      mutation('FUKU', 'certificates', randomUUID(), 'insert', ticket('IR6')),
      mutation('FUKU', 'certificates', randomUUID(), 'insert', ticket('IR7', { details_json: JSON.stringify({ ...details, shinryo: '入院' }) })),
    );
    expect(again.map((r) => r.status)).toEqual(['rejected', 'applied']);
    expect(again[0]!.reason).toContain('この受給者の2026-11の入院外の券は、この指定機関にすでに交付されています（交付番号 IR2）');
    const [madeUp] = await push('KOKU', mutation('KOKU', 'certificates', randomUUID(), 'insert', certificate(res, 'kokuho_other', 'X2')));
    expect(madeUp).toMatchObject({ status: 'rejected', reason: expect.stringContaining('証の種類が正しくありません') });
  });

  it('a new 給付券 stands only within a 扶助 the server holds decided (開始) for that person, with its 扶助開始日, before a 廃止 the server knows', async () => {
    const [none, received, abolished, kaigo, honest, otherTown] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await push('OSA1', ...[none, received, abolished, kaigo, honest, otherTown].map((r, i) => mutation('OSA1', 'residents', r, 'insert', resident(String(2001 + i)))));
    await serverFlow(flowUpTo('iryo_direct', received, { upTo: 'check' }));
    // Decided from 2026-10-01 and abolished from 2026-11-20 on the server; the terminal's ticket does not know it.
    await serverFlow(flowUpTo('iryo_direct', abolished, { aidStartOn: '2026-10-01', abolishedOn: '2026-11-20' }));
    await serverFlow(flowUpTo('kaigo', kaigo));
    await serverFlow(flowUpTo('iryo_direct', honest));
    // A deleted flow, and one of another municipality's records, count for nobody.
    await serverFlow(flowUpTo('iryo_direct', none), true);
    await serverFlow(flowUpTo('iryo_direct', otherTown));
    await pg.pool.query(`UPDATE entities SET municipality = '431001' WHERE entity = 'fujo_flows' AND payload->>'resident_id' = $1`, [otherTown]);
    const serialOf = new Map<string, number>([none, received, abolished, kaigo, honest, otherTown].map((r, i) => [r, 10 + i]));
    const details = (month: string, aidStartOn: string, res: string) => JSON.stringify({
      shinryo: '入院外', month, recipientNo: seikatsuRecipientNumber('', serialOf.get(res)!), publicPayerNo: '12270104', institutionCode: '2712345678', institutionName: '大阪第一病院', prescriberCode: null,
      caseNo: '4502', caseworker: 'D1001', diseaseNames: ['高血圧症'], selfPayYen: 0, coverage: '単独', socialInsurance: null, aidStartOn, abolishedOn: null,
      infectiousDisease37_2: false, lateElderly: false, prefecturalCost: false,
    });
    const ticket = (res: string, no: string, month = '2026-11', aidStartOn = '2026-11-10', from = '2026-11-10', to = '2026-11-30') =>
      mutation('FUKU', 'certificates', randomUUID(), 'insert', { ...certificate(res, 'seikatsu_iryo', no), public_payer_no: '12270104', valid_from: from, valid_to: to, details_json: details(month, aidStartOn, res) });
    const results = await push(
      'FUKU',
      ticket(none, 'T1'),
      ticket(received, 'T2'),
      ticket(abolished, 'T3', '2026-12', '2026-10-01', '2026-12-01', '2026-12-31'),
      ticket(kaigo, 'T4'),
      // the 扶助開始日 is not the server's
      ticket(honest, 'T5', '2026-11', '2026-11-01', '2026-11-01', '2026-11-30'),
      ticket(otherTown, 'T6'),
      ticket(honest, 'T7'),
      // the month of the 廃止, before it: within the 扶助 the server holds
      ticket(abolished, 'T8', '2026-11', '2026-10-01', '2026-11-01', '2026-11-30'),
    );
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'applied', 'applied']);
    expect(results[0]!.reason).toBe('invalid: 中央サーバの扶助の記録では、この方には医療扶助の申請・決定の記録がないため、医療券は交付できません。');
    expect(results[1]!.reason).toBe('invalid: 中央サーバの扶助の記録では、医療扶助（要否意見書によらない）が開始の決定（決裁）に至っていないため、券は交付できません');
    expect(results[2]!.reason).toBe('invalid: 中央サーバの扶助の記録では、医療券: 廃止日（2026-11-20）以後の月の券は発行できません（廃止日の前日まで有効）');
    expect(results[3]!.reason).toContain('この方には医療扶助の申請・決定の記録がないため');
    expect(results[4]!.reason).toBe('invalid: 中央サーバの扶助の記録では、扶助開始日（2026-11-01）の医療扶助の開始の決定（決裁）がないため、医療券は交付できません');
    expect(results[5]!.reason).toContain('この方には医療扶助の申請・決定の記録がないため');
    const stored = await pg.pool.query(`SELECT payload->>'certificate_no' AS no FROM entities WHERE entity = 'certificates' ORDER BY 1`);
    expect(stored.rows.map((r) => r.no)).toEqual(['T7', 'T8']);
  });


  it("a 給付券's numbers as the server knows them: the 公費負担者番号 of the municipality's published profile, and one 受給者番号 per person (kept, never another's)", async () => {
    await publishProfile(pg.pool, sampleProfile, 'TEST');
    const [a, b] = [randomUUID(), randomUUID()];
    await push('OSA1', mutation('OSA1', 'residents', a, 'insert', resident('3001')), mutation('OSA1', 'residents', b, 'insert', resident('3002')));
    await serverFlow(flowUpTo('iryo_direct', a));
    await serverFlow(flowUpTo('iryo_direct', b));
    const [numA, numB] = [seikatsuRecipientNumber('', 31), seikatsuRecipientNumber('', 32)];
    const ticket = (res: string, no: string, recipientNo: string, over: Record<string, unknown> = {}) => {
      const d = {
        shinryo: '入院外', month: '2026-11', recipientNo, publicPayerNo: sampleProfile.seikatsu.publicPayerNo, institutionCode: '2712345678', institutionName: '大阪第一病院', prescriberCode: null,
        caseNo: '4503', caseworker: 'D1001', diseaseNames: ['高血圧症'], selfPayYen: 0, coverage: '単独', socialInsurance: null, aidStartOn: '2026-11-10', abolishedOn: null,
        infectiousDisease37_2: false, lateElderly: false, prefecturalCost: false, ...over,
      };
      return mutation('FUKU', 'certificates', randomUUID(), 'insert', {
        ...certificate(res, 'seikatsu_iryo', no), public_payer_no: d.publicPayerNo, valid_from: '2026-11-10', valid_to: '2026-11-30', details_json: JSON.stringify(d),
      });
    };
    const results = await push(
      'FUKU',
      ticket(a, 'N1', numA),
      // a well-formed 公費負担者番号 that is not this municipality's 福祉事務所's
      ticket(b, 'N2', numB, { publicPayerNo: '12430104' }),
      // A's number on B's 券
      ticket(b, 'N3', numA, { shinryo: '歯科' }),
      // A with another number
      ticket(a, 'N4', numB, { shinryo: '歯科' }),
      ticket(b, 'N5', numB),
      ticket(a, 'N6', numA, { shinryo: '歯科' }),
    );
    expect(results.map((r) => r.status)).toEqual(['applied', 'rejected', 'rejected', 'rejected', 'applied', 'applied']);
    expect(results[1]!.reason).toBe(`invalid: 医療券の公費負担者番号が、この団体のルールプロファイルの生活保護の公費負担者番号（${sampleProfile.seikatsu.publicPayerNo}）と違います`);
    expect(results[2]!.reason).toBe(`invalid: 受給者番号 ${numA} は別の方の券に使われています`);
    expect(results[3]!.reason).toBe(`invalid: この方の受給者番号は ${numA} です（中央サーバにある券の番号）。別の番号の医療券は受け付けません`);
  });
  it("sends a terminal's number blocks to that terminal only", async () => {
    const block = randomUUID();
    await push('OSA1', mutation('OSA1', 'number_blocks', block, 'insert', { version: 1, cert_type: 'kodomo', next_serial: 1, last_serial: 100, source: 'lease' }));
    expect((await pullAll('OSA1')).changes.map((c) => c.entityId)).toEqual([block]);
    expect((await pullAll('OSA2')).changes).toEqual([]);
    const [r] = await push('OSA2', mutation('OSA2', 'number_blocks', block, 'update', { version: 2, next_serial: 50 }));
    expect(r).toMatchObject({ status: 'rejected', reason: expect.stringContaining('forbidden') });
  });

  it('refuses data to a valid certificate that carries no scope (403), while health still answers', async () => {
    // A certificate from the municipality CA without OU scope values, as issued before scopes existed.
    const { ca } = await ensureCa(pki.dir);
    const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
    const leaf = await x509.X509CertificateGenerator.create({
      serialNumber: '0badc0de01',
      subject: 'CN=OLD1, O=Madoguchi',
      issuer: ca.cert.subject,
      notBefore: new Date(Date.now() - 60_000),
      notAfter: new Date(Date.now() + 86_400_000),
      publicKey: keys.publicKey,
      signingKey: ca.key,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
      extensions: [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])],
    });
    const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
    const old: ClientCert = { cert: leaf.toString('pem'), key: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
    expect((await call(port, pki.ca, old, 'GET', '/v1/health')).status).toBe(200);
    const pulled = await call(port, pki.ca, old, 'GET', '/v1/pull?cursor=0');
    expect(pulled).toMatchObject({ status: 403, body: { message: expect.stringContaining('scope') } });
    const pushed = await call(port, pki.ca, old, 'POST', '/v1/push', { terminalId: 'OLD1', mutations: [mutation('OLD1', 'residents', randomUUID(), 'insert', resident('1'))] });
    expect(pushed.status).toBe(403);
    expect(Number((await pg.pool.query('SELECT count(*) AS n FROM entities')).rows[0].n)).toBe(0);
  });
});

describe('server-side domain validation', () => {
  it('rejects records that break shared/domain rules, on insert and after merging an update', async () => {
    const res = randomUUID();
    const cert = randomUUID();
    const results = await push(
      'OSA1',
      mutation('OSA1', 'residents', randomUUID(), 'insert', resident('1002', { my_number: '123456789012' })),
      mutation('OSA1', 'residents', randomUUID(), 'insert', resident('1003', { birth_date: '2026-02-30' })),
      mutation('OSA1', 'residents', res, 'insert', resident('1004', { has_my_number: 1 })),
      mutation('OSA1', 'certificates', cert, 'insert', certificate(res, 'kodomo', '0000009')),
      mutation('OSA1', 'certificates', cert, 'update', { version: 2, valid_to: '2026-10-31' }),
      mutation('OSA1', 'certificates', randomUUID(), 'insert', certificate(res, 'kaigo', '0000010')),
    );
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'applied', 'applied', 'rejected', 'rejected']);
    // A terminal holds no 個人番号 (issue 16 §2): a push naming one is refused as an unknown field.
    expect(results[0]!.reason).toBe('unknown fields for residents: my_number');
    expect(results[1]!.reason).toContain('生年月日');
    expect(results[4]!.reason).toContain('有効期間の開始が終了より後');
    expect(results[5]!.reason).toContain('証の種類');
    const stored = await pg.pool.query('SELECT version, payload FROM entities WHERE entity_id = $1', [cert]);
    expect(stored.rows[0]).toMatchObject({ version: 1, payload: expect.objectContaining({ valid_to: '2027-07-31' }) });
  });
});

describe('reset and checksum', () => {
  it('tells a terminal to start over when its cursor is ahead, tombstones were pruned, or its scope changed', async () => {
    const a = randomUUID();
    const b = randomUUID();
    await push('OSA1', mutation('OSA1', 'residents', a, 'insert', resident('1001')), mutation('OSA1', 'residents', b, 'insert', resident('1002')));
    const first = await pullAll('OSA2');
    const key = first.scopeKey;
    expect(key).toBe('271004:kodomo,kokuho,yobou:p2:admin');

    const ahead = await call(port, pki.ca, t('OSA2'), 'GET', `/v1/pull?cursor=${first.cursor + 1000}&scopeKey=${key}`);
    expect(ahead.body).toMatchObject({ reset: 'cursor_ahead', changes: [], cursor: 0 });
    const otherScope = await call(port, pki.ca, t('OSA2'), 'GET', `/v1/pull?cursor=${first.cursor}&scopeKey=271004:kodomo`);
    expect(otherScope.body).toMatchObject({ reset: 'scope_changed' });
    const fine = await call(port, pki.ca, t('OSA2'), 'GET', `/v1/pull?cursor=${first.cursor}&scopeKey=${key}`);
    expect(fine.body).toEqual({ changes: [], cursor: first.cursor, more: false, scopeKey: key });

    // Delete a, then prune its tombstone: a terminal still before the deletion must take a snapshot.
    const before = first.cursor;
    await push('OSA1', mutation('OSA1', 'residents', a, 'update', { version: 2, deleted: 1 }));
    await push('OSA1', mutation('OSA1', 'residents', b, 'update', { version: 2, address: '大阪市北区' }));
    expect(await pruneTombstones(pg.pool, 1)).toBe(0); // too recent
    await pg.pool.query("UPDATE entities SET updated_at = now() - interval '40 days' WHERE deleted");
    expect(await pruneTombstones(pg.pool, 30)).toBe(1);
    const stale = await call(port, pki.ca, t('OSA2'), 'GET', `/v1/pull?cursor=${before}&scopeKey=${key}`);
    expect(stale.body).toMatchObject({ reset: 'pruned' });
    const fresh = await pullAll('OSA2');
    expect(fresh.changes.map((c) => [c.entityId, c.version])).toEqual([[b, 2]]);
    // a terminal past the pruned tombstone just continues
    const current = await call(port, pki.ca, t('OSA2'), 'GET', `/v1/pull?cursor=${fresh.cursor}&scopeKey=${key}`);
    expect((current.body as PullResponse).reset).toBeUndefined();
  });

  it("computes the scope's checksum over live records only", async () => {
    const a = randomUUID();
    const b = randomUUID();
    await push('KUMA', mutation('KUMA', 'residents', a, 'insert', resident('2001')), mutation('KUMA', 'residents', b, 'insert', resident('2002')));
    await push('KUMA', mutation('KUMA', 'residents', b, 'update', { version: 2, deleted: 1 }));
    await push('OSA1', mutation('OSA1', 'residents', randomUUID(), 'insert', resident('1001')));
    const r = (await call(port, pki.ca, t('KUMA'), 'GET', '/v1/pull/checksum')).body as ChecksumResponse;
    const term = BigInt('0x' + createHash('md5').update(`residents:${a}:1`).digest('hex').slice(0, 13));
    expect(r).toMatchObject({ count: 1, sum: term.toString() });
    expect(r.cursor).toBe(Number((await pg.pool.query('SELECT max(server_seq) AS m FROM entities')).rows[0].m));
  });
});

describe('enrollment scope', () => {
  it('a re-enrolled terminal with another scope is told its scope changed', async () => {
    await push('OSA2', mutation('OSA2', 'residents', randomUUID(), 'insert', resident('1001')));
    const before = await pullAll('OSA2');
    await issueTerminal(pki.dir, 'OSA2', { force: true, scope: { municipality: '271004', jimu: ['yobou'] } });
    const p = pkiPaths(pki.dir);
    const renewed = { cert: await readFile(p.terminalCert('OSA2'), 'utf8'), key: await readFile(p.terminalKey('OSA2'), 'utf8') };
    server.reloadTls(await loadServerTls(pki.dir));
    const r = await call(port, pki.ca, renewed, 'GET', `/v1/pull?cursor=${before.cursor}&scopeKey=${before.scopeKey}`);
    expect(r.body).toMatchObject({ reset: 'scope_changed', scopeKey: '271004:yobou:p2' });
    // the old certificate was revoked by the re-issue
    await expect(call(port, pki.ca, t('OSA2'), 'GET', '/v1/health')).rejects.toThrow();
  });
});

describe('tombstone pruning schedule (server/main.ts)', () => {
  it('prunes old tombstones on its timer, and logs a failed run instead of throwing', async () => {
    const a = randomUUID();
    const b = randomUUID();
    await push('OSA1', mutation('OSA1', 'residents', a, 'insert', resident('1001')), mutation('OSA1', 'residents', b, 'insert', resident('1002')));
    await push('OSA1', mutation('OSA1', 'residents', a, 'update', { version: 2, deleted: 1 }));
    await pg.pool.query("UPDATE entities SET updated_at = now() - interval '91 days' WHERE deleted");
    const logged: string[] = [];
    const stop = scheduleTombstonePruning(pg.pool, 90, { intervalMs: 20, log: (m) => logged.push(m) });
    try {
      await expect.poll(async () => (await pg.pool.query('SELECT entity_id FROM entities')).rows.map((r: { entity_id: string }) => r.entity_id), { timeout: 5000 }).toEqual([b]);
      expect(logged).toContain('[server] pruned 1 tombstone(s) older than 90 days');
    } finally {
      stop();
    }
    // A database that cannot be reached: the run fails, is logged, and the process carries on.
    const dead = createPool('postgres://nobody:nothing@127.0.0.1:1/none', { onIdleError: () => undefined });
    const errors: string[] = [];
    const stopDead = scheduleTombstonePruning(dead, 90, { intervalMs: 20, log: (m) => errors.push(m) });
    try {
      await expect.poll(() => errors.length, { timeout: 5000 }).toBeGreaterThan(1);
      expect(errors[0]).toContain('tombstone pruning failed');
    } finally {
      stopDead();
      await dead.end();
    }
  });

  it('reads TOMBSTONE_RETENTION_DAYS (default 90) and refuses a value that is not a positive whole number', () => {
    expect(tombstoneRetentionDays(undefined)).toBe(90);
    expect(tombstoneRetentionDays(' ')).toBe(90);
    expect(tombstoneRetentionDays('30')).toBe(30);
    for (const bad of ['0', '-1', '1.5', 'ninety']) expect(() => tombstoneRetentionDays(bad)).toThrow(/TOMBSTONE_RETENTION_DAYS/);
  });
});

describe('conflicts are scoped like the pull', () => {
  it('a こども-only terminal of the same municipality neither lists nor resolves a conflict on a 国保 certificate', async () => {
    const person = randomUUID();
    const card = randomUUID();
    expect((await push('OSA1', mutation('OSA1', 'residents', person, 'insert', resident('3001'))))[0]!.status).toBe('applied');
    expect((await push('OSA1', mutation('OSA1', 'certificates', card, 'insert', certificate(person, 'kokuho_shikaku', 'K-0001'))))[0]!.status).toBe('applied');
    expect((await push('OSA1', mutation('OSA1', 'certificates', card, 'update', { version: 2, status: 'superseded' })))[0]!.status).toBe('applied');
    // The 国保 terminal edited version 1 too: a conflict, kept for a supervisor (answered rejected: conflict …).
    expect((await push('KOKU', mutation('KOKU', 'certificates', card, 'update', { version: 2, status: 'cancelled' })))[0]).toMatchObject({ status: 'rejected', reason: expect.stringContaining('conflict') });
    const list = async (terminal: string) => ((await call(port, pki.ca, t(terminal), 'GET', '/v1/conflicts')).body as { conflicts: { conflictId: number }[] }).conflicts;
    const [seen] = await list('KOKU');
    expect(seen).toBeDefined();
    expect(await list('KODO')).toEqual([]);
    const r = await call(port, pki.ca, t('KODO'), 'POST', `/v1/conflicts/${seen!.conflictId}/resolve`, { resolution: 'keep_server', staffId: 'D8001', reason: '確認' });
    expect(r.status).toBe(404);
    expect(Number((await pg.pool.query('SELECT count(*) AS n FROM conflicts WHERE resolved_at IS NULL')).rows[0].n)).toBe(1);
  });
});

describe('revocation', () => {
  it('a revoked certificate stops working on a connection that was already open (keep-alive) once the CRL is reloaded', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
        const req = httpsRequest({ host: '127.0.0.1', servername: 'localhost', port, path: '/v1/health', ca: pki.ca, cert: t('REVK').cert, key: t('REVK').key, agent }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
        });
        req.on('error', reject);
        req.end();
      });
    try {
      expect(await get()).toEqual({ status: 200, reused: false });
      expect(await get()).toEqual({ status: 200, reused: true });
      await revoke(pki.dir, { terminalId: 'REVK' });
      server.reloadTls(await loadServerTls(pki.dir));
      await expect(get()).rejects.toThrow();
    } finally {
      agent.destroy();
    }
  });
});

describe('number leases', () => {
  it('are given only for a 事務 the terminal serves, and at most MAX_OPEN_LEASES open blocks per type', async () => {
    const lease = (terminal: string, certType: string) => call(port, pki.ca, t(terminal), 'POST', '/v1/leases', { certType, size: 10_000 });
    expect((await lease('KOKU', 'kodomo')).status).toBe(403);
    for (let i = 0; i < MAX_OPEN_LEASES; i++) expect((await lease('KOKU', 'kokuho_shikaku')).status).toBe(200);
    const over = await lease('KOKU', 'kokuho_shikaku');
    expect(over.status).toBe(429);
    expect(Number((await pg.pool.query(`SELECT count(*) AS n FROM number_leases WHERE terminal_id = 'KOKU'`)).rows[0].n)).toBe(MAX_OPEN_LEASES);
    // Another terminal's quota is its own.
    expect((await lease('OSA1', 'kokuho_shikaku')).status).toBe(200);
  });
});

describe('session claims', () => {
  it('are per municipality: D1001 of 大阪市 and D1001 of 熊本市 are different people; within one municipality one session', async () => {
    const claim = (terminal: string) => call(port, pki.ca, t(terminal), 'POST', '/v1/sessions/claim', { staffId: 'D1001' });
    expect((await claim('OSA1')).status).toBe(200);
    expect((await claim('KUMA')).status).toBe(200);
    expect(await claim('KOKU')).toMatchObject({ status: 409, body: { claimed: false, heldBy: 'OSA1' } });
    expect((await call(port, pki.ca, t('OSA1'), 'POST', '/v1/sessions/release', { staffId: 'D1001' })).status).toBe(200);
    expect((await claim('KOKU')).status).toBe(200);
  });
});
