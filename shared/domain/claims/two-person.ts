/**
 * The two-person rule of every workflow with a check and a 決裁 (the claims workflow, the 生活保護 扶助 flows):
 * nobody checks what they entered or corrected, and nobody decides what they entered, corrected or checked. One
 * rule, in one place: electron/core/claims/claim-service.ts and shared/domain/seikatsu/flows.ts both ask it.
 */

/** Who may take a step: anyone; not whoever entered; neither whoever entered nor whoever checked. */
export type PersonRule = 'any' | 'not_enterer' | 'not_enterer_nor_checker';

export interface TwoPersonRefusal {
  code: 'own_entry' | 'own_check';
  message: string;
}

/**
 * Why `staffId` may not take a step under `rule`, or null. `enteredBy`: everyone who entered or corrected the record
 * since its last 決裁; `checkedBy`: who checked it. `noun` names the record in the message (請求, 記録 …).
 */
export function twoPersonProblem(rule: PersonRule, staffId: string, enteredBy: Iterable<string>, checkedBy: string | null, noun = '記録'): TwoPersonRefusal | null {
  if (rule === 'any') return null;
  if (new Set(enteredBy).has(staffId)) {
    return rule === 'not_enterer'
      ? { code: 'own_entry', message: `自分が入力・訂正した${noun}は確認できません。別の職員が二重チェックしてください。` }
      : { code: 'own_entry', message: `自分が入力・訂正した${noun}は決裁できません。` };
  }
  if (rule === 'not_enterer_nor_checker' && checkedBy === staffId) return { code: 'own_check', message: `自分が二重チェックした${noun}は決裁できません。` };
  return null;
}
