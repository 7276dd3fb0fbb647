import type { AuditAction } from '../../../shared/audit/actions';
import type { AuditEntry } from '../../../shared/audit/audit-entry';
import type { Actor } from '../actor';
import { requireRight } from '../actor';
import type { Db } from '../db/database';
import type { AuditLog, AuditRow } from './audit-log';

export interface ReviewFilter {
  /** JST dates (YYYY-MM-DD), inclusive. */
  from?: string | null;
  to?: string | null;
  staffId?: string | null;
  atenaNo?: string | null;
  /** An action, or a prefix ending in '.' (e.g. 'claims.'). */
  action?: string | null;
  outcome?: 'success' | 'failure' | 'rejected' | null;
  terminalId?: string | null;
  /** Part of the 処理事由. */
  reason?: string | null;
}

export type Highlight = 'after_hours' | 'many_residents' | 'failed_login' | 'mynumber_reveal' | 'dv_access' | 'posture_failure';

/** An entry as the review shows it: the entry's fields (detail as its stored JSON text) and what deserves a look. */
export type ReviewRow = Omit<AuditEntry, 'detail' | 'prevHash' | 'hash'> & { detail: string; highlights: Highlight[]; staffName: string | null };

export interface ReviewOptions {
  /** Working hours in JST (default 08:30–18:00, Monday–Friday); outside is highlighted. */
  workStart: string;
  workEnd: string;
  /** One member of staff viewing at least this many distinct residents within `manyWindowMinutes`. */
  manyResidents: number;
  manyWindowMinutes: number;
}

export const DEFAULT_REVIEW_OPTIONS: ReviewOptions = { workStart: '08:30', workEnd: '18:00', manyResidents: 20, manyWindowMinutes: 60 };

const JST_MS = 9 * 3_600_000;
/** A JST date (YYYY-MM-DD) as the UTC instant its day starts, in the stored ISO form. */
const jstDayStart = (d: string, plusDays = 0): string => new Date(Date.parse(`${d}T00:00:00Z`) - JST_MS + plusDays * 86_400_000).toISOString();

/** The one action the action index leaves out (migration 21). */
const UNINDEXED_ACTION: AuditAction = 'residents.search';

const VIEW_ACTIONS: readonly AuditAction[] = ['residents.view', 'residents.search', 'claims.view', 'certificates.printPreview', 'vaccinations.list'];

/**
 * The supervisor's review of the audit log: filtered pages newest first by keyset (seq), each row flagged
 * with what deserves a look. Every selective filter reads an index (migrations 7, 18 and 21;
 * __tests__/audit-plans.test.ts), so it stays fast at 1M entries; a filter on searches or on a terminal, where
 * nearly every entry matches, walks the log newest first. Reviewing is itself audited.
 */
