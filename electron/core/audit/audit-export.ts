import { createHash, randomUUID } from 'node:crypto';
import { AUDIT_OUTCOME_LABELS, auditActionLabel } from '../../../shared/audit/actions';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Encoding from 'encoding-japanese';
import { jstDateTime, jstIso } from '../../../shared/domain/wareki';
import { staffNameAndId } from '../../../shared/domain/staff-status';
import { requireRight, type Actor } from '../actor';
import type { Db } from '../db/database';
import { DomainError } from '../errors';
import { assertExportDestination, type ExportDestinationOptions } from '../media/removable';
import type { Clock } from '../platform';
import { fromRow as auditFromRow, type AuditEntry, type AuditLog } from './audit-log';
import type { ReviewFilter } from './audit-review';
import { AuditReview } from './audit-review';
import { createCheckpoint, inclusionProofsFor, type TerminalSigningKey } from './checkpoint';
import { writeExportDir } from './verify-export';

export interface ExportRequestRow {
  id: string;
  requested_by: string;
  requested_at: string;
  reason: string;
  filter_json: string;
  csv_encoding: 'utf8bom' | 'cp932';
  status: 'requested' | 'approved' | 'rejected' | 'written';
  decided_by: string | null;
  decided_at: string | null;
  decision_reason: string | null;
  written_at: string | null;
  destination: string | null;
  manifest_sha256: string | null;
  entries: number | null;
}

/** An export request as the screens see it. */
export interface ExportView {
  id: string;
  requestedBy: string;
  requestedByLabel: string;
  requestedAt: string;
  reason: string;
  filter: Record<string, unknown>;
  csvEncoding: 'utf8bom' | 'cp932';
  status: ExportRequestRow['status'];
  decidedBy: string | null;
  decidedByLabel: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  destination: string | null;
  entries: number | null;
}

/** 「氏名（職員ID）」 with the name from the review's lookup; the bare ID when the staff table does not know it. */
const staffLabel = (id: string, names: ReadonlyMap<string, string>): string => staffNameAndId(id, names.get(id));

function exportView(r: ExportRequestRow, names: ReadonlyMap<string, string>): ExportView {
  return {
    id: r.id, requestedBy: r.requested_by, requestedByLabel: staffLabel(r.requested_by, names), decidedByLabel: r.decided_by ? staffLabel(r.decided_by, names) : null, requestedAt: r.requested_at, reason: r.reason, filter: JSON.parse(r.filter_json) as Record<string, unknown>,
    csvEncoding: r.csv_encoding, status: r.status, decidedBy: r.decided_by, decidedAt: r.decided_at, decisionReason: r.decision_reason, destination: r.destination, entries: r.entries,
  };
}

/** The most a single export may hold: a larger selection must be narrowed with the filter. */
export const MAX_EXPORT_ENTRIES = 200_000;

const CSV_HEADER = ['連番', '日時（和暦）', '日時（ISO 8601）', '職員ID', '職員氏名', '端末', '操作', '操作名', '対象宛名番号', '処理事由', '結果', '結果名'];

/**
 * One CSV cell. A cell a spreadsheet would run as a formula (starting with = + - @, a tab or a CR — OWASP's CSV
 * injection list, also after leading spaces) is prefixed with an apostrophe so it stays text.
 */
