import { useState, type FormEvent } from 'react';
import { call } from '../../lib/api';
import { useAction } from '../../lib/useAction';
import { ErrorBanner, Field } from '../../ui/Field';
import { SubmitButton } from '../../ui/SubmitButton';

/**
 * DV等支援措置 / 不開示: a 所属長 (claim.approve of the 事務) releases printing the registered address on this
 * certificate for today, with a reason (certificates.dvRelease, audited).
 */
export function DvReleaseForm({ certificateId, certificateNo, onReleased }: { certificateId: string; certificateNo: string; onReleased(): void }) {
  const [reason, setReason] = useState('');
  const act = useAction();

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (act.busy) return;
    if (!reason.trim()) return act.fail(act.message, { reason: '解除の理由を入力してください' });
    const r = await act.run(() => call('certificates.dvRelease', { certificateId, reason: reason.trim() }));
    if (!r) return;
    setReason('');
    onReleased();
  }

  return (
    <form className="inline-form no-print" onSubmit={submit} noValidate aria-label={`住所印字の解除（番号 ${certificateNo}）`}>
      <ErrorBanner message={act.message} />
      <Field label="解除の理由（所属長）" error={act.fieldErrors.reason} hint="本日に限り、この証に登録住所を印字できるようになります。操作は記録されます。">
        {(p) => <input {...p} className="wide" value={reason} maxLength={200} autoComplete="off" onChange={(e) => setReason(e.target.value)} />}
      </Field>
      <SubmitButton busy={act.busy} busyLabel="解除中…" primary={false}>
        住所の印字を解除する
      </SubmitButton>
    </form>
  );
}
