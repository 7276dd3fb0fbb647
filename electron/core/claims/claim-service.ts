import { twoPersonProblem } from '../../../shared/domain/claims/two-person';
import type { ClaimDetail, ClaimSummary } from '../../../shared/ipc/claims-contract';
import { jimuRight } from '../../../shared/domain/rights';
import type { AuditAction } from '../../../shared/audit/actions';
import type { RuleProfile } from '../../../shared/domain/profile';
import type { Right } from '../../../shared/domain/rights';
import { bankAccountSchema, type BankAccount } from '../../../shared/domain/bank-account';
import { checkIdentity } from '../../../shared/domain/identity-check';
import { claimAvailability, kodomoClaimCoverage, kokuhoClaimCoverage, type Availability } from '../../../shared/domain/availability';
import {
  CLAIM_KIND_LABELS,
  CLAIM_KINDS,
  ClaimInputError,
  ClaimSettingsError,
  computeClaim,
  decisionsOf,
  isNegativeDecision,
  jimuOfClaimKind,
  type ClaimDecision,
  keyFigures,
  normalizeFigure,
  paysMoney,
  type ClaimComputation,
  type ClaimKind,
  type KeyFigure,
} from '../../../shared/domain/claims';
import type { RuleTables } from '../../../shared/domain/claims/rule-tables';
import { todayInJapan } from '../../../shared/domain/wareki';
import type { AuditLog } from '../audit/audit-log';
import type { Actor } from '../actor';
import type { Db } from '../db/database';
import { insertRecord, updateRecord, type Stamp } from '../db/records';
import { DomainError } from '../errors';
import type { Clock } from '../platform';
import type { ResidentRow, ResidentService } from '../residents/resident-service';
import type { BankDirectory } from './bank-directory';
import type { KodomoShikakuService } from './kodomo-shikaku-service';

export interface ClaimRow {
  id: string;
  version: number;
  claim_kind: ClaimKind;
  claim_no: string;
  resident_id: string;
  applicant_id: string | null;
  application_date: string;
  state: 'received' | 'checked' | 'decided' | 'withdrawn';
  input_json: string;
  identity_json: string;
  bank_json: string | null;
  calc_json: string;
  amount_yen: number | null;
  deadline: string | null;
  deadline_expired: 0 | 1;
  entered_by: string;
  checked_by: string | null;
  decided_by: string | null;
  decision: string | null;
  decision_reason: string | null;
  override_reason: string | null;
  decided_at: string | null;
  notice_no: string | null;
  revision: number;
  updated_at: string;
}

export interface ClaimEntry {
  kind: ClaimKind;
  residentId: string;
  applicantId: string | null;
  applicationDate: string;
  input: Record<string, unknown>;
  identity: Record<string, unknown>;
  bank: Record<string, unknown> | null;
}

interface StoredBank extends BankAccount {
  bankName: string;
  branchName: string;
}

const right = (kind: ClaimKind, fn: 'claim.enter' | 'claim.check' | 'claim.approve'): Right => jimuRight(jimuOfClaimKind(kind), fn);

/** Turns calculation/validation problems into the error the renderer shows next to each field. */
function validation(issues: ReadonlyArray<{ path: string; message: string }>, prefix: string): DomainError {
  const fieldErrors: Record<string, string> = {};
  for (const i of issues) {
    const key = `${prefix}${i.path ? `.${i.path}` : ''}`;
    fieldErrors[key] ??= i.message;
  }
  return new DomainError('VALIDATION', issues[0]?.message ?? '入力内容に誤りがあります。', fieldErrors);
}

/**
 * Claim entry and its workflow: 受付 (clerk) → 二重チェック by someone else → 決裁 by a third person →
 * 支給/不支給 → notice. Each step is a new version of the claim row and a claim_events row, in one
 * transaction with its audit entry. The amount is always recomputed here from the stored input.
 */
