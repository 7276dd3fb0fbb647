import { describe, expect, it } from 'vitest';
import { foldIdentifier, normalizeAtenaNo, normalizeStaffId } from '../identifiers';
import { residentsChannels } from '../../ipc/residents-contract';
import { sessionChannels } from '../../ipc/session-contract';

describe('identifiers staff type', () => {
  it('fold full-width letters and digits and drop spaces', () => {
    expect(normalizeStaffId('Ｄ１００１')).toBe('D1001');
    expect(normalizeStaffId(' d1001　')).toBe('d1001');
    expect(normalizeAtenaNo('９００００２')).toBe('900002');
    expect(normalizeAtenaNo('900 002')).toBe('900002');
    expect(foldIdentifier('ＤＥＭＯ－０１')).toBe('DEMO-01');
  });
  it('are folded by the contracts the core checks with', () => {
    expect(residentsChannels['residents.search'].request.parse({ atenaNo: '９００００２' })).toEqual({ atenaNo: '900002' });
    expect(residentsChannels['residents.search'].request.safeParse({ atenaNo: '９０ab' }).success).toBe(false);
    expect(sessionChannels['auth.login'].request.parse({ staffId: 'Ｄ１００１', password: 'x' }).staffId).toBe('D1001');
  });
});
