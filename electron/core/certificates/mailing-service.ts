import { randomUUID } from 'node:crypto';
import { jimuRight } from '../../../shared/domain/rights';
import { CERT_TYPE_DEFS, changedFields, isTicketType, TICKET_TYPES, type CertType, type PrintedField, type TicketDetails } from '../../../shared/domain/certificate-types';
import { formatMonthJa, isYearMonth } from '../../../shared/domain/claims/common';
import type { AuditLog } from '../audit/audit-log';
import type { Actor } from '../actor';
import type { Db } from '../db/database';
import { DomainError } from '../errors';
import type { Clock } from '../platform';
import { detailsOf, type CertificateLifecycle, type CertificateView, type CertRow } from './lifecycle-service';

export interface MailingProgress {
  runId: string;
  title: string;
  certType: CertType;
  state: 'selected' | 'validated' | 'printing' | 'done';
  total: number;
  pending: number;
  changed: number;
  held: number;
  printed: number;
  items: { seq: number; residentId: string; certificateId: string | null; status: 'pending' | 'changed' | 'held' | 'printed'; message: string | null }[];
}

/**
 * Batch mailings (資格確認書 renewal each 8月1日, 勧奨はがき …): selection → validation pass that lists every
 * record changed since selection (and holds DV等支援措置 records without a release) → issue each remaining
 * item in its own transaction. A run lives in the database: after a crash or restart it resumes with the
 * items still pending, and no item is issued twice.
 */
