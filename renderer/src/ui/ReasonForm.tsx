import { useState, type FormEvent } from 'react';
import { useEscape } from '../lib/useLoad';
import { useAction } from '../lib/useAction';
import { ErrorBanner, Field } from './Field';
import { SubmitButton } from './SubmitButton';

interface ReasonFormProps {
  /** The field's label, e.g. '取消の理由'. */
  label: string;
  submitLabel: string;
  /** Performs the call with the typed reason; a rejection keeps the form open with the error shown. */
  onSubmit(reason: string): Promise<unknown>;
  onDone(): void;
  onCancel(): void;
}

/** Inline form asking for the reason of a revocation; Enter submits, Esc cancels. */
export function ReasonForm({ label, submitLabel, onSubmit, onDone, onCancel }: ReasonFormProps) {
  const [reason, setReason] = useState('');
  const act = useAction();

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!reason.trim()) return act.fail(null, { reason: '理由を入力してください' });
    const r = await act.run(async () => {
      await onSubmit(reason);
      return true;
    });
    if (r) onDone();
  }

  // Esc closes the form as every dialog does, and focus returns to what opened it.
  useEscape(onCancel, 'dialog');

  return (
    <form className="inline-form" onSubmit={submit} noValidate aria-label={label}>
      <ErrorBanner message={act.bannerFor(['reason'])} />
      <Field label={label} error={act.fieldErrors.reason} required>
        {(p) => <input {...p} name="reason" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} autoFocus />}
      </Field>
      <SubmitButton busy={act.busy} busyLabel="処理中…">
        {submitLabel}
      </SubmitButton>
      <button type="button" onClick={onCancel}>
        やめる（Esc）
      </button>
    </form>
  );
}

/** A ReasonForm in the inline row under the table row it acts on. */
export function ReasonRow({ colSpan, ...form }: ReasonFormProps & { colSpan: number }) {
  return (
    <tr className="inline-row">
      <td colSpan={colSpan}>
        <ReasonForm {...form} />
      </td>
    </tr>
  );
}