export class ClaimService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly residents: ResidentService,
    private readonly profile: RuleProfile,
    private readonly tables: RuleTables | null,
    private readonly banks: BankDirectory,
    private readonly terminalId: string,
    private readonly kodomo: KodomoShikakuService,
  ) {}

  /** The claim against the person's 資格 on its dates: 国保 (its 診療月 or date), こども医療 (each line's 診療月). */
  private coverage(kind: ClaimKind, input: unknown, resident: ResidentRow): Availability {
    const kokuho = kokuhoClaimCoverage(kind, input, this.residents.kokuhoOf(resident.atena_no));
    if (!kokuho.available) return kokuho;
    return kodomoClaimCoverage(kind, input, this.residents.kodomoOf(resident));
  }

  /** A 受給資格の交付申請 about the child (保護者, 取得日): a field error, refused and audited. */
  private applicationCheck(actor: Actor, action: AuditAction, kind: ClaimKind, input: unknown, resident: ResidentRow): void {
    if (kind !== 'kodomo_shikaku') return;
    const p = this.kodomo.applicationProblem(resident, input);
    if (p) this.refuse(actor, action, 'invalid', new DomainError('VALIDATION', p.message, { [p.field]: p.message }), resident.atena_no, { kind, fields: [p.field] });
  }

  private stamp(actor: Actor): Stamp {
    return { by: actor.staffId, at: this.clock.now().toISOString() };
  }

  private today(): string {
    return todayInJapan(this.clock.now());
  }

  private has(actor: Actor, kind: ClaimKind, fn: 'claim.enter' | 'claim.check' | 'claim.approve'): boolean {
    return actor.rights.includes(right(kind, fn));
  }

  private refuse(actor: Actor, action: AuditAction, why: string, error: DomainError, target: string | null = null, detail: Record<string, unknown> = {}): never {
    return this.audit.refuse({ staffId: actor.staffId, action, targetAtenaNo: target, detail: { why, ...detail } }, error);
  }

  /** Kinds this member of staff may enter, with the rules the form needs to compute live. */
  context(actor: Actor): { kinds: ClaimKind[]; settings: Record<string, unknown>; tables: Record<string, unknown>; today: string } {
    return {
      kinds: CLAIM_KINDS.filter((k) => this.has(actor, k, 'claim.enter')),
      settings: this.profile.claims as unknown as Record<string, unknown>,
      tables: (this.tables ?? {}) as unknown as Record<string, unknown>,
      today: this.today(),
    };
  }

  private compute(kind: ClaimKind, input: unknown, applicationDate: string): ClaimComputation {
    if (!this.tables) throw new DomainError('RULE', 'ルール表が読み込まれていないため計算できません。IT担当者に連絡してください。');
    try {
      return computeClaim(kind, input, { settings: this.profile.claims, tables: this.tables }, applicationDate);
    } catch (e) {
      if (e instanceof ClaimInputError) throw validation(e.issues, 'input');
      if (e instanceof ClaimSettingsError) throw new DomainError('RULE', e.message);
      throw e;
    }
  }

  /** Checks identity, bank account and input; returns what is stored. Nothing is written here. */
  private async validateEntry(e: ClaimEntry): Promise<{ computation: ClaimComputation; identity: unknown; bank: StoredBank | null }> {
    if (e.applicationDate > this.today()) throw new DomainError('VALIDATION', '申請日に未来の日付は入力できません。', { applicationDate: '申請日に未来の日付は入力できません' });
    const id = checkIdentity(e.identity);
    if (!id.ok) throw validation(id.errors, 'identity');
    let bank: StoredBank | null = null;
    if (paysMoney(e.kind)) {
      if (!e.bank) throw new DomainError('VALIDATION', '振込先口座を入力してください。', { bank: '振込先口座を入力してください' });
      const parsed = bankAccountSchema.safeParse(e.bank);
      if (!parsed.success) throw validation(parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })), 'bank');
      const codes = await this.banks.checkAccountCodes(parsed.data.bankCode, parsed.data.branchCode);
      if (!codes.ok) throw new DomainError('VALIDATION', codes.message, { [`bank.${codes.field}`]: codes.message });
      bank = { ...parsed.data, bankName: codes.bank.name, branchName: codes.branch.name };
    } else if (e.bank) {
      throw new DomainError('VALIDATION', 'この請求には振込先口座は不要です。', { bank: 'この請求には振込先口座は不要です' });
    }
    const computation = this.compute(e.kind, e.input, e.applicationDate);
    return { computation, identity: { ...id.value, method: id.method }, bank };
  }

  private requireResident(actor: Actor, residentId: string, action: AuditAction): ResidentRow {
    return this.residents.requireRow(actor, residentId, action);
  }

  private nextClaimNo(): string {
    const day = this.today().replaceAll('-', '');
    const prefix = `${day}-${this.terminalId}-`;
    const n = this.db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM claims WHERE claim_no LIKE ? ESCAPE \'\\\'').get(`${prefix.replaceAll('_', '\\_')}%`)?.n ?? 0;
    return `${prefix}${String(n + 1).padStart(4, '0')}`;
  }

  private addEvent(claimId: string, event: string, reason: string | null, detail: Record<string, unknown>, s: Stamp): void {
    insertRecord(this.db, 'claim_events', { claim_id: claimId, event, reason, detail_json: JSON.stringify(detail) }, s);
  }

  /** 受付: validates everything, computes the amount, stores the claim and its first event. */
  async receive(actor: Actor, e: ClaimEntry & { draftKey: string | null }): Promise<ClaimDetail> {
    if (!this.has(actor, e.kind, 'claim.enter')) this.refuse(actor, 'claims.receive', 'forbidden', new DomainError('FORBIDDEN', 'この請求を受け付ける権限がありません。'));
    const resident = this.requireResident(actor, e.residentId, 'claims.receive');
    if (e.applicantId) this.requireResident(actor, e.applicantId, 'claims.receive');
    const offer = claimAvailability(e.kind, this.residents.factsOf(resident), this.today());
    if (!offer.available) this.refuse(actor, 'claims.receive', 'ineligible', new DomainError('RULE', `${CLAIM_KIND_LABELS[e.kind]}は受け付けられません。${offer.reason}`), resident.atena_no, { kind: e.kind });
    let v: Awaited<ReturnType<ClaimService['validateEntry']>>;
    try {
      v = await this.validateEntry(e);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'VALIDATION') this.refuse(actor, 'claims.receive', 'invalid', err, resident.atena_no, { kind: e.kind, fields: Object.keys(err.fieldErrors ?? {}) });
      throw err;
    }
    // 国保: the 診療月 (高額療養費) or the date (療養費 支払日, 出産日) must lie within the person's 資格; こども: each 診療月.
    const covered = this.coverage(e.kind, e.input, resident);
    this.applicationCheck(actor, 'claims.receive', e.kind, e.input, resident);
    if (!covered.available) this.refuse(actor, 'claims.receive', 'ineligible', new DomainError('RULE', `${CLAIM_KIND_LABELS[e.kind]}は受け付けられません。${covered.reason}`), resident.atena_no, { kind: e.kind });
    const s = this.stamp(actor);
    const id = this.db.transaction(() => {
      const claimId = insertRecord(this.db, 'claims', {
        claim_kind: e.kind,
        claim_no: this.nextClaimNo(),
        resident_id: e.residentId,
        applicant_id: e.applicantId,
        application_date: e.applicationDate,
        state: 'received',
        input_json: JSON.stringify(e.input),
        identity_json: JSON.stringify(v.identity),
        bank_json: v.bank ? JSON.stringify(v.bank) : null,
        calc_json: JSON.stringify(v.computation),
        amount_yen: v.computation.amountYen,
        deadline: v.computation.deadline?.deadline ?? null,
        deadline_expired: v.computation.deadline?.expired ? 1 : 0,
        entered_by: actor.staffId,
        checked_by: null,
        decided_by: null,
        decision: null,
        decision_reason: null,
        override_reason: null,
        decided_at: null,
        notice_no: null,
        revision: 1,
      }, s);
      this.addEvent(claimId, 'received', null, { amountYen: v.computation.amountYen }, s);
      if (e.draftKey) this.db.prepare('DELETE FROM claim_drafts WHERE staff_id = ? AND draft_key = ?').run(actor.staffId, e.draftKey);
      this.audit.append({ staffId: actor.staffId, action: 'claims.receive', targetAtenaNo: resident.atena_no, outcome: 'success', detail: { claimId, kind: e.kind, amountYen: v.computation.amountYen, deadlineExpired: v.computation.deadline?.expired ?? false } });
      return claimId;
    })();
    return this.detail(actor, this.requireClaim(id));
  }

  requireClaim(claimId: string): ClaimRow {
    const row = this.db.prepare<[string], ClaimRow>('SELECT * FROM claims WHERE id = ? AND deleted = 0').get(claimId);
    if (!row) throw new DomainError('NOT_FOUND', '該当する請求が見つかりません。');
    return row;
  }

  private mayView(actor: Actor, kind: ClaimKind): boolean {
    return this.has(actor, kind, 'claim.enter') || this.has(actor, kind, 'claim.check') || this.has(actor, kind, 'claim.approve');
  }

  private bankFigure(row: ClaimRow): KeyFigure[] {
    if (!row.bank_json) return [];
    const b = JSON.parse(row.bank_json) as StoredBank;
    return [{ key: 'account', label: '口座番号', value: b.accountNumber }];
  }

  private figuresOf(row: ClaimRow): KeyFigure[] {
    return [...keyFigures(row.claim_kind, JSON.parse(row.input_json)), ...this.bankFigure(row)];
  }

  /**
   * The claim as this member of staff may see it. A possible checker gets the key figures withheld (input,
   * amount, breakdown, account number) unless they chose to reveal them, which commits them to checking field by
   * field for this revision (a blind re-entry after seeing the figures is refused).
   */
  detail(actor: Actor, row: ClaimRow, reveal = false): ClaimDetail {
    const full = this.fullDetail(actor, row);
    if (!full.may.check || reveal) return full;
    return {
      ...full,
      redacted: true,
      input: {},
      amountYen: null,
      breakdown: [],
      notes: [],
      suggestion: null,
      bank: full.bank ? { ...full.bank, accountNumber: '*'.repeat(full.bank.accountNumber.length) } : null,
      events: full.events.map((e) => (e.event === 'corrected' ? { ...e, detail: { revision: e.detail.revision } } : e)),
    };
  }

  private fullDetail(actor: Actor, row: ClaimRow): ClaimDetail {
    const resident = this.residents.findRow(row.resident_id);
    const applicant = row.applicant_id ? this.residents.findRow(row.applicant_id) : null;
    const calc = JSON.parse(row.calc_json) as ClaimComputation;
    const bank = row.bank_json ? (JSON.parse(row.bank_json) as StoredBank) : null;
    const events = this.db
      .prepare<[string], { created_at: string; created_by: string; event: string; reason: string | null; detail_json: string }>(
        'SELECT created_at, created_by, event, reason, detail_json FROM claim_events WHERE claim_id = ? ORDER BY created_at, id',
      )
      .all(row.id)
      .map((e) => ({ at: e.created_at, by: e.created_by, event: e.event, reason: e.reason, detail: JSON.parse(e.detail_json) as Record<string, unknown> }));
    const me = actor.staffId;
    return {
      ...this.summary(row, resident),
      version: row.version,
      applicantId: row.applicant_id,
      applicantName: applicant?.name_kanji ?? null,
      input: JSON.parse(row.input_json) as Record<string, unknown>,
      identity: JSON.parse(row.identity_json) as Record<string, unknown>,
      bank: bank
        ? { bankCode: bank.bankCode, bankName: bank.bankName, branchCode: bank.branchCode, branchName: bank.branchName, depositType: bank.depositType, accountNumber: bank.accountNumber, holderKana: bank.holderKana, publicFundAccount: bank.publicFundAccount }
        : null,
      breakdown: calc.breakdown,
      notes: calc.notes,
      deadline: row.deadline,
      suggestion: calc.suggestion,
      decisionReason: row.decision_reason,
      overrideReason: row.override_reason,
      noticeNo: row.notice_no,
      events,
      may: {
        check: row.state === 'received' && !this.correctors(row).has(me) && this.has(actor, row.claim_kind, 'claim.check'),
        correct: (row.state === 'received' || row.state === 'checked') && this.has(actor, row.claim_kind, 'claim.enter'),
        decide: row.state === 'checked' && !this.correctors(row).has(me) && row.checked_by !== me && this.has(actor, row.claim_kind, 'claim.approve'),
        printNotice: row.state === 'decided' && this.has(actor, row.claim_kind, 'claim.approve'),
      },
      checkFields: this.figuresOf(row).map(({ key, label }) => ({ key, label })),
      redacted: false,
    };
  }

  summary(row: ClaimRow, resident: ResidentRow | null): ClaimSummary {
    return {
      id: row.id,
      claimNo: row.claim_no,
      kind: row.claim_kind,
      residentId: row.resident_id,
      residentName: resident?.name_kanji ?? '（閲覧できない住民）',
      atenaNo: resident?.atena_no ?? '',
      applicationDate: row.application_date,
      state: row.state,
      amountYen: row.amount_yen,
      decision: row.decision,
      enteredBy: row.entered_by,
      checkedBy: row.checked_by,
      decidedBy: row.decided_by,
      deadlineExpired: row.deadline_expired === 1,
      revision: row.revision,
      updatedAt: row.updated_at,
    };
  }

  get(actor: Actor, claimId: string, reveal = false): ClaimDetail {
    const row = this.requireClaim(claimId);
    const resident = this.requireResident(actor, row.resident_id, 'claims.view');
    if (!this.mayView(actor, row.claim_kind)) this.refuse(actor, 'claims.view', 'forbidden', new DomainError('FORBIDDEN', 'この請求を表示する権限がありません。'), resident.atena_no);
    const mayCheck = this.fullDetail(actor, row).may.check;
    this.db.transaction(() => {
      // A possible checker who looks at the figures is recorded: for this revision only a field-by-field check remains.
      if (mayCheck && reveal) this.addEvent(row.id, 'figures_viewed', null, { revision: row.revision }, this.stamp(actor));
      this.audit.append({ staffId: actor.staffId, action: 'claims.view', targetAtenaNo: resident.atena_no, outcome: 'success', detail: { claimId, figures: !mayCheck || reveal } });
    })();
    return this.detail(actor, this.requireClaim(claimId), reveal);
  }

  /** Whether `actor` has seen the figures of the claim's current revision (then a blind check is no longer blind). */
  private sawFigures(actor: Actor, row: ClaimRow): boolean {
    return this.db
      .prepare<[string, string], { detail_json: string }>(`SELECT detail_json FROM claim_events WHERE claim_id = ? AND event = 'figures_viewed' AND created_by = ?`)
      .all(row.id, actor.staffId)
      .some((e) => (JSON.parse(e.detail_json) as { revision?: number }).revision === row.revision);
  }

  /** Who entered the current revision: the enterer, or whoever made the last correction. */
  private correctors(row: ClaimRow): Set<string> {
    const who = this.db.prepare<[string], { created_by: string }>(`SELECT created_by FROM claim_events WHERE claim_id = ? AND event = 'corrected'`).all(row.id).map((e) => e.created_by);
    return new Set([row.entered_by, ...who]);
  }

  private requireVersion(actor: Actor, row: ClaimRow, version: number, action: AuditAction, atena: string): void {
    if (row.version !== version) this.refuse(actor, action, 'stale', new DomainError('CONFLICT', 'この請求はほかの操作で更新されています。画面を開き直してください。'), atena, { claimId: row.id });
  }

  /**
   * 二重チェック by a different person: blind re-entry of the key figures (mismatches are named, their stored
   * values are not shown), or confirmation of every field against the paper.
   */
  check(actor: Actor, req: { claimId: string; version: number; mode: 'blind' | 'confirm'; figures: Record<string, string>; confirmedAll: boolean }): { result: 'checked' | 'mismatch'; mismatches: { key: string; label: string }[]; claim: ClaimDetail } {
    const row = this.requireClaim(req.claimId);
    const resident = this.requireResident(actor, row.resident_id, 'claims.check');
    const atena = resident.atena_no;
    if (!this.has(actor, row.claim_kind, 'claim.check')) this.refuse(actor, 'claims.check', 'forbidden', new DomainError('FORBIDDEN', 'この請求を確認する権限がありません。'), atena);
    const own = twoPersonProblem('not_enterer', actor.staffId, this.correctors(row), row.checked_by, '請求');
    if (own) this.refuse(actor, 'claims.check', own.code, new DomainError('RULE', own.message), atena, { claimId: row.id });
    if (row.state !== 'received') this.refuse(actor, 'claims.check', 'state', new DomainError('RULE', 'この請求は確認待ちではありません。'), atena, { claimId: row.id, state: row.state });
    this.requireVersion(actor, row, req.version, 'claims.check', atena);
    let mismatches: { key: string; label: string }[] = [];
    if (req.mode === 'blind' && this.sawFigures(actor, row)) {
      this.refuse(actor, 'claims.check', 'saw_figures', new DomainError('RULE', 'この版の入力内容を表示したため、見ずに再入力する確認はできません。項目ごとに申請書と照合してください。'), atena, { claimId: row.id });
    }
    if (req.mode === 'blind') {
      mismatches = this.figuresOf(row)
        .filter((f) => normalizeFigure(req.figures[f.key] ?? '') !== normalizeFigure(f.value))
        .map(({ key, label }) => ({ key, label }));
    } else if (!req.confirmedAll) {
      throw new DomainError('VALIDATION', 'すべての項目を申請書と照合してから確認してください。', { confirmedAll: 'すべての項目を照合してください' });
    }
    const s = this.stamp(actor);
    this.db.transaction(() => {
      if (mismatches.length > 0) {
        this.addEvent(row.id, 'check_mismatch', null, { mode: req.mode, fields: mismatches.map((m) => m.label) }, s);
        this.audit.append({ staffId: actor.staffId, action: 'claims.check', targetAtenaNo: atena, outcome: 'rejected', detail: { claimId: row.id, mismatches: mismatches.map((m) => m.key) } });
      } else {
        updateRecord(this.db, 'claims', row.id, row.version, { state: 'checked', checked_by: actor.staffId }, s);
        this.addEvent(row.id, 'checked', null, { mode: req.mode }, s);
        this.audit.append({ staffId: actor.staffId, action: 'claims.check', targetAtenaNo: atena, outcome: 'success', detail: { claimId: row.id, mode: req.mode } });
      }
    })();
    return { result: mismatches.length ? 'mismatch' : 'checked', mismatches, claim: this.detail(actor, this.requireClaim(row.id)) };
  }

  /** 訂正: a new revision with a reason; the previous input stays in the event history; the check starts over. */
  async correct(actor: Actor, req: Omit<ClaimEntry, 'kind' | 'residentId'> & { claimId: string; version: number; reason: string }): Promise<ClaimDetail> {
    const row = this.requireClaim(req.claimId);
    const resident = this.requireResident(actor, row.resident_id, 'claims.correct');
    if (!this.has(actor, row.claim_kind, 'claim.enter')) this.refuse(actor, 'claims.correct', 'forbidden', new DomainError('FORBIDDEN', 'この請求を訂正する権限がありません。'), resident.atena_no);
    if (row.state !== 'received' && row.state !== 'checked') this.refuse(actor, 'claims.correct', 'state', new DomainError('RULE', '決定済みの請求は訂正できません。'), resident.atena_no, { claimId: row.id });
    this.requireVersion(actor, row, req.version, 'claims.correct', resident.atena_no);
    if (req.applicantId) this.requireResident(actor, req.applicantId, 'claims.correct');
    const covered = this.coverage(row.claim_kind, req.input, resident);
    if (!covered.available) this.refuse(actor, 'claims.correct', 'ineligible', new DomainError('RULE', `訂正できません。${covered.reason}`), resident.atena_no, { claimId: row.id });
    this.applicationCheck(actor, 'claims.correct', row.claim_kind, req.input, resident);
    const v = await this.validateEntry({ ...req, kind: row.claim_kind, residentId: row.resident_id });
    const s = this.stamp(actor);
    this.db.transaction(() => {
      const fresh = this.requireClaim(row.id);
      if (fresh.version !== req.version) throw new DomainError('CONFLICT', 'この請求はほかの操作で更新されています。画面を開き直してください。');
      updateRecord(this.db, 'claims', row.id, row.version, {
        applicant_id: req.applicantId,
        application_date: req.applicationDate,
        input_json: JSON.stringify(req.input),
        identity_json: JSON.stringify(v.identity),
        bank_json: v.bank ? JSON.stringify(v.bank) : null,
        calc_json: JSON.stringify(v.computation),
        amount_yen: v.computation.amountYen,
        deadline: v.computation.deadline?.deadline ?? null,
        deadline_expired: v.computation.deadline?.expired ? 1 : 0,
        state: 'received',
        checked_by: null,
        revision: row.revision + 1,
      }, s);
      // The previous revision, kept whole: nothing of the earlier entry is lost.
      this.addEvent(row.id, 'corrected', req.reason, {
        revision: row.revision,
        previous: { applicationDate: row.application_date, input: JSON.parse(row.input_json) as unknown, bank: row.bank_json ? (JSON.parse(row.bank_json) as unknown) : null, amountYen: row.amount_yen },
      }, s);
      this.audit.append({ staffId: actor.staffId, action: 'claims.correct', targetAtenaNo: resident.atena_no, reason: req.reason, outcome: 'success', detail: { claimId: row.id, revision: row.revision + 1, amountYen: v.computation.amountYen } });
    })();
    return this.detail(actor, this.requireClaim(row.id));
  }

  /**
   * 決裁 by a third person: 支給/不支給 (交付/却下 for 減免, 認定/却下 for a 受給資格). A claim past its deadline is paid
   * only with a reason. A 認定 makes the こども医療 受給資格 in the same transaction.
   */
  decide(actor: Actor, req: { claimId: string; version: number; decision: ClaimDecision; reason: string | null; overrideReason: string | null }): ClaimDetail {
    const row = this.requireClaim(req.claimId);
    const resident = this.requireResident(actor, row.resident_id, 'claims.decide');
    const atena = resident.atena_no;
    const no = (why: string, msg: string, code: 'RULE' | 'FORBIDDEN' | 'VALIDATION' = 'RULE', fieldErrors?: Record<string, string>) =>
      this.refuse(actor, 'claims.decide', why, new DomainError(code, msg, fieldErrors), atena, { claimId: row.id });
    if (!this.has(actor, row.claim_kind, 'claim.approve')) no('forbidden', 'この請求を決裁する権限がありません。', 'FORBIDDEN');
    const own = twoPersonProblem('not_enterer_nor_checker', actor.staffId, this.correctors(row), row.checked_by, '請求');
    if (own) no(own.code, own.message);
    if (row.state !== 'checked') no('state', row.state === 'received' ? '二重チェックが済んでいない請求は決裁できません。' : 'この請求は決裁待ちではありません。');
    this.requireVersion(actor, row, req.version, 'claims.decide', atena);
    const allowed: readonly string[] = decisionsOf(row.claim_kind);
    if (!allowed.includes(req.decision)) no('decision', `この請求の決定は「${allowed.join('」か「')}」です。`, 'VALIDATION', { decision: `「${allowed.join('」か「')}」を選択してください` });
    const negative = isNegativeDecision(req.decision);
    if (req.decision === '認定') {
      // The child as it is now: still a guardian, within age, no other 資格 on the 取得日 (one may have been made since).
      const p = this.kodomo.applicationProblem(resident, JSON.parse(row.input_json));
      if (p) no('ineligible', `認定できません。${p.message}。`);
    }
    if (negative && !req.reason) no('no_reason', `${req.decision}の理由を入力してください。`, 'VALIDATION', { reason: `${req.decision}の理由を入力してください` });
    if (req.decision === '支給' && row.deadline_expired === 1 && !req.overrideReason) {
      no('deadline', `請求期限（${row.deadline ?? '不明'}）を過ぎています。支給する場合は期限を過ぎても支給する理由を入力してください。`, 'VALIDATION', { overrideReason: '期限超過の理由を入力してください' });
    }
    const s = this.stamp(actor);
    this.db.transaction(() => {
      const noticeNo = req.decision === '交付' ? `G${row.claim_no}` : req.decision === '認定' ? `N${row.claim_no}` : row.claim_no;
      updateRecord(this.db, 'claims', row.id, row.version, {
        state: 'decided',
        decided_by: actor.staffId,
        decision: req.decision,
        decision_reason: req.reason,
        override_reason: req.decision === '支給' && row.deadline_expired === 1 ? req.overrideReason : null,
        decided_at: s.at,
        notice_no: noticeNo,
      }, s);
      const shikakuId = req.decision === '認定' ? this.kodomo.certify(row, resident, s) : null;
      this.addEvent(row.id, 'decided', req.reason, { decision: req.decision, amountYen: row.amount_yen, overrideReason: req.overrideReason, ...(shikakuId ? { shikakuId } : {}) }, s);
      this.audit.append({ staffId: actor.staffId, action: 'claims.decide', targetAtenaNo: atena, reason: req.reason, outcome: 'success', detail: { claimId: row.id, decision: req.decision, amountYen: row.amount_yen, deadlineOverride: row.deadline_expired === 1 && req.decision === '支給' } });
    })();
    return this.detail(actor, this.requireClaim(row.id));
  }

  /** 要確認 / 要決裁 / own entries, for the kinds the member of staff holds the right for. */
  queue(actor: Actor, queue: 'check' | 'approve' | 'mine'): ClaimSummary[] {
    const fn = queue === 'check' ? 'claim.check' : queue === 'approve' ? 'claim.approve' : 'claim.enter';
    const kinds = CLAIM_KINDS.filter((k) => this.has(actor, k, fn));
    if (kinds.length === 0) return [];
    const marks = kinds.map(() => '?').join(',');
    const me = actor.staffId;
    const sql =
      queue === 'check'
        ? `SELECT * FROM claims WHERE deleted = 0 AND state = 'received' AND entered_by <> ? AND claim_kind IN (${marks}) ORDER BY application_date, claim_no LIMIT 500`
        : queue === 'approve'
          ? `SELECT * FROM claims WHERE deleted = 0 AND state = 'checked' AND entered_by <> ? AND checked_by <> ? AND claim_kind IN (${marks}) ORDER BY application_date, claim_no LIMIT 500`
          : `SELECT * FROM claims WHERE deleted = 0 AND entered_by = ? AND claim_kind IN (${marks}) ORDER BY updated_at DESC LIMIT 500`;
    const params = queue === 'approve' ? [me, me, ...kinds] : [me, ...kinds];
    const rows = this.db.prepare<unknown[], ClaimRow>(sql).all(...params);
    this.audit.append({ staffId: me, action: 'claims.queue', outcome: 'success', detail: { queue, count: rows.length } });
    // The 要確認 list does not show amounts: the checker re-enters them blind.
    return rows.map((r) => ({ ...this.summary(r, this.residents.findRow(r.resident_id)), ...(queue === 'check' ? { amountYen: null } : {}) }));
  }

  byResident(actor: Actor, residentId: string): ClaimSummary[] {
    const resident = this.requireResident(actor, residentId, 'claims.byResident');
    const kinds = CLAIM_KINDS.filter((k) => this.mayView(actor, k));
    const rows = this.db
      .prepare<[string, string], ClaimRow>('SELECT * FROM claims WHERE deleted = 0 AND (resident_id = ? OR applicant_id = ?) ORDER BY application_date DESC, claim_no DESC')
      .all(residentId, residentId)
      .filter((r) => kinds.includes(r.claim_kind));
    this.audit.append({ staffId: actor.staffId, action: 'claims.byResident', targetAtenaNo: resident.atena_no, outcome: 'success', detail: { count: rows.length } });
    return rows.map((r) => this.summary(r, r.resident_id === residentId ? resident : this.residents.findRow(r.resident_id)));
  }

  /** Drafts of the entry form, kept across a lock or restart (local to this terminal). */
  saveDraft(actor: Actor, key: string, data: Record<string, unknown>): { savedAt: string } {
    const at = this.clock.now().toISOString();
    this.db
      .prepare('INSERT INTO claim_drafts (staff_id, draft_key, data, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (staff_id, draft_key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at')
      .run(actor.staffId, key, JSON.stringify(data), at);
    return { savedAt: at };
  }

  loadDraft(actor: Actor, key: string): { data: Record<string, unknown> | null; savedAt: string | null } {
    const r = this.db.prepare<[string, string], { data: string; updated_at: string }>('SELECT data, updated_at FROM claim_drafts WHERE staff_id = ? AND draft_key = ?').get(actor.staffId, key);
    return r ? { data: JSON.parse(r.data) as Record<string, unknown>, savedAt: r.updated_at } : { data: null, savedAt: null };
  }

  discardDraft(actor: Actor, key: string): void {
    this.db.prepare('DELETE FROM claim_drafts WHERE staff_id = ? AND draft_key = ?').run(actor.staffId, key);
  }

  async searchBanks(bankCode: string | null, query: string): Promise<{ code: string; name: string; kana: string }[]> {
    return bankCode ? this.banks.searchBranches(bankCode, query, 20) : this.banks.searchBanks(query, 20);
  }
}
