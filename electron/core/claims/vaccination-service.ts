import type { VaccinationRecordView } from '../../../shared/ipc/claims-contract';
import { rightsOfJimu } from '../../../shared/domain/rights';
import { addEntry, correctEntry, doseLabel, vaccineByCode, type VaccinationRecord } from '../../../shared/domain/vaccination';
import { todayInJapan } from '../../../shared/domain/wareki';
import type { AuditLog } from '../audit/audit-log';
import { requireRight, type Actor } from '../actor';
import type { Db } from '../db/database';
import { insertRecord, updateRecord, uuidv7 } from '../db/records';
import { DomainError } from '../errors';
import type { Clock } from '../platform';
import type { ResidentService } from '../residents/resident-service';

interface Row {
  id: string;
  version: number;
  created_by: string;
  vaccine: string;
  stage: string | null;
  dose_number: number;
  administered_on: string;
  lot_number: string | null;
  institution: string;
  overseas: 0 | 1;
  invalid: 0 | 1;
  invalidated_reason: string | null;
  invalidated_at: string | null;
  replaces: string | null;
  replaced_by: string | null;
}

function invalidEntry(refused: readonly { path: string; message: string }[]): DomainError {
  return new DomainError('VALIDATION', refused[0]?.message ?? '接種歴の内容に誤りがあります。', Object.fromEntries(refused.map((e) => [`entry.${e.path}`, e.message])));
}

const toRecord = (r: Row): VaccinationRecord => ({
  id: r.id,
  vaccine: r.vaccine as VaccinationRecord['vaccine'],
  stage: r.stage,
  doseNumber: r.dose_number,
  administeredOn: r.administered_on,
  lotNumber: r.lot_number,
  institution: r.institution,
  overseas: r.overseas === 1,
  invalid: r.invalid === 1,
  invalidatedReason: r.invalidated_reason,
  invalidatedAt: r.invalidated_at,
  replaces: r.replaces,
  replacedBy: r.replaced_by,
});

const toView = (r: Row): VaccinationRecordView => ({
  id: r.id,
  version: r.version,
  vaccine: r.vaccine,
  vaccineName: vaccineByCode(r.vaccine)?.name ?? r.vaccine,
  stage: r.stage,
  doseNumber: r.dose_number,
  doseLabel: doseLabel(r.stage, r.dose_number),
  administeredOn: r.administered_on,
  lotNumber: r.lot_number,
  institution: r.institution,
  overseas: r.overseas === 1,
  invalid: r.invalid === 1,
  invalidatedReason: r.invalidated_reason,
  replaces: r.replaces,
  replacedBy: r.replaced_by,
  enteredBy: r.created_by,
});

export type VaccinationEntryInput = Omit<VaccinationRecord, 'id' | 'invalid' | 'invalidatedReason' | 'invalidatedAt' | 'replaces' | 'replacedBy'>;

/**
 * 接種歴 entered at 転入 from a 母子健康手帳 copy. Never deleted: a correction marks the old record 無効 and
 * adds a new one (shared/domain/vaccination.ts decides; this stores what it returns).
 */