function csvField(raw: string): string {
  const v = /^\s*[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw;
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

/**
 * The people's CSV: 和暦 and ISO dates (JST), the staff member's name beside the ID (`staffNames`, from the
 * review's lookup), the action's and outcome's Japanese names beside their codes; UTF-8 with BOM or CP932.
 */
export function auditCsv(entries: readonly AuditEntry[], encoding: 'utf8bom' | 'cp932', staffNames: ReadonlyMap<string, string> = new Map()): Uint8Array {
  const lines = [CSV_HEADER.join(',')];
  for (const e of entries) {
    lines.push([String(e.seq), jstDateTime(e.at, { seconds: true }), jstIso(e.at), e.staffId ?? '', (e.staffId && staffNames.get(e.staffId)) ?? '', e.terminalId, e.action, auditActionLabel(e.action), e.targetAtenaNo ?? '', e.reason ?? '', e.outcome, AUDIT_OUTCOME_LABELS[e.outcome]].map(csvField).join(','));
  }
  const text = lines.join('\r\n') + '\r\n';
  if (encoding === 'utf8bom') return new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(text, 'utf8')]);
  return Uint8Array.from(Encoding.convert(Encoding.stringToCode(text), { to: 'SJIS', from: 'UNICODE' }));
}

/**
 * Audit exports under the two-person rule: a 監督者 requests (right audit.export.request) with a reason and a
 * filter; another person with audit.export.approve (管理責任者) approves — never the requester (also a CHECK in
 * the database) — and only then is the package written, to the policy's export destination and never to
 * removable media. The package: canonical JSONL, the CSV, a fresh signed checkpoint, inclusion proofs and a
 * signed manifest (verifiable with `npx madoguchi-verify-audit DIR`). Every step is audited.
 */
