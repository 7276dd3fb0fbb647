import { z } from 'zod';
import { text } from '../../../shared/text';
import { withinCeiling, type Right, type Role } from '../../../shared/domain/rights';
import { AuditLog } from '../audit/audit-log';
import { checkNewPassword, hashPassword } from '../auth/passwords';
import { addNumberBlock } from '../certificates/numbering';
import { CERT_TYPES } from '../../../shared/domain/certificate-types';
import type { Db } from '../db/database';
import { insertRecord } from '../db/records';
import { PROVISIONING } from '../../../shared/identity/approval';
import type { Clock } from '../platform';
import { readTerminalSettings, writeTerminalSetting } from '../db/terminal-settings';

/** The one-time provisioning file IT prepares for a new terminal. Deleted after use. */
export const provisioningSchema = z
  .object({
    terminalId: z.string().regex(/^[A-Z0-9-]{2,32}$/, '端末IDは英大文字・数字・ハイフン2〜32文字です'),
    admin: z
      .object({
        staffId: z.string().regex(/^[A-Za-z0-9]{3,32}$/, '職員IDは英数字3〜32文字です'),
        name: text({ label: '氏名', min: 1, max: 60 }),
        password: text({ label: 'パスワード', max: 256, trim: false, normalize: false }),
      })
      .strict(),
    /** The first local block of 受給者番号 serials (the sync issue leases further blocks). */
    numberBlock: z.object({ first: z.number().int().min(1), last: z.number().int().min(1) }).strict(),
  })
  .strict();
export type Provisioning = z.infer<typeof provisioningSchema>;

export interface StaffSeed {
  staffId: string;
  name: string;
  nameKana?: string;
  section?: string;
  role: Role;
  password: string;
  /** Rights granted at creation (within the role's ceiling), recorded with `approvedBy`. */
  rights?: Right[];
  approvedBy?: string;
  demo?: boolean;
  mustChangePassword?: boolean;
  maySelfEnroll?: boolean;
}

/** Insert a staff account (argon2id hash) and its grants. Used by provisioning and the demo/test seeders. */
export async function createStaff(db: Db, s: StaffSeed, by: string, at: string): Promise<string> {
  const hash = await hashPassword(s.password);
  return db.transaction(() => {
    const id = insertRecord(
      db,
      'staff',
      {
        staff_id: s.staffId,
        name: s.name,
        name_kana: s.nameKana ?? '',
        section: s.section ?? '',
        role: s.role,
        password_hash: hash,
        password_changed_at: at,
        disabled: 0,
        demo: s.demo ? 1 : 0,
        must_change_password: s.mustChangePassword ? 1 : 0,
        may_self_enroll: s.maySelfEnroll ? 1 : 0,
      },
      { by, at },
    );
    for (const right of s.rights ?? []) {
      if (!withinCeiling(s.role, right)) throw new Error(`${right} is outside the ceiling of ${s.role}`);
      // In force at once only as the provisioning's own (bootstrap); otherwise it waits for the named 所属長.
      const approvedBy = s.approvedBy ?? by;
      const approval_status = approvedBy === PROVISIONING ? 'bootstrap' : 'pending';
      insertRecord(db, 'staff_grants', { staff_id: s.staffId, right_name: right, approved_by: approvedBy, reason: '初期設定', valid_from: at, expires_at: null, revoked_at: null, revoked_by: null, approval_status }, { by, at });
    }
    return id;
  })();
}

/**
 * Provision a terminal: terminal ID, the first administrator, the first number block. Refuses on a
 * terminal that is already provisioned. There are no default passwords anywhere.
 */
export async function provisionTerminal(db: Db, input: unknown, clock: Clock): Promise<Provisioning> {
  const parsed = provisioningSchema.safeParse(input);
  if (!parsed.success) {
    throw new Error('プロビジョニングファイルが正しくありません:\n' + parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n'));
  }
  const p = parsed.data;
  if (readTerminalSettings(db).provisioned) throw new Error('この端末はすでに初期設定済みです。');
  const pwProblem = checkNewPassword(p.admin.password, p.admin.staffId);
  if (pwProblem) throw new Error(`管理者パスワード: ${pwProblem}`);
  if (p.numberBlock.last < p.numberBlock.first) throw new Error('番号ブロックの範囲が正しくありません');
  const at = clock.now().toISOString();
  const hash = await hashPassword(p.admin.password);
  const audit = new AuditLog(db, { terminalId: p.terminalId }, clock);
  db.transaction(() => {
    // Checked again here: the hashing above yields, and a second provisioning may have completed meanwhile.
    if (readTerminalSettings(db).provisioned) throw new Error('この端末はすでに初期設定済みです。');
    writeTerminalSetting(db, 'terminal_id', p.terminalId);
    writeTerminalSetting(db, 'provisioned_at', at);
    // The first administrator changes the one-time password and registers their own second factor at first login.
    insertRecord(
      db,
      'staff',
      { staff_id: p.admin.staffId, name: p.admin.name, role: 'administrator', password_hash: hash, password_changed_at: at, disabled: 0, demo: 0, must_change_password: 1, may_self_enroll: 1 },
      { by: 'PROVISIONING', at },
    );
    for (const right of ['admin.staff', 'audit.verify'] as const) {
      insertRecord(db, 'staff_grants', { staff_id: p.admin.staffId, right_name: right, approved_by: PROVISIONING, reason: '端末の初期設定', valid_from: at, expires_at: null, revoked_at: null, revoked_by: null, approval_status: 'bootstrap' }, { by: PROVISIONING, at });
    }
    // One local block per certificate type (numbers are unique per type); the central server refills them.
    for (const type of CERT_TYPES) addNumberBlock(db, type, p.numberBlock.first, p.numberBlock.last, 'provisioning', { by: 'PROVISIONING', at });
    audit.append({ staffId: null, action: 'terminal.provision', outcome: 'success', detail: { adminStaffId: p.admin.staffId, numberBlock: p.numberBlock } });
  })();
  return p;
}
