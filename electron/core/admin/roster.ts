/**
 * 職員名簿の取込（年度当初の人事異動）: the システム管理者 loads a CSV roster, sees the differences against the
 * staff table (create / update / enable / disable) and the bad lines, then applies it in one transaction.
 *
 * Rules: staff absent from the file are not touched; demo accounts are never changed; the roster never
 * disables or demotes the last enabled システム管理者; nothing from a file with errors is applied unless the
 * administrator chooses to apply the valid part; a preview is bound to the administrator who made it, lives
 * 30 minutes, is applied at most once, and is refused if any affected staff row changed since.
 */
import { createHash } from 'node:crypto';
import type { RosterChange, RosterPreview } from '../../../shared/ipc/admin-contract';
import { isRight, ROLE_LABELS, withinCeiling, type Role } from '../../../shared/domain/rights';
import { roleChangeWidens, type RoleRequest } from '../../../shared/identity/approval';
import { namedApproverProblem } from './approvals';
import { revokeGrantsWhere } from '../auth/grants';
import type { AuditLog } from '../audit/audit-log';
import type { Db } from '../db/database';
import type { StaffRow } from '../auth/auth-service';
import { insertRecord, updateRecord, uuidv7, type Stamp } from '../db/records';
import { DomainError } from '../errors';
import type { Clock } from '../platform';
import { decodeRoster, normalizeRosterKana, parseRoster, type RosterEncoding, type RosterLine, type RosterLineError } from './roster-parse';

export const ROSTER_PREVIEW_TTL_MS = 30 * 60_000;
/** The IPC contract allows 4,000,000 base64 characters (3 MB); the core refuses more on its own too. */
export const ROSTER_MAX_BYTES = 3_000_000;
/** The password hash of an account created by the roster: matches no password until one is set. */
export const UNUSABLE_PASSWORD_HASH = '!';

export const ROSTER_ERRORS_NOT_APPLIED =
  '名簿にエラーのある行があるため適用しませんでした。正しい行だけを適用する場合は、その旨を選んでください。';

/** Who acts: a staff ID, or the session's Actor (anything with a staffId). */
export type RosterActor = string | { readonly staffId: string };
const actorId = (a: RosterActor): string => (typeof a === 'string' ? a : a.staffId);

/** What a new (or re-enabled) account still needs before its holder can work: 権限, 初期パスワード, 認証器. */
export type SetupGap = 'rights' | 'password' | 'authenticator';

export interface RosterApplyResult {
  created: number;
  updated: number;
  disabled: number;
  enabled: number;
  /** Accounts created or re-enabled by this import that still lack something, with what each lacks. */
  incomplete: { staffId: string; name: string; missing: SetupGap[] }[];
}

type StaffRosterRow = Pick<StaffRow, 'id' | 'version' | 'staff_id' | 'name' | 'name_kana' | 'section' | 'role' | 'disabled' | 'demo' | 'deleted'>;

/** A change as planned at preview time: what it will write and the row version it was computed from. */
interface PlannedChange {
  change: RosterChange;
  row: { id: string; version: number } | null;
  values: Record<string, string | number | null>;
  /** Set when the role changes: grants outside this role's ceiling are revoked. */
  newRole: Role | null;
  /** The role before the change (a change to a wider ceiling waits for the named 所属長). */
  oldRole?: Role;
}

interface StoredPreview {
  previewId: string;
  actor: string;
  fileName: string;
  expiresAt: number;
  applied: boolean;
  errorCount: number;
  planned: PlannedChange[];
}

type Counts = Record<RosterChange['kind'], number>;

const blankOr = (s: string): string => (s === '' ? '（未登録）' : s);

function countKinds(changes: readonly { kind: RosterChange['kind'] }[]): Counts {
  const c: Counts = { create: 0, update: 0, disable: 0, enable: 0 };
  for (const x of changes) c[x.kind]++;
  return c;
}

