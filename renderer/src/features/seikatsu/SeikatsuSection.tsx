import { useState, type FormEvent } from 'react';
import { FLOW_KINDS, FLOW_KIND_LABELS, type FlowKind } from '../../../../shared/domain/seikatsu';
import { call } from '../../lib/api';
import { useCan } from '../../lib/can';
import { dateJa } from '../../lib/format';
import { useApp } from '../../lib/store';
import { useAction } from '../../lib/useAction';
import { useLoad } from '../../lib/useLoad';
import { DateField, readDate } from '../../ui/DateInput';
import { ErrorBanner, Field } from '../../ui/Field';
import { SelectField } from '../../ui/SelectField';
import { SubmitButton } from '../../ui/SubmitButton';
import { Table } from '../../ui/Table';
import { FlowsTable } from './FlowsTable';

/**
 * 生活保護 on the resident screen (staff holding a 生活保護 right only; nothing for a person without 保護受給): the
 * 保護受給 the server sent (ケース番号, 保護開始日, 扶助の種類, 地区担当員), the person's 医療扶助・介護扶助 flows,
 * and 申請受理 for whoever may enter (fujo.start; the core refuses a date without 保護 on it).
 */
export function SeikatsuSection({ residentId }: { residentId: string }) {
  const { go, setNotice } = useApp();
  const { data, error } = useLoad(() => call('fujo.byResident', { residentId }), [residentId]);
  const mayStart = useCan('fujo.start');
  if (error) return <ErrorBanner message={error} />;
  if (!data || (data.jukyu.length === 0 && data.flows.length === 0)) return null;
  const back = { name: 'resident', residentId } as const;
  return (
    <section aria-label="生活保護">
      <h2>生活保護</h2>
      {data.jukyu.length === 0 ? (
        <p className="muted">保護受給の記録がありません。</p>
      ) : (
        <Table className="history" headers={['ケース番号', '保護開始日', '扶助の種類', '地区担当員', '状態']} scoped aria-label="保護受給">
          {data.jukyu.map((j) => (
            <tr key={`${j.caseNo}:${j.startedOn}`}>
              <td>{j.caseNo}</td>
              <td>{dateJa(j.startedOn)}</td>
              <td>{j.aidKinds.join('・')}</td>
              <td>{j.caseworker}</td>
              <td>{j.inForce ? '保護中' : j.endedOn ? `廃止（${dateJa(j.endedOn)}）` : '停止'}</td>
            </tr>
          ))}
        </Table>
      )}
      <h3>医療扶助・介護扶助</h3>
      {data.flows.length === 0 ? (
        <p className="muted">この方の扶助の申請はありません。</p>
      ) : (
        <FlowsTable rows={data.flows} label="この方の扶助" onOpen={(f) => go({ name: 'fujo', flowId: f.id, back })} />
      )}
      {mayStart && (
        <StartForm
          residentId={residentId}
          onStarted={(flowId, flowNo) => {
            go({ name: 'fujo', flowId, back });
            setNotice(`申請を受理しました（受付番号 ${flowNo}）。`);
          }}
        />
      )}
    </section>
  );
}

/** 申請受理: the kind of 扶助 and the 申請日 (no preset kind). */
function StartForm({ residentId, onStarted }: { residentId: string; onStarted(flowId: string, flowNo: string): void }) {
  const [kind, setKind] = useState<FlowKind | ''>('');
  const [appliedOn, setAppliedOn] = useState('');
  const [note, setNote] = useState('');
  const act = useAction();

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (act.busy) return;
    const date = readDate('date', appliedOn);
    const errors: Record<string, string> = {};
    if (!kind) errors.kind = '扶助の種類を選択してください';
    if (!date) errors.appliedOn = '申請日を入力してください';
    else if (!date.ok) errors.appliedOn = date.message;
    if (!act.check(errors) || !kind || !date?.ok) return;
    const r = await act.run(() => call('fujo.start', { kind, residentId, appliedOn: date.iso, note: note.trim() }));
    if (r) onStarted(r.id, r.flowNo);
  }

  return (
    <form onSubmit={submit} noValidate className="inline-form" aria-label="扶助の申請受理">
      <h3>申請受理</h3>
      <ErrorBanner message={act.bannerFor(['kind', 'appliedOn'])} />
      <SelectField<FlowKind> label="扶助の種類" required error={act.fieldErrors.kind} value={kind} choices={FLOW_KINDS.map((k) => ({ value: k, label: FLOW_KIND_LABELS[k] }))} onChange={setKind} />
      <DateField label="申請日" required error={act.fieldErrors.appliedOn} value={appliedOn} onChange={(t) => setAppliedOn(t)} />
      <Field label="備考" error={act.fieldErrors.note}>
        {(p) => <input {...p} className="wide" value={note} maxLength={400} autoComplete="off" onChange={(e) => setNote(e.target.value)} />}
      </Field>
      <SubmitButton busy={act.busy} busyLabel="受理中…">
        申請を受理する
      </SubmitButton>
    </form>
  );
}
