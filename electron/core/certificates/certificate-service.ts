import type { Certificate, CertificateEvent, PrintableCertificate, RequestOf, ResponseOf } from '../../../shared/ipc/contract';
import type { RuleProfile } from '../../../shared/domain/profile';
import type { IssueKind, ReissueReason } from '../../../shared/domain/resident';
import { certificateValidity, kodomoEligibility } from '../../../shared/domain/eligibility';
import { todayInJapan } from '../../../shared/domain/wareki';
import type { AuditLog } from '../audit/audit-log';
import { requireRight, type Actor } from '../auth/auth-service';
import type { Db } from '../db/database';
import { insertRecord, updateRecord, type Stamp } from '../db/records';
import { DomainError } from '../errors';
import type { Clock } from '../platform';
import { addressShown, type ResidentService } from '../residents/resident-service';
import { allocateSerial, recipientNumber } from './numbering';
import { allowedPrinters } from '../printing/printer-policy';
import type { Printing } from '../printing/print-port';

export const KODOMO = 'kodomo';

interface CertificateRow {
  id: string;
  version: number;
  resident_id: string;
  cert_type: 'kodomo';
  certificate_no: string;
  public_payer_no: string;
  issue_kind: IssueKind;
  reissue_reason: ReissueReason | null;
  issue_date: string;
  valid_from: string;
  valid_to: string;
  guardian_id: string | null;
  status: 'valid' | 'superseded';
  created_by: string;
}

function toCertificate(r: CertificateRow): Certificate {
  return {
    id: r.id,
    residentId: r.resident_id,
    certType: r.cert_type,
    certificateNo: r.certificate_no,
    publicPayerNo: r.public_payer_no,
    issueKind: r.issue_kind,
    reissueReason: r.reissue_reason,
    issueDate: r.issue_date,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    status: r.status,
    issuedBy: r.created_by,
  };
}