export class RosterImport {
  private readonly previews = new Map<string, StoredPreview>();

  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  /** Read a roster file and report what applying it would change, and every bad line. Changes nothing. */
  preview(actor: RosterActor, fileName: string, bytes: Buffer | Uint8Array): RosterPreview {
    const by = actorId(actor);
    this.purge();
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    let decoded: { text: string; encoding: RosterEncoding };
    try {
      if (bytes.length > ROSTER_MAX_BYTES) throw new DomainError('VALIDATION', 'ファイルが大きすぎます（3MBまで）。');
      decoded = decodeRoster(bytes);
    } catch (e) {
      if (e instanceof DomainError) this.audit.refuse({ staffId: by, action: 'admin.roster.preview', detail: { fileName, sha256, bytes: bytes.length, why: e.message } }, e);
      throw e;
    }
    const parsed = parseRoster(decoded.text);
    const { planned, errors } = this.plan(parsed.lines);
    const allErrors = [...parsed.errors, ...errors].sort((a, b) => a.line - b.line);
    planned.sort((a, b) => a.change.line - b.change.line);

    const previewId = uuidv7();
    this.previews.set(previewId, {
      previewId,
      actor: by,
      fileName,
      expiresAt: this.clock.now().getTime() + ROSTER_PREVIEW_TTL_MS,
      applied: false,
      errorCount: allErrors.length,
      planned,
    });
    const changes = planned.map((p) => p.change);
    this.audit.append({
      staffId: by,
      action: 'admin.roster.preview',
      outcome: 'success',
      detail: { previewId, fileName, sha256, encoding: decoded.encoding, rows: parsed.rows, counts: countKinds(changes), errorCount: allErrors.length },
    });
    return { previewId, encoding: decoded.encoding, rows: parsed.rows, changes, errors: allErrors };
  }

  /**
   * Apply a preview made by the same administrator, in one transaction: all of its changes or none.
   * With errors in the file, only when `applyValidPart` is true (then exactly the valid lines are applied).
   */
  apply(actor: RosterActor, previewId: string, applyValidPart: boolean, roleApprover: string | null = null): RosterApplyResult {
    const by = actorId(actor);
    this.purge();
    const reject = (e: DomainError): never => {
      return this.audit.refuse({ staffId: by, action: 'admin.roster.apply', detail: { previewId, code: e.code, why: e.message } }, e);
    };
    const p = this.previews.get(previewId);
    if (!p) return reject(new DomainError('NOT_FOUND', 'この名簿の確認結果は見つからないか、有効期限（30分）が切れています。もう一度ファイルを読み込んでください。'));
    if (p.actor !== by) return reject(new DomainError('FORBIDDEN', 'この名簿の確認結果は別の職員が読み込んだものです。ご自身でファイルを読み込んでから適用してください。'));
    if (p.applied) return reject(new DomainError('CONFLICT', 'この名簿はすでに適用済みです。もう一度適用する場合は、ファイルを読み込み直してください。'));
    if (p.errorCount > 0 && !applyValidPart) return reject(new DomainError('VALIDATION', ROSTER_ERRORS_NOT_APPLIED));
    const widening = p.planned.filter((x) => x.newRole && x.oldRole && roleChangeWidens(x.oldRole, x.newRole));
    if (widening.length > 0) {
      const problem = namedApproverProblem(this.db, roleApprover, by, widening.map((x) => x.change.staffId));
      if (problem) return reject(new DomainError('VALIDATION', problem, { roleApprover: problem }));
    }

    let result: Omit<RosterApplyResult, 'incomplete'>;
    try {
      result = this.db.transaction(() => this.applyPlanned(p, by, roleApprover))();
    } catch (e) {
      if (e instanceof DomainError) reject(e);
      throw e;
    }
    p.applied = true;
    return { ...result, incomplete: this.setupGaps(p.planned.filter((x) => x.change.kind === 'create' || x.change.kind === 'enable').map((x) => x.change)) };
  }

  /**
   * Which of these accounts still lack 権限 (no grant in force or waiting for approval), an initial password (the
   * roster creates accounts whose password matches nothing) or an authenticator — so the administrator is told
   * right after the import what to set up next.
   */
  private setupGaps(changes: readonly RosterChange[]): RosterApplyResult['incomplete'] {
    const now = this.clock.now().toISOString();
    const grants = this.db.prepare<[string, string], { n: number }>(
      'SELECT count(*) AS n FROM staff_grants WHERE staff_id = ? AND deleted = 0 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)',
    );
    const keys = this.db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM authenticators WHERE staff_id = ? AND deleted = 0 AND revoked_at IS NULL');
    const password = this.db.prepare<[string], { password_hash: string }>('SELECT password_hash FROM staff WHERE staff_id = ? AND deleted = 0');
    const out: RosterApplyResult['incomplete'] = [];
    for (const c of changes) {
      const missing: SetupGap[] = [];
      if ((grants.get(c.staffId, now)?.n ?? 0) === 0) missing.push('rights');
      if (password.get(c.staffId)?.password_hash === UNUSABLE_PASSWORD_HASH) missing.push('password');
      if ((keys.get(c.staffId)?.n ?? 0) === 0) missing.push('authenticator');
      if (missing.length > 0) out.push({ staffId: c.staffId, name: c.name, missing });
    }
    return out;
  }

