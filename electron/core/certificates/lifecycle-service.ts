import { createHash } from 'node:crypto';
import { jimuRight, rightsOfJimu } from '../../../shared/domain/rights';
import type { AuditAction } from '../../../shared/audit/actions';
import {
  CERT_TYPE_DEFS,
  changedFields,
  formatCertificateNo,
  GUARDIAN_DETAIL,
  isTicketType,
  printedFields,
  TICKET_KIND_OF_TYPE,
  TICKET_TYPES,
  validToFor,
  type CertType,
  type PrintedField,
  type RecallKind,
  type TicketDetails,
  type TicketType,
} from '../../../shared/domain/certificate-types';
import { aidOfTicketKind, aidPeriodFor, monthlyTicketLines, prepareTicket, seikatsuRecipientNumber, type ExistingTicket, type FlowRecord, type ShinryoKind } from '../../../shared/domain/seikatsu';
import { isYearMonth } from '../../../shared/domain/claims/common';
import { certificateValidity, kodomoEligibility } from '../../../shared/domain/eligibility';
import { kodomoValidityWithin } from '../../../shared/domain/kodomo-shikaku';
import { certificateAvailability, kokuhoKubun, kokuhoShikakuOn, kubunOfIncomeClass } from '../../../shared/domain/availability';
import type { RuleProfile } from '../../../shared/domain/profile';
import { formatWareki, todayInJapan } from '../../../shared/domain/wareki';
import { SEX_LABELS } from '../../../shared/domain/resident';
import { doseLabel, vaccineByCode } from '../../../shared/domain/vaccination';
import type { AuditLog } from '../audit/audit-log';
import type { Actor } from '../actor';
import type { Db } from '../db/database';
import { insertRecord, updateRecord, type Stamp } from '../db/records';
import { DomainError } from '../errors';
import type { Clock } from '../platform';
import { allowedPrinters } from '../printing/printer-policy';
import { printOnAllowedPrinter, type Printing } from '../printing/print-port';
import { addressShown, type ResidentRow, type ResidentService } from '../residents/resident-service';
import { allocateSerial, recipientNumber } from './numbering';

export interface CertRow {
  id: string;
  version: number;
  resident_id: string;
  cert_type: CertType;
  certificate_no: string;
  public_payer_no: string | null;
  issue_kind: 'new' | 'renew' | 'reissue' | 'correct';
  reissue_reason: string | null;
  issue_date: string;
  valid_from: string;
  valid_to: string | null;
  guardian_id: string | null;
  status: 'valid' | 'superseded' | 'cancelled';
  superseded_by: string | null;
  details_json: string;
  name_choice: 'real' | 'alias';
  print_sex: 0 | 1;
  end_reason: string | null;
  recall_status: 'none' | 'pending' | 'recalled' | 'not_returned';
  recall_date: string | null;
  recall_kind: string | null;
  created_by: string;
}

export interface CertificateView {
  id: string;
  version: number;
  type: CertType;
  typeName: string;
  residentId: string;
  certificateNo: string;
  issueKind: CertRow['issue_kind'];
  reissueReason: string | null;
  issueDate: string;
  validFrom: string;
  validTo: string | null;
  status: CertRow['status'];
  endReason: string | null;
  recallStatus: CertRow['recall_status'];
  recallDate: string | null;
  recallKind: string | null;
  details: Record<string, unknown>;
  nameChoice: 'real' | 'alias';
  printSex: boolean;
  issuedBy: string;
}

/**
 * The details as issued: the stored JSON, and for a type naming a 保護者 (こども医療証) the guardian, who lives in
 * guardian_id (as on certificates issued before the type table took the こども医療証 in).
 */
export function detailsOf(r: CertRow): Record<string, unknown> {
  const stored = JSON.parse(r.details_json) as Record<string, unknown>;
  return CERT_TYPE_DEFS[r.cert_type]?.guardian && r.guardian_id ? { ...stored, [GUARDIAN_DETAIL]: r.guardian_id } : stored;
}

/**
 * Where a certificate stands in the 回収 process. A こども医療証 superseded by the retired こども-only service kept
 * recall_status 'none' (that service never set it), so it never reached the 回収リスト: read as 'pending', it
 * does — without rewriting synced rows on every terminal (which would race into conflicts).
 */
export function recallStatusOf(r: Pick<CertRow, 'cert_type' | 'status' | 'recall_status'>): CertRow['recall_status'] {
  return r.cert_type === 'kodomo' && r.status === 'superseded' && r.recall_status === 'none' ? 'pending' : r.recall_status;
}
/** recallStatusOf(…) = 'pending', in SQL. */
const AWAITS_RECALL_SQL = `(recall_status = 'pending' OR (cert_type = 'kodomo' AND status = 'superseded' AND recall_status = 'none'))`;

export function toView(r: CertRow): CertificateView {
  return {
    id: r.id, version: r.version, type: r.cert_type, typeName: CERT_TYPE_DEFS[r.cert_type]?.name ?? r.cert_type, residentId: r.resident_id,
    certificateNo: r.certificate_no, issueKind: r.issue_kind, reissueReason: r.reissue_reason, issueDate: r.issue_date, validFrom: r.valid_from,
    validTo: r.valid_to, status: r.status, endReason: r.end_reason, recallStatus: recallStatusOf(r), recallDate: r.recall_date, recallKind: r.recall_kind,
    details: detailsOf(r), nameChoice: r.name_choice, printSex: r.print_sex === 1, issuedBy: r.created_by,
  };
}

export interface IssueRequest {
  type: CertType;
  residentId: string;
  issueKind: 'new' | 'renew' | 'reissue';
  reissueReason: string | null;
  details: Record<string, unknown>;
  nameChoice: 'real' | 'alias';
  printSex: boolean;
  residentVersion: number;
}

/** Validated details split for storage: the 保護者 goes to guardian_id, the rest to details_json. */
interface StoredDetails {
  json: Record<string, unknown>;
  guardianId: string | null;
}

type Validity = { validFrom: string; validTo: string | null; eligibilityEndsOn: string | null };

/**
 * The 医療扶助・介護扶助 flows of a person (the 生活保護 事務's flow records): a 給付券 is issued only within the period of
 * a decided (開始) flow of its 扶助 (seikatsu/flows.ts ticketPeriod), and takes its 扶助開始日 and 廃止日 from it.
 */
export interface AidFlows {
  flowsOf(residentId: string): FlowRecord[];
}

/** A refusal of a 給付券 with the audit's `why` (shared/audit/detail-labels.ts). */
class TicketRefusal extends DomainError {
  constructor(readonly why: string, code: 'RULE' | 'VALIDATION', message: string, fields?: Record<string, string>) {
    super(code, message, fields);
  }
}

/** A 給付券 checked for issuing: its details as stored and its validity. */
interface CheckedTicket {
  details: TicketDetails;
  validFrom: string;
  validTo: string;
}

/** A standing line of the monthly run (see CertificateLifecycle.standingTickets). */
export interface StandingTicketLine {
  /** residentId|type|institutionCode|shinryo: what the run is asked to issue. */
  key: string;
  residentId: string;
  /** The recipient as the run's list shows them (name and 宛名番号; never the 個人番号). */
  residentName: string;
  atenaNo: string;
  type: TicketType;
  institutionCode: string;
  institutionName: string;
  shinryo: string;
  /** The month of the last ticket of the line, and its 交付番号. */
  lastMonth: string;
  lastCertificateNo: string;
  validFrom: string;
  validTo: string;
}

const DEFAULT_NUMBER_WIDTH = 8;

/** The number block new 生活保護 受給者番号 draw their serials from (one sequence for all three 給付券 types). */
const RECIPIENT_NUMBER_BLOCK: TicketType = 'seikatsu_iryo';

/**
 * The lifecycle of every certificate type: 新規交付, 更新, 再交付, 訂正 (a new certificate; the old one
 * marked), 回収, 取消; one valid certificate of a type per person (the database enforces it); print safety
 * (what prints is re-read and compared with the preview in one transaction); DV等支援措置 release.
 */