export class CertificateService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly residents: ResidentService,
    private readonly profile: RuleProfile,
    private readonly printing: Printing | null = null,
  ) {}

  private stamp(actor: Actor): Stamp {
    return { by: actor.staffId, at: this.clock.now().toISOString() };
  }

  private currentValid(residentId: string): CertificateRow | null {
    return (
      this.db
        .prepare<[string, string], CertificateRow>(
          `SELECT * FROM certificates WHERE resident_id = ? AND cert_type = ? AND status = 'valid' AND deleted = 0`,
        )
        .get(residentId, KODOMO) ?? null
    );
  }

  /** Validity and eligibility for the child today, as the issue form shows them before confirmation. */
  private validityToday(birthDate: string): { validFrom: string; validTo: string; eligibilityEndsOn: string } {
    const today = todayInJapan(this.clock.now());
    const e = kodomoEligibility(birthDate, today);
    if (!e.eligible) throw new DomainError('RULE', `こども医療費助成の対象外です: ${e.reason}`);
    const v = certificateValidity({ birthIso: birthDate, issueIso: today, renewal: this.profile.kodomo.renewal });
    return { ...v, eligibilityEndsOn: e.endsOn };
  }

  prepareKodomo(actor: Actor, residentId: string): ResponseOf<'certificates.prepareKodomo'> {
    requireRight(actor, 'kodomo:certificate.issue');
    const row = this.residents.requireRow(actor, residentId, 'certificates.prepareKodomo');
    const v = this.validityToday(row.birth_date);
    const current = this.currentValid(residentId);
    return {
      ...v,
      publicPayerNo: this.profile.kodomo.publicPayerNo,
      certificateName: this.profile.kodomo.certificateName,
      guardians: this.residents.related(residentId, 'guardians'),
      current: current ? toCertificate(current) : null,
      suggestedIssueKind: current ? 'reissue' : 'new',
      residentVersion: row.version,
    };
  }

  /** 新規交付 / 再交付 of a こども医療証. One transaction: number, certificate, supersession, events, audit. */
  issueKodomo(actor: Actor, req: RequestOf<'certificates.issueKodomo'>): Certificate {
    requireRight(actor, 'kodomo:certificate.issue');
    const s = this.stamp(actor);
    const row = this.residents.requireRow(actor, req.residentId, 'certificates.issueKodomo');
    const fail = (code: 'RULE' | 'CONFLICT' | 'VALIDATION', message: string, field?: string): never => {
      this.audit.append({
        staffId: actor.staffId,
        action: 'certificates.issueKodomo',
        targetAtenaNo: row.atena_no,
        outcome: 'failure',
        detail: { why: message },
      });
      throw new DomainError(code, message, field ? { [field]: message } : undefined);
    };
    if (row.version !== req.residentVersion) {
      fail('CONFLICT', '住民記録がこの画面を開いた後に更新されています。画面を開き直して内容を確認してください。');
    }
    const guardians = this.residents.related(row.id, 'guardians');
    if (guardians.length === 0) fail('RULE', '保護者が登録されていないため交付できません。住民記録を確認してください。');
    if (!req.guardianId || !guardians.some((g) => g.id === req.guardianId)) {
      fail('VALIDATION', 'この子の保護者から受給者（保護者）を選択してください。', 'guardianId');
    }
    let validity: { validFrom: string; validTo: string };
    try {
      validity = this.validityToday(row.birth_date);
    } catch (e) {
      return fail('RULE', (e as Error).message);
    }
    const current = this.currentValid(row.id);
    if (req.issueKind === 'new' && current) {
      fail('RULE', `有効な${this.profile.kodomo.certificateName}（受給者番号 ${current.certificate_no}）があります。再交付を選んでください。`, 'issueKind');
    }
    if (req.issueKind === 'new' && req.reissueReason !== null) {
      fail('VALIDATION', '新規交付では再交付の事由は指定できません。', 'reissueReason');
    }
    if (req.issueKind === 'reissue' && !req.reissueReason) {
      fail('VALIDATION', '再交付の事由を選択してください。', 'reissueReason');
    }
    if (req.issueKind === 'reissue' && !current) {
      fail('RULE', '再交付の対象となる有効な医療証がありません。新規交付を選んでください。', 'issueKind');
    }

    try {
      return this.issueInTransaction(actor, req, row, current, validity, s);
    } catch (e) {
      // A refusal raised inside the transaction (no number block left, a concurrent update) rolled back with
      // everything else; audit it after the rollback so every outcome leaves an entry.
      if (e instanceof DomainError) {
        this.audit.append({ staffId: actor.staffId, action: 'certificates.issueKodomo', targetAtenaNo: row.atena_no, outcome: 'failure', detail: { why: e.message } });
      }
      throw e;
    }
  }

  private issueInTransaction(
    actor: Actor,
    req: RequestOf<'certificates.issueKodomo'>,
    row: { id: string; atena_no: string },
    current: CertificateRow | null,
    validity: { validFrom: string; validTo: string },
    s: Stamp,
  ): Certificate {
    return this.db.transaction(() => {
      const serial = allocateSerial(this.db, KODOMO, s);
      const certificateNo = recipientNumber(this.profile.kodomo.recipientNumberPrefix, serial);
      const today = todayInJapan(this.clock.now());
      if (current) {
        // Supersede first: the partial unique index allows one valid certificate per person and type.
        updateRecord(this.db, 'certificates', current.id, current.version, { status: 'superseded' }, s);
      }
      const id = insertRecord(
        this.db,
        'certificates',
        {
          resident_id: row.id,
          cert_type: KODOMO,
          certificate_no: certificateNo,
          public_payer_no: this.profile.kodomo.publicPayerNo,
          issue_kind: req.issueKind,
          reissue_reason: req.reissueReason,
          issue_date: today,
          valid_from: validity.validFrom,
          valid_to: validity.validTo,
          guardian_id: req.guardianId,
          status: 'valid',
          superseded_by: null,
        },
        s,
      );
      if (current) {
        updateRecord(this.db, 'certificates', current.id, current.version + 1, { superseded_by: id }, s);
        this.addEvent(current.id, row.id, 'supersede', `再交付（${req.reissueReason ?? ''}）により失効`, s);
      }
      this.addEvent(id, row.id, req.issueKind === 'new' ? 'issue' : 'reissue', req.reissueReason, s);
      this.audit.append({
        staffId: actor.staffId,
        action: 'certificates.issueKodomo',
        targetAtenaNo: row.atena_no,
        outcome: 'success',
        detail: { certificateNo, issueKind: req.issueKind, reissueReason: req.reissueReason, validFrom: validity.validFrom, validTo: validity.validTo, supersedes: current?.certificate_no },
      });
      return toCertificate(this.requireCertificate(id));
    }).immediate();
  }

  private addEvent(certificateId: string, residentId: string, event: CertificateEvent['event'], reason: string | null, s: Stamp): void {
    insertRecord(this.db, 'certificate_events', { certificate_id: certificateId, resident_id: residentId, event, reason }, s);
  }

  private requireCertificate(id: string): CertificateRow {
    const row = this.db.prepare<[string], CertificateRow>('SELECT * FROM certificates WHERE id = ? AND deleted = 0').get(id);
    if (!row) throw new DomainError('NOT_FOUND', '証が見つかりません。');
    return row;
  }

  history(actor: Actor, residentId: string): ResponseOf<'certificates.history'> {
    requireRight(actor, 'resident.view');
    this.residents.requireRow(actor, residentId, 'certificates.history');
    const certificates = this.db
      .prepare<[string], CertificateRow>(`SELECT * FROM certificates WHERE resident_id = ? AND cert_type = 'kodomo' AND deleted = 0 ORDER BY created_at DESC, id DESC`)
      .all(residentId)
      .map(toCertificate);
    const events = this.db
      .prepare<[string], { id: string; certificate_id: string; certificate_no: string; event: CertificateEvent['event']; reason: string | null; created_at: string; created_by: string }>(
        `SELECT e.id, e.certificate_id, c.certificate_no, e.event, e.reason, e.created_at, e.created_by
           FROM certificate_events e JOIN certificates c ON c.id = e.certificate_id
          WHERE e.resident_id = ? AND c.cert_type = 'kodomo' AND e.deleted = 0 ORDER BY e.created_at DESC, e.id DESC`,
      )
      .all(residentId)
      .map((e) => ({ id: e.id, certificateId: e.certificate_id, certificateNo: e.certificate_no, event: e.event, reason: e.reason, at: e.created_at, by: e.created_by }));
    return { certificates, events };
  }

  /** The printable fields, read from the certificate and the person's current records. Audited. */
  /** `released`: a 所属長 released printing the address today (DV等支援措置; see CertificateLifecycle). */
  printView(actor: Actor, certificateId: string, released = false): Omit<PrintableCertificate, 'fingerprint'> {
    requireRight(actor, 'kodomo:certificate.print');
    return this.db.transaction(() => {
      const cert = this.requireCertificate(certificateId);
      const child = this.residents.requireRow(actor, cert.resident_id, 'certificates.printView');
      const guardian = cert.guardian_id ? this.residents.findRow(cert.guardian_id) : null;
      const withheld = (!addressShown(child) || (guardian !== null && !addressShown(guardian))) && !released;
      const view: Omit<PrintableCertificate, 'fingerprint'> = {
        certificateId: cert.id,
        certificateName: this.profile.kodomo.certificateName,
        certificateNo: cert.certificate_no,
        publicPayerNo: cert.public_payer_no,
        child: { nameKanji: child.name_kanji, nameKana: child.name_kana, birthDate: child.birth_date, sex: child.sex },
        guardian: guardian
          ? { nameKanji: guardian.name_kanji, nameKana: guardian.name_kana, address: withheld ? '' : `${guardian.address}${guardian.katagaki ? ' ' + guardian.katagaki : ''}` }
          : null,
        insurance: this.residents.insuranceOf(child.id),
        issueDate: cert.issue_date,
        validFrom: cert.valid_from,
        validTo: cert.valid_to,
        issueKind: cert.issue_kind,
        municipalityName: this.profile.municipalityName,
        issuerTitle: this.profile.kodomo.issuerTitle,
        notes: this.profile.kodomo.notes,
        addressWithheld: withheld,
      };
      this.audit.append({ staffId: actor.staffId, action: 'certificates.printPreview', targetAtenaNo: child.atena_no, outcome: 'success', detail: { certificateNo: cert.certificate_no } });
      return view;
    })();
  }

  /** Printers this terminal may print to: installed, allowed by policy, and not print-to-file/PDF. */
  async printers(actor: Actor): Promise<string[]> {
    if (!actor.rights.some((r) => r.endsWith(':certificate.print'))) throw new DomainError('FORBIDDEN', 'この操作を行う権限がありません。');
    if (!this.printing) return [];
    return allowedPrinters(await this.printing.port.list(), this.printing.allowedPrinters).printers.map((p) => p.name);
  }
}
