import { useState, type FormEvent } from 'react';
import { ApiError, call, errorMessage } from '../../lib/api';
import { ErrorBanner, Field } from '../../ui/Field';

/**
 * DV等支援措置 / 不開示: a 所属長 (claim.approve of the 事務) releases printing the registered address on this
 * certificate for today, with a reason (certificates.dvRelease, audited).
 */
export function DvReleaseForm({ certificateId, certificateNo, onReleased }: { certificateId: string; certificateNo: string; onReleased(): void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    if (!reason.trim()) return setError('解除の理由を入力してください');
    setBusy(true);
    setError(undefined);
    setMessage(null);
    try {
      await call('certificates.dvRelease', { certificateId, reason: reason.trim() });
      setReason('');
      onReleased();
    } catch (err) {
      setError(err instanceof ApiError ? err.fieldErrors.reason : undefined);
      setMessage(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="inline-form no-print" onSubmit={submit} noValidate aria-label={`住所印字の解除（番号 ${certificateNo}）`}>
      <ErrorBanner message={message} />
      <Field label="解除の理由（所属長）" error={error} hint="本日に限り、この証に登録住所を印字できるようになります。操作は記録されます。">
        {(p) => <input {...p} className="wide" value={reason} maxLength={200} autoComplete="off" onChange={(e) => setReason(e.target.value)} />}
      </Field>
      <button type="submit" disabled={busy}>
        {busy ? '解除中…' : '住所の印字を解除する'}
      </button>
    </form>
  );
}
