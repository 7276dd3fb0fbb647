import { useState, type FormEvent } from 'react';
import { call } from '../../lib/api';
import { ErrorBanner, Field, StatusBanner } from '../../ui/Field';
import { useApp } from '../../lib/store';
import { SubmitButton } from '../../ui/SubmitButton';
import { useSignIn } from './flow';

/** Shown instead of every other screen while the session is locked: no personal data is mounted. */
export function LockScreen({ onLogout }: { onLogout(): void }) {
  const { session, setStatus, status } = useApp();
  const [password, setPassword] = useState('');
  const flow = useSignIn();

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!status) return;
    const r = await flow.signIn(() => call('auth.unlock', { password }), () => setPassword(''));
    if (r?.stage === 'done') setStatus({ ...status, session: r.session });
  }

  return (
    <main className="login" aria-label="画面ロック">
      <h1>画面ロック中</h1>
      <p>
        画面をロックしています（画面ロックの操作、一定時間の無操作、または端末のロックによる）。{session?.name}（{session?.staffId}）のパスワードを入力し、認証器で本人確認をしてください。
      </p>
      <ErrorBanner message={flow.message} />
      <StatusBanner message={flow.progress} />
      <form onSubmit={submit} autoComplete="off" noValidate aria-label="ロック解除">
        <Field label="パスワード" error={flow.fieldErrors.password}>
          {(p) => <input {...p} name="password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoFocus autoComplete="off" />}
        </Field>
        <div className="actions">
          <SubmitButton busy={flow.busy}>
            ロック解除
          </SubmitButton>
          <button type="button" onClick={onLogout}>
            ログアウト
          </button>
        </div>
      </form>
    </main>
  );
}
