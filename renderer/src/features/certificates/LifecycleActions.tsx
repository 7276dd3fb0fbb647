import { useState, type FormEvent, type ReactNode } from 'react';
import { RECALL_KINDS, type RecallKind } from '../../../../shared/domain/certificate-types';
import type { CertificateView } from '../../../../shared/ipc/certificates-contract';
import { isoDateOrText, parseDateInput } from '../../../../shared/domain/wareki';
import { call } from '../../lib/api';
import { useAction } from '../../lib/useAction';
import { useEscape, useLoad } from '../../lib/useLoad';
import { ErrorBanner, Field } from '../../ui/Field';
import { useCoreClock } from '../../lib/useCoreClock';
import { DateField } from '../../ui/DateInput';
import { SubmitButton } from '../../ui/SubmitButton';
import { SelectField } from '../../ui/SelectField';
import { buildDetails, DetailsFields, detailsErrors, detailsFormFrom } from './DetailsFields';
import { NameSexFields } from './NameSexFields';

type Done = (message: string) => void;

/** Submit after the form's own check, with the busy flag, the core's field errors and its message (useAction). */
function useSubmit() {
  const act = useAction();
  async function run(check: () => Record<string, string>, perform: () => Promise<void>) {
    if (act.busy || !act.check(check())) return;
    await act.run(async () => {
      await perform();
      return true;
    });
  }
  return { errors: act.fieldErrors, message: act.message, busy: act.busy, run };
}

function ActionForm({ label, onSubmit, onCancel, busy, message, submit, children }: { label: string; onSubmit(): void; onCancel(): void; busy: boolean; message: string | null; submit: string; children: ReactNode }) {
  // Esc closes the form as every dialog does, and focus returns to what opened it.
  useEscape(onCancel, 'dialog');
  return (
    <form
      className="cert-action"
      aria-label={label}
      noValidate
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <h3>{label}</h3>
      <ErrorBanner message={message} />
      {children}
      <div className="actions">
        <SubmitButton busy={busy} busyLabel="処理中…">
          {submit}
        </SubmitButton>
        <button type="button" onClick={onCancel}>
          やめる（Esc）
        </button>
      </div>
    </form>
  );
}

const reasonRequired = (reason: string, what: string): Record<string, string> => (reason.trim() ? {} : { reason: `${what}の理由を入力してください` });

/** 訂正: new details / name / sex with a reason; a new certificate replaces this one (which goes on the 回収 list). */
export function CorrectForm({ cert, onDone, onCancel }: { cert: CertificateView; onDone: Done; onCancel(): void }) {
  const { data: prep, error } = useLoad(() => call('certificates.prepare', { type: cert.type, residentId: cert.residentId }), [cert.id]);
  const [details, setDetails] = useState(() => detailsFormFrom(cert.details));
  const [nameChoice, setNameChoice] = useState(cert.nameChoice);
  const [printSex, setPrintSex] = useState(cert.printSex);
  const [reason, setReason] = useState('');
  const s = useSubmit();
  if (!prep) return <ErrorBanner message={error} />;
  const submit = () =>
    s.run(
      () => ({ ...detailsErrors(cert.type, details, prep), ...reasonRequired(reason, '訂正') }),
      async () => {
        const c = await call('certificates.correct', { certificateId: cert.id, version: cert.version, details: buildDetails(cert.type, details, prep), nameChoice, printSex: prep.sexChoice ? printSex : true, reason: reason.trim() });
        onDone(`訂正しました。新しい番号は ${c.certificateNo} です。番号 ${cert.certificateNo} は回収の対象になりました。`);
      },
    );
  return (
    <ActionForm label={`訂正（番号 ${cert.certificateNo}）`} onSubmit={submit} onCancel={onCancel} busy={s.busy} message={s.message} submit="訂正する">
      <DetailsFields type={cert.type} form={details} set={setDetails} errors={s.errors} prep={prep} />
      <NameSexFields aliasName={prep.aliasName} sexChoice={prep.sexChoice} nameChoice={nameChoice} printSex={printSex} setNameChoice={setNameChoice} setPrintSex={setPrintSex} errors={s.errors} />
      <Field label="訂正の理由" error={s.errors.reason}>
        {(p) => <input {...p} className="wide" value={reason} maxLength={200} autoComplete="off" autoFocus onChange={(e) => setReason(e.target.value)} />}
      </Field>
    </ActionForm>
  );
}

/** 取消 (e.g. 資格喪失): the certificate stops being valid and goes on the 回収 list. */
export function CancelForm({ cert, onDone, onCancel }: { cert: CertificateView; onDone: Done; onCancel(): void }) {
  const [reason, setReason] = useState('');
  const s = useSubmit();
  const submit = () =>
    s.run(
      () => reasonRequired(reason, '取消'),
      async () => {
        await call('certificates.cancel', { certificateId: cert.id, version: cert.version, reason: reason.trim() });
        onDone(`番号 ${cert.certificateNo} を取り消しました。回収の対象になりました。`);
      },
    );
  return (
    <ActionForm label={`取消（番号 ${cert.certificateNo}）`} onSubmit={submit} onCancel={onCancel} busy={s.busy} message={s.message} submit="取り消す">
      <Field label="取消の理由" error={s.errors.reason}>
        {(p) => <input {...p} className="wide" value={reason} maxLength={200} autoComplete="off" autoFocus onChange={(e) => setReason(e.target.value)} />}
      </Field>
    </ActionForm>
  );
}

/** 回収: the date (today by the core's clock until staff type another) and 区分 (返納, 郵送返戻, 紛失届, 未回収); the certificate leaves the 回収 list. */
export function RecallForm({ cert, onDone, onCancel }: { cert: Pick<CertificateView, 'id' | 'version' | 'certificateNo'>; onDone: Done; onCancel(): void }) {
  const [typed, setDate] = useState<string | null>(null);
  const [kind, setKind] = useState<RecallKind | ''>('');
  const s = useSubmit();
  const clock = useCoreClock();
  const date = typed ?? clock?.today ?? '';
  const iso = isoDateOrText(date);
  const read = parseDateInput(date);
  const submit = () =>
    s.run(
      () => ({ ...(read.ok ? {} : { date: date.trim() ? read.message : '回収日を入力してください' }), ...(kind ? {} : { kind: '回収区分を選択してください' }) }),
      async () => {
        await call('certificates.recall', { certificateId: cert.id, version: cert.version, date: iso, kind: kind as RecallKind });
        onDone(`番号 ${cert.certificateNo} の回収（${kind}）を記録しました。`);
      },
    );
  return (
    <ActionForm label={`回収（番号 ${cert.certificateNo}）`} onSubmit={submit} onCancel={onCancel} busy={s.busy} message={s.message} submit="回収を記録する">
      <div className="form-row">
        <DateField label="回収日" error={s.errors.date} value={date} autoFocus onChange={(v) => setDate(v)} />
        <SelectField label="回収区分" error={s.errors.kind} value={kind} choices={RECALL_KINDS} onChange={setKind} />
      </div>
    </ActionForm>
  );
}