  private purge(): void {
    const now = this.clock.now().getTime();
    for (const [id, p] of this.previews) if (p.expiresAt <= now) this.previews.delete(id);
  }

  /** Compare the valid lines with the staff table. */
  private plan(lines: readonly RosterLine[]): { planned: PlannedChange[]; errors: RosterLineError[] } {
    const rows = this.db.prepare<[], StaffRosterRow>('SELECT id, version, staff_id, name, name_kana, section, role, disabled, demo, deleted FROM staff').all();
    const byId = new Map<string, StaffRosterRow>();
    for (const r of rows) {
      const key = r.staff_id.toLowerCase();
      const seen = byId.get(key);
      // Prefer the live row if an ID was ever reused in another case.
      if (!seen || (seen.deleted === 1 && r.deleted === 0)) byId.set(key, r);
    }
    let enabledAdmins = rows.filter((r) => r.deleted === 0 && r.disabled === 0 && r.role === 'administrator').length;

    const planned: PlannedChange[] = [];
    const errors: RosterLineError[] = [];
    for (const l of lines) {
      const fail = (m: string) => errors.push({ line: l.line, message: `${l.line}行目: ${m}` });
      const row = byId.get(l.staffId.toLowerCase());
      const working = l.status === 'active';

      if (!row) {
        if (!working) continue; // Left before ever having an account here: nothing to do.
        planned.push({
          change: {
            line: l.line,
            kind: 'create',
            staffId: l.staffId,
            name: l.name,
            changes: [`氏名: ${l.name}`, `氏名カナ: ${l.nameKana}`, `所属: ${l.section}`, `役割: ${ROLE_LABELS[l.role]}`],
          },
          row: null,
          values: { staff_id: l.staffId, name: l.name, name_kana: l.nameKana, section: l.section, role: l.role },
          newRole: null,
        });
        continue;
      }
      if (row.staff_id !== l.staffId) {
        fail(`職員ID「${l.staffId}」は登録済みの職員ID「${row.staff_id}」と大文字・小文字だけが異なります。登録どおりに入力してください`);
        continue;
      }
      if (row.deleted === 1) {
        if (working) fail(`職員ID「${l.staffId}」は削除済みの職員に使われていたため、新しい職員には使えません`);
        continue;
      }
      if (row.demo === 1) {
        fail(`職員ID「${l.staffId}」はデモ用の職員のため、名簿では変更できません`);
        continue;
      }

      const removesAdmin = row.role === 'administrator' && row.disabled === 0 && (!working || l.role !== 'administrator');
      if (removesAdmin) {
        if (enabledAdmins <= 1) {
          fail(
            working
              ? `職員ID「${l.staffId}」は最後のシステム管理者のため、役割を「${ROLE_LABELS[l.role]}」に変更できません（先に別のシステム管理者を登録してください）`
              : `職員ID「${l.staffId}」は最後のシステム管理者のため、${l.statusWord}にできません（先に別のシステム管理者を登録してください）`,
          );
          continue;
        }
        enabledAdmins--;
      }

      const ref = { id: row.id, version: row.version };
      if (!working) {
        if (row.disabled === 1) continue; // Already disabled.
        planned.push({
          change: { line: l.line, kind: 'disable', staffId: l.staffId, name: l.name, changes: [`状態: 在職 → ${l.statusWord === '無効' ? '利用停止' : l.statusWord}`] },
          row: ref,
          values: { disabled: 1 },
          newRole: null,
        });
        continue;
      }

      const changes: string[] = [];
      const values: Record<string, string | number | null> = {};
      if (row.name !== l.name) {
        changes.push(`氏名: ${blankOr(row.name)} → ${l.name}`);
        values.name = l.name;
      }
      if (normalizeRosterKana(row.name_kana) !== l.nameKana) {
        changes.push(`氏名カナ: ${blankOr(row.name_kana)} → ${l.nameKana}`);
        values.name_kana = l.nameKana;
      }
      if (row.section !== l.section) {
        changes.push(`所属: ${blankOr(row.section)} → ${l.section}`);
        values.section = l.section;
      }
      const newRole = row.role !== l.role ? l.role : null;
      if (newRole) {
        const waits = roleChangeWidens(row.role, newRole) ? '（所属長の承認後に有効）' : '';
        changes.push(`役割: ${ROLE_LABELS[row.role]} → ${ROLE_LABELS[newRole]}${waits}`);
        values.role = newRole;
      }
      if (row.disabled === 1) {
        planned.push({
          change: { line: l.line, kind: 'enable', staffId: l.staffId, name: l.name, changes: ['状態: 利用停止 → 在職', ...changes] },
          row: ref,
          values: { ...values, disabled: 0 },
          newRole,
          oldRole: row.role,
        });
      } else if (changes.length > 0) {
        planned.push({ change: { line: l.line, kind: 'update', staffId: l.staffId, name: l.name, changes }, row: ref, values, newRole, oldRole: row.role });
      }
    }
    return { planned, errors };
  }

