import { describe, expect, it } from 'vitest';
import { accessRefusal, allows, needs, needsAny, PUBLIC, SESSION, UNLOCKED } from '../access';
import { channels } from '../contract';
import { CLAIM_JIMU } from '../claims-contract';
import { ROLE_CEILINGS, everyJimuRight, jimuRight, rightsOfJimu } from '../../domain/rights';

const clerk = { rights: ['resident.search', 'kodomo:claim.enter'] as const, locked: false };

describe('one access rule for router, services and renderer', () => {
  it('says why a holder is refused, in the router order: no session, locked, missing right', () => {
    expect(accessRefusal(PUBLIC, null)).toBeNull();
    expect(accessRefusal(SESSION, null)).toBe('no_session');
    expect(accessRefusal(SESSION, { ...clerk, locked: true })).toBeNull();
    expect(accessRefusal(UNLOCKED, { ...clerk, locked: true })).toBe('locked');
    expect(accessRefusal(needs('resident.search'), { ...clerk, locked: true })).toBe('locked');
    expect(accessRefusal(needs('resident.search'), clerk)).toBeNull();
    expect(accessRefusal(needs('mynumber.reveal'), clerk)).toBe('forbidden');
    expect(allows(needsAny(everyJimuRight('claim.enter')), clerk)).toBe(true);
    expect(allows(needsAny(everyJimuRight('claim.check')), clerk)).toBe(false);
  });

  it('names 事務 rights one way', () => {
    expect(jimuRight('kokuho', 'claim.approve')).toBe('kokuho:claim.approve');
    expect(everyJimuRight('certificate.print')).toEqual(['kodomo:certificate.print', 'kokuho:certificate.print', 'yobou:certificate.print', 'seikatsu:certificate.print']);
    expect(rightsOfJimu('yobou')).toContain('yobou:certificate.issue');
  });

  it('opens the 接種歴 only to people of the 予防接種 事務 (not to every claim clerk)', () => {
    expect(allows(channels['vaccinations.list'].access, clerk)).toBe(false);
    expect(allows(channels['vaccinations.list'].access, { rights: ['yobou:claim.check'], locked: false })).toBe(true);
    expect(allows(channels['vaccinations.list'].access, { rights: ['seikatsu:claim.check'], locked: false })).toBe(false);
  });

  it('opens the 請求 channels only to the 事務 that have 請求: a 生活保護-only member (扶助 rights) gets none of them, and the 扶助 ones instead', () => {
    expect(CLAIM_JIMU).toEqual(['kodomo', 'kokuho', 'yobou']);
    const seikatsu = { rights: [jimuRight('seikatsu', 'claim.enter'), jimuRight('seikatsu', 'claim.check'), jimuRight('seikatsu', 'claim.approve')], locked: false };
    const claimChannels = Object.entries(channels).filter(([name]) => name.startsWith('claims.'));
    expect(claimChannels.length).toBeGreaterThan(10);
    for (const [name, c] of claimChannels) expect(allows(c.access, seikatsu), name).toBe(false);
    expect(allows(channels['claims.check'].access, { rights: ['kokuho:claim.check'], locked: false })).toBe(true);
    for (const name of ['fujo.queue', 'fujo.step', 'fujo.start'] as const) expect(allows(channels[name].access, seikatsu), name).toBe(true);
  });

  it('lets every role reach at least one channel with the whole of its ceiling (no role is locked out by the contract)', () => {
    for (const [role, ceiling] of Object.entries(ROLE_CEILINGS)) {
      const holder = { rights: ceiling, locked: false };
      const reachable = Object.values(channels).filter((c) => c.access.kind === 'right' || c.access.kind === 'anyRight').filter((c) => allows(c.access, holder));
      expect(reachable.length, role).toBeGreaterThan(0);
    }
  });
});
