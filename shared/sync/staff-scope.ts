import { JIMU, isRight, type CommonRight, type Jimu } from '../domain/rights';
import { parseRoleRequest } from '../identity/approval';

/**
 * Which staff records a terminal receives (issue 16 §1: "staff records carry what offline login needs and nothing
 * more"). Pure: the server computes its `staff_population` with it (server/staff-population.ts), tests read it.
 *
 * A terminal enrolled for identity administration (OU=admin:identity) holds every staff record of its municipality:
 * it creates and changes them (roster import, 権限点検表, the last-administrator check). Any other terminal holds a
 * member of staff when they are not disabled or deleted and
 * - hold a live grant (not deleted, not revoked, not expired — in force, waiting for the 所属長, or starting later,
 *   so offline login works on its first day) of a right of one of the terminal's 事務, or of a right exercised on
 *   every terminal (EVERY_TERMINAL_RIGHTS: the audit log is each terminal's own; administrators), or
 * - wait for a 所属長 (a pending grant, authenticator or role change naming them) whom the terminal holds by the rule
 *   above: the 承認待ち list shows the person's name and checks their role, at the 所属長's terminal.
 * The counter rights common to every 事務 (住民検索・閲覧, 個人番号の閲覧) bring nobody on their own: every counter
 * clerk holds them. For a member held, the terminal receives the staff row, their live grants (not revoked or expired
 * ones), their authenticators not revoked (pending ones included, for the approval) and their password history (the
 * reuse rule of a password change made at the terminal).
 */
export const STAFF_ENTITIES = ['staff', 'staff_grants', 'authenticators', 'password_history'] as const;
export type StaffEntity = (typeof STAFF_ENTITIES)[number];

/**
 * Common rights used at every terminal: audit verification, review and export work on the terminal's own log; and
 * a terminal counts as set up only while it holds an enabled administrator (AuthService.isProvisioned, the login
 * screen), so the administrators go everywhere.
 */
export const EVERY_TERMINAL_RIGHTS: readonly CommonRight[] = ['audit.verify', 'audit.review', 'audit.export.request', 'audit.export.approve', 'admin.staff'];

export interface IdentityRecord {
  entity: StaffEntity;
  id: string;
  payload: Record<string, unknown>;
}

const yes = (v: unknown): boolean => v === 1 || v === true || v === '1' || v === 'true';
const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** A grant that is or may come into force at `now` (ISO instant): not deleted, not revoked, not expired (as activeGrants compares). */
export function grantLive(g: Record<string, unknown>, now: string): boolean {
  const expires = text(g.expires_at);
  return !yes(g.deleted) && text(g.revoked_at) === null && (expires === null || expires > now);
}

/** The 事務 whose terminals a right brings its holder to: its own, every one, or none (the common counter rights). */
export function jimuOfRight(right: unknown): readonly Jimu[] {
  if (typeof right !== 'string' || !isRight(right)) return [];
  if ((EVERY_TERMINAL_RIGHTS as readonly string[]).includes(right)) return JIMU;
  const head = right.split(':')[0];
  return right.includes(':') && (JIMU as readonly string[]).includes(head ?? '') ? [head as Jimu] : [];
}

/**
 * For each identity record (`${entity}:${id}`) the 事務 whose ordinary terminals hold it at `now`; a record not in
 * the answer is held by administration terminals only. `records` must hold every record of the staff IDs asked
 * about and of the 所属長 their pending requests name (the server loads them so).
 */
export function staffPopulation(records: readonly IdentityRecord[], now: string): Map<string, Jimu[]> {
  const byStaff = new Map<string, IdentityRecord[]>();
  for (const r of records) {
    const id = text(r.payload.staff_id);
    if (id === null) continue;
    const list = byStaff.get(id) ?? [];
    list.push(r);
    byStaff.set(id, list);
  }
  const enabled = (id: string) => (byStaff.get(id) ?? []).some((r) => r.entity === 'staff' && !yes(r.payload.deleted) && !yes(r.payload.disabled));
  const base = new Map<string, Set<Jimu>>();
  for (const [id, list] of byStaff) {
    const jimu = new Set<Jimu>();
    if (enabled(id)) for (const r of list) if (r.entity === 'staff_grants' && grantLive(r.payload, now)) for (const j of jimuOfRight(r.payload.right_name)) jimu.add(j);
    base.set(id, jimu);
  }
  const held = new Map<string, Set<Jimu>>();
  for (const [id, list] of byStaff) {
    const jimu = new Set(base.get(id));
    if (enabled(id)) {
      for (const approver of pendingApprovers(list, now)) for (const j of base.get(approver) ?? []) jimu.add(j);
    }
    held.set(id, jimu);
  }
  const out = new Map<string, Jimu[]>();
  for (const r of records) {
    const id = text(r.payload.staff_id);
    const jimu = id === null ? undefined : held.get(id);
    if (!jimu || jimu.size === 0 || !recordLive(r, now)) continue;
    out.set(`${r.entity}:${r.id}`, JIMU.filter((j) => jimu.has(j)));
  }
  return out;
}

/** Whether a record of a held member of staff goes to terminals at all (revoked, expired and deleted ones do not). */
function recordLive(r: IdentityRecord, now: string): boolean {
  if (yes(r.payload.deleted)) return false;
  if (r.entity === 'staff_grants') return grantLive(r.payload, now);
  if (r.entity === 'authenticators') return text(r.payload.revoked_at) === null;
  return true;
}

/** The fields the rule reads, per entity: an update that sets none of them leaves every record where it was. */
const RULE_FIELDS: Readonly<Record<StaffEntity, readonly string[]>> = {
  staff: ['staff_id', 'deleted', 'disabled', 'role', 'role_request'],
  staff_grants: ['staff_id', 'deleted', 'right_name', 'revoked_at', 'expires_at', 'approval_status', 'approved_by'],
  authenticators: ['staff_id', 'deleted', 'revoked_at', 'approval_status', 'approver'],
  password_history: ['staff_id', 'deleted'],
};

/**
 * Whether a change to an identity record may move records in or out (an insert always does: the new record needs
 * its place). A counter, a failed login or a password change does not, so the server skips the refresh for them.
 */
export function mayChangeStaffScope(entity: StaffEntity, op: 'insert' | 'update' | 'delete', fields: Iterable<string>): boolean {
  if (op !== 'update') return true;
  const read = RULE_FIELDS[entity];
  for (const f of fields) if (read.includes(f)) return true;
  return false;
}

/** The 所属長 named by a member of staff's requests still waiting for approval. */
export function pendingApprovers(list: readonly IdentityRecord[], now: string): string[] {
  const out = new Set<string>();
  for (const r of list) {
    const p = r.payload;
    if (r.entity === 'staff_grants' && p.approval_status === 'pending' && grantLive(p, now) && text(p.approved_by)) out.add(String(p.approved_by));
    if (r.entity === 'authenticators' && p.approval_status === 'pending' && !yes(p.deleted) && text(p.revoked_at) === null && text(p.approver)) out.add(String(p.approver));
    if (r.entity === 'staff' && !yes(p.deleted)) {
      const req = parseRoleRequest(p.role_request);
      if (req && req.toRole !== p.role) out.add(req.approver);
    }
  }
  return [...out];
}
