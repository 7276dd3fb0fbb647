import { useState, type FormEvent } from 'react';
import { can } from '../../lib/can';
import type { VaccinationRecordView } from '../../../../shared/ipc/claims-contract';
import { ROUTINE_VACCINES, vaccineByCode } from '../../../../shared/domain/vaccination';
import { call } from '../../lib/api';
import { useAction } from '../../lib/useAction';
import { useLoad } from '../../lib/useLoad';
import { ErrorBanner, Field } from '../../ui/Field';
import { useApp } from '../../lib/store';
import { dateJa } from '../../lib/format';
import { isoDateOrText } from '../../../../shared/domain/wareki';
import { DateField } from '../../ui/DateInput';
import { SubmitButton } from '../../ui/SubmitButton';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { Table } from '../../ui/Table';
import { SelectField, type Choice } from '../../ui/SelectField';

type Form = { vaccine: string; stage: string; doseNumber: string; administeredOn: string; lotNumber: string; institution: string; overseas: boolean; reason: string };
const EMPTY: Form = { vaccine: '', stage: '', doseNumber: '1', administeredOn: '', lotNumber: '', institution: '', overseas: false, reason: '' };

const VACCINE_CHOICES: Choice<string>[] = ROUTINE_VACCINES.map((v) => ({ value: v.code, label: v.name }));

function fromRecord(r: VaccinationRecordView): Form {
  return { vaccine: r.vaccine, stage: r.stage ?? '', doseNumber: String(r.doseNumber), administeredOn: r.administeredOn, lotNumber: r.lotNumber ?? '', institution: r.institution, overseas: r.overseas, reason: '' };
}

/** 接種歴 (転入時 母子健康手帳の写し): never deleted; a correction marks the old entry 無効 with its reason. */
export function VaccinationSection({ residentId }: { residentId: string }) {
  const { session } = useApp();
  const canEnter = can(session, 'vaccinations.add');
  const { data, error } = useLoad(() => call('vaccinations.list', { residentId }), [residentId]);
  const [records, setRecords] = useState<VaccinationRecordView[] | null>(null);
  const [editing, setEditing] = useState<VaccinationRecordView | 'new' | null>(null);
  const list = records ?? data?.records ?? [];

  return (
    <section aria-label="接種歴">
      <h2>接種歴</h2>
      <ErrorBanner message={error} />
      {list.length === 0 && data && <p className="muted">接種歴は登録されていません。</p>}
      {list.length > 0 && (
        <Table className="history vaccinations" headers={['ワクチン', '期・回', '接種日', 'ロット番号', '医療機関', '海外接種', '入力者', '状態']}>
          {list.map((r) => (
            <tr key={r.id} className={r.invalid ? 'invalid' : undefined} data-vaccination={r.id}>
              <td className="struck-when-invalid">{r.vaccineName}</td>
              <td className="struck-when-invalid">{r.doseLabel}</td>
              <td className="struck-when-invalid">{dateJa(r.administeredOn)}</td>
              <td className="struck-when-invalid">{r.lotNumber ?? ''}</td>
              <td className="struck-when-invalid">{r.institution}</td>
              <td>{r.overseas ? '海外' : ''}</td>
              <td>{r.enteredBy}</td>
              <td>
                {r.invalid ? (
                  <span className="flag">無効（訂正理由: {r.invalidatedReason ?? '—'}）</span>
                ) : (
                  <>
                    有効
                    {canEnter && (
                      <button type="button" className="link" onClick={() => setEditing(r)}>
                        訂正
                      </button>
                    )}
                  </>
                )}
              </td>
            </tr>
          ))}
        </Table>
      )}
      {canEnter && !editing && (
        <button type="button" onClick={() => setEditing('new')}>
          接種歴を追加
        </button>
      )}
      {canEnter && editing && (
        <VaccinationForm
          key={editing === 'new' ? 'new' : editing.id}
          residentId={residentId}
          record={editing === 'new' ? null : editing}
          onSaved={(rs) => {
            setRecords(rs);
            setEditing(null);
          }}
          onCancel={() => setEditing(null)}
        />
      )}
    </section>
  );
}

