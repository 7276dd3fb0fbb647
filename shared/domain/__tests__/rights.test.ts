import { describe, expect, it } from 'vitest';
import { isRight, JIMU, JIMU_FUNCTIONS, JIMU_LABELS, RIGHTS, ROLE_CEILINGS, rightLabel, rightsOfJimu, withinCeiling, type Jimu } from '../rights';

/**
 * Every 事務 is served the same way: its rights exist, are named in Japanese, and a counter role's ceiling holds them
 * as it holds the other 事務's. 生活保護 (issue 17) joins as a 事務 of its own before its 扶助 flows exist.
 */
describe('事務 and their rights', () => {
  it('has 生活保護 as a 事務 with its label', () => {
    expect(JIMU).toEqual(['kodomo', 'kokuho', 'yobou', 'seikatsu']);
    expect(JIMU_LABELS.seikatsu).toBe('生活保護');
    expect(rightLabel('seikatsu:claim.approve')).toBe('生活保護：申請の決裁');
    expect(isRight('seikatsu:certificate.issue')).toBe(true);
    expect(isRight('seikatsu:mynumber.reveal')).toBe(false);
    expect(isRight('kaigo:claim.enter')).toBe(false);
  });

  it('every 事務 has every function as a right, and each right has a Japanese label', () => {
    for (const j of JIMU) {
      expect(rightsOfJimu(j)).toHaveLength(JIMU_FUNCTIONS.length);
      for (const r of rightsOfJimu(j)) expect(RIGHTS).toContain(r);
    }
    for (const r of RIGHTS) expect(rightLabel(r)).toMatch(/^[^:]*[\u3040-\u30ff\u4e00-\u9fff][^:]*$/u);
    expect(new Set(RIGHTS).size).toBe(RIGHTS.length);
  });

  it('the role ceilings treat each 事務 alike (a 生活保護 caseworker is ordinary counter staff)', () => {
    const fnsOf = (role: keyof typeof ROLE_CEILINGS, j: Jimu) => JIMU_FUNCTIONS.filter((f) => withinCeiling(role, `${j}:${f}`));
    for (const role of Object.keys(ROLE_CEILINGS) as (keyof typeof ROLE_CEILINGS)[]) {
      const reference = fnsOf(role, 'kodomo');
      for (const j of JIMU) expect(fnsOf(role, j), `${role} ${j}`).toEqual(reference);
    }
    expect(fnsOf('clerk', 'seikatsu')).toEqual(['certificate.issue', 'certificate.print', 'claim.enter']);
    expect(fnsOf('checker', 'seikatsu')).toEqual(['certificate.issue', 'certificate.print', 'claim.enter', 'claim.check']);
    expect(fnsOf('approver', 'seikatsu')).toEqual([...JIMU_FUNCTIONS]);
    expect(fnsOf('supervisor', 'seikatsu')).toEqual([]);
    expect(fnsOf('administrator', 'seikatsu')).toEqual([]);
  });
});
