import { useState, type FormEvent } from 'react';
import { ApiError, call, errorMessage } from '../../lib/api';
import { ErrorBanner, Field } from '../../ui/Field';
import { useApp } from '../../lib/store';
import { completeFactors } from './flow';

/** Shown instead of every other screen while the session is locked: no personal data is mounted. */
export function LockScreen({ onLogout }: { onLogout(): void }) {
  const { session, setStatus, status } = useApp();
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy || !status) return;
    setBusy(true);
    setMessage(null);
    try {
      const r = await completeFactors(await call('auth.unlock', { password }), setProgress);
      if (r.stage === 'done') setStatus({ ...status, session: r.session });
    } catch (err) {
      setPassword('');
      setErrors(err instanceof ApiError ? err.fieldErrors : {});
      setMessage(errorMessage(err));
    } finally {
      setProgress(null);
      setBusy(false);
    }
  }

  return (
    <main className="login" aria-label="画面ロック">
      <h1>画面ロック中</h1>
      <p>
        一定時間操作がなかったか、端末がロックされたため画面をロックしました。{session?.name}（{session?.staffId}）のパスワードを入力し、認証器で本人確認をしてください。
      </p>
      <ErrorBanner message={message} />
      {progress && <div className="banner banner--info" role="status">{progress}</div>}
      <form onSubmit={submit} autoComplete="off" noValidate aria-label="ロック解除">
        <Field label="パスワード" error={errors.password}>
          {(p) => <input {...p} name="password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoFocus autoComplete="off" />}
        </Field>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            ロック解除
          </button>
          <button type="button" onClick={onLogout}>
            ログアウト
          </button>
        </div>
      </form>
    </main>
  );
}
