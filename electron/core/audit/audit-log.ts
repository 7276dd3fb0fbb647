import { createHash } from 'node:crypto';
import type { DomainError } from '../errors';
import type { Db } from '../db/database';
import type { Clock, TerminalIdentity } from '../platform';
import { canonicalJson } from '../../../shared/audit/canonical-json';
import { GENESIS_HASH, entryHashInput, type AuditEntry, type AuditOutcome } from '../../../shared/audit/audit-entry';
import type { AuditAction } from '../../../shared/audit/actions';
import { storableJson, storableText } from '../../../shared/text';

export { GENESIS_HASH, type AuditOutcome };

export interface AuditInput {
  staffId: string | null;
  /** One of the audit vocabulary (shared/audit/actions.ts); never a free string. */
  action: AuditAction;
  targetAtenaNo?: string | null;
  reason?: string | null;
  outcome: AuditOutcome;
  detail?: Record<string, unknown>;
}

export type { AuditEntry };

export interface VerifyResult {
  ok: boolean;
  entries: number;
  /** The first sequence number where the chain breaks. */
  brokenAtSeq?: number;
  message: string;
}

/** An audit_log row as SQLite returns it. */
export interface AuditRow {
  seq: number;
  at: string;
  staff_id: string | null;
  terminal_id: string;
  action: string;
  target_atena_no: string | null;
  reason: string | null;
  outcome: AuditOutcome;
  detail: string;
  prev_hash: string;
  hash: string;
}

/**
 * The hash of an entry: SHA-256 over the previous hash and the canonical JSON of the entry's fields
 * (`entryHashInput` in shared/audit, so the central server recomputes exactly the same).
 */
export function entryHash(e: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256').update(entryHashInput(e)).digest('hex');
}

