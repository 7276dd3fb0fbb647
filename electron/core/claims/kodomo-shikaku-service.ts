import { eighteenthFiscalYearEnd } from '../../../shared/domain/eligibility';
import {
  KODOMO_LOSE_REASONS,
  kodomoLossSchema,
  kodomoShikakuApplicationSchema,
  kodomoShikakuLastDay,
  kodomoShikakuOn,
  type KodomoShikakuApplication,
} from '../../../shared/domain/kodomo-shikaku';
import { formatWareki, todayInJapan } from '../../../shared/domain/wareki';
import type { AuditLog } from '../audit/audit-log';
import type { Actor } from '../actor';
import type { Db } from '../db/database';
import { insertRecord, updateRecord, type Stamp } from '../db/records';
import { DomainError } from '../errors';
import type { CertificateLifecycle } from '../certificates/lifecycle-service';
import type { Clock } from '../platform';
import { kodomoFacts, type KodomoShikakuRow, type ResidentRow, type ResidentService } from '../residents/resident-service';

const LOSE_RIGHT = 'kodomo:claim.approve';

/**
 * こども医療 受給資格 at the terminal (issue 15 §2): what a 交付申請 must satisfy about the child, the record a 認定
 * makes (in the 決裁's transaction, ClaimService.decide) and the 喪失 entered at the counter. The rules are
 * shared/domain/kodomo-shikaku; the central server accepts a record only for a 認定 claim it holds.
 */
