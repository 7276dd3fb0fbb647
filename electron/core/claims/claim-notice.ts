import type { PrintableNotice } from '../../../shared/ipc/claims-contract';
import { jimuRight } from '../../../shared/domain/rights';
import { appealInstructions, CLAIM_KIND_LABELS, jimuOfClaimKind, type ClaimComputation } from '../../../shared/domain/claims';
import type { RuleProfile } from '../../../shared/domain/profile';
import type { AuditLog } from '../audit/audit-log';
import type { Actor } from '../actor';
import type { Db } from '../db/database';
import { insertRecord } from '../db/records';
import { DomainError } from '../errors';
import type { Clock } from '../platform';
import { printOnAllowedPrinter, type Printing } from '../printing/print-port';
import { addressShown, type ResidentService } from '../residents/resident-service';
import type { ClaimRow, ClaimService } from './claim-service';

const TITLES: Record<string, string> = {
  支給: '支給決定通知書',
  不支給: '不支給決定通知書',
  交付: '自己負担金減免決定通知書（減免券）',
  却下: '却下通知書',
  認定: 'こども医療費助成 受給資格認定通知書',
};

/** Only the last three digits of the account number are printed. */
function maskAccount(n: string): string {
  return `${'*'.repeat(Math.max(0, n.length - 3))}${n.slice(-3)}`;
}

/**
 * 支給決定通知書 / 不支給決定通知書 (and the 減免 decision): built from the decided claim and the addressee's
 * current record in one read; printed on a policy-allowed printer; every print audited with its number.
 */
export class ClaimNotices {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly residents: ResidentService,
    private readonly profile: RuleProfile,
    private readonly claims: ClaimService,
    private readonly printing: Printing | null,
  ) {}

  private requireApprover(actor: Actor, row: ClaimRow): void {
    const r = jimuRight(jimuOfClaimKind(row.claim_kind), 'claim.approve');
    if (!actor.rights.includes(r)) throw new DomainError('FORBIDDEN', '通知書を作成する権限がありません。');
  }

  private build(row: ClaimRow): { notice: PrintableNotice; atena: string } {
    if (row.state !== 'decided' || !row.decision || !row.notice_no) throw new DomainError('RULE', '決定していない請求の通知書は作成できません。');
    const subject = this.residents.findRow(row.resident_id);
    const addressee = row.applicant_id ? this.residents.findRow(row.applicant_id) : subject;
    if (!subject || !addressee) throw new DomainError('NOT_FOUND', '通知先の住民が見つかりません。');
    const calc = JSON.parse(row.calc_json) as ClaimComputation;
    const bank = row.bank_json ? (JSON.parse(row.bank_json) as { bankName: string; branchName: string; depositType: string; accountNumber: string; holderKana: string }) : null;
    const shown = addressShown(addressee);
    const notice: PrintableNotice = {
      claimId: row.id,
      title: TITLES[row.decision] ?? '決定通知書',
      noticeNo: row.notice_no,
      claimNo: row.claim_no,
      kindLabel: CLAIM_KIND_LABELS[row.claim_kind],
      issueDate: (row.decided_at ?? this.clock.now().toISOString()).slice(0, 10),
      addressee: { name: addressee.name_kanji, postalCode: shown ? addressee.postal_code : '', address: shown ? `${addressee.address}${addressee.katagaki ? ' ' + addressee.katagaki : ''}` : '', addressWithheld: !shown },
      subjectName: subject.name_kanji,
      decision: row.decision,
      amountYen: row.decision === '支給' ? row.amount_yen : null,
      // A deduction of 0円 says nothing to the resident: no 「−0円」 line on the notice.
      breakdown: row.decision === '支給' ? calc.breakdown.filter((l) => !(l.kind === 'deduct' && l.amount === 0)) : [],
      reason: row.decision_reason,
      bankLine: row.decision === '支給' && bank ? `${bank.bankName} ${bank.branchName} ${bank.depositType} ${maskAccount(bank.accountNumber)} ${bank.holderKana}` : null,
      municipalityName: this.profile.municipalityName,
      issuerTitle: this.profile.kodomo.issuerTitle,
      appeal: appealInstructions(row.claim_kind, this.profile.municipalityCode, this.profile.municipalityName),
    };
    return { notice, atena: subject.atena_no };
  }

  view(actor: Actor, claimId: string): PrintableNotice & { timesPrinted: number } {
    const row = this.claims.requireClaim(claimId);
    this.requireApprover(actor, row);
    this.residents.requireRow(actor, row.resident_id, 'claims.noticeView');
    const { notice, atena } = this.build(row);
    this.audit.append({ staffId: actor.staffId, action: 'claims.noticePreview', targetAtenaNo: atena, outcome: 'success', detail: { claimId, noticeNo: notice.noticeNo } });
    return { ...notice, timesPrinted: this.timesPrinted(claimId) };
  }

  private timesPrinted(claimId: string): number {
    return this.db.prepare<[string], { n: number }>(`SELECT count(*) AS n FROM claim_events WHERE claim_id = ? AND event = 'notice_printed'`).get(claimId)?.n ?? 0;
  }

  async print(actor: Actor, claimId: string, printerName: string, senderId: string): Promise<{ printedAt: string }> {
    const row = this.claims.requireClaim(claimId);
    this.requireApprover(actor, row);
    const subject = this.residents.requireRow(actor, row.resident_id, 'claims.printNotice');
    const refuse = (why: string, error: DomainError): never => {
      return this.audit.refuse({ staffId: actor.staffId, action: 'claims.printNotice', targetAtenaNo: subject.atena_no, detail: { claimId, printer: printerName, why } }, error);
    };
    const { notice } = this.build(row);
    const printer = await printOnAllowedPrinter(this.printing, printerName, senderId, refuse);
    const at = this.clock.now().toISOString();
    this.db.transaction(() => {
      const printed = this.timesPrinted(claimId);
      insertRecord(this.db, 'claim_events', { claim_id: claimId, event: 'notice_printed', reason: printed > 0 ? '再印刷' : null, detail_json: JSON.stringify({ noticeNo: notice.noticeNo, printer: printer.name }) }, { by: actor.staffId, at });
      this.audit.append({ staffId: actor.staffId, action: 'claims.printNotice', targetAtenaNo: subject.atena_no, outcome: 'success', detail: { claimId, noticeNo: notice.noticeNo, reprint: printed > 0, printer: printer.name } });
    })();
    return { printedAt: at };
  }
}