export class AuditReview {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly opts: ReviewOptions = DEFAULT_REVIEW_OPTIONS,
  ) {}

  whereClause(f: ReviewFilter, beforeSeq: number | null): { sql: string; params: unknown[] } {
    const c: string[] = [];
    const p: unknown[] = [];
    const add = (sql: string, ...values: unknown[]): void => {
      c.push(sql);
      p.push(...values);
    };
    if (beforeSeq !== null) add('seq < ?', beforeSeq);
    if (f.from) add('at >= ?', jstDayStart(f.from));
    if (f.to) add('at < ?', jstDayStart(f.to, 1));
    if (f.staffId) {
      const ids = this.staffIdSpellings(f.staffId);
      add(`staff_id IN (${ids.map(() => '?').join(',')})`, ...ids);
    }
    if (f.atenaNo) add('target_atena_no = ?', f.atenaNo);
    if (f.action) {
      const prefix = f.action.endsWith('.');
      if (prefix) add('action >= ? AND action < ?', f.action, f.action.slice(0, -1) + '/');
      else add('action = ?', f.action);
      // The action index leaves out searches (migration 21: the most frequent entry writes one page less); the
      // literal term lets SQLite use that partial index for every filter that cannot match a search. A filter on
      // searches walks the log newest first, where nearly every entry is one.
      if (!(prefix ? UNINDEXED_ACTION.startsWith(f.action) : f.action === UNINDEXED_ACTION)) add(`action <> '${UNINDEXED_ACTION}'`);
    }
    if (f.outcome) {
      add('outcome = ?', f.outcome);
      // The outcome index holds only the entries that did not succeed (migration 18: an ordinary successful entry,
      // nearly every one, does not write to it); the literal term lets SQLite use that partial index. A filter on
      // 'success' walks the log newest first (almost every entry matches).
      if (f.outcome !== 'success') add(`outcome <> 'success'`);
    }
    // No index (migration 21): a terminal's log holds only this terminal's entries, so the filter walks it newest
    // first; the central server's copy of every terminal's log is keyed by terminal.
    if (f.terminalId) add('terminal_id = ?', f.terminalId);
    if (f.reason) add("instr(coalesce(reason, ''), ?) > 0", f.reason);
    return { sql: c.length ? `WHERE ${c.join(' AND ')}` : '', params: p };
  }

  /**
   * The staff ID filter ignores case: 'd1001' finds D1001. Staff IDs are unique without regard to case (the
   * roster refuses one differing only in case), so the registered spelling is looked up and matched together
   * with the text as typed (an unknown ID, e.g. of a failed login, is stored as it was typed). An IN list keeps
   * the staff_id index in use, which a NOCASE comparison would not.
   */
  private staffIdSpellings(typed: string): string[] {
    const registered = this.db.prepare<[string], { staff_id: string }>('SELECT staff_id FROM staff WHERE staff_id = ? COLLATE NOCASE').all(typed);
    return [...new Set([typed, typed.toUpperCase(), ...registered.map((r) => r.staff_id)])];
  }

  /**
   * The names of these staff IDs from the local staff table (the review's rows and the exported CSV show
   * 「氏名（職員ID）」). An ID not in the table (e.g. of a failed login) has no name.
   */
  staffNames(ids: Iterable<string | null>): Map<string, string> {
    const wanted = [...new Set([...ids].filter((id): id is string => id !== null))];
    const names = new Map<string, string>();
    for (let i = 0; i < wanted.length; i += 500) {
      const part = wanted.slice(i, i + 500);
      const rows = this.db.prepare(`SELECT staff_id, name FROM staff WHERE staff_id IN (${part.map(() => '?').join(',')})`).all(...part) as { staff_id: string; name: string }[];
      for (const r of rows) names.set(r.staff_id, r.name);
    }
    return names;
  }

  private afterHours(at: string): boolean {
    const jst = new Date(Date.parse(at) + JST_MS);
    const day = jst.getUTCDay();
    const hm = jst.toISOString().slice(11, 16);
    return day === 0 || day === 6 || hm < this.opts.workStart || hm >= this.opts.workEnd;
  }

  private highlights(rows: Omit<ReviewRow, 'highlights' | 'staffName'>[]): ReviewRow[] {
    const names = this.staffNames(rows.map((r) => r.staffId));
    const atenas = [...new Set(rows.map((r) => r.targetAtenaNo).filter((a): a is string => a !== null))];
    const dv = new Set(
      atenas.length
        ? this.db
            .prepare(`SELECT atena_no FROM residents WHERE (dv_support = 1 OR non_disclosure = 1) AND atena_no IN (${atenas.map(() => '?').join(',')})`)
            .all(...atenas)
            .map((r) => (r as { atena_no: string }).atena_no)
        : [],
    );
    const distinct = this.db.prepare<[string, string, string], { n: number }>(
      `SELECT count(DISTINCT target_atena_no) AS n FROM audit_log
        WHERE staff_id = ? AND at > ? AND at <= ? AND target_atena_no IS NOT NULL AND action IN (${VIEW_ACTIONS.map((a) => `'${a}'`).join(',')})`,
    );
    return rows.map((r) => {
      const h: Highlight[] = [];
      if (this.afterHours(r.at)) h.push('after_hours');
      if (r.action === 'auth.login' && r.outcome !== 'success') h.push('failed_login');
      if (r.action === 'residents.revealMyNumber' || r.action === 'residents.searchByMyNumber') h.push('mynumber_reveal');
      if (r.targetAtenaNo && dv.has(r.targetAtenaNo)) h.push('dv_access');
      if (r.action === 'posture.check' && r.outcome !== 'success') h.push('posture_failure');
      if (r.staffId && r.targetAtenaNo && (VIEW_ACTIONS as readonly string[]).includes(r.action)) {
        const since = new Date(Date.parse(r.at) - this.opts.manyWindowMinutes * 60_000).toISOString();
        if ((distinct.get(r.staffId, since, r.at)?.n ?? 0) >= this.opts.manyResidents) h.push('many_residents');
      }
      return { ...r, highlights: h, staffName: r.staffId === null ? null : (names.get(r.staffId) ?? null) };
    });
  }

  /** One page (newest first) after `beforeSeq`; `next` is the cursor for the following page or null. */
  page(actor: Actor, f: ReviewFilter, beforeSeq: number | null, limit = 100): { rows: ReviewRow[]; next: number | null } {
    requireRight(actor, 'audit.review');
    const w = this.whereClause(f, beforeSeq);
    const rows = this.db
      .prepare(`SELECT seq, at, staff_id, terminal_id, action, target_atena_no, reason, outcome, detail FROM audit_log ${w.sql} ORDER BY seq DESC LIMIT ?`)
      .all(...w.params, Math.min(Math.max(limit, 1), 500)) as Omit<AuditRow, 'prev_hash' | 'hash'>[];
    this.audit.append({ staffId: actor.staffId, action: 'audit.review', outcome: 'success', detail: { filter: f, beforeSeq, count: rows.length } });
    const mapped = rows.map((r) => ({ seq: r.seq, at: r.at, staffId: r.staff_id, terminalId: r.terminal_id, action: r.action, targetAtenaNo: r.target_atena_no, reason: r.reason, outcome: r.outcome, detail: r.detail }));
    return { rows: this.highlights(mapped), next: rows.length === limit ? rows[rows.length - 1]!.seq : null };
  }
}
