import { useState, type FormEvent } from 'react';
import type { LoginResult } from '../../../../shared/ipc/contract';
import { call } from '../../lib/api';
import { useAction } from '../../lib/useAction';
import { ErrorBanner, Field } from '../../ui/Field';
import { SubmitButton } from '../../ui/SubmitButton';

/** Current password, new password twice; strength, history and policy errors shown next to the field. */
export function ChangePasswordForm({ onDone }: { onDone(r: LoginResult): void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const act = useAction();
  const errors = act.fieldErrors;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (act.busy) return;
    if (next !== confirm) return act.fail(null, { confirm: '確認のため、同じパスワードをもう一度入力してください' });
    const r = await act.run(() => call('auth.changePassword', { current, next }));
    if (r) onDone(r);
  }

  return (
    <form onSubmit={submit} autoComplete="off" noValidate aria-label="パスワードの変更">
      <ErrorBanner message={act.message} />
      <Field label="現在のパスワード" error={errors.current}>
        {(p) => <input {...p} type="password" value={current} onChange={(e) => setCurrent(e.target.value)} autoFocus autoComplete="off" />}
      </Field>
      <Field label="新しいパスワード" error={errors.next} hint="12文字以上。推測しやすい単語、キーボードの並び、繰り返し、職員IDや氏名は使えません。直近5回のパスワードも使えません。">
        {(p) => <input {...p} type="password" value={next} onChange={(e) => setNext(e.target.value)} autoComplete="new-password" />}
      </Field>
      <Field label="新しいパスワード（確認）" error={errors.confirm}>
        {(p) => <input {...p} type="password" value={confirm} onChange={(e) => setConfirm(e.target.value)} autoComplete="new-password" />}
      </Field>
      <SubmitButton busy={act.busy} busyLabel="変更中…">
        パスワードを変更する
      </SubmitButton>
    </form>
  );
}
