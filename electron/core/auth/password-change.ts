import type { AuditLog } from '../audit/audit-log';
import type { Db } from '../db/database';
import { insertRecord, updateRecord, type Stamp } from '../db/records';
import { DomainError } from '../errors';
import type { PasswordPolicy } from '../policy/policy';
import { checkPasswordStrength } from './password-policy';
import { hashPassword, verifyPassword } from './passwords';

export function passwordExpired(changedAt: string, policy: PasswordPolicy, now: Date): boolean {
  return Date.parse(changedAt) + policy.expiryDays * 86_400_000 <= now.getTime();
}

interface ChangeTarget {
  id: string;
  version: number;
  staff_id: string;
  name: string;
  name_kana: string;
  password_hash: string;
}

/** Refuse a weak password or one of the last N (policy) with Japanese field errors; nothing changes then. */
export async function assertAcceptablePassword(db: Db, target: Pick<ChangeTarget, 'staff_id' | 'name' | 'name_kana' | 'password_hash'>, next: string, policy: PasswordPolicy): Promise<void> {
  const problems = checkPasswordStrength(next, { minLength: policy.minLength }, { staffId: target.staff_id, name: target.name, nameKana: target.name_kana });
  if (problems.length > 0) {
    throw new DomainError('VALIDATION', problems.map((p) => p.message).join(' '), { next: problems.map((p) => p.message).join(' ') });
  }
  const previous = db
    .prepare<[string, number], { password_hash: string }>('SELECT password_hash FROM password_history WHERE staff_id = ? AND deleted = 0 ORDER BY created_at DESC, id DESC LIMIT ?')
    .all(target.staff_id, policy.historyCount)
    .map((r) => r.password_hash);
  for (const h of [target.password_hash, ...previous].slice(0, policy.historyCount)) {
    if (await verifyPassword(h, next)) {
      const m = `直近${policy.historyCount}回に使ったパスワードは使えません。`;
      throw new DomainError('VALIDATION', m, { next: m });
    }
  }
}

/** Set a new password (argon2id), keep the old hash in the history, clear the forced-change flag; audited. */
export async function changePassword(db: Db, audit: AuditLog, target: ChangeTarget, next: string, policy: PasswordPolicy, s: Stamp): Promise<void> {
  await assertAcceptablePassword(db, target, next, policy);
  const hash = await hashPassword(next);
  db.transaction(() => {
    insertRecord(db, 'password_history', { staff_id: target.staff_id, password_hash: target.password_hash }, s);
    updateRecord(db, 'staff', target.id, target.version, { password_hash: hash, password_changed_at: s.at, must_change_password: 0 }, s);
    audit.append({ staffId: target.staff_id, action: 'auth.changePassword', outcome: 'success', detail: { by: s.by } });
  })();
}