export class CertificateLifecycle {
  /** The fields each member of staff last previewed per certificate (print safety compares against them). */
  private readonly previews = new Map<string, PrintedField[]>();

  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly residents: ResidentService,
    private readonly profile: RuleProfile,
    private readonly printing: Printing | null,
    /** Why issuing is stopped right now (the terminal's clock is wrong), or null. */
    private readonly issuanceBlock: () => string | null = () => null,
    /** The 生活保護 扶助 flows (給付券 are refused without them). */
    private readonly aidFlows: AidFlows | null = null,
  ) {}

  private stamp(actor: Actor): Stamp {
    return { by: actor.staffId, at: this.clock.now().toISOString() };
  }

  private today(): string {
    return todayInJapan(this.clock.now());
  }

  private need(actor: Actor, type: CertType, fn: 'certificate.issue' | 'certificate.print' | 'claim.approve', action: AuditAction, atena: string | null): void {
    const r = jimuRight(CERT_TYPE_DEFS[type].jimu, fn);
    if (!actor.rights.includes(r)) this.refuse(actor, action, 'forbidden', new DomainError('FORBIDDEN', 'この操作を行う権限がありません。'), atena);
  }

  private refuse(actor: Actor, action: AuditAction, why: string, e: DomainError, atena: string | null, detail: Record<string, unknown> = {}): never {
    return this.audit.refuse({ staffId: actor.staffId, action, targetAtenaNo: atena, detail: { why, ...detail } }, e);
  }

  requireCert(id: string): CertRow {
    const r = this.db.prepare<[string], CertRow>('SELECT * FROM certificates WHERE id = ? AND deleted = 0').get(id);
    if (!r) throw new DomainError('NOT_FOUND', '証が見つかりません。');
    return r;
  }

  private currentValid(residentId: string, type: CertType): CertRow | null {
    return this.db.prepare<[string, string], CertRow>(`SELECT * FROM certificates WHERE resident_id = ? AND cert_type = ? AND status = 'valid' AND deleted = 0`).get(residentId, type) ?? null;
  }

  private numberFor(type: CertType, serial: number): string {
    if (type === 'kodomo') return recipientNumber(this.profile.kodomo.recipientNumberPrefix, serial);
    const f = this.profile.certificates[type];
    return formatCertificateNo({ prefix: f?.numberPrefix ?? '', width: f?.numberWidth ?? DEFAULT_NUMBER_WIDTH }, serial);
  }

  /** The name of a type as printed and shown on the issue screen (the profile names the こども医療証). */
  private nameOf(type: CertType): string {
    return type === 'kodomo' ? this.profile.kodomo.certificateName : CERT_TYPE_DEFS[type].name;
  }

  /** Validity from today; a こども医療証 only while the child is eligible (to the 18歳年度末). */
  private validity(type: CertType, person: ResidentRow): Validity {
    const today = this.today();
    const rule = CERT_TYPE_DEFS[type].validity;
    if (rule.kind === 'kodomo') {
      const e = kodomoEligibility(person.birth_date, today);
      if (!e.eligible) throw new DomainError('RULE', `こども医療費助成の対象外です: ${e.reason}`);
      try {
        const rule = certificateValidity({ birthIso: person.birth_date, issueIso: today, renewal: this.profile.kodomo.renewal });
        // Never past the 受給資格: its 喪失 (or the 18歳年度末) ends the 医療証 too.
        const within = kodomoValidityWithin(this.residents.kodomoOf(person), rule.validFrom, rule.validTo);
        if (!within) throw new DomainError('RULE', `こども医療費助成の受給資格がないため交付できません（${formatWareki(today)}）。`);
        return { ...within, eligibilityEndsOn: e.endsOn };
      } catch (err) {
        // The rule's own refusal (a RangeError in Japanese) is shown; anything else is a fault, not staff text.
        if (err instanceof RangeError) throw new DomainError('RULE', err.message);
        throw err;
      }
    }
    const override = this.profile.certificates[type]?.validUntil;
    return { validFrom: today, validTo: validToFor(override ? { kind: 'until-month-day', ...override } : rule, today), eligibilityEndsOn: null };
  }

  private parseDetails(type: CertType, raw: Record<string, unknown>, person: ResidentRow): StoredDetails {
    const residentId = person.id;
    const def = CERT_TYPE_DEFS[type];
    // 国保: the 限度区分 is the 所得区分 of the person's 資格 today — filled in when not typed, refused when typed otherwise.
    const kubun = kokuhoKubun(type, raw, this.residents.kokuhoOf(person.atena_no), this.today());
    if (!kubun.ok) throw new DomainError('RULE', kubun.reason, { [kubun.field]: kubun.reason });
    const details = kubun.details;
    const guardians = def.guardian ? this.residents.related(residentId, 'guardians') : [];
    if (def.guardian && guardians.length === 0) {
      throw new DomainError('RULE', '保護者が登録されていないため交付できません。住民記録を確認してください。', { [`details.${GUARDIAN_DETAIL}`]: '保護者が登録されていません' });
    }
    const parsed = def.details.safeParse(details);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw new DomainError('VALIDATION', i?.message ?? '記載事項に誤りがあります。', Object.fromEntries(parsed.error.issues.map((x) => [`details.${x.path.join('.')}`, x.message])));
    }
    if (type === 'yobou_genmen') {
      // A 減免券 is issued only from an approved (交付) 減免 claim of the same person.
      const claim = this.db.prepare<[string], { resident_id: string; claim_kind: string; decision: string | null }>('SELECT resident_id, claim_kind, decision FROM claims WHERE claim_no = ? AND deleted = 0').get(String(parsed.data.claimNo));
      if (!claim || claim.claim_kind !== 'yobou_genmen' || claim.decision !== '交付' || claim.resident_id !== residentId) {
        throw new DomainError('RULE', '減免券は、この方の「交付」と決定された減免申請からのみ交付できます。', { 'details.claimNo': '交付決定済みの減免申請の受付番号を指定してください' });
      }
    }
    if (!def.guardian) return { json: parsed.data, guardianId: null };
    const { [GUARDIAN_DETAIL]: guardianId, ...json } = parsed.data;
    if (!guardians.some((g) => g.id === guardianId)) {
      const msg = 'この子の保護者から受給者（保護者）を選択してください。';
      throw new DomainError('VALIDATION', msg, { [`details.${GUARDIAN_DETAIL}`]: msg });
    }
    return { json, guardianId: String(guardianId) };
  }

  /** 新規交付 / 更新 / 再交付: supersedes the valid one (which goes on the 回収 list) in the same transaction. */
  issue(actor: Actor, req: IssueRequest): CertificateView {
    const person = this.residents.requireRow(actor, req.residentId, 'certificates.issue');
    const action = 'certificates.issue';
    this.need(actor, req.type, 'certificate.issue', action, person.atena_no);
    const fail = (why: string, msg: string, code: 'RULE' | 'VALIDATION' | 'CONFLICT' = 'RULE', field?: string): never =>
      this.refuse(actor, action, why, new DomainError(code, msg, field ? { [field]: msg } : undefined), person.atena_no, { type: req.type });
    const blocked = this.issuanceBlock();
    if (blocked) fail('clock_skew', blocked);
    if (isTicketType(req.type)) return this.issueTicket(actor, req, person, fail);
    const offer = certificateAvailability(req.type, this.residents.factsOf(person), this.today());
    if (!offer.available) fail('ineligible', `${this.nameOf(req.type)}は交付できません。${offer.reason}`);
    if (person.version !== req.residentVersion) fail('stale', '住民記録がこの画面を開いた後に更新されています。画面を開き直して内容を確認してください。', 'CONFLICT');
    if (req.nameChoice === 'alias' && !person.alias_name) fail('no_alias', '通称名が登録されていません。本名を選んでください。', 'VALIDATION', 'nameChoice');
    if (!CERT_TYPE_DEFS[req.type].sexChoice && !req.printSex) fail('sex_choice', 'この証では性別の記載を省略できません。', 'VALIDATION', 'printSex');
    let details: StoredDetails;
    let validity: Validity;
    try {
      details = this.parseDetails(req.type, req.details, person);
      validity = this.validity(req.type, person);
    } catch (e) {
      if (e instanceof DomainError) this.refuse(actor, action, 'invalid', e, person.atena_no, { type: req.type });
      throw e;
    }
    const current = this.currentValid(person.id, req.type);
    const name = this.nameOf(req.type);
    if (req.issueKind === 'new' && current) fail('has_valid', `有効な${name}（番号 ${current.certificate_no}）があります。更新か再交付を選んでください。`, 'RULE', 'issueKind');
    if (req.issueKind !== 'new' && !current) fail('no_valid', `更新・再交付の対象となる有効な${name}がありません。新規交付を選んでください。`, 'RULE', 'issueKind');
    if (req.issueKind === 'reissue' && !req.reissueReason) fail('no_reason', '再交付の事由を選択してください。', 'VALIDATION', 'reissueReason');
    if (req.issueKind !== 'reissue' && req.reissueReason !== null) fail('reason_not_reissue', '再交付の事由は再交付のときだけ指定できます。', 'VALIDATION', 'reissueReason');
    const s = this.stamp(actor);
    try {
      // IMMEDIATE: take the write lock before reading the number block, so two connections issuing at once
      // wait for each other (busy_timeout) instead of failing on a read-to-write upgrade.
      return this.db.transaction(() => {
        // Supersede first: the partial unique index allows one valid certificate per person and type.
        if (current) this.supersede(current, req.issueKind === 'renew' ? '更新' : `再交付（${req.reissueReason ?? ''}）`, s);
        const id = this.insertCertificate(person, req.type, req.issueKind, req.reissueReason, validity, details, req.nameChoice, req.printSex, s);
        if (current) this.linkSuccessor(current.id, id, s);
        const cert = this.requireCert(id);
        this.addEvent(cert, req.issueKind === 'new' ? 'issue' : req.issueKind, req.reissueReason, s);
        this.audit.append({
          staffId: actor.staffId, action, targetAtenaNo: person.atena_no, outcome: 'success',
          detail: { type: req.type, certificateNo: cert.certificate_no, issueKind: req.issueKind, reissueReason: req.reissueReason, validFrom: validity.validFrom, validTo: validity.validTo, supersedes: current?.certificate_no ?? null },
        });
        return toView(cert);
      }).immediate();
    } catch (e) {
      if (e instanceof DomainError) this.refuse(actor, action, 'in_transaction', e, person.atena_no, { type: req.type });
      throw e;
    }
  }

  /**
   * 医療券・調剤券・介護券: one per recipient, month, 指定機関 and 診療別, within the period of a decided (開始) flow of its
   * 扶助 — the 扶助開始日 and 廃止日 come from the flow, never from the form. Always a 新規交付 (a wrong ticket is
   * cancelled and issued again); the number is the 交付番号; valid for its month, cut by the start and the 廃止.
   */
  private issueTicket(actor: Actor, req: IssueRequest, person: ResidentRow, fail: (why: string, msg: string, code?: 'RULE' | 'VALIDATION' | 'CONFLICT', field?: string) => never): CertificateView {
    const action = 'certificates.issue';
    const type = req.type as TicketType;
    const name = this.nameOf(type);
    if (req.issueKind !== 'new' || req.reissueReason !== null) fail('ticket_new_only', `${name}は月ごとに新規交付します。内容を直すときは取消のうえ新規交付してください。`, 'RULE', 'issueKind');
    if (person.version !== req.residentVersion) fail('stale', '住民記録がこの画面を開いた後に更新されています。画面を開き直して内容を確認してください。', 'CONFLICT');
    if (req.nameChoice === 'alias' && !person.alias_name) fail('no_alias', '通称名が登録されていません。本名を選んでください。', 'VALIDATION', 'nameChoice');
    if (!req.printSex) fail('sex_choice', 'この証では性別の記載を省略できません。', 'VALIDATION', 'printSex');
    try {
      this.checkTicket(type, person.id, req.details);
    } catch (e) {
      if (e instanceof DomainError) this.refuse(actor, action, e instanceof TicketRefusal ? e.why : 'invalid', e, person.atena_no, { type });
      throw e;
    }
    const s = this.stamp(actor);
    try {
      return this.db.transaction(() => this.insertTicket(actor, person, type, req.details, req.nameChoice, s)).immediate();
    } catch (e) {
      if (e instanceof DomainError) this.refuse(actor, action, 'in_transaction', e, person.atena_no, { type });
      throw e;
    }
  }

  /** Checks again (inside the issuing transaction) and stores one 給付券; audited. */
  private insertTicket(actor: Actor, person: ResidentRow, type: TicketType, raw: Record<string, unknown>, nameChoice: 'real' | 'alias', s: Stamp, run: string | null = null): CertificateView {
    const t = this.checkTicket(type, person.id, raw, s);
    const id = this.insertCertificate(person, type, 'new', null, { validFrom: t.validFrom, validTo: t.validTo }, { json: t.details as unknown as Record<string, unknown>, guardianId: null }, nameChoice, true, s);
    const cert = this.requireCert(id);
    this.addEvent(cert, 'issue', run, s);
    this.audit.append({
      staffId: actor.staffId, action: 'certificates.issue', targetAtenaNo: person.atena_no, outcome: 'success',
      detail: { type, certificateNo: cert.certificate_no, issueKind: 'new', month: t.details.month, institutionCode: t.details.institutionCode, shinryo: t.details.shinryo, validFrom: t.validFrom, validTo: t.validTo, ...(run ? { run } : {}) },
    });
    return toView(cert);
  }

  /** The valid 給付券 of a person (the duplicate check: seikatsu/ticket.ts findDuplicateTicket). */
  private existingTickets(residentId: string): ExistingTicket[] {
    return this.db
      .prepare<string[], CertRow>(`SELECT * FROM certificates WHERE resident_id = ? AND cert_type IN (${TICKET_TYPES.map(() => '?').join(', ')}) AND status = 'valid' AND deleted = 0`)
      .all(residentId, ...TICKET_TYPES)
      .map((r) => {
        const d = JSON.parse(r.details_json) as Partial<TicketDetails>;
        return { id: r.id, issueNo: r.certificate_no, status: 'valid' as const, residentId: r.resident_id, month: String(d.month), institutionCode: String(d.institutionCode), shinryo: d.shinryo as ShinryoKind };
      });
  }

  /**
   * The 扶助 period for a ticket of `type` in `month` from the person's flows: the decided flow of the ticket's 扶助
   * whose period covers the month, else the latest decided one (whose refusal for the month is then shown), else a
   * Japanese refusal (no flow, or none decided): seikatsu/flows.ts aidPeriodFor, the rule the server applies too.
   */
  private aidPeriod(type: TicketType, residentId: string, month: unknown): { aidStartOn: string; abolishedOn: string | null } {
    const kind = TICKET_KIND_OF_TYPE[type];
    if (!this.aidFlows) throw new TicketRefusal('no_flows', 'RULE', `${aidOfTicketKind(kind)}の記録を読めないため、${kind}は交付できません。`);
    const p = aidPeriodFor(this.aidFlows.flowsOf(residentId).filter((f) => f.residentId === residentId), kind, month);
    if (!p.ok) throw new TicketRefusal(p.why, 'RULE', p.message);
    return { aidStartOn: p.aidStartOn, abolishedOn: p.abolishedOn };
  }

  /** Everything that decides whether a 給付券 may be issued (seikatsu/ticket.ts prepareTicket), or a Japanese refusal. */
  /**
   * The two numbers of a 給付券 (issue 17, profile-driven): the 公費負担者番号 is the 福祉事務所's from the profile
   * (`seikatsu.publicPayerNo`; one typed must be it); the 受給者番号 is the person's own — the one on their earlier
   * 給付券 (a typed one must be it), else a new one from the profile's prefix and a serial of the terminal's number
   * block (the 医療券 block, one serial sequence for all three types so no two people get one number). Left blank, a
   * number is filled in; without `s` (the check before the issuing transaction) a new number is not drawn yet and a
   * stand-in of the same form is checked instead. A profile without `seikatsu` leaves both to be typed.
   */
  private ticketNumbers(residentId: string, raw: Record<string, unknown>, s: Stamp | null): { publicPayerNo?: string; recipientNo?: string } {
    const given = (k: 'publicPayerNo' | 'recipientNo') => (typeof raw[k] === 'string' && (raw[k] as string).trim() !== '' ? (raw[k] as string).trim() : null);
    const office = this.profile.seikatsu ?? null;
    const out: { publicPayerNo?: string; recipientNo?: string } = {};
    const payer = given('publicPayerNo');
    if (office && payer !== null && payer !== office.publicPayerNo) {
      const msg = `公費負担者番号はこの福祉事務所の番号（${office.publicPayerNo}）です。空欄にすると自動で記載されます。`;
      throw new TicketRefusal('invalid', 'VALIDATION', msg, { 'details.publicPayerNo': msg });
    }
    if (payer === null && office) out.publicPayerNo = office.publicPayerNo;
    const recipient = given('recipientNo');
    const known = this.knownRecipientNo(residentId);
    if (known !== null && recipient !== null && recipient !== known) {
      const msg = `この方の受給者番号は ${known} です（交付済みの券の番号）。空欄にすると自動で記載されます。`;
      throw new TicketRefusal('invalid', 'VALIDATION', msg, { 'details.recipientNo': msg });
    }
    if (recipient === null) {
      if (known !== null) out.recipientNo = known;
      else if (office) {
        const serial = s ? allocateSerial(this.db, RECIPIENT_NUMBER_BLOCK, s) : 1;
        try {
          out.recipientNo = seikatsuRecipientNumber(office.recipientNumberPrefix, serial);
        } catch (e) {
          throw new TicketRefusal('invalid', 'RULE', e instanceof Error ? e.message : '受給者番号を採番できません。');
        }
      }
    }
    return out;
  }

  /** The 受給者番号 on the person's latest 給付券 (any status), or null. */
  private knownRecipientNo(residentId: string): string | null {
    const row = this.db
      .prepare<string[], { details_json: string }>(
        `SELECT details_json FROM certificates WHERE resident_id = ? AND cert_type IN (${TICKET_TYPES.map(() => '?').join(', ')}) AND deleted = 0 ORDER BY created_at DESC, id DESC LIMIT 1`,
      )
      .get(residentId, ...TICKET_TYPES);
    if (!row) return null;
    const d = JSON.parse(row.details_json) as Partial<TicketDetails>;
    return typeof d.recipientNo === 'string' ? d.recipientNo : null;
  }

  private checkTicket(type: TicketType, residentId: string, raw: Record<string, unknown>, s: Stamp | null = null): CheckedTicket {
    const kind = TICKET_KIND_OF_TYPE[type];
    for (const k of ['aidStartOn', 'abolishedOn', 'kind', 'residentId'] as const) {
      if (k in raw) {
        const msg = k === 'aidStartOn' || k === 'abolishedOn' ? '扶助開始日・廃止日は扶助の決定（決裁）から取ります。入力しないでください。' : '券の種類と受給者は記載事項に書きません。';
        throw new TicketRefusal('invalid', 'VALIDATION', msg, { [`details.${k}`]: msg });
      }
    }
    // The ケース番号 is the 生活保護 system's (保護受給, imported): when the terminal holds the person's 保護受給, the
    // ticket's must be one of theirs. (Without it — before the feed reaches this terminal — there is nothing to check.)
    const cases = this.db.prepare<[string], { case_no: string }>('SELECT DISTINCT case_no FROM seiho_jukyu WHERE resident_id = ? AND deleted = 0 ORDER BY case_no').all(residentId).map((r) => r.case_no);
    if (cases.length && typeof raw.caseNo === 'string' && /^[0-9]{1,10}$/.test(raw.caseNo) && !cases.includes(raw.caseNo)) {
      const msg = `ケース番号 ${raw.caseNo} はこの方の保護受給の記録にありません（記録のケース番号: ${cases.join('、')}）`;
      throw new TicketRefusal('case_mismatch', 'RULE', msg, { 'details.caseNo': msg });
    }
    const period = this.aidPeriod(type, residentId, raw.month);
    const numbers = this.ticketNumbers(residentId, raw, s);
    const r = prepareTicket({ ...raw, ...numbers, kind, residentId, ...period }, this.existingTickets(residentId), 'PENDING');
    if (!r.ok) {
      const first = r.problems[0]!;
      const why = first.path === '' ? 'duplicate' : first.path === 'month' && typeof raw.month === 'string' && isYearMonth(raw.month) ? 'outside_period' : 'invalid';
      const fields = Object.fromEntries(r.problems.map((p) => [p.path ? `details.${p.path}` : 'details', p.message]));
      throw new TicketRefusal(why, why === 'invalid' ? 'VALIDATION' : 'RULE', first.message, fields);
    }
    const { kind: _kind, residentId: _resident, issueNo: _no, validFrom, validTo, ...details } = r.value;
    return { details, validFrom, validTo };
  }

  /**
   * The monthly run's lines for `month`: the 給付券 to issue for standing 扶助. A standing line is a recipient's
   * 指定機関 and 診療別 (of one type) whose last valid ticket is of an earlier month and whose 扶助 is still open for
   * `month` (a decided flow whose period covers some day of it: a 廃止 before the month ends the line). Lines that
   * already have a ticket for the month are left out (seikatsu/ticket.ts monthlyTicketLines). The new ticket repeats
   * the last one's details for the new month, with the period of the flow as it stands now.
   */
  standingTickets(actor: Actor, month: string): StandingTicketLine[] {
    if (!actor.rights.includes(jimuRight('seikatsu', 'certificate.issue'))) throw new DomainError('FORBIDDEN', 'この操作を行う権限がありません。');
    if (!isYearMonth(month)) throw new DomainError('VALIDATION', '対象年月は年月（例: 2026-04）で入力してください', { month: '対象年月は年月（例: 2026-04）で入力してください' });
    return this.standingLines(month).map(({ line, from, to }) => {
      const person = this.residents.findRow(line.residentId);
      return {
        key: line.key, residentId: line.residentId, residentName: person?.name_kanji ?? '', atenaNo: person?.atena_no ?? '', type: line.type, institutionCode: line.institutionCode, institutionName: line.institutionName,
        shinryo: line.shinryo, lastMonth: line.lastMonth, lastCertificateNo: line.last.certificate_no, validFrom: from, validTo: to,
      };
    });
  }

  private standingLines(month: string) {
    const rows = this.db
      .prepare<string[], CertRow>(`SELECT * FROM certificates WHERE cert_type IN (${TICKET_TYPES.map(() => '?').join(', ')}) AND status = 'valid' AND deleted = 0 ORDER BY resident_id, created_at, id`)
      .all(...TICKET_TYPES);
    // The last valid ticket of each line, of a month before `month`.
    const last = new Map<string, { row: CertRow; d: TicketDetails }>();
    for (const row of rows) {
      const d = JSON.parse(row.details_json) as TicketDetails;
      if (!(d.month < month)) continue;
      const key = [row.resident_id, row.cert_type, d.institutionCode, d.shinryo].join('|');
      const prev = last.get(key);
      if (!prev || prev.d.month <= d.month) last.set(key, { row, d });
    }
    const lines = [];
    const existing: ExistingTicket[] = [];
    const seen = new Set<string>();
    for (const [key, { row, d }] of last) {
      const type = row.cert_type as TicketType;
      // A person no longer shown (消除, or 閲覧停止) has no line: one of them must not stop everyone's run.
      if (!this.residents.findRow(row.resident_id)) continue;
      let period: { aidStartOn: string; abolishedOn: string | null };
      try {
        period = this.aidPeriod(type, row.resident_id, month);
      } catch (e) {
        if (e instanceof DomainError) continue; // no decided flow: not standing
        throw e;
      }
      if (!seen.has(row.resident_id)) {
        seen.add(row.resident_id);
        existing.push(...this.existingTickets(row.resident_id));
      }
      lines.push({ key, residentId: row.resident_id, type, month, institutionCode: d.institutionCode, institutionName: d.institutionName, shinryo: d.shinryo, lastMonth: d.month, last: row, details: d, ...period });
    }
    return monthlyTicketLines(month, lines, existing);
  }

  /**
   * The monthly run: issues the standing lines `keys` (chosen from standingTickets) for `month`, all in one
   * transaction — one refused line refuses the run and nothing is issued. A key that is no longer a standing line
   * (issued meanwhile, the 扶助 abolished) refuses the run, naming it.
   */
  issueStandingTickets(actor: Actor, req: { month: string; keys: readonly string[] }): CertificateView[] {
    const action = 'certificates.issue';
    if (!actor.rights.includes(jimuRight('seikatsu', 'certificate.issue'))) this.refuse(actor, action, 'forbidden', new DomainError('FORBIDDEN', 'この操作を行う権限がありません。'), null);
    const blocked = this.issuanceBlock();
    if (blocked) this.refuse(actor, action, 'clock_skew', new DomainError('RULE', blocked), null);
    if (!isYearMonth(req.month)) throw new DomainError('VALIDATION', '対象年月は年月（例: 2026-04）で入力してください', { month: '対象年月は年月（例: 2026-04）で入力してください' });
    if (req.keys.length === 0) throw new DomainError('VALIDATION', '交付する券を選んでください。');
    const s = this.stamp(actor);
    const run = `月次交付（${req.month}）`;
    try {
      return this.db.transaction(() => {
        const lines = new Map(this.standingLines(req.month).map((l) => [l.line.key, l.line]));
        const out: CertificateView[] = [];
        for (const key of new Set(req.keys)) {
          const line = lines.get(key);
          if (!line) throw new DomainError('CONFLICT', `一覧を表示した後に変わった券があります（${key.split('|').slice(2).join('・')}）。一覧を表示し直してください。`);
          const person = this.residents.requireRow(actor, line.residentId, 'certificates.issue');
          const { aidStartOn: _a, abolishedOn: _b, ...details } = line.details;
          out.push(this.insertTicket(actor, person, line.type, { ...details, month: req.month }, line.last.name_choice, s, run));
        }
        return out;
      }).immediate();
    } catch (e) {
      if (e instanceof DomainError) this.refuse(actor, action, 'monthly_run', e, null, { month: req.month, count: req.keys.length });
      throw e;
    }
  }

  private insertCertificate(person: ResidentRow, type: CertType, kind: CertRow['issue_kind'], reason: string | null, validity: { validFrom: string; validTo: string | null }, details: StoredDetails, nameChoice: 'real' | 'alias', printSex: boolean, s: Stamp): string {
    const serial = allocateSerial(this.db, type, s);
    const publicPayerNo = type === 'kodomo' ? this.profile.kodomo.publicPayerNo : isTicketType(type) ? String(details.json.publicPayerNo) : null;
    return insertRecord(this.db, 'certificates', {
      resident_id: person.id, cert_type: type, certificate_no: this.numberFor(type, serial), public_payer_no: publicPayerNo,
      issue_kind: kind, reissue_reason: reason, issue_date: this.today(), valid_from: validity.validFrom, valid_to: validity.validTo, guardian_id: details.guardianId,
      status: 'valid', superseded_by: null, details_json: JSON.stringify(details.json), name_choice: nameChoice, print_sex: printSex ? 1 : 0, end_reason: null,
      recall_status: 'none', recall_date: null, recall_kind: null,
    }, s);
  }

  /** The old certificate stops being valid and goes on the 回収 list. */
  private supersede(old: CertRow, why: string, s: Stamp): void {
    const fresh = this.requireCert(old.id);
    if (fresh.status !== 'valid') throw new DomainError('CONFLICT', 'この証はほかの操作で更新されています。画面を開き直してください。');
    updateRecord(this.db, 'certificates', old.id, fresh.version, { status: 'superseded', end_reason: why, recall_status: 'pending' }, s);
    this.addEvent(old, 'supersede', `${why}により失効`, s);
  }

  private linkSuccessor(oldId: string, newId: string, s: Stamp): void {
    const fresh = this.requireCert(oldId);
    updateRecord(this.db, 'certificates', oldId, fresh.version, { superseded_by: newId }, s);
  }

  private addEvent(c: { id: string; resident_id: string }, event: string, reason: string | null, s: Stamp): void {
    insertRecord(this.db, 'certificate_events', { certificate_id: c.id, resident_id: c.resident_id, event, reason }, s);
  }

  /** 訂正: a corrected certificate replaces the valid one; the old one is marked and goes on the 回収 list. */
  correct(actor: Actor, req: { certificateId: string; version: number; details: Record<string, unknown>; nameChoice: 'real' | 'alias'; printSex: boolean; reason: string }): CertificateView {
    const old = this.requireCert(req.certificateId);
    const person = this.residents.requireRow(actor, old.resident_id, 'certificates.correct');
    this.need(actor, old.cert_type, 'certificate.issue', 'certificates.correct', person.atena_no);
    if (old.status !== 'valid') this.refuse(actor, 'certificates.correct', 'not_valid', new DomainError('RULE', '有効な証だけが訂正できます。'), person.atena_no);
    if (isTicketType(old.cert_type)) this.refuse(actor, 'certificates.correct', 'ticket_correct', new DomainError('RULE', `${this.nameOf(old.cert_type)}は訂正できません。取消のうえ、正しい内容で新規交付してください。`), person.atena_no);
    if (old.version !== req.version) this.refuse(actor, 'certificates.correct', 'stale', new DomainError('CONFLICT', 'この証はほかの操作で更新されています。画面を開き直してください。'), person.atena_no);
    if (req.nameChoice === 'alias' && !person.alias_name) throw new DomainError('VALIDATION', '通称名が登録されていません。', { nameChoice: '通称名が登録されていません' });
    const details = this.parseDetails(old.cert_type, req.details, person);
    const s = this.stamp(actor);
    return this.db.transaction(() => {
      this.supersede(old, `訂正（${req.reason}）`, s);
      const id = this.insertCertificate(person, old.cert_type, 'correct', req.reason, { validFrom: old.valid_from, validTo: old.valid_to }, details, req.nameChoice, req.printSex, s);
      this.linkSuccessor(old.id, id, s);
      const cert = this.requireCert(id);
      this.addEvent(cert, 'correct', req.reason, s);
      this.audit.append({ staffId: actor.staffId, action: 'certificates.correct', targetAtenaNo: person.atena_no, reason: req.reason, outcome: 'success', detail: { type: old.cert_type, certificateNo: cert.certificate_no, corrects: old.certificate_no } });
      return toView(cert);
    }).immediate();
  }

  /** 回収: the returned (or not returned) certificate leaves the 回収 list with its date and 区分. */
  recall(actor: Actor, req: { certificateId: string; version: number; date: string; kind: RecallKind }): CertificateView {
    const c = this.requireCert(req.certificateId);
    // A certificate of a person who moved out or died (消除) is still to be recorded as returned.
    const person = this.residents.requireRow(actor, c.resident_id, 'certificates.recall', { removed: true });
    this.need(actor, c.cert_type, 'certificate.issue', 'certificates.recall', person.atena_no);
    if (c.status === 'valid') this.refuse(actor, 'certificates.recall', 'still_valid', new DomainError('RULE', '有効な証は回収できません。先に取消または再交付をしてください。'), person.atena_no);
    if (c.version !== req.version) this.refuse(actor, 'certificates.recall', 'stale', new DomainError('CONFLICT', 'この証はほかの操作で更新されています。画面を開き直してください。'), person.atena_no);
    if (req.date > this.today() || req.date < c.issue_date) throw new DomainError('VALIDATION', '回収日は交付日から本日までの日付を入力してください。', { date: '回収日が正しくありません' });
    const s = this.stamp(actor);
    return this.db.transaction(() => {
      updateRecord(this.db, 'certificates', c.id, c.version, { recall_status: req.kind === '未回収' ? 'not_returned' : 'recalled', recall_date: req.date, recall_kind: req.kind }, s);
      this.addEvent(c, 'recall', `${req.kind}（${req.date}）`, s);
      this.audit.append({ staffId: actor.staffId, action: 'certificates.recall', targetAtenaNo: person.atena_no, outcome: 'success', detail: { certificateNo: c.certificate_no, kind: req.kind, date: req.date } });
      return toView(this.requireCert(c.id));
    })();
  }

  /** 取消: the certificate stops being valid (e.g. 資格喪失) and goes on the 回収 list. */
  cancel(actor: Actor, req: { certificateId: string; version: number; reason: string }): CertificateView {
    const c = this.requireCert(req.certificateId);
    const person = this.residents.requireRow(actor, c.resident_id, 'certificates.cancel');
    this.need(actor, c.cert_type, 'certificate.issue', 'certificates.cancel', person.atena_no);
    if (c.status !== 'valid') this.refuse(actor, 'certificates.cancel', 'not_valid', new DomainError('RULE', '有効な証だけが取消できます。'), person.atena_no);
    if (c.version !== req.version) this.refuse(actor, 'certificates.cancel', 'stale', new DomainError('CONFLICT', 'この証はほかの操作で更新されています。画面を開き直してください。'), person.atena_no);
    const s = this.stamp(actor);
    return this.db.transaction(() => {
      this.cancelRow(c, req.reason, person.atena_no, s);
      return toView(this.requireCert(c.id));
    })();
  }

  private cancelRow(c: CertRow, reason: string, atenaNo: string, s: Stamp): void {
    updateRecord(this.db, 'certificates', c.id, c.version, { status: 'cancelled', end_reason: `取消（${reason}）`, recall_status: 'pending' }, s);
    this.addEvent(c, 'cancel', reason, s);
    this.audit.append({ staffId: s.by, action: 'certificates.cancel', targetAtenaNo: atenaNo, reason, outcome: 'success', detail: { certificateNo: c.certificate_no } });
  }

  /**
   * The 資格 behind a certificate ended (a 喪失 entered at the counter, inside its transaction): the person's valid
   * certificate of `type` that runs to or past `lostOn` is cancelled (取消, 回収リスト) with `reason`, as the 取消 above.
   * Returns its number, or null when none was affected.
   */
  cancelForLoss(residentId: string, atenaNo: string, type: CertType, lostOn: string, reason: string, s: Stamp): string | null {
    const c = this.currentValid(residentId, type);
    if (!c || (c.valid_to !== null && c.valid_to < lostOn)) return null;
    this.cancelRow(c, reason, atenaNo, s);
    return c.certificate_no;
  }

  /** Certificates waiting to be returned (回収 list), oldest first, for the types this member of staff issues. */
  recallList(actor: Actor): (CertificateView & { residentName: string; atenaNo: string })[] {
    const rows = this.db.prepare<[], CertRow>(`SELECT * FROM certificates WHERE ${AWAITS_RECALL_SQL} AND deleted = 0 ORDER BY updated_at`).all();
    const mine = rows.filter((r) => CERT_TYPE_DEFS[r.cert_type] && actor.rights.includes(jimuRight(CERT_TYPE_DEFS[r.cert_type].jimu, 'certificate.issue')));
    this.audit.append({ staffId: actor.staffId, action: 'certificates.recallList', outcome: 'success', detail: { count: mine.length } });
    return mine.map((r) => {
      const p = this.residents.findRow(r.resident_id, { removed: true });
      return { ...toView(r), residentName: p?.name_kanji ?? '（閲覧できない住民）', atenaNo: p?.atena_no ?? '' };
    });
  }

  /** A release for today by someone holding the 事務's approve right (所属長), recorded on the certificate. */
  private releasedToday(c: CertRow): boolean {
    const today = this.today();
    return this.db.prepare<[string], { created_at: string }>(`SELECT created_at FROM certificate_events WHERE certificate_id = ? AND event = 'dv_release' ORDER BY created_at DESC LIMIT 1`).all(c.id).some((e) => todayInJapan(new Date(e.created_at)) === today);
  }

  /** DV等支援措置 / 不開示: a supervisor releases printing the registered address for this certificate, today. */
  releaseDv(actor: Actor, req: { certificateId: string; reason: string }): { releasedAt: string } {
    const c = this.requireCert(req.certificateId);
    const person = this.residents.requireRow(actor, c.resident_id, 'certificates.dvRelease');
    this.need(actor, c.cert_type, 'claim.approve', 'certificates.dvRelease', person.atena_no);
    // The person's or, on a こども医療証, the guardian's (whose address is the one printed).
    if (!this.fieldsOf(c).restricted) throw new DomainError('RULE', 'この方には支援措置・不開示の設定がありません。');
    const s = this.stamp(actor);
    this.db.transaction(() => {
      this.addEvent(c, 'dv_release', req.reason, s);
      this.audit.append({ staffId: actor.staffId, action: 'certificates.dvRelease', targetAtenaNo: person.atena_no, reason: req.reason, outcome: 'success', detail: { certificateNo: c.certificate_no } });
    })();
    return { releasedAt: s.at };
  }

  /** Printed fields from the certificate and the person's current record, read together. */
  fieldsOf(c: CertRow): { fields: PrintedField[]; person: ResidentRow; restricted: boolean; released: boolean } {
    const person = this.residents.findRow(c.resident_id);
    if (!person) throw new DomainError('NOT_FOUND', '該当する住民が見つかりません。');
    const guardian = c.guardian_id ? this.residents.findRow(c.guardian_id) : null;
    // A 給付券 goes to the 指定機関 and prints no address: nothing of a DV等支援措置 to withhold on it.
    const ticket = isTicketType(c.cert_type);
    const restricted = !ticket && (!addressShown(person) || (guardian !== null && !addressShown(guardian)));
    const released = restricted && this.releasedToday(c);
    const withheld = restricted && !released;
    const fields = printedFields({
      type: c.cert_type, name: this.nameOf(c.cert_type), certificateNo: c.certificate_no, issueDate: c.issue_date, validFrom: c.valid_from, validTo: c.valid_to,
      details: detailsOf(c), nameChoice: c.name_choice, printSex: c.print_sex === 1,
      person: { nameKanji: person.name_kanji, aliasName: person.alias_name, nameKana: person.name_kana, birthDate: person.birth_date, sex: person.sex, address: `${person.address}${person.katagaki ? ' ' + person.katagaki : ''}`, addressWithheld: withheld },
      insurance: this.residents.insuranceOf(person.id),
      guardian: guardian ? { nameKanji: guardian.name_kanji, nameKana: guardian.name_kana, address: withheld ? '' : `${guardian.address}${guardian.katagaki ? ' ' + guardian.katagaki : ''}` } : null,
      publicPayerNo: c.public_payer_no,
      caseworkerName: ticket ? this.staffName(String((JSON.parse(c.details_json) as { caseworker?: unknown }).caseworker ?? '')) : null,
    });
    return { fields, person, restricted, released };
  }

  /** A valid certificate was sent by a batch mailing (a 給付券 to its 指定機関): recorded as a 'mail' event, audited. */
  recordMailed(actor: Actor, certificateId: string, title: string): void {
    const c = this.requireCert(certificateId);
    this.need(actor, c.cert_type, 'certificate.issue', 'mailing.item', null);
    if (c.status !== 'valid') throw new DomainError('RULE', 'この証は失効しているため発送できません。');
    const s = this.stamp(actor);
    this.addEvent(c, 'mail', title, s);
    this.audit.append({ staffId: actor.staffId, action: 'mailing.item', outcome: 'success', detail: { certificateNo: c.certificate_no, type: c.cert_type, run: title } });
  }

  /** A member of staff's name (the 地区担当員 of a 給付券), or null. */
  private staffName(staffId: string): string | null {
    return this.db.prepare<[string], { name: string }>('SELECT name FROM staff WHERE staff_id = ? AND deleted = 0').get(staffId)?.name ?? null;
  }

  /** The 回収通知 (a letter asking the holder to return a certificate that is no longer valid). */
  private recallNoticeFields(c: CertRow): { fields: PrintedField[]; person: ResidentRow } {
    const v = this.fieldsOf(c);
    const get = (k: string) => v.fields.find((f) => f.key === k)?.value ?? '';
    const f = (key: string, label: string, value: string): PrintedField => ({ key, label, value });
    const fields = [
      f('title', '文書名', `${this.nameOf(c.cert_type)}の返還について（お願い）`),
      f('name', '宛名', get('name')),
      f('address', '住所', get('address')),
      f('certificate', '返還をお願いする証', `${this.nameOf(c.cert_type)}（番号 ${c.certificate_no}）`),
      f('validity', '有効期間', `${c.valid_from} 〜 ${c.valid_to ?? ''}`),
      f('reason', '理由', c.end_reason ?? ''),
      f('request', 'お願い', 'この証は使用できなくなりました。お手数ですが、窓口へ返還するか、同封の封筒で返送してください。'),
    ];
    return { fields, person: v.person };
  }

  recallNoticeView(actor: Actor, certificateId: string): { certificateId: string; fields: PrintedField[]; fingerprint: string; municipalityName: string } {
    const c = this.requireCert(certificateId);
    const person = this.residents.requireRow(actor, c.resident_id, 'certificates.recallNotice');
    this.need(actor, c.cert_type, 'certificate.issue', 'certificates.recallNotice', person.atena_no);
    if (recallStatusOf(c) !== 'pending') throw new DomainError('RULE', '回収待ちの証ではありません。');
    const v = this.db.transaction(() => this.recallNoticeFields(c))();
    this.previews.set(`${actor.staffId}:recall:${c.id}`, v.fields);
    this.audit.append({ staffId: actor.staffId, action: 'certificates.recallNoticePreview', targetAtenaNo: person.atena_no, outcome: 'success', detail: { certificateNo: c.certificate_no } });
    return { certificateId: c.id, fields: v.fields, fingerprint: CertificateLifecycle.fingerprint(v.fields), municipalityName: this.profile.municipalityName };
  }

  /** Prints the 回収通知 after the same print-safety comparison as a certificate; recorded as a 'mail' event. */
  async printRecallNotice(actor: Actor, req: { certificateId: string; printerName: string; fingerprint: string }, senderId: string): Promise<{ printedAt: string }> {
    const c = this.requireCert(req.certificateId);
    const person = this.residents.requireRow(actor, c.resident_id, 'certificates.printRecallNotice');
    this.need(actor, c.cert_type, 'certificate.issue', 'certificates.printRecallNotice', person.atena_no);
    const refuse = (why: string, e: DomainError, detail: Record<string, unknown> = {}): never => this.refuse(actor, 'certificates.printRecallNotice', why, e, person.atena_no, { certificateNo: c.certificate_no, printer: req.printerName, ...detail });
    if (recallStatusOf(c) !== 'pending') refuse('not_pending', new DomainError('RULE', '回収待ちの証ではありません。'));
    this.assertAsPreviewed(`${actor.staffId}:recall:${c.id}`, this.db.transaction(() => this.recallNoticeFields(this.requireCert(c.id)))().fields, req.fingerprint, refuse);
    const printer = await printOnAllowedPrinter(this.printing, req.printerName, senderId, refuse);
    const s = this.stamp(actor);
    this.db.transaction(() => {
      this.addEvent(c, 'mail', '回収通知', s);
      this.audit.append({ staffId: actor.staffId, action: 'certificates.printRecallNotice', targetAtenaNo: person.atena_no, outcome: 'success', detail: { certificateNo: c.certificate_no, printer: printer.name } });
    })();
    return { printedAt: s.at };
  }

  /**
   * The blank 医療要否意見書 the recipient takes to the 指定医療機関 (医療扶助 with a 要否意見書, flows.ts issue_opinion):
   * the recipient and the 指定医療機関 from the flow's 発行 step; the doctor's items are left blank. From the latest
   * flow that recorded the 発行. No address, no 個人番号.
   */
  private opinionFormFields(residentId: string): { fields: PrintedField[]; person: ResidentRow } {
    const person = this.residents.findRow(residentId);
    if (!person) throw new DomainError('NOT_FOUND', '該当する住民が見つかりません。');
    const flow = (this.aidFlows?.flowsOf(residentId) ?? []).filter((f) => f.residentId === residentId && f.kind === 'iryo_ikensho' && f.facts.opinionInstitution).pop();
    if (!flow) throw new DomainError('RULE', '要否意見書の発行（指定医療機関）が記録されていないため、要否意見書は印刷できません。');
    const inst = flow.facts.opinionInstitution!;
    const issued = [...flow.history].reverse().find((h) => h.action === 'issue_opinion');
    const f = (key: string, label: string, value: string): PrintedField => ({ key, label, value });
    const fields = [
      f('title', '文書名', '医療要否意見書'),
      f('name', '氏名', person.name_kanji),
      f('nameKana', 'フリガナ', person.name_kana),
      f('birthDate', '生年月日', person.birth_date),
      f('sex', '性別', SEX_LABELS[person.sex]),
      f('institution', '指定医療機関', `${inst.name}（${inst.code}）`),
      f('issueDate', '交付年月日', String(issued?.input.issuedOn ?? '')),
      f('diseaseNames', '傷病名', ''),
      f('findings', '主要症状及び今後の診療見込', ''),
      f('period', '治療見込期間', ''),
      f('cost', '概算医療費', ''),
      f('doctor', '医療機関の所在地・名称・医師氏名', ''),
    ];
    return { fields, person };
  }

  opinionFormView(actor: Actor, residentId: string): { residentId: string; fields: PrintedField[]; fingerprint: string; municipalityName: string; size: 'a4' } {
    const person = this.residents.requireRow(actor, residentId, 'certificates.opinionFormPreview');
    if (!actor.rights.includes(jimuRight('seikatsu', 'certificate.print'))) this.refuse(actor, 'certificates.opinionFormPreview', 'forbidden', new DomainError('FORBIDDEN', 'この操作を行う権限がありません。'), person.atena_no);
    let v: { fields: PrintedField[] };
    try {
      v = this.db.transaction(() => this.opinionFormFields(residentId))();
    } catch (e) {
      if (e instanceof DomainError) this.refuse(actor, 'certificates.opinionFormPreview', 'not_found', e, person.atena_no);
      throw e;
    }
    this.previews.set(`${actor.staffId}:opinion:${residentId}`, v.fields);
    this.audit.append({ staffId: actor.staffId, action: 'certificates.opinionFormPreview', targetAtenaNo: person.atena_no, outcome: 'success', detail: {} });
    return { residentId, fields: v.fields, fingerprint: CertificateLifecycle.fingerprint(v.fields), municipalityName: this.profile.municipalityName, size: 'a4' };
  }

  /** Prints the blank 要否意見書 after the same print-safety comparison as a certificate, on an allowed printer; audited. */
  async printOpinionForm(actor: Actor, req: { residentId: string; printerName: string; fingerprint: string }, senderId: string): Promise<{ printedAt: string }> {
    const person = this.residents.requireRow(actor, req.residentId, 'certificates.printOpinionForm');
    const refuse = (why: string, e: DomainError, detail: Record<string, unknown> = {}): never => this.refuse(actor, 'certificates.printOpinionForm', why, e, person.atena_no, { printer: req.printerName, ...detail });
    if (!actor.rights.includes(jimuRight('seikatsu', 'certificate.print'))) refuse('forbidden', new DomainError('FORBIDDEN', 'この操作を行う権限がありません。'));
    let now: PrintedField[];
    try {
      now = this.db.transaction(() => this.opinionFormFields(req.residentId))().fields;
    } catch (e) {
      if (e instanceof DomainError) refuse('not_found', e);
      throw e;
    }
    this.assertAsPreviewed(`${actor.staffId}:opinion:${req.residentId}`, now, req.fingerprint, refuse);
    const printer = await printOnAllowedPrinter(this.printing, req.printerName, senderId, refuse);
    const s = this.stamp(actor);
    this.audit.append({ staffId: actor.staffId, action: 'certificates.printOpinionForm', targetAtenaNo: person.atena_no, outcome: 'success', detail: { printer: printer.name } });
    return { printedAt: s.at };
  }

  /**
   * Print safety: `now` (the printed fields re-read in one transaction) must equal what this member of staff
   * previewed under `key`, and the renderer's fingerprint must be that preview's. Otherwise the preview is
   * forgotten and the print refused, naming each changed field.
   */
  private assertAsPreviewed(
    key: string,
    now: readonly PrintedField[],
    fingerprint: string,
    refuse: (why: string, e: DomainError, detail?: Record<string, unknown>) => never,
  ): void {
    const previewed = this.previews.get(key);
    if (!previewed) refuse('no_preview', new DomainError('RULE', '印刷の前にプレビューを表示して内容を確認してください。'));
    const diff = changedFields(previewed!, now);
    if (diff.length === 0 && CertificateLifecycle.fingerprint(previewed!) === fingerprint) return;
    this.previews.delete(key);
    const list = diff.map((d) => `${d.label}（プレビュー: ${d.before || '空欄'} → 現在: ${d.after || '空欄'}）`).join('、');
    refuse('changed_since_preview', new DomainError('RULE', `プレビューの後に記載内容が変わったため印刷を止めました。${list || '内容が一致しません'}。プレビューを表示し直して確認してください。`), { fields: diff.map((d) => d.label) });
  }

  static fingerprint(fields: readonly PrintedField[]): string {
    return createHash('sha256').update(JSON.stringify(fields.map((f) => [f.key, f.value]))).digest('hex');
  }

  /** Every certificate of a person, all types, with its events (the history screen). */
  lifecycle(actor: Actor, residentId: string): { certificates: CertificateView[]; events: { certificateId: string; certificateNo: string; event: string; reason: string | null; at: string; by: string }[] } {
    const person = this.residents.requireRow(actor, residentId, 'certificates.history');
    // Only the certificates of a 事務 this member of staff works in (holds any right of): a 国保 card says something
    // about a person that a こども医療 clerk with only resident.view has no need to see.
    const mine = (type: CertType) => rightsOfJimu(CERT_TYPE_DEFS[type].jimu).some((r) => actor.rights.includes(r));
    const rows = this.db.prepare<[string], CertRow>('SELECT * FROM certificates WHERE resident_id = ? AND deleted = 0 ORDER BY created_at DESC, id DESC').all(residentId).filter((r) => CERT_TYPE_DEFS[r.cert_type] && mine(r.cert_type));
    const certificates = rows.map(toView);
    const shown = new Set(rows.map((r) => r.id));
    const events = this.db
      .prepare<[string], { certificate_id: string; certificate_no: string; event: string; reason: string | null; created_at: string; created_by: string }>(
        `SELECT e.certificate_id, c.certificate_no, e.event, e.reason, e.created_at, e.created_by FROM certificate_events e JOIN certificates c ON c.id = e.certificate_id
          WHERE e.resident_id = ? AND e.deleted = 0 ORDER BY e.created_at DESC, e.id DESC`,
      )
      .all(residentId)
      .filter((e) => shown.has(e.certificate_id))
      .map((e) => ({ certificateId: e.certificate_id, certificateNo: e.certificate_no, event: e.event, reason: e.reason, at: e.created_at, by: e.created_by }));
    this.audit.append({ staffId: actor.staffId, action: 'certificates.history', targetAtenaNo: person.atena_no, outcome: 'success', detail: { count: certificates.length } });
    return { certificates, events };
  }

  /** What the issue form needs: the valid certificate, validity, choices, and the data a type certifies. */
  prepare(actor: Actor, type: CertType, residentId: string) {
    const person = this.residents.requireRow(actor, residentId, 'certificates.prepare');
    this.need(actor, type, 'certificate.issue', 'certificates.prepare', person.atena_no);
    const offer = certificateAvailability(type, this.residents.factsOf(person), this.today());
    if (!offer.available) this.refuse(actor, 'certificates.prepare', 'ineligible', new DomainError('RULE', `${this.nameOf(type)}は交付できません。${offer.reason}`), person.atena_no, { type });
    const v = this.validity(type, person);
    const current = this.currentValid(residentId, type);
    const def = CERT_TYPE_DEFS[type];
    // A こども医療証 whose profile has no renewal date (valid to the 18歳年度末) is replaced by 再交付: suggest it.
    const replaceBy = type === 'kodomo' && !this.profile.kodomo.renewal ? ('reissue' as const) : ('renew' as const);
    const vaccinationRecords =
      type === 'yobou_shomei'
        ? this.db
            .prepare<[string], { vaccine: string; stage: string | null; dose_number: number; administered_on: string; lot_number: string | null; institution: string }>(
              'SELECT vaccine, stage, dose_number, administered_on, lot_number, institution FROM vaccination_records WHERE resident_id = ? AND invalid = 0 AND deleted = 0 ORDER BY administered_on',
            )
            .all(residentId)
            .map((r) => ({ vaccineName: vaccineByCode(r.vaccine)?.name ?? r.vaccine, doseLabel: doseLabel(r.stage, r.dose_number), administeredOn: r.administered_on, lotNumber: r.lot_number, institution: r.institution }))
        : [];
    const grantedExemptions =
      type === 'yobou_genmen'
        ? this.db
            .prepare<[string], { claim_no: string; input_json: string }>(`SELECT claim_no, input_json FROM claims WHERE resident_id = ? AND claim_kind = 'yobou_genmen' AND decision = '交付' AND deleted = 0 ORDER BY decided_at DESC`)
            .all(residentId)
            .map((c) => ({ claimNo: c.claim_no, vaccine: String((JSON.parse(c.input_json) as { vaccine?: string }).vaccine ?? '') }))
        : [];
    return {
      type,
      typeName: this.nameOf(type),
      current: current ? toView(current) : null,
      validFrom: v.validFrom,
      validTo: v.validTo,
      eligibilityEndsOn: v.eligibilityEndsOn,
      publicPayerNo: type === 'kodomo' ? this.profile.kodomo.publicPayerNo : null,
      suggestedIssueKind: current ? replaceBy : ('new' as const),
      residentVersion: person.version,
      aliasName: person.alias_name,
      sexChoice: def.sexChoice,
      limitKubun: type.startsWith('kokuho_') ? kubunOfIncomeClass(kokuhoShikakuOn(this.residents.kokuhoOf(person.atena_no), this.today())?.incomeClass ?? null) : null,
      /** For a type naming a 保護者: the person's guardians in the resident data (the form offers the first). */
      guardians: def.guardian ? this.residents.related(residentId, 'guardians').map((g) => ({ id: g.id, nameKanji: g.nameKanji, relationship: g.relationship })) : [],
      vaccinationRecords,
      grantedExemptions,
    };
  }

  private timesPrinted(certificateId: string): number {
    return this.db.prepare<[string], { n: number }>(`SELECT count(*) AS n FROM certificate_events WHERE certificate_id = ? AND event = 'print'`).get(certificateId)?.n ?? 0;
  }

  /** The preview: the printed fields (remembered for the print-safety comparison), audited. */
  printView(actor: Actor, certificateId: string) {
    const c = this.requireCert(certificateId);
    this.residents.requireRow(actor, c.resident_id, 'certificates.printView');
    this.need(actor, c.cert_type, 'certificate.print', 'certificates.printView', null);
    return this.db.transaction(() => {
      const v = this.fieldsOf(c);
      this.previews.set(`${actor.staffId}:${c.id}`, v.fields);
      this.audit.append({ staffId: actor.staffId, action: 'certificates.printPreview', targetAtenaNo: v.person.atena_no, outcome: 'success', detail: { certificateNo: c.certificate_no, type: c.cert_type } });
      const def = CERT_TYPE_DEFS[c.cert_type];
      return {
        certificateId: c.id, type: c.cert_type, typeName: this.nameOf(c.cert_type), size: def.size, issueKind: c.issue_kind, fields: v.fields,
        fingerprint: CertificateLifecycle.fingerprint(v.fields), restricted: v.restricted, released: v.released, status: c.status,
        municipalityName: this.profile.municipalityName, ...this.issuerOf(c.cert_type), timesPrinted: this.timesPrinted(c.id),
      };
    })();
  }

  /** The profile's 交付者 title and fixed notes of a type (the こども医療証's come from the profile). */
  private issuerOf(type: CertType): { issuerTitle: string | null; notes: string[] } {
    return type === 'kodomo' ? { issuerTitle: this.profile.kodomo.issuerTitle, notes: [...this.profile.kodomo.notes] } : { issuerTitle: null, notes: [] };
  }

  /** Printers this terminal may print to: installed, allowed by policy, and not print-to-file/PDF. */
  async printers(actor: Actor): Promise<string[]> {
    if (!actor.rights.some((r) => r.endsWith(':certificate.print'))) throw new DomainError('FORBIDDEN', 'この操作を行う権限がありません。');
    if (!this.printing) return [];
    return allowedPrinters(await this.printing.port.list(), this.printing.allowedPrinters).printers.map((p) => p.name);
  }

  /**
   * Print safety: in one transaction, re-read every printed field from the same person's current record
   * and compare with what this member of staff previewed; any difference blocks the print with an
   * explanation. Then print on an allowed printer and record it.
   */
  async print(actor: Actor, req: { certificateId: string; printerName: string; fingerprint: string }, senderId: string): Promise<{ printedAt: string }> {
    const c = this.requireCert(req.certificateId);
    const person = this.residents.requireRow(actor, c.resident_id, 'certificates.print');
    this.need(actor, c.cert_type, 'certificate.print', 'certificates.print', person.atena_no);
    const refuse = (why: string, e: DomainError, detail: Record<string, unknown> = {}): never => this.refuse(actor, 'certificates.print', why, e, person.atena_no, { certificateNo: c.certificate_no, printer: req.printerName, ...detail });
    if (c.status !== 'valid') refuse('not_valid', new DomainError('RULE', 'この証は失効しているため印刷できません。'));
    const now = this.db.transaction(() => this.fieldsOf(this.requireCert(c.id)))();
    this.assertAsPreviewed(`${actor.staffId}:${c.id}`, now.fields, req.fingerprint, refuse);
    const printer = await printOnAllowedPrinter(this.printing, req.printerName, senderId, refuse);
    const s = this.stamp(actor);
    this.db.transaction(() => {
      const printed = this.timesPrinted(c.id);
      this.addEvent(c, 'print', printed > 0 ? '再印刷' : null, s);
      this.audit.append({ staffId: actor.staffId, action: 'certificates.print', targetAtenaNo: person.atena_no, outcome: 'success', detail: { certificateNo: c.certificate_no, type: c.cert_type, reprint: printed > 0, printer: printer.name, addressReleased: now.released } });
    })();
    return { printedAt: s.at };
  }
}
