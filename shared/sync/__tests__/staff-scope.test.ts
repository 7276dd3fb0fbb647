import { describe, expect, it } from 'vitest';
import { mayChangeStaffScope, staffPopulation, type IdentityRecord } from '../staff-scope';

/** The staff rule alone (shared/sync/staff-scope.ts): which 事務's terminals hold each identity record. */
const NOW = '2026-11-22T01:00:00.000Z';
let n = 0;
const rec = (entity: IdentityRecord['entity'], staffId: string, over: Record<string, unknown> = {}): IdentityRecord => ({ entity, id: `${entity}-${++n}`, payload: { staff_id: staffId, deleted: 0, ...over } });
const person = (staffId: string, over: Record<string, unknown> = {}) => rec('staff', staffId, { role: 'clerk', disabled: 0, ...over });
const grant = (staffId: string, right: string, over: Record<string, unknown> = {}) =>
  rec('staff_grants', staffId, { right_name: right, approved_by: 'A0001', valid_from: '2026-04-01T00:00:00.000Z', expires_at: null, revoked_at: null, approval_status: 'approved', ...over });
const where = (records: IdentityRecord[], r: IdentityRecord) => staffPopulation(records, NOW).get(`${r.entity}:${r.id}`) ?? [];

describe('staffPopulation', () => {
  it('a 事務 right brings its holder to that 事務; 住民検索 alone to none; the audit and administration rights to every 事務', () => {
    const clerk = person('C1');
    const searchOnly = person('C2');
    const supervisor = person('S1', { role: 'supervisor' });
    const administrator = person('A9', { role: 'administrator' });
    const records = [clerk, grant('C1', 'kokuho:claim.enter'), grant('C1', 'resident.search'), searchOnly, grant('C2', 'resident.search'), supervisor, grant('S1', 'audit.review'), administrator, grant('A9', 'admin.staff')];
    expect(where(records, clerk)).toEqual(['kokuho']);
    expect(where(records, searchOnly)).toEqual([]);
    expect(where(records, supervisor)).toEqual(['kodomo', 'kokuho', 'yobou', 'seikatsu']);
    expect(where(records, administrator)).toEqual(['kodomo', 'kokuho', 'yobou', 'seikatsu']);
  });

  it('a grant starting later counts (offline login on its first day); a revoked, expired or deleted one does not, and is not sent', () => {
    const future = person('C1');
    const futureGrant = grant('C1', 'kodomo:claim.enter', { valid_from: '2026-12-01T00:00:00.000Z' });
    const gone = person('C2');
    const revoked = grant('C2', 'kodomo:claim.enter', { revoked_at: '2026-11-01T00:00:00.000Z' });
    const expired = grant('C2', 'kodomo:claim.enter', { expires_at: NOW });
    const deleted = grant('C2', 'kodomo:claim.enter', { deleted: 1 });
    const kept = grant('C2', 'kokuho:claim.enter');
    const records = [future, futureGrant, gone, revoked, expired, deleted, kept];
    expect(where(records, future)).toEqual(['kodomo']);
    expect(where(records, futureGrant)).toEqual(['kodomo']);
    expect(where(records, gone)).toEqual(['kokuho']);
    for (const r of [revoked, expired, deleted]) expect(where(records, r)).toEqual([]);
    expect(where(records, kept)).toEqual(['kokuho']);
  });

  it('a disabled or deleted account goes nowhere, nor do its grants, keys and history', () => {
    const disabled = person('C1', { disabled: 1 });
    const g = grant('C1', 'kodomo:claim.enter');
    const key = rec('authenticators', 'C1', { revoked_at: null });
    const history = rec('password_history', 'C1');
    const deleted = person('C2', { deleted: 1 });
    const records = [disabled, g, key, history, deleted, grant('C2', 'kodomo:claim.enter')];
    for (const r of [disabled, g, key, history, deleted]) expect(where(records, r)).toEqual([]);
  });

  it('a revoked authenticator is not sent; a pending one is', () => {
    const clerk = person('C1');
    const revoked = rec('authenticators', 'C1', { revoked_at: '2026-11-01T00:00:00.000Z' });
    const pending = rec('authenticators', 'C1', { revoked_at: null, approval_status: 'pending', approver: 'A0001' });
    const records = [clerk, grant('C1', 'yobou:claim.enter'), revoked, pending];
    expect(where(records, revoked)).toEqual([]);
    expect(where(records, pending)).toEqual(['yobou']);
  });

  it('someone waiting for a 所属長 also goes where the 所属長 works (grant, authenticator or role request)', () => {
    const approver = person('A0001', { role: 'approver' });
    const byGrant = person('C1');
    const byKey = person('C2');
    const byRole = person('C3', { role_request: JSON.stringify({ fromRole: 'clerk', toRole: 'checker', requestedBy: 'A9', requestedAt: NOW, approver: 'A0001' }) });
    const approvedAlready = person('C4');
    const records = [
      approver, grant('A0001', 'kodomo:claim.approve'),
      byGrant, grant('C1', 'kokuho:claim.enter', { approval_status: 'pending' }),
      byKey, grant('C2', 'kokuho:claim.enter'), rec('authenticators', 'C2', { revoked_at: null, approval_status: 'pending', approver: 'A0001' }),
      byRole, grant('C3', 'yobou:claim.enter'),
      approvedAlready, grant('C4', 'kokuho:claim.enter'),
    ];
    expect(where(records, byGrant)).toEqual(['kodomo', 'kokuho']);
    expect(where(records, byKey)).toEqual(['kodomo', 'kokuho']);
    expect(where(records, byRole)).toEqual(['kodomo', 'yobou']);
    expect(where(records, approvedAlready)).toEqual(['kokuho']);
  });

  it('a login\'s counter or failed-login update cannot move anyone (the server skips the refresh); a revocation, a disabling or any insert can', () => {
    expect(mayChangeStaffScope('authenticators', 'update', ['version', 'updated_at', 'updated_by', 'counter'])).toBe(false);
    expect(mayChangeStaffScope('staff', 'update', ['version', 'failed_count', 'locked_until'])).toBe(false);
    expect(mayChangeStaffScope('staff', 'update', ['version', 'password_hash', 'password_changed_at', 'must_change_password'])).toBe(false);
    expect(mayChangeStaffScope('staff_grants', 'update', ['version', 'revoked_at', 'revoked_by'])).toBe(true);
    expect(mayChangeStaffScope('staff', 'update', ['version', 'disabled'])).toBe(true);
    expect(mayChangeStaffScope('authenticators', 'update', ['version', 'deleted'])).toBe(true);
    expect(mayChangeStaffScope('password_history', 'insert', ['version', 'password_hash'])).toBe(true);
  });
});
