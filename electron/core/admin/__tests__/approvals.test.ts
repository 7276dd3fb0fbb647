import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clockFrom } from '../../../../testing/clock';
import { approveAs, createSeededCore, loginSeeded, type SeededCore } from '../../../../testing/core';
import { auditOf } from '../../../../testing/db';
import { domainErrorOf, domainErrorOfAsync } from '../../../../testing/errors';
import { createStaff } from '../../provision/provision';
import { makeSoftCredential, signAssertion, signRegistration } from '../../../../testing/webauthn';
import { effectiveRights } from '../../auth/grants';
import { activeAuthenticators } from '../../auth/webauthn';
import { approvalHash } from '../approvals';
import { grantSubject } from '../../../../shared/identity/approval';

/**
 * Issue 13 §2: grants, authenticators registered by an administrator and wider roles wait for the named 所属長,
 * who confirms each with their own authenticator over the record's hash. Every refusal is audited.
 */
let s: SeededCore;
beforeEach(async () => {
  s = await createSeededCore({ clock: clockFrom('2026-11-22T01:00:00Z'), households: 1 });
  // A second 所属長 (seeded like the others: grants none, authenticator approved by D7001).
  await createStaff(s.core.db, { staffId: 'D7002', name: 'デモ課長　八重', nameKana: 'デモカチョウ ヤエ', section: '保険年金課', role: 'approver', password: 'Demo-Approver-02!', demo: true }, 'SEED', '2026-11-22T01:00:00.000Z');
});
afterEach(() => s.cleanup());

const now = () => s.core.clock.now().toISOString();
const grantReveal = async (approvedBy = 'D7001') => {
  const admin = await loginSeeded(s, 'adm', 'D9001');
  return s.core.staffAdmin.grant(admin, { staffId: 'D1001', right: 'mynumber.reveal', approvedBy, reason: '窓口応援', expiresAt: null });
};

