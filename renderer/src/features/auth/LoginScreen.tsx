import { useState, type FormEvent } from 'react';
import { ApiError, call, errorMessage } from '../../lib/api';
import { ErrorBanner, Field } from '../../ui/Field';
import { useApp } from '../../app/store';

export function LoginScreen() {
  const { status, loggedIn, notice } = useApp();
  const [staffId, setStaffId] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setErrors({});
    setMessage(null);
    try {
      loggedIn(await call('auth.login', { staffId, password }));
    } catch (err) {
      // Keep the staff ID; clear only the password.
      setPassword('');
      setErrors(err instanceof ApiError ? err.fieldErrors : {});
      setMessage(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  if (status && !status.provisioned) {
    return (
      <main className="login">
        <h1>窓口端末</h1>
        <ErrorBanner message="この端末は初期設定（最初の管理者の登録）が済んでいません。IT担当者がプロビジョニングを行うまで利用できません。" />
      </main>
    );
  }

  return (
    <main className="login">
      <h1>窓口端末 ログイン</h1>
      {notice && <div className="banner banner--info" role="status">{notice}</div>}
      <ErrorBanner message={message} />
      <form onSubmit={submit} autoComplete="off" noValidate aria-label="ログイン">
        <Field label="職員ID" error={errors.staffId}>
          {(p) => (
            <input {...p} name="staffId" value={staffId} onChange={(e) => setStaffId(e.target.value)} autoFocus autoComplete="off" spellCheck={false} />
          )}
        </Field>
        <Field label="パスワード" error={errors.password}>
          {(p) => (
            <input {...p} name="password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="off" />
          )}
        </Field>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? '確認中…' : 'ログイン'}
        </button>
      </form>
    </main>
  );
}
