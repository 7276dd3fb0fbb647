import { useState, type FormEvent } from 'react';
import type { LoginResult } from '../../../../shared/ipc/contract';
import { call } from '../../lib/api';
import { ErrorBanner, Field, StatusBanner } from '../../ui/Field';
import { useApp } from '../../lib/store';
import { SubmitButton } from '../../ui/SubmitButton';
import { useSignIn } from './flow';
import { normalizeStaffId } from '../../../../shared/domain/identifiers';
import { ChangePasswordForm } from './ChangePasswordForm';

export function LoginScreen() {
  const { status, loggedIn, notice } = useApp();
  const [staffId, setStaffId] = useState('');
  const [password, setPassword] = useState('');
  const flow = useSignIn();
  const errors = flow.fieldErrors;
  const [changeReason, setChangeReason] = useState<'expired' | 'initial' | null>(null);

  function settle(r: LoginResult) {
    if (r.stage === 'done') loggedIn(r.session);
    else if (r.stage === 'change_password') setChangeReason(r.reason);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    // On failure keep the staff ID; clear only the password.
    const r = await flow.signIn(() => call('auth.login', { staffId: normalizeStaffId(staffId), password }), () => setPassword(''));
    if (r) settle(r);
  }

  if (status && !status.provisioned) {
    return (
      <main className="login">
        <h1>窓口端末</h1>
        <ErrorBanner message="この端末は初期設定（最初の管理者の登録）が済んでいません。IT担当者がプロビジョニングを行うまで利用できません。" />
      </main>
    );
  }

  if (changeReason) {
    return (
      <main className="login">
        <h1>パスワードの変更</h1>
        <p>{changeReason === 'expired' ? 'パスワードの有効期限が切れました。' : '初回ログインです。'}新しいパスワードを設定してください。</p>
        <ChangePasswordForm onDone={settle} />
      </main>
    );
  }

  return (
    <main className="login">
      <h1>窓口端末 ログイン</h1>
      {status?.demo && <div className="banner banner--warn">デモ環境です。デモ用アカウントは第二要素（生体認証・ICカード等）を省略してログインできます。</div>}
      <StatusBanner message={notice} />
      <ErrorBanner message={flow.message} />
      <StatusBanner message={flow.progress} />
      <form onSubmit={submit} autoComplete="off" noValidate aria-label="ログイン">
        <Field label="職員ID" error={errors.staffId}>
          {(p) => <input {...p} name="staffId" value={staffId} onChange={(e) => setStaffId(e.target.value)} autoFocus autoComplete="off" spellCheck={false} />}
        </Field>
        <Field label="パスワード" error={errors.password}>
          {(p) => <input {...p} name="password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="off" />}
        </Field>
        <SubmitButton busy={flow.busy} busyLabel="確認中…">
          ログイン
        </SubmitButton>
      </form>
      <p className="muted">ログインには、パスワードと、登録された認証器（生体認証またはセキュリティキー）の両方が必要です。</p>
    </main>
  );
}