export class KodomoShikakuService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly residents: ResidentService,
    private readonly lifecycle: CertificateLifecycle,
  ) {}

  /**
   * What is wrong with a 交付申請 for this child, as { field, message } (field under `input.`), or null: the 保護者
   * must be one of the child's guardians, the 取得日 on or after the birth and within the 18歳年度末, and no
   * other 資格 may cover it.
   */
  applicationProblem(child: ResidentRow, input: unknown): { field: string; message: string } | null {
    const parsed = kodomoShikakuApplicationSchema.safeParse(input);
    if (!parsed.success) return null; // the claim kind's schema reports it, field by field
    const v = parsed.data;
    if (!this.residents.related(child.id, 'guardians').some((g) => g.id === v.guardianId)) {
      return { field: 'input.guardianId', message: 'この子の保護者（住民記録で保護者として登録された方）から選択してください' };
    }
    if (v.acquiredOn < child.birth_date) return { field: 'input.acquiredOn', message: `資格取得日が生年月日（${formatWareki(child.birth_date)}）より前です` };
    const fiscal = eighteenthFiscalYearEnd(child.birth_date);
    if (v.acquiredOn > fiscal) return { field: 'input.acquiredOn', message: `資格取得日が18歳年度末（${formatWareki(fiscal)}）を過ぎています` };
    const overlapping = kodomoShikakuOn(this.residents.kodomoOf(child), v.acquiredOn);
    if (overlapping) return { field: 'input.acquiredOn', message: `資格取得日（${formatWareki(v.acquiredOn)}）にはすでに受給資格があります` };
    return null;
  }

  /** The record a 認定 makes, inside the caller's transaction. Returns its ID. */
  certify(claim: { id: string; input_json: string }, child: ResidentRow, s: Stamp): string {
    const v: KodomoShikakuApplication = kodomoShikakuApplicationSchema.parse(JSON.parse(claim.input_json));
    return insertRecord(this.db, 'kodomo_shikaku', {
      resident_id: child.id,
      atena_no: child.atena_no,
      claim_id: claim.id,
      guardian_id: v.guardianId,
      acquired_on: v.acquiredOn,
      acquire_reason: v.acquireReason,
      insurer_name: v.insurance.insurerName,
      insurance_kind: v.insurance.kind,
      insured_relation: v.insurance.relation,
      insurance_symbol: v.insurance.symbol,
      insurance_number: v.insurance.number,
      insurance_branch: v.insurance.branch,
      delivery_json: JSON.stringify(v.delivery),
      lost_on: null,
      lose_reason: null,
      lose_notified_on: null,
    }, s);
  }

  private requireRow(shikakuId: string): KodomoShikakuRow {
    const row = this.db.prepare<[string], KodomoShikakuRow>('SELECT * FROM kodomo_shikaku WHERE id = ? AND deleted = 0').get(shikakuId);
    if (!row) throw new DomainError('NOT_FOUND', '該当する受給資格が見つかりません。');
    return row;
  }

  /**
   * 喪失 at the counter: 喪失日 (the first day not covered), 事由 and 届出日. In the same transaction the valid
   * こども医療証 that runs to or past the 喪失日 is cancelled (取消) and goes on the 回収リスト; afterwards nothing is
   * issued or paid for days outside the 資格.
   */
  lose(actor: Actor, req: { shikakuId: string; version: number; lostOn: string; loseReason: string; notifiedOn: string | null }): { lastDay: string; recalled: string | null } {
    const row = this.requireRow(req.shikakuId);
    const child = this.residents.requireRow(actor, row.resident_id, 'shikaku.kodomo.lose');
    const refuse = (why: string, error: DomainError): never =>
      this.audit.refuse({ staffId: actor.staffId, action: 'shikaku.kodomo.lose', targetAtenaNo: child.atena_no, detail: { why, shikakuId: row.id } }, error);
    if (!actor.rights.includes(LOSE_RIGHT)) refuse('forbidden', new DomainError('FORBIDDEN', '受給資格の喪失を登録する権限がありません。'));
    const parsed = kodomoLossSchema.safeParse({ lostOn: req.lostOn, loseReason: req.loseReason, notifiedOn: req.notifiedOn });
    if (!parsed.success) {
      const fieldErrors = Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.'), i.message]));
      refuse('invalid', new DomainError('VALIDATION', parsed.error.issues[0]?.message ?? '入力内容に誤りがあります。', fieldErrors));
    }
    const v = parsed.data!;
    if (row.lost_on !== null) refuse('state', new DomainError('RULE', `この受給資格はすでに喪失しています（${formatWareki(row.lost_on)}）。`));
    if (row.version !== req.version) refuse('stale', new DomainError('CONFLICT', 'この受給資格はほかの操作で更新されています。画面を開き直してください。'));
    if (v.lostOn <= row.acquired_on) refuse('invalid', new DomainError('VALIDATION', '資格喪失日は資格取得日より後の日付を入力してください。', { lostOn: '資格取得日より後の日付を入力してください' }));
    const today = todayInJapan(this.clock.now());
    if (v.notifiedOn !== null && v.notifiedOn > today) refuse('invalid', new DomainError('VALIDATION', '届出日に未来の日付は入力できません。', { notifiedOn: '未来の日付は入力できません' }));
    const s: Stamp = { by: actor.staffId, at: this.clock.now().toISOString() };
    let recalled: string | null = null;
    this.db.transaction(() => {
      updateRecord(this.db, 'kodomo_shikaku', row.id, row.version, { lost_on: v.lostOn, lose_reason: v.loseReason, lose_notified_on: v.notifiedOn }, s);
      const why = `受給資格の喪失（${KODOMO_LOSE_REASONS[v.loseReason]}、喪失日 ${formatWareki(v.lostOn)}）`;
      const cancelled = this.lifecycle.cancelForLoss(child.id, child.atena_no, 'kodomo', v.lostOn, why, s);
      this.audit.append({
        staffId: actor.staffId, action: 'shikaku.kodomo.lose', targetAtenaNo: child.atena_no, outcome: 'success',
        detail: { shikakuId: row.id, lostOn: v.lostOn, loseReason: KODOMO_LOSE_REASONS[v.loseReason], notifiedOn: v.notifiedOn, certificateNo: cancelled },
      });
      recalled = cancelled;
    })();
    return {
      recalled, lastDay: kodomoShikakuLastDay(kodomoFacts({ ...row, lost_on: v.lostOn, lose_reason: v.loseReason }, child.birth_date)) };
  }
}