export class VaccinationService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly residents: ResidentService,
  ) {}

  private rows(residentId: string): Row[] {
    return this.db.prepare<[string], Row>('SELECT * FROM vaccination_records WHERE resident_id = ? AND deleted = 0 ORDER BY administered_on, created_at').all(residentId);
  }

  list(actor: Actor, residentId: string): VaccinationRecordView[] {
    if (!rightsOfJimu('yobou').some((r) => actor.rights.includes(r))) throw new DomainError('FORBIDDEN', '接種歴を表示する権限がありません。');
    const resident = this.residents.requireRow(actor, residentId, 'vaccinations.list');
    this.audit.append({ staffId: actor.staffId, action: 'vaccinations.list', targetAtenaNo: resident.atena_no, outcome: 'success' });
    return this.rows(residentId).map(toView);
  }

  add(actor: Actor, residentId: string, entry: VaccinationEntryInput): VaccinationRecordView[] {
    requireRight(actor, 'yobou:claim.enter');
    const resident = this.residents.requireRow(actor, residentId, 'vaccinations.add');
    const at = this.clock.now().toISOString();
    const id = uuidv7();
    const refused = this.db.transaction(() => {
      const r = addEntry(this.rows(residentId).map(toRecord), { ...entry, id }, { birthDate: resident.birth_date, today: todayInJapan(this.clock.now()) });
      if (!r.ok) return r.errors;
      this.insert(residentId, r.history.at(-1)!, actor.staffId, at);
      this.audit.append({ staffId: actor.staffId, action: 'vaccinations.add', targetAtenaNo: resident.atena_no, outcome: 'success', detail: { vaccine: entry.vaccine, dose: doseLabel(entry.stage, entry.doseNumber) } });
      return null;
    })();
    if (refused) {
      // Audited outside the transaction: a throw inside it would roll the audit entry back as well.
      this.audit.refuse({ staffId: actor.staffId, action: 'vaccinations.add', targetAtenaNo: resident.atena_no, detail: { why: 'invalid', fields: refused.map((e) => e.path) } }, invalidEntry(refused));
    }
    return this.rows(residentId).map(toView);
  }

  private insert(residentId: string, rec: VaccinationRecord, by: string, at: string): void {
    insertRecord(this.db, 'vaccination_records', {
      resident_id: residentId, vaccine: rec.vaccine, stage: rec.stage, dose_number: rec.doseNumber, administered_on: rec.administeredOn,
      lot_number: rec.lotNumber, institution: rec.institution, overseas: rec.overseas ? 1 : 0, source: '転入時 母子健康手帳の写し',
      invalid: 0, invalidated_reason: null, invalidated_at: null, replaces: rec.replaces, replaced_by: null,
    }, { by, at }, rec.id);
  }

  correct(actor: Actor, recordId: string, version: number, entry: VaccinationEntryInput, reason: string): VaccinationRecordView[] {
    requireRight(actor, 'yobou:claim.enter');
    const old = this.db.prepare<[string], Row & { resident_id: string }>('SELECT * FROM vaccination_records WHERE id = ? AND deleted = 0').get(recordId);
    if (!old) throw new DomainError('NOT_FOUND', '訂正する接種歴が見つかりません。');
    const resident = this.residents.requireRow(actor, old.resident_id, 'vaccinations.correct');
    if (old.version !== version) throw new DomainError('CONFLICT', 'この接種歴はほかの操作で更新されています。画面を開き直してください。');
    const at = this.clock.now().toISOString();
    const newId = uuidv7();
    const refused = this.db.transaction(() => {
      const r = correctEntry(this.rows(old.resident_id).map(toRecord), recordId, { ...entry, id: newId }, reason, { birthDate: resident.birth_date, today: todayInJapan(this.clock.now()), at });
      if (!r.ok) return r.errors;
      this.insert(old.resident_id, r.history.at(-1)!, actor.staffId, at);
      updateRecord(this.db, 'vaccination_records', recordId, version, { invalid: 1, invalidated_reason: reason, invalidated_at: at, replaced_by: newId }, { by: actor.staffId, at });
      this.audit.append({ staffId: actor.staffId, action: 'vaccinations.correct', targetAtenaNo: resident.atena_no, reason, outcome: 'success', detail: { recordId, replacedBy: newId } });
      return null;
    })();
    if (refused) {
      // Audited after the (empty) transaction, so the refusal entry is not rolled back with it.
      this.audit.refuse({ staffId: actor.staffId, action: 'vaccinations.correct', targetAtenaNo: resident.atena_no, reason, detail: { recordId, why: 'invalid', fields: refused.map((e) => e.path) } }, invalidEntry(refused));
    }
    return this.rows(old.resident_id).map(toView);
  }
}
