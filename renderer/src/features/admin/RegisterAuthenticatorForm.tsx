import { useState, type FormEvent } from 'react';
import { browserSupportsWebAuthn, startRegistration, WebAuthnAbortService, type PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/browser';
import type { StaffSummary } from '../../../../shared/ipc/admin-contract';
import { ApiError, call, errorMessage } from '../../lib/api';
import { ErrorBanner, Field } from '../../ui/Field';
import { useAction } from '../../lib/useAction';
import { SubmitButton } from '../../ui/SubmitButton';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { ApproverField } from './ApproverField';

interface RegisterAuthenticatorFormProps {
  person: StaffSummary;
  /** Valid 承認者（所属長）: one of them must approve the registration before it can be used. */
  approvers: readonly StaffSummary[];
  onDone(message: string): void;
}

/** Japanese message for what `startRegistration` (navigator.credentials.create) may throw. */
export function registrationErrorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  const name = e instanceof Error ? e.name : '';
  const code = e instanceof Error && 'code' in e ? String(e.code) : '';
  if (name === 'NotAllowedError') return '登録が取り消されたか、時間切れになりました。もう一度「登録を開始」してください。';
  if (name === 'AbortError') return '登録を中止しました。';
  if (name === 'InvalidStateError' || code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED') return 'この認証器はすでにこの職員に登録されています。';
  if (name === 'ConstraintError') return 'この認証器は本人確認（PIN・生体認証）に対応していません。別の認証器を使用してください。';
  if (name === 'NotSupportedError') return 'この認証器は対応していない方式です。別の認証器を使用してください。';
  if (name === 'SecurityError') return '端末の設定により認証器を登録できません。IT担当者に連絡してください。';
  return e instanceof Error ? '認証器の登録に失敗しました。もう一度お試しください。' : errorMessage(e);
}

/**
 * 認証器の登録: the person to register touches their authenticator at this terminal; the administrator only
 * names it and starts the ceremony. The name is checked before starting, so nobody has to touch it twice.
 */
export function RegisterAuthenticatorForm({ person, approvers, onDone }: RegisterAuthenticatorFormProps) {
  const [label, setLabel] = useState('');
  const [approvedBy, setApprovedBy] = useState('');
  const [waiting, setWaiting] = useState(false);
  const act = useAction();

  async function submit(e: FormEvent) {
    e.preventDefault();
    const name = label.trim();
    const errors: Record<string, string> = {};
    if (!name) errors.label = '認証器の名前を入力してください';
    else if (name.length > 60) errors.label = '認証器の名前は60文字以内で入力してください';
    if (!approvedBy.trim()) errors.approvedBy = '承認する所属長の職員IDを入力してください';
    if (!act.check(errors)) return;
    if (!browserSupportsWebAuthn()) return act.fail('この端末では認証器を使用できません。IT担当者に連絡してください。');
    const r = await act.run(async () => {
      const { options } = await call('admin.authenticators.begin', { staffId: person.staffId });
      setWaiting(true);
      let response;
      try {
        response = await startRegistration({ optionsJSON: options as unknown as PublicKeyCredentialCreationOptionsJSON });
      } finally {
        setWaiting(false);
      }
      return call('admin.authenticators.finish', { staffId: person.staffId, label: name, response: response as unknown as Record<string, unknown>, approvedBy: approvedBy.trim() });
    }, registrationErrorMessage);
    if (!r) return;
    setLabel('');
    onDone(`${person.name}さんの認証器「${name}」を登録しました。所属長（${approvedBy.trim()}）が承認すると使えるようになります。`);
    setApprovedBy('');
  }

  return (
    <form className="admin-form" onSubmit={submit} noValidate aria-label="認証器の登録">
      <ErrorSummary errors={act.fieldErrors} />
      <ErrorBanner message={act.bannerFor(['label', 'approvedBy'])} />
      <Field label="名前" error={act.fieldErrors.label} required hint="例: Windows Hello、セキュリティキー1">
        {(p) => <input {...p} name="label" value={label} onChange={(e) => setLabel(e.target.value)} maxLength={60} readOnly={act.busy} />}
      </Field>
      <ApproverField
        person={person}
        approvers={approvers}
        value={approvedBy}
        onChange={setApprovedBy}
        error={act.fieldErrors.approvedBy}
        required
        hint="登録した認証器は、この所属長が自分の認証器で承認するまで使えません。"
        readOnly={act.busy}
      />
      <SubmitButton busy={act.busy} busyLabel={waiting ? '認証器を待っています…' : '処理中…'}>
        登録を開始
      </SubmitButton>
      <p role="status" className="admin-waiting">
        {waiting ? '本人が認証器に触れてください…' : ''}
      </p>
      {waiting && (
        <button type="button" onClick={() => WebAuthnAbortService.cancelCeremony()}>
          中止
        </button>
      )}
    </form>
  );
}