export class AuditExports {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly signer: TerminalSigningKey,
    private readonly destination: ExportDestinationOptions,
    private readonly terminalId: string,
  ) {}

  private row(id: string): ExportRequestRow {
    const r = this.db.prepare<[string], ExportRequestRow>('SELECT * FROM audit_exports WHERE id = ?').get(id);
    if (!r) throw new DomainError('NOT_FOUND', '出力申請が見つかりません。');
    return r;
  }

  private names(rows: readonly ExportRequestRow[]): Map<string, string> {
    return new AuditReview(this.db, this.audit).staffNames(rows.flatMap((r) => [r.requested_by, r.decided_by]));
  }

  private view(id: string): ExportView {
    const r = this.row(id);
    return exportView(r, this.names([r]));
  }

  list(actor: Actor): ExportView[] {
    if (!actor.rights.includes('audit.export.request') && !actor.rights.includes('audit.export.approve')) throw new DomainError('FORBIDDEN', 'この操作を行う権限がありません。');
    const rows = this.db.prepare<[], ExportRequestRow>('SELECT * FROM audit_exports ORDER BY requested_at DESC LIMIT 200').all();
    const names = this.names(rows);
    return rows.map((r) => exportView(r, names));
  }

  request(actor: Actor, req: { filter: ReviewFilter; reason: string; csvEncoding: 'utf8bom' | 'cp932' }): ExportView {
    requireRight(actor, 'audit.export.request');
    const id = randomUUID();
    const at = this.clock.now().toISOString();
    this.db.transaction(() => {
      this.db.prepare(`INSERT INTO audit_exports (id, requested_by, requested_at, reason, filter_json, csv_encoding, status) VALUES (?, ?, ?, ?, ?, ?, 'requested')`).run(id, actor.staffId, at, req.reason, JSON.stringify(req.filter), req.csvEncoding);
      this.audit.append({ staffId: actor.staffId, action: 'audit.export.request', reason: req.reason, outcome: 'success', detail: { exportId: id, filter: req.filter, csvEncoding: req.csvEncoding } });
    })();
    return this.view(id);
  }

  /** Approve (then write) or reject. The approver is never the requester. */
  async decide(actor: Actor, req: { exportId: string; approve: boolean; reason: string }): Promise<ExportView> {
    requireRight(actor, 'audit.export.approve');
    const r = this.row(req.exportId);
    const refuse = (why: string, msg: string): never => {
      return this.audit.refuse({ staffId: actor.staffId, action: 'audit.export.decide', detail: { exportId: r.id, why } }, new DomainError('RULE', msg));
    };
    if (r.requested_by === actor.staffId) refuse('own_request', '自分が申請した出力は承認できません（二人による確認が必要です）。');
    // An approved export whose writing failed (destination missing, disk full) may be written again.
    if (r.status === 'approved' && req.approve) {
      await this.write(actor, r.id);
      return this.view(r.id);
    }
    if (r.status !== 'requested') refuse('state', 'この出力申請は既に処理されています。');
    const at = this.clock.now().toISOString();
    this.db.transaction(() => {
      this.db.prepare(`UPDATE audit_exports SET status = ?, decided_by = ?, decided_at = ?, decision_reason = ? WHERE id = ? AND status = 'requested'`).run(req.approve ? 'approved' : 'rejected', actor.staffId, at, req.reason, r.id);
      this.audit.append({ staffId: actor.staffId, action: 'audit.export.decide', reason: req.reason, outcome: 'success', detail: { exportId: r.id, approved: req.approve, requestedBy: r.requested_by } });
    })();
    if (req.approve) await this.write(actor, r.id);
    return this.view(r.id);
  }

  private selected(filter: ReviewFilter, upToSeq: number): AuditEntry[] {
    const w = new AuditReview(this.db, this.audit).whereClause(filter, null);
    const rows = this.db.prepare(`SELECT * FROM audit_log ${w.sql ? `${w.sql} AND` : 'WHERE'} seq <= ? ORDER BY seq LIMIT ?`).all(...w.params, upToSeq, MAX_EXPORT_ENTRIES + 1);
    if (rows.length > MAX_EXPORT_ENTRIES) throw new DomainError('RULE', `出力件数が上限（${MAX_EXPORT_ENTRIES.toLocaleString('ja-JP')}件）を超えます。条件を絞ってください。`);
    return (rows as Parameters<typeof auditFromRow>[0][]).map(auditFromRow);
  }

  private async write(actor: Actor, id: string): Promise<void> {
    const r = this.row(id);
    const dirName = `audit-export-${r.requested_at.slice(0, 10)}-${id.slice(0, 8)}`;
    let target: string;
    try {
      target = await assertExportDestination(join(this.destination.exportDestination ?? '/nonexistent', dirName), this.destination);
    } catch (e) {
      const input = { staffId: actor.staffId, action: 'audit.export.write' as const, detail: { exportId: id, why: (e as Error).message } };
      if (e instanceof DomainError) this.audit.refuse(input, e); // refused by policy (removable media, outside the folder)
      this.audit.append({ ...input, outcome: 'failure' });
      throw e;
    }
    // A fresh checkpoint covers everything up to now; the selection is taken from within it.
    const checkpoint = createCheckpoint(this.db, this.signer, this.clock, { terminalId: this.terminalId });
    const entries = this.selected(JSON.parse(r.filter_json) as ReviewFilter, checkpoint.treeSize);
    const proofs = inclusionProofsFor(this.db, entries.map((e) => e.seq), checkpoint.treeSize);
    mkdirSync(target, { recursive: true, mode: 0o700 });
    await writeExportDir(target, entries, checkpoint, this.signer, proofs, { extraFiles: { [r.csv_encoding === 'cp932' ? 'audit-cp932.csv' : 'audit-utf8.csv']: auditCsv(entries, r.csv_encoding, new AuditReview(this.db, this.audit).staffNames(entries.map((e) => e.staffId))) } });
    const manifestHash = createHash('sha256').update(readFileSync(join(target, 'manifest.json'))).digest('hex');
    const at = this.clock.now().toISOString();
    this.db.transaction(() => {
      this.db.prepare(`UPDATE audit_exports SET status = 'written', written_at = ?, destination = ?, manifest_sha256 = ?, entries = ? WHERE id = ?`).run(at, target, manifestHash, entries.length, id);
      this.audit.append({ staffId: actor.staffId, action: 'audit.export.write', outcome: 'success', detail: { exportId: id, destination: target, entries: entries.length, treeSize: checkpoint.treeSize, requestedBy: r.requested_by, approvedBy: actor.staffId } });
    })();
  }
}
