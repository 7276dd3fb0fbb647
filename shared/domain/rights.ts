/**
 * Roles and rights. Issue #4 extends this with per-事務 grants and temporary grants; the names here are
 * the vocabulary every IPC channel and service check uses.
 */
export const ROLES = ['clerk', 'checker', 'approver', 'supervisor', 'administrator'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  clerk: '窓口職員',
  checker: '確認者',
  approver: '承認者（所属長）',
  supervisor: '監督者',
  administrator: 'システム管理者',
};

export const RIGHTS = [
  'resident.search',
  'resident.view',
  'mynumber.reveal',
  'certificate.issue',
  'certificate.print',
  'audit.verify',
] as const;
export type Right = (typeof RIGHTS)[number];

const COUNTER_WORK: Right[] = ['resident.search', 'resident.view', 'certificate.issue', 'certificate.print'];

/** Rights each role carries. 'mynumber.reveal' is never part of a role: it is granted per person. */
export const ROLE_RIGHTS: Record<Role, readonly Right[]> = {
  clerk: COUNTER_WORK,
  checker: COUNTER_WORK,
  approver: COUNTER_WORK,
  supervisor: ['resident.search', 'audit.verify'],
  administrator: ['audit.verify'],
};

export function rightsFor(role: Role, canRevealMyNumber: boolean): Right[] {
  const rights = [...ROLE_RIGHTS[role]];
  if (canRevealMyNumber && rights.includes('resident.view')) rights.push('mynumber.reveal');
  return rights;
}
