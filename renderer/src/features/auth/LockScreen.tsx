import { useState, type FormEvent } from 'react';
import { ApiError, call, errorMessage } from '../../lib/api';
import { ErrorBanner, Field } from '../../ui/Field';
import { useApp } from '../../app/store';

/** Shown instead of every other screen while the session is locked: no personal data is mounted. */
export function LockScreen({ onLogout }: { onLogout(): void }) {
  const { session, setStatus, status } = useApp();
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy || !status) return;
    setBusy(true);
    setMessage(null);
    try {
      const s = await call('auth.unlock', { password });
      setStatus({ ...status, session: s });
    } catch (err) {
      setPassword('');
      setErrors(err instanceof ApiError ? err.fieldErrors : {});
      setMessage(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="login" aria-label="画面ロック">
      <h1>画面ロック中</h1>
      <p>
        一定時間操作がなかったか、端末がロックされたため画面をロックしました。{session?.name}（{session?.staffId}）のパスワードを入力してください。
      </p>
      <ErrorBanner message={message} />
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
