/**
 * One vocabulary for a member of staff's 状態 (issue 14 §4): the staff list shows it and the roster import reads
 * it. An account is 在職 (may log in) or 利用停止 (退職・転出 or stopped by an administrator); the list adds a
 * note in brackets (ロック中, パスワード変更待ち). The roster's 状態 column accepts every word the list shows (a
 * note in brackets is ignored), the reasons for stopping (退職, 転出) and the former list's 有効 / 無効.
 */
export const STAFF_STATUS_LABELS = { active: '在職', stopped: '利用停止' } as const;
export type StaffStatus = keyof typeof STAFF_STATUS_LABELS;

const WORDS: Readonly<Record<string, StaffStatus>> = {
  在職: 'active',
  有効: 'active',
  退職: 'stopped',
  転出: 'stopped',
  利用停止: 'stopped',
  無効: 'stopped',
};

/** The words a roster's 状態 may hold, for messages (有効・無効 are the staff list's former words). */
export const ROSTER_STATUS_CHOICES = '在職・利用停止・退職・転出・有効・無効';

/**
 * A 状態 cell as typed: width-folded (NFKC), spaces removed, a trailing note in brackets ignored — so
 * 「在職（パスワード変更待ち）」 copied from the staff list reads as 在職. Returns the status and the word as read
 * (for messages such as 「在職 → 退職」), or null when it is none of the words.
 */
export function parseStaffStatus(cell: string): { status: StaffStatus; word: string } | null {
  const word = cell
    .normalize('NFKC')
    .replace(/\s+/gu, '')
    .replace(/\([^()]*\)$/u, '');
  const status = Object.prototype.hasOwnProperty.call(WORDS, word) ? WORDS[word] : undefined;
  return status ? { status, word } : null;
}

/** A member of staff as screens and exports name them: 「山田 花子（D1001）」, the bare ID when the name is unknown. */
export function staffNameAndId(staffId: string, name: string | null | undefined): string {
  return name ? `${name}（${staffId}）` : staffId;
}