export function fromRow(r: AuditRow): AuditEntry {
  return {
    seq: r.seq,
    at: r.at,
    staffId: r.staff_id,
    terminalId: r.terminal_id,
    action: r.action,
    targetAtenaNo: r.target_atena_no,
    reason: r.reason,
    outcome: r.outcome,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

const storable = (s: string | null | undefined): string | null => (s === null || s === undefined ? null : storableText(s));

/**
 * Audit times never go backwards: a clock set back (or a wrong clock corrected) stamps entries with the last
 * entry's time until the clock passes it again, so the log's order and its times agree.
 */
function notBefore(now: string, last: string | undefined): string {
  return last !== undefined && now < last ? last : now;
}

/** The latest time the audit log has seen (its last entry's), or null for an empty log: a floor for "now". */
export function auditHighWater(db: Db): string | null {
  return db.prepare<[], { at: string }>('SELECT at FROM audit_log ORDER BY seq DESC LIMIT 1').get()?.at ?? null;
}

/**
 * Append-only audit log with a SHA-256 hash chain. `append` runs inside the caller's transaction when there
 * is one (as a savepoint), so an action and its audit entry commit or roll back together.
 *
 * It hashes exactly what it stores: every string of an entry (staff ID, target, reason, detail keys and values —
 * whatever a caller passes, error messages and file names included) is made storable first (shared/text.ts
 * storableText: a lone surrogate or a control character other than LF, CR and TAB becomes U+FFFD), so SQLite
 * gives back what was hashed, verify() holds, and the central server (PostgreSQL) can hold the entry.
 */
export class AuditLog {
  private readonly last;
  private readonly lastPurged;
  private readonly insert;

  constructor(
    private readonly db: Db,
    private readonly terminal: TerminalIdentity,
    private readonly clock: Clock,
  ) {
    this.last = db.prepare<[], { seq: number; hash: string; at?: string }>('SELECT seq, hash, at FROM audit_log ORDER BY seq DESC LIMIT 1');
    // After a retention purge that took every entry, the chain continues from the last purged one (its link is kept).
    this.lastPurged = db.prepare<[], { seq: number; hash: string; at?: string }>('SELECT seq, hash FROM audit_purged_hashes ORDER BY seq DESC LIMIT 1');
    this.insert = db.prepare(
      `INSERT INTO audit_log (seq, at, staff_id, terminal_id, action, target_atena_no, reason, outcome, detail, prev_hash, hash)
       VALUES (@seq, @at, @staffId, @terminalId, @action, @targetAtenaNo, @reason, @outcome, @detail, @prevHash, @hash)`,
    );
  }

  append(input: AuditInput): AuditEntry {
    return this.db.transaction(() => {
      const prev = this.last.get() ?? this.lastPurged.get();
      const base: Omit<AuditEntry, 'hash'> = {
        seq: (prev?.seq ?? 0) + 1,
        at: notBefore(this.clock.now().toISOString(), prev?.at),
        staffId: storable(input.staffId),
        terminalId: this.terminal.terminalId,
        action: input.action,
        targetAtenaNo: storable(input.targetAtenaNo),
        reason: storable(input.reason),
        outcome: input.outcome,
        detail: JSON.parse(canonicalJson(storableJson(input.detail ?? {}))) as Record<string, unknown>,
        prevHash: prev?.hash ?? GENESIS_HASH,
      };
      const entry: AuditEntry = { ...base, hash: entryHash(base) };
      this.insert.run({ ...entry, detail: canonicalJson(entry.detail) });
      return entry;
    })();
  }

  /** Entries in order, newest last; `sinceSeq` pages forward. */
  list(opts: { sinceSeq?: number; limit?: number } = {}): AuditEntry[] {
    const rows = this.db
      .prepare<[number, number], AuditRow>('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?')
      .all(opts.sinceSeq ?? 0, opts.limit ?? 1000);
    return rows.map(fromRow);
  }

  /**
   * Walk the whole chain. Detects an edited entry (hash mismatch), a removed entry (gap in seq or broken
   * link) and reordered entries (broken link). Truncation of the newest entries is detected by the signed
   * checkpoints of the audit-trail issue, not by the chain alone.
   */
  /**
   * The one way a service refuses: record the refusal and throw the Japanese error for the screen. Outcome
   * `rejected` (refused, nothing changed), or `failure` for an error made with DomainError.failure (a printer,
   * the server). The router audits any DomainError that did not come through here.
   */
  refuse(input: Omit<AuditInput, 'outcome'>, error: DomainError): never {
    this.append({ ...input, outcome: error.failed ? 'failure' : 'rejected' });
    error.audited = true;
    throw error;
  }

  /** A member of staff asked for the chain to be checked: verify and record that they did, with the verdict. */
  verifyFor(staffId: string): VerifyResult {
    const r = this.verify();
    this.append({ staffId, action: 'audit.verify', outcome: r.ok ? 'success' : 'failure', detail: { entries: r.entries } });
    return r;
  }

  verify(): VerifyResult {
    let expectedPrev = GENESIS_HASH;
    let expectedSeq = 1;
    let count = 0;
    // After a retention purge the chain continues from the last purged entry's hash (kept, with its link).
    for (const p of this.db.prepare<[], { seq: number; prev_hash: string; hash: string }>('SELECT seq, prev_hash, hash FROM audit_purged_hashes ORDER BY seq').iterate()) {
      if (p.seq !== expectedSeq || p.prev_hash !== expectedPrev) {
        return { ok: false, entries: count, brokenAtSeq: p.seq, message: `保存期間経過で削除した監査ログ ${p.seq} 番のつながりが一致しません（改ざんの疑い）` };
      }
      expectedPrev = p.hash;
      expectedSeq += 1;
    }
    const rows = this.db.prepare<[], AuditRow>('SELECT * FROM audit_log ORDER BY seq').iterate();
    for (const row of rows) {
      let entry: AuditEntry;
      try {
        entry = fromRow(row);
      } catch {
        return { ok: false, entries: count, brokenAtSeq: row.seq, message: `監査ログ ${row.seq} 番の内容が読み取れません（改ざんの疑い）` };
      }
      if (entry.seq !== expectedSeq) {
        return { ok: false, entries: count, brokenAtSeq: expectedSeq, message: `監査ログ ${expectedSeq} 番が欠落しています（削除の疑い）` };
      }
      if (entry.prevHash !== expectedPrev) {
        return { ok: false, entries: count, brokenAtSeq: entry.seq, message: `監査ログ ${entry.seq} 番の前後のつながりが一致しません（削除または順序入替の疑い）` };
      }
      const { hash, ...rest } = entry;
      if (entryHash(rest) !== hash) {
        return { ok: false, entries: count, brokenAtSeq: entry.seq, message: `監査ログ ${entry.seq} 番の内容がハッシュと一致しません（改ざんの疑い）` };
      }
      expectedPrev = hash;
      expectedSeq += 1;
      count += 1;
    }
    return { ok: true, entries: count, message: `監査ログ ${count} 件の連鎖を検証しました。改ざんは検出されませんでした。` };
  }
}