function VaccinationForm({ residentId, record, onSaved, onCancel }: { residentId: string; record: VaccinationRecordView | null; onSaved(r: VaccinationRecordView[]): void; onCancel(): void }) {
  const [f, setF] = useState<Form>(record ? fromRecord(record) : EMPTY);
  const act = useAction();
  // The contract names the fields of the entry 'entry.vaccine' etc.; the form's fields are the bare names.
  const errors = Object.fromEntries(Object.entries(act.fieldErrors).map(([k, v]) => [k.replace(/^entry\./, ''), v]));
  const set = (p: Partial<Form>) => setF((o) => ({ ...o, ...p }));
  const stages = vaccineByCode(f.vaccine)?.stages.filter((s) => s.stage !== null) ?? [];

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (act.busy) return;
    const dose = Number(f.doseNumber.normalize('NFKC'));
    const entry = { vaccine: f.vaccine, stage: f.stage || null, doseNumber: Number.isInteger(dose) ? dose : 0, administeredOn: isoDateOrText(f.administeredOn), lotNumber: f.lotNumber.trim() || null, institution: f.institution.trim(), overseas: f.overseas };
    if (record && !f.reason.trim()) return act.fail(act.message, { reason: '訂正の理由を入力してください' });
    const r = await act.run(() => (record ? call('vaccinations.correct', { recordId: record.id, version: record.version, entry, reason: f.reason }) : call('vaccinations.add', { residentId, entry })));
    if (r) onSaved(r.records);
  }

  return (
    <form onSubmit={submit} noValidate className="inline-form vaccination-form" aria-label={record ? '接種歴の訂正' : '接種歴の追加'}>
      <ErrorSummary errors={errors} />
      <ErrorBanner message={Object.keys(errors).length > 0 ? null : act.message} />
      <SelectField label="ワクチン" error={errors.vaccine} value={f.vaccine} choices={VACCINE_CHOICES} onChange={(vaccine) => set({ vaccine, stage: '' })} autoFocus required />
      {stages.length > 0 && <SelectField label="期・区分" error={errors.stage} value={f.stage} choices={stages.map((s) => s.stage ?? '')} onChange={(stage) => set({ stage })} required />}
      <Field label="回" error={errors.doseNumber} required>
        {(p) => <input {...p} className="cell--s" value={f.doseNumber} inputMode="numeric" onChange={(e) => set({ doseNumber: e.target.value })} />}
      </Field>
      <DateField label="接種日" error={errors.administeredOn} value={f.administeredOn} onChange={(administeredOn) => set({ administeredOn })} placeholder="例: H28.5.10" required />
      <Field label="ロット番号" error={errors.lotNumber}>
        {(p) => <input {...p} value={f.lotNumber} autoComplete="off" onChange={(e) => set({ lotNumber: e.target.value })} />}
      </Field>
      <Field label="医療機関" error={errors.institution} required>
        {(p) => <input {...p} value={f.institution} autoComplete="off" onChange={(e) => set({ institution: e.target.value })} />}
      </Field>
      <label className="check">
        <input type="checkbox" checked={f.overseas} onChange={(e) => set({ overseas: e.target.checked })} /> 海外接種
      </label>
      {record && (
        <Field label="訂正の理由" error={errors.reason} required>
          {(p) => <input {...p} className="wide" value={f.reason} autoComplete="off" maxLength={400} onChange={(e) => set({ reason: e.target.value })} />}
        </Field>
      )}
      <SubmitButton busy={act.busy}>
        {record ? '訂正する' : '追加する'}
      </SubmitButton>
      <button type="button" onClick={onCancel}>
        取消
      </button>
    </form>
  );
}
