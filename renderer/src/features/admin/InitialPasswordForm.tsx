import { useState, type FormEvent } from 'react';
import type { StaffSummary } from '../../../../shared/ipc/admin-contract';
import { call } from '../../lib/api';
import { ErrorBanner, Field } from '../../ui/Field';
import { useAction } from '../../lib/useAction';
import { SubmitButton } from '../../ui/SubmitButton';
import { ErrorSummary } from '../../ui/ErrorSummary';

interface InitialPasswordFormProps {
  person: StaffSummary;
  onDone(message: string): void;
}

/** 初期パスワードの設定 (also a reset); the person must change it at the next login. */
export function InitialPasswordForm({ person, onDone }: InitialPasswordFormProps) {
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const act = useAction();

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (act.busy) return;
    const errors: Record<string, string> = {};
    if (!password) errors.password = 'パスワードを入力してください';
    if (password !== again || !again) errors.again = '確認のため、同じパスワードをもう一度入力してください';
    if (!act.check(errors)) return;
    const r = await act.run(() => call('admin.staff.setInitialPassword', { staffId: person.staffId, password }));
    if (!r) return;
    setPassword('');
    setAgain('');
    onDone(`${person.name}さんの初期パスワードを設定しました。次回のログイン時に本人が変更します。`);
  }

  return (
    <section aria-labelledby={`pw-${person.staffId}`}>
      <h3 id={`pw-${person.staffId}`}>初期パスワードの設定</h3>
      <p className="muted">
        設定したパスワードは本人に直接伝えてください。本人は次回のログイン時に、このパスワードを自分のパスワードに変更する必要があります。ロックも解除されます。
      </p>
      {person.demo && <p className="muted">デモ用アカウントのパスワードは変更できません。</p>}
      <form className="admin-form" onSubmit={submit} noValidate aria-label="初期パスワードの設定">
        <ErrorSummary errors={act.fieldErrors} />
        <ErrorBanner message={act.bannerFor(['password', 'again'])} />
        <Field label="初期パスワード" error={act.fieldErrors.password} required>
          {(p) => <input {...p} name="password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
        </Field>
        <Field label="初期パスワード（確認）" error={act.fieldErrors.again} required>
          {(p) => <input {...p} name="again" type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} />}
        </Field>
        <SubmitButton busy={act.busy} busyLabel="設定中…">
          設定する
        </SubmitButton>
      </form>
    </section>
  );
}
