/**
 * Roles and rights (事務分担). A right is either common ('resident.search') or scoped to a 事務
 * ('kodomo:certificate.issue'). Staff hold rights through explicit grants recorded by the システム管理者
 * with the approving 所属長; a role is the ceiling of what may be granted to that person.
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

/**
 * The 事務 a terminal is enrolled for and a right is scoped to. 生活保護 (seikatsu: 医療扶助・介護扶助 at the 福祉事務所
 * counter, seed 001, issue 17) is a 事務 like the others: its caseworkers are counter staff (clerk / checker /
 * approver ceilings below, the same functions), and a terminal may be enrolled for it alone. Its 扶助 flows are
 * in progress (issue 17); until then its rights open nothing of their own.
 */
export const JIMU = ['kodomo', 'kokuho', 'yobou', 'seikatsu'] as const;
export type Jimu = (typeof JIMU)[number];
export const JIMU_LABELS: Record<Jimu, string> = { kodomo: 'こども医療', kokuho: '国民健康保険', yobou: '予防接種', seikatsu: '生活保護' };

export const COMMON_RIGHTS = [
  'resident.search',
  'resident.view',
  'mynumber.reveal',
  'audit.verify',
  'audit.review',
  'audit.export.request',
  'audit.export.approve',
  'admin.staff',
] as const;
export const JIMU_FUNCTIONS = ['certificate.issue', 'certificate.print', 'claim.enter', 'claim.check', 'claim.approve'] as const;
export type CommonRight = (typeof COMMON_RIGHTS)[number];
export type JimuFunction = (typeof JIMU_FUNCTIONS)[number];
export type JimuRight = `${Jimu}:${JimuFunction}`;
export type Right = CommonRight | JimuRight;

/** The right to do `fn` in one 事務 (e.g. jimuRight('kokuho', 'claim.enter') → 'kokuho:claim.enter'). */
export function jimuRight(jimu: Jimu, fn: JimuFunction): JimuRight {
  return `${jimu}:${fn}`;
}

/** The rights to do any of `fns` in any 事務 ("any 事務": what a menu entry or a channel opens on). */
export function everyJimuRight(...fns: JimuFunction[]): JimuRight[] {
  return JIMU.flatMap((j) => fns.map((f) => jimuRight(j, f)));
}

/** Every right of one 事務 (whoever holds one of them works in that 事務). */
export function rightsOfJimu(jimu: Jimu): JimuRight[] {
  return JIMU_FUNCTIONS.map((f) => jimuRight(jimu, f));
}

export const RIGHTS: readonly Right[] = [...COMMON_RIGHTS, ...everyJimuRight(...JIMU_FUNCTIONS)];

export function isRight(s: string): s is Right {
  return (RIGHTS as readonly string[]).includes(s);
}

export const RIGHT_LABELS: Record<CommonRight | JimuFunction, string> = {
  'resident.search': '住民検索',
  'resident.view': '住民情報の閲覧',
  'mynumber.reveal': '個人番号の閲覧',
  'audit.verify': '監査ログの検証',
  'audit.review': '監査ログの点検',
  'audit.export.request': '監査ログの出力申請',
  'audit.export.approve': '監査ログの出力承認（管理責任者）',
  'admin.staff': '職員・権限の管理',
  'certificate.issue': '証の交付',
  'certificate.print': '証の印刷',
  'claim.enter': '申請の入力',
  'claim.check': '申請の確認（二重チェック）',
  'claim.approve': '申請の決裁',
};

export function rightLabel(r: Right): string {
  const [a, b] = r.split(':') as [string, string | undefined];
  return b ? `${JIMU_LABELS[a as Jimu]}：${RIGHT_LABELS[b as JimuFunction]}` : RIGHT_LABELS[a as CommonRight];
}

const COUNTER: Right[] = ['resident.search', 'resident.view', 'mynumber.reveal', ...everyJimuRight('certificate.issue', 'certificate.print', 'claim.enter')];

/** What may be granted to each role. A grant outside the ceiling is refused and never effective. */
export const ROLE_CEILINGS: Record<Role, readonly Right[]> = {
  clerk: COUNTER,
  checker: [...COUNTER, ...everyJimuRight('claim.check')],
  approver: [...COUNTER, ...everyJimuRight('claim.check', 'claim.approve'), 'audit.export.approve'],
  supervisor: ['resident.search', 'audit.verify', 'audit.review', 'audit.export.request', 'audit.export.approve'],
  administrator: ['admin.staff', 'audit.verify'],
};

export function withinCeiling(role: Role, right: Right): boolean {
  return ROLE_CEILINGS[role].includes(right);
}
