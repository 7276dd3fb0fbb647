import { useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { ACCESS_REASONS, type AccessReason } from '../../../shared/domain/resident';
import { useApp } from '../lib/store';
import { useEscape } from '../lib/useLoad';
import { BackNav } from './BackNav';

interface Props {
  residentId: string;
  /** Where Esc and the back link go when no reason is chosen (the screen the staff came from). */
  backLabel: string;
  onBack(): void;
  /** The screen itself, given the chosen 処理事由 (it is sent with every read of the record and audited). */
  children(reason: AccessReason): ReactNode;
}

/**
 * A resident's record opens only with a 処理事由 chosen for it: there is no preset, so the audit log says why each
 * record was read. The choice holds while the screens are about this resident (store.go forgets it otherwise).
 * Keyboard: the group has focus, ↑↓ or the digits 1–5 choose, Enter opens, Esc goes back.
 */
export function AccessReasonGate({ residentId, backLabel, onBack, children }: Props) {
  const { reason, reasonFor } = useApp();
  if (reason && reasonFor === residentId) return <>{children(reason)}</>;
  return <ReasonChooser residentId={residentId} backLabel={backLabel} onBack={onBack} />;
}

function ReasonChooser({ residentId, backLabel, onBack }: Omit<Props, 'children'>) {
  const setReason = useApp((s) => s.setReason);
  const [chosen, setChosen] = useState<AccessReason | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEscape(onBack);

  function submit(e?: FormEvent) {
    e?.preventDefault();
    if (!chosen) return setError('処理事由を選択してください');
    setReason(residentId, chosen);
  }

  function onKeyDown(e: KeyboardEvent) {
    const n = Number(e.key);
    if (Number.isInteger(n) && n >= 1 && n <= ACCESS_REASONS.length && !e.ctrlKey && !e.altKey && !e.metaKey) {
      e.preventDefault();
      setChosen(ACCESS_REASONS[n - 1]!);
      setError(null);
      document.getElementById(`access-reason-${n - 1}`)?.focus();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      submit();
    }
  }

  return (
    <main className="screen">
      <BackNav label={backLabel} onBack={onBack} />
      <h1>処理事由の選択</h1>
      <p>この住民の記録を開く処理事由を選んでください。選んだ事由は監査ログに記録されます。</p>
      <form onSubmit={submit} onKeyDown={onKeyDown} noValidate aria-label="処理事由の選択">
        <fieldset aria-describedby={error ? 'access-reason-error' : undefined} aria-invalid={error ? true : undefined}>
          <legend>処理事由（必須）</legend>
          {ACCESS_REASONS.map((r, i) => (
            <label key={r} className="radio">
              <input
                type="radio"
                id={`access-reason-${i}`}
                name="accessReason"
                value={r}
                checked={chosen === r}
                onChange={() => {
                  setChosen(r);
                  setError(null);
                }}
                autoFocus={i === 0}
              />
              {i + 1} {r}
            </label>
          ))}
        </fieldset>
        {error && (
          <p id="access-reason-error" className="field__error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary">
          開く（Enter）
        </button>
      </form>
    </main>
  );
}