  /** Runs inside the transaction. Any DomainError rolls everything back. */
  private applyPlanned(p: StoredPreview, by: string, roleApprover: string | null): Omit<RosterApplyResult, 'incomplete'> {
    const now = this.clock.now().toISOString();
    const s: Stamp = { by, at: now };

    // Every affected row must still be as it was when the preview was made.
    const current = this.db.prepare<[string], { version: number; deleted: number }>('SELECT version, deleted FROM staff WHERE id = ?');
    const taken = this.db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM staff WHERE staff_id = ? COLLATE NOCASE');
    for (const x of p.planned) {
      const stale = x.row
        ? (() => {
            const r = current.get(x.row.id);
            return !r || r.deleted !== 0 || r.version !== x.row.version;
          })()
        : (taken.get(x.change.staffId)?.n ?? 0) > 0;
      if (stale) {
        throw new DomainError(
          'CONFLICT',
          `名簿の確認のあとで、職員ID「${x.change.staffId}」の登録内容がほかの操作で変更されました。名簿は適用していません。もう一度ファイルを読み込んで確認してください。`,
        );
      }
    }

    for (const x of p.planned) {
      const c = x.change;
      let revoked: string[] = [];
      if (c.kind === 'create') {
        insertRecord(
          this.db,
          'staff',
          {
            ...x.values,
            password_hash: UNUSABLE_PASSWORD_HASH,
            password_changed_at: now,
            must_change_password: 1,
            may_self_enroll: 0,
            disabled: 0,
            demo: 0,
            failed_count: 0,
            locked_until: null,
          },
          s,
        );
      } else {
        const row = x.row as { id: string; version: number };
        const widens = x.newRole && x.oldRole && roleApprover && roleChangeWidens(x.oldRole, x.newRole);
        if (widens) {
          // A wider role waits for the named 所属長 (IdentityApprovals); the other changes apply now.
          const rest = Object.fromEntries(Object.entries(x.values).filter(([k]) => k !== 'role'));
          const request: RoleRequest = { fromRole: x.oldRole as Role, toRole: x.newRole as Role, requestedBy: by, requestedAt: now, approver: roleApprover };
          updateRecord(this.db, 'staff', row.id, row.version, { ...rest, role_request: JSON.stringify(request) }, s);
        } else updateRecord(this.db, 'staff', row.id, row.version, x.values, s);
        if (c.kind === 'disable') revoked = revokeGrantsWhere(this.db, c.staffId, () => true, s);
        else if (x.newRole && !widens) {
          const role = x.newRole;
          revoked = revokeGrantsWhere(this.db, c.staffId, (right) => !(isRight(right) && withinCeiling(role, right)), s);
        }
      }
      this.audit.append({
        staffId: by,
        action: 'admin.staff.update',
        outcome: 'success',
        detail: { staffId: c.staffId, kind: c.kind, changes: c.changes, revokedGrants: revoked, source: 'roster', previewId: p.previewId, line: c.line },
      });
    }

    const admins = this.db.prepare<[], { n: number }>("SELECT count(*) AS n FROM staff WHERE deleted = 0 AND disabled = 0 AND role = 'administrator'").get();
    if ((admins?.n ?? 0) === 0) {
      throw new DomainError('RULE', '名簿を適用すると有効なシステム管理者がいなくなるため、適用しませんでした。');
    }

    const counts = countKinds(p.planned.map((x) => x.change));
    const result = { created: counts.create, updated: counts.update, disabled: counts.disable, enabled: counts.enable };
    this.audit.append({
      staffId: by,
      action: 'admin.roster.apply',
      outcome: 'success',
      detail: { previewId: p.previewId, fileName: p.fileName, counts: result, appliedValidPartOnly: p.errorCount > 0, skippedErrorLines: p.errorCount },
    });
    return result;
  }
}