describe('approvals by the named 所属長', () => {
  it('a grant is pending until the named 所属長 confirms it over its hash; the stored approval names the hash and credential', async () => {
    const id = await grantReveal();
    expect(effectiveRights(s.core.db, 'D1001', 'clerk', now())).not.toContain('mynumber.reveal');
    const chief = await loginSeeded(s, 'k', 'D7001');
    const [item] = s.core.approvals.list(chief);
    expect(item).toMatchObject({ kind: 'grant', id, staffId: 'D1001', requestedBy: 'D9001', lines: expect.arrayContaining(['権限: 個人番号の閲覧', '理由: 窓口応援']) });
    await approveAs(s, chief, 'grant', id);
    expect(effectiveRights(s.core.db, 'D1001', 'clerk', now())).toContain('mynumber.reveal');
    const row = s.core.db.prepare(`SELECT * FROM staff_grants WHERE id = ?`).get(id) as Record<string, unknown>;
    const approval = JSON.parse(String(row.approval_json)) as { hash: string; approvedBy: string; assertion: { id: string } };
    expect(row.approval_status).toBe('approved');
    expect(approval).toMatchObject({ hash: approvalHash(grantSubject(row)), approvedBy: 'D7001', assertion: { id: s.edges.credentials.D7001!.credentialId } });
    expect(auditOf(s.core.db, 'admin.approvals.confirm').map((e) => e.outcome)).toEqual(['success']);
    expect(s.core.approvals.list(chief)).toEqual([]);
  });

  it('refuses, audited: another 所属長 than the named one, a non-所属長, the grantee, an assertion over another hash', async () => {
    const id = await grantReveal();
    const other = await (async () => {
      const b = s.core.db.prepare(`SELECT id FROM authenticators WHERE staff_id = 'D7002'`).get();
      expect(b).toBeUndefined(); // D7002 has no authenticator yet: registered by the administrator, approved by D7001
      const admin = s.core.auth.sessionFor('adm')!;
      const cred = makeSoftCredential();
      const { challenge } = (await s.core.staffAdmin.beginRegistration(admin, 'D7002')) as { challenge: string };
      const authId = await s.core.staffAdmin.finishRegistration(admin, 'D7002', '課長席', signRegistration(cred, { challenge }, 'http://localhost', 'localhost') as never, 'D7001');
      expect(activeAuthenticators(s.core.db, 'D7002')).toEqual([]); // pending: no login with it yet
      await expect(s.core.auth.login('x', 'D7002', 'Demo-Approver-02!')).rejects.toThrow(/第二要素/);
      const chief = await loginSeeded(s, 'k', 'D7001');
      await approveAs(s, chief, 'authenticator', authId);
      expect(activeAuthenticators(s.core.db, 'D7002')).toHaveLength(1);
      s.edges.credentials.D7002 = cred;
      return loginSeeded(s, 'k2', 'D7002', 'Demo-Approver-02!');
    })();
    // D7002 is a 所属長 but not the one named.
    expect((await domainErrorOfAsync(() => approveAs(s, other, 'grant', id))).message).toMatch(/別の所属長/);
    // A supervisor is no 所属長.
    const sup = await loginSeeded(s, 'sup', 'D8001');
    expect((await domainErrorOfAsync(() => s.core.approvals.begin(sup, 'grant', id))).message).toMatch(/承認者（所属長）だけ/);
    // The named 所属長 signing another hash (e.g. made for another request) is refused.
    const chief = s.core.auth.sessionFor('k')!;
    const wrong = approvalHash(grantSubject({ ...(s.core.db.prepare(`SELECT * FROM staff_grants WHERE id = ?`).get(id) as Record<string, unknown>), reason: '別の理由' }));
    expect((await domainErrorOfAsync(() => approveAs(s, chief, 'grant', id, wrong))).message).toMatch(/署名ではない/);
    // A hash the 所属長 saw that no longer matches the record.
    const { options } = await s.core.approvals.begin(chief, 'grant', id);
    const resp = signAssertion(s.edges.credentials.D7001!, options as { challenge: string }, 'http://localhost', 'localhost', 9_000);
    expect((await domainErrorOfAsync(() => s.core.approvals.confirm(chief, 'grant', id, wrong, resp as never))).message).toMatch(/一致しません/);
    expect(effectiveRights(s.core.db, 'D1001', 'clerk', now())).not.toContain('mynumber.reveal');
    const whys = auditOf(s.core.db, 'admin.approvals.confirm').filter((e) => e.outcome === 'rejected').map((e) => e.detail.why);
    expect(whys).toEqual(['not_named_approver', 'not_approver', 'assertion_not_verified', 'hash_mismatch']);
  });

  it('refuses the grantee and the creator as approver, and a right outside the role ceiling, at request and at confirmation', async () => {
    const admin = await loginSeeded(s, 'adm', 'D9001');
    expect(() => s.core.staffAdmin.grant(admin, { staffId: 'D7001', right: 'kodomo:claim.approve', approvedBy: 'D7001', reason: 'x', expiresAt: null })).toThrow(/本人/);
    expect(() => s.core.staffAdmin.grant(admin, { staffId: 'D1001', right: 'kodomo:claim.approve', approvedBy: 'D7001', reason: 'x', expiresAt: null })).toThrow(/役割では付与できません/);
    // A grant the 所属長 asked for themselves (e.g. written by another terminal as theirs) cannot be confirmed by them.
    const id = s.core.staffAdmin.grant(admin, { staffId: 'D1002', right: 'kokuho:claim.enter', approvedBy: 'D7001', reason: '応援', expiresAt: null });
    s.core.db.prepare(`UPDATE staff_grants SET created_by = 'D7001' WHERE id = ?`).run(id);
    const chief = await loginSeeded(s, 'k', 'D7001');
    expect((await domainErrorOfAsync(() => approveAs(s, chief, 'grant', id))).message).toMatch(/自分で申請/);
    // The grantee's role narrowed after the request: the right is now outside its ceiling.
    const id2 = s.core.staffAdmin.grant(admin, { staffId: 'D2001', right: 'mynumber.reveal', approvedBy: 'D7001', reason: '応援', expiresAt: null });
    s.core.db.prepare(`UPDATE staff SET role = 'supervisor' WHERE staff_id = 'D2001'`).run();
    expect((await domainErrorOfAsync(() => approveAs(s, chief, 'grant', id2))).message).toMatch(/役割では付与できません/);
    expect(auditOf(s.core.db, 'admin.approvals.confirm').filter((e) => e.outcome === 'rejected').map((e) => e.detail.why)).toEqual(['is_creator', 'outside_ceiling']);
    expect(auditOf(s.core.db, 'admin.grants.grant').filter((e) => e.outcome === 'rejected')).toHaveLength(2);
  });

  it('a role change to a wider ceiling waits for the 所属長; a narrower one and revocations take effect at once', async () => {
    const admin = await loginSeeded(s, 'adm', 'D9001');
    await createStaff(s.core.db, { staffId: 'S3001', name: '確認　三郎', nameKana: 'カクニン サブロウ', section: 'こども青少年課', role: 'checker', password: 'Kq7#vN2!pLx9$wRt' }, 'SEED', now());
    const csv = '職員ID,氏名,氏名カナ,所属,役割,状態\nS3001,確認　三郎,カクニン サブロウ,こども青少年課,所属長,在職\n';
    const p = s.core.roster.preview(admin, 'r.csv', Buffer.from(csv));
    expect(p.changes[0]?.changes).toContain('役割: 確認者 → 承認者（所属長）（所属長の承認後に有効）');
    expect(domainErrorOf(() => s.core.roster.apply(admin, p.previewId, false, null)).code).toBe('VALIDATION');
    s.core.roster.apply(admin, p.previewId, false, 'D7001');
    const role = () => (s.core.db.prepare(`SELECT role FROM staff WHERE staff_id = 'S3001'`).get() as { role: string }).role;
    expect(role()).toBe('checker');
    const chief = await loginSeeded(s, 'k', 'D7001');
    const [item] = s.core.approvals.list(chief).filter((i) => i.kind === 'role');
    expect(item?.lines).toEqual(['役割の変更: 確認者 → 承認者（所属長）']);
    await approveAs(s, chief, 'role', item!.id);
    expect(role()).toBe('approver');
    // Revoking a grant reduces rights at once, without a 所属長.
    const g = s.core.db.prepare(`SELECT id FROM staff_grants WHERE staff_id = 'D1002' AND right_name = 'mynumber.reveal'`).get() as { id: string };
    s.core.staffAdmin.revokeGrant(admin, g.id, '異動');
    expect(effectiveRights(s.core.db, 'D1002', 'clerk', now())).not.toContain('mynumber.reveal');
  });
});