export class MailingService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly lifecycle: CertificateLifecycle,
  ) {}

  private need(actor: Actor, type: CertType): void {
    if (!actor.rights.includes(jimuRight(CERT_TYPE_DEFS[type].jimu, 'certificate.issue'))) throw new DomainError('FORBIDDEN', '一斉発送を行う権限がありません。');
  }

  /** Selects the valid certificates of `certType` that end on or before `validToOnOrBefore` (to be renewed). */
  select(actor: Actor, req: { title: string; certType: CertType; validToOnOrBefore: string }): MailingProgress {
    this.need(actor, req.certType);
    const rows = this.db
      .prepare<[string, string], CertRow>(`SELECT * FROM certificates WHERE cert_type = ? AND status = 'valid' AND deleted = 0 AND valid_to IS NOT NULL AND valid_to <= ? ORDER BY resident_id`)
      .all(req.certType, req.validToOnOrBefore);
    const runId = randomUUID();
    const at = this.clock.now().toISOString();
    this.db.transaction(() => {
      this.db.prepare(`INSERT INTO mailing_runs (id, title, cert_type, created_by, created_at, state) VALUES (?, ?, ?, ?, ?, 'selected')`).run(runId, req.title, req.certType, actor.staffId, at);
      const item = this.db.prepare(`INSERT INTO mailing_items (run_id, seq, resident_id, certificate_id, snapshot_json, status) VALUES (?, ?, ?, ?, ?, 'pending')`);
      rows.forEach((c, i) => item.run(runId, i + 1, c.resident_id, c.id, JSON.stringify(this.lifecycle.fieldsOf(c).fields)));
      this.audit.append({ staffId: actor.staffId, action: 'mailing.select', outcome: 'success', detail: { runId, certType: req.certType, count: rows.length, validToOnOrBefore: req.validToOnOrBefore } });
    })();
    return this.progress(actor, runId);
  }

  /**
   * 生活保護の給付券 of `month` listed for mailing per 指定機関: one run per 指定機関 and type (医療券 / 調剤券 / 介護券),
   * items in recipient order. Only tickets still valid and on no mailing list yet (so asking again lists only what
   * was issued since); `certificateIds` narrows it to those (the monthly run lists what it issued). The runs then go
   * through the same validation pass; their "issue" step records each ticket as sent (a 'mail' event) instead of
   * renewing it.
   */
  selectTickets(actor: Actor, req: { month: string; certificateIds?: readonly string[] }): MailingProgress[] {
    for (const t of TICKET_TYPES) this.need(actor, t);
    if (!isYearMonth(req.month)) throw new DomainError('VALIDATION', '対象年月は年月（例: 2026-04）で入力してください', { month: '対象年月は年月（例: 2026-04）で入力してください' });
    const only = req.certificateIds ? new Set(req.certificateIds) : null;
    const rows = this.db
      .prepare<string[], CertRow>(
        `SELECT * FROM certificates c WHERE cert_type IN (${TICKET_TYPES.map(() => '?').join(', ')}) AND status = 'valid' AND deleted = 0
           AND json_extract(details_json, '$.month') = ? AND NOT EXISTS (SELECT 1 FROM mailing_items i WHERE i.certificate_id = c.id)
         ORDER BY resident_id, certificate_no`,
      )
      .all(...TICKET_TYPES, req.month)
      .filter((c) => !only || only.has(c.id));
    const groups = new Map<string, { type: CertType; code: string; name: string; rows: CertRow[] }>();
    for (const c of rows) {
      const d = JSON.parse(c.details_json) as TicketDetails;
      const key = `${c.cert_type}|${d.institutionCode}`;
      const g = groups.get(key) ?? { type: c.cert_type, code: d.institutionCode, name: d.institutionName, rows: [] };
      g.rows.push(c);
      groups.set(key, g);
    }
    const at = this.clock.now().toISOString();
    const runIds: string[] = [];
    this.db.transaction(() => {
      for (const g of [...groups.values()].sort((a, b) => (a.code + a.type < b.code + b.type ? -1 : 1))) {
        const runId = randomUUID();
        const title = `${formatMonthJa(req.month)}分 ${CERT_TYPE_DEFS[g.type].name} ${g.name}（${g.code}）`;
        this.db.prepare(`INSERT INTO mailing_runs (id, title, cert_type, created_by, created_at, state) VALUES (?, ?, ?, ?, ?, 'selected')`).run(runId, title, g.type, actor.staffId, at);
        const item = this.db.prepare(`INSERT INTO mailing_items (run_id, seq, resident_id, certificate_id, snapshot_json, status) VALUES (?, ?, ?, ?, ?, 'pending')`);
        g.rows.forEach((c, i) => item.run(runId, i + 1, c.resident_id, c.id, JSON.stringify(this.lifecycle.fieldsOf(c).fields)));
        this.audit.append({ staffId: actor.staffId, action: 'mailing.select', outcome: 'success', detail: { runId, certType: g.type, count: g.rows.length, month: req.month, institutionCode: g.code } });
        runIds.push(runId);
      }
    })();
    return runIds.map((id) => this.progress(actor, id));
  }

  /**
   * The monthly run of 給付券: issues the chosen standing lines for `month` in one transaction
   * (CertificateLifecycle.issueStandingTickets), then lists what it issued per 指定機関 for mailing (selectTickets). A
   * failure of the listing leaves the tickets issued; selectTickets for the month lists them again.
   */
  monthlyTickets(actor: Actor, req: { month: string; keys: readonly string[] }): { issued: CertificateView[]; runs: MailingProgress[] } {
    const issued = this.lifecycle.issueStandingTickets(actor, req);
    return { issued, runs: this.selectTickets(actor, { month: req.month, certificateIds: issued.map((c) => c.id) }) };
  }

  private run(runId: string): { id: string; title: string; cert_type: CertType; state: MailingProgress['state']; created_by: string } {
    const r = this.db.prepare<[string], { id: string; title: string; cert_type: CertType; state: MailingProgress['state']; created_by: string }>('SELECT * FROM mailing_runs WHERE id = ?').get(runId);
    if (!r) throw new DomainError('NOT_FOUND', '一斉発送の処理が見つかりません。');
    return r;
  }

  progress(actor: Actor, runId: string): MailingProgress {
    const run = this.run(runId);
    this.need(actor, run.cert_type);
    const items = this.db
      .prepare<[string], { seq: number; resident_id: string; certificate_id: string | null; status: MailingProgress['items'][number]['status']; message: string | null }>('SELECT seq, resident_id, certificate_id, status, message FROM mailing_items WHERE run_id = ? ORDER BY seq')
      .all(runId)
      .map((i) => ({ seq: i.seq, residentId: i.resident_id, certificateId: i.certificate_id, status: i.status, message: i.message }));
    const n = (s: string) => items.filter((i) => i.status === s).length;
    return { runId, title: run.title, certType: run.cert_type, state: run.state, total: items.length, pending: n('pending'), changed: n('changed'), held: n('held'), printed: n('printed'), items };
  }

  /**
   * Validation pass: every printed field re-read from the person's current record and compared with the
   * selection; a changed record is listed with what changed and left out; DV等支援措置 without a release is held.
   */
  validate(actor: Actor, runId: string): MailingProgress {
    const run = this.run(runId);
    this.need(actor, run.cert_type);
    this.db.transaction(() => {
      const items = this.db.prepare<[string], { seq: number; certificate_id: string; snapshot_json: string }>(`SELECT seq, certificate_id, snapshot_json FROM mailing_items WHERE run_id = ? AND status = 'pending'`).all(runId);
      const mark = this.db.prepare('UPDATE mailing_items SET status = ?, message = ? WHERE run_id = ? AND seq = ?');
      for (const it of items) {
        const c = this.lifecycle.requireCert(it.certificate_id);
        if (c.status !== 'valid') {
          mark.run('changed', 'この証は選択後に失効・更新されました', runId, it.seq);
          continue;
        }
        const now = this.lifecycle.fieldsOf(c);
        const diff = changedFields(JSON.parse(it.snapshot_json) as PrintedField[], now.fields);
        if (diff.length) mark.run('changed', `選択後に変更: ${diff.map((d) => `${d.label}（${d.before || '空欄'} → ${d.after || '空欄'}）`).join('、')}`, runId, it.seq);
        else if (now.restricted && !now.released) mark.run('held', '支援措置・不開示の対象のため、所属長の解除があるまで保留', runId, it.seq);
      }
      this.db.prepare(`UPDATE mailing_runs SET state = 'validated' WHERE id = ? AND state = 'selected'`).run(runId);
      const p = this.progress(actor, runId);
      this.audit.append({ staffId: actor.staffId, action: 'mailing.validate', outcome: 'success', detail: { runId, pending: p.pending, changed: p.changed, held: p.held } });
    })();
    return this.progress(actor, runId);
  }

  /**
   * Issues (更新) the next `limit` pending items, each in its own transaction with its item marked printed;
   * call again to continue. A crash between items loses nothing and repeats nothing.
   */
  issueNext(actor: Actor, runId: string, limit = 50): MailingProgress {
    const run = this.run(runId);
    this.need(actor, run.cert_type);
    if (run.state === 'selected') throw new DomainError('RULE', '先に内容の確認（検証）を行ってください。');
    this.db.prepare(`UPDATE mailing_runs SET state = 'printing' WHERE id = ? AND state = 'validated'`).run(runId);
    const items = this.db.prepare<[string, number], { seq: number; resident_id: string; certificate_id: string }>(`SELECT seq, resident_id, certificate_id FROM mailing_items WHERE run_id = ? AND status = 'pending' ORDER BY seq LIMIT ?`).all(runId, limit);
    for (const it of items) {
      const c = this.lifecycle.requireCert(it.certificate_id);
      const person = this.db.prepare<[string], { version: number }>('SELECT version FROM residents WHERE id = ?').get(it.resident_id);
      try {
        if (isTicketType(c.cert_type)) {
          // A 給付券 was issued for its month already: the run sends it (recorded on the ticket), it renews nothing.
          this.db.transaction(() => {
            this.lifecycle.recordMailed(actor, c.id, run.title);
            this.db.prepare(`UPDATE mailing_items SET status = 'printed', message = ? WHERE run_id = ? AND seq = ?`).run(`交付番号 ${c.certificate_no} を発送`, runId, it.seq);
          })();
          continue;
        }
        this.db.transaction(() => {
          const issued = this.lifecycle.issue(actor, {
            type: c.cert_type, residentId: it.resident_id, issueKind: 'renew', reissueReason: null, details: detailsOf(c),
            nameChoice: c.name_choice, printSex: c.print_sex === 1, residentVersion: person?.version ?? -1,
          });
          this.db.prepare(`UPDATE mailing_items SET status = 'printed', certificate_id = ?, message = ? WHERE run_id = ? AND seq = ?`).run(issued.id, `更新後の番号 ${issued.certificateNo}`, runId, it.seq);
        })();
      } catch (e) {
        const message = e instanceof DomainError ? e.message : '更新できませんでした';
        this.db.transaction(() => {
          this.db.prepare(`UPDATE mailing_items SET status = 'changed', message = ? WHERE run_id = ? AND seq = ?`).run(message, runId, it.seq);
          this.audit.append({ staffId: actor.staffId, action: 'mailing.item', outcome: 'failure', detail: { runId, seq: it.seq, why: message } });
        })();
      }
    }
    const p = this.progress(actor, runId);
    if (p.pending === 0 && run.state !== 'done') {
      this.db.prepare(`UPDATE mailing_runs SET state = 'done' WHERE id = ?`).run(runId);
      this.audit.append({ staffId: actor.staffId, action: 'mailing.done', outcome: 'success', detail: { runId, printed: p.printed, changed: p.changed, held: p.held } });
    }
    return this.progress(actor, runId);
  }

  /** Runs not finished (to resume after a restart). */
  openRuns(actor: Actor): MailingProgress[] {
    return this.db
      .prepare<[], { id: string; cert_type: CertType }>(`SELECT id, cert_type FROM mailing_runs WHERE state <> 'done' ORDER BY created_at`)
      .all()
      .filter((r) => actor.rights.includes(jimuRight(CERT_TYPE_DEFS[r.cert_type].jimu, 'certificate.issue')))
      .map((r) => this.progress(actor, r.id));
  }
}
