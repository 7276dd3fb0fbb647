import type { StaffSummary } from '../../../../shared/ipc/admin-contract';
import { JIMU, JIMU_LABELS, RIGHT_LABELS, type Jimu, type Right } from '../../../../shared/domain/rights';
import { jstDate, jstDateTime } from '../../../../shared/domain/wareki';
import { STAFF_STATUS_LABELS, staffNameAndId } from '../../../../shared/domain/staff-status';

/** Display helpers of the システム管理 screens. Timestamps from the main process are ISO (UTC); shown in JST. */

export function expiryLabel(expiresAt: string | null): string {
  return expiresAt ? `${jstDate(expiresAt)}まで` : '無期限';
}

/**
 * The 状態 in the one vocabulary the roster import also reads (shared/domain/staff-status.ts): 在職 or 利用停止,
 * with a note in brackets while locked or waiting for a password change (the import ignores the note).
 */
export function staffStatus(s: Pick<StaffSummary, 'disabled' | 'lockedUntil' | 'mustChangePassword'>): string {
  if (s.disabled) return STAFF_STATUS_LABELS.stopped;
  if (s.lockedUntil) return `${STAFF_STATUS_LABELS.active}（ロック中 ${jstDateTime(s.lockedUntil)}まで）`;
  if (s.mustChangePassword) return `${STAFF_STATUS_LABELS.active}（パスワード変更待ち）`;
  return STAFF_STATUS_LABELS.active;
}

/** What an account still lacks after a roster import, in words. */
export const SETUP_GAP_LABELS = { rights: '権限', password: '初期パスワード', authenticator: '認証器' } as const;

export type RightGroupKey = 'common' | Jimu;
const GROUP_ORDER: readonly RightGroupKey[] = ['common', ...JIMU];

export function groupLabel(k: RightGroupKey): string {
  return k === 'common' ? '共通' : JIMU_LABELS[k];
}

function groupOf(r: Right): RightGroupKey {
  const [a, b] = r.split(':');
  return b ? (a as Jimu) : 'common';
}

/** The right's label without its 事務 (for tables already grouped by 事務). */
export function functionLabel(r: Right): string {
  const [a, b] = r.split(':') as [string, string | undefined];
  return RIGHT_LABELS[(b ?? a) as keyof typeof RIGHT_LABELS];
}

/** Items grouped by 事務 in the fixed order 共通, こども医療, 国民健康保険, 予防接種, 生活保護 (JIMU); empty groups are left out. */
export function groupByJimu<T>(items: readonly T[], rightOf: (t: T) => Right): { key: RightGroupKey; label: string; items: T[] }[] {
  return GROUP_ORDER.map((key) => ({ key, label: groupLabel(key), items: items.filter((t) => groupOf(rightOf(t)) === key) })).filter((g) => g.items.length > 0);
}

/** Names a staff ID as audit and exports do (staffNameAndId: 「氏名（職員ID）」), the bare ID when unknown. */
export function staffNamer(staff: readonly StaffSummary[]): (staffId: string) => string {
  const names = new Map(staff.map((s) => [s.staffId, s.name]));
  return (id) => staffNameAndId(id, names.get(id));
}

/** The approval state of a grant or authenticator, as the tables show it. */
export function approvalLabel(status: 'pending' | 'approved' | 'bootstrap' | 'legacy', approver: string | null, nameOf: (id: string) => string): string {
  if (status === 'pending') return `承認待ち（${approver ? nameOf(approver) : '所属長'}）`;
  if (status === 'approved') return `承認済み（${approver ? nameOf(approver) : '所属長'}）`;
  if (status === 'bootstrap') return '初期設定';
  return '承認記録なし（移行前）';
}
