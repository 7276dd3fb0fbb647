import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { call, resetDb, useSyncServer, type PgFixture, type PkiFixture } from '../../testing/server';
import { clockFrom } from '../../testing/clock';
import { makeSoftCredential } from '../../testing/webauthn';
import type { PullResponse, PushResponse } from '../../shared/sync/protocol';

/**
 * Issue 13 §3, reproduced as a forged push from a valid terminal certificate against the real server: a
 * kodomo-only terminal of the municipality creates an administrator, grants 国保の決裁 and adds an authenticator
 * for a 所属長. Before the fix the server applied all three and the other terminals pulled them.
 */
let pg: PgFixture, pki: PkiFixture, port: number;
useSyncServer(['ADM1', 'KODO', 'OSA2'], {
  clock: clockFrom('2026-11-22T01:00:00Z'),
  scopes: { KODO: { municipality: '271004', jimu: ['kodomo'] } },
}, (s) => ({ pg, pki, port } = s));

const next: Record<string, number> = {};
beforeEach(async () => {
  await resetDb(pg.pool);
  for (const k of Object.keys(next)) delete next[k];
});

function mutation(terminal: string, entity: string, entityId: string, op: 'insert' | 'update', payload: Record<string, unknown>) {
  next[terminal] = (next[terminal] ?? 0) + 1;
  return { mutationId: next[terminal], clientUuid: randomUUID(), entity, entityId, op, payload };
}

async function push(terminal: string, ...mutations: unknown[]): Promise<PushResponse['results']> {
  const r = await call(port, pki.ca, pki.terminals[terminal]!, 'POST', '/v1/push', { terminalId: terminal, mutations });
  expect(r.status).toBe(200);
  return (r.body as PushResponse).results;
}

const stamp = { created_at: '2026-11-22T01:00:00.000Z', created_by: 'K0001', updated_at: '2026-11-22T01:00:00.000Z', updated_by: 'K0001' };
const staff = (staffId: string, role: string) => ({
  version: 1, ...stamp, staff_id: staffId, name: '偽装　一郎', name_kana: 'ギソウ イチロウ', section: 'こども青少年課', role,
  password_hash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA', password_changed_at: stamp.created_at,
  disabled: 0, demo: 0, failed_count: 0, locked_until: null, must_change_password: 0, may_self_enroll: 0,
});

describe('issue 13 §3: identity records forged by a terminal of the municipality', () => {
  it('a kodomo-only terminal can neither create an administrator, grant 国保の決裁 nor add a 所属長 authenticator', async () => {
    const forgedAdmin = randomUUID();
    const grant = randomUUID();
    const cred = makeSoftCredential();
    const authenticator = randomUUID();
    const results = await push(
      'KODO',
      mutation('KODO', 'staff', forgedAdmin, 'insert', staff('X9001', 'administrator')),
      mutation('KODO', 'staff_grants', grant, 'insert', {
        version: 1, ...stamp, staff_id: 'D7001', right_name: 'kokuho:claim.approve', approved_by: 'D7002', reason: '応援',
        valid_from: stamp.created_at, expires_at: null, revoked_at: null, revoked_by: null,
      }),
      mutation('KODO', 'authenticators', authenticator, 'insert', {
        version: 1, ...stamp, staff_id: 'D7001', credential_id: cred.credentialId, public_key: cred.publicKeyCose, counter: 0,
        transports: '["internal"]', label: '所属長の認証器', registered_by: 'K0001', revoked_at: null, revoked_by: null, revoke_reason: null,
      }),
    );
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const r of results) expect(r.reason).toMatch(/^forbidden: /);
    // The other terminals of the municipality pull none of it.
    const pulled = await call(port, pki.ca, pki.terminals.OSA2!, 'GET', '/v1/pull?cursor=0&limit=5000');
    expect((pulled.body as PullResponse).changes.map((c) => c.entityId)).not.toEqual(expect.arrayContaining([forgedAdmin]));
    expect((pulled.body as PullResponse).changes).toEqual([]);
  });
});
