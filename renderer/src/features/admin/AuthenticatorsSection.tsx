import { Fragment, useRef, useState } from 'react';
import type { StaffSummary } from '../../../../shared/ipc/admin-contract';
import { call } from '../../lib/api';
import { jstDate } from '../../../../shared/domain/wareki';
import { ReasonForm } from '../../ui/ReasonForm';
import { RegisterAuthenticatorForm } from './RegisterAuthenticatorForm';

interface AuthenticatorsSectionProps {
  person: StaffSummary;
  nameOf(staffId: string): string;
  onDone(message: string): void;
}

/** The person's authenticators (無効化 asks for a reason) and the registration of a new one. */
export function AuthenticatorsSection({ person, nameOf, onDone }: AuthenticatorsSectionProps) {
  const [revoking, setRevoking] = useState<string | null>(null);
  const opener = useRef<HTMLButtonElement | null>(null);

  function cancel() {
    setRevoking(null);
    opener.current?.focus();
  }

  return (
    <section aria-labelledby={`authn-${person.staffId}`}>
      <h3 id={`authn-${person.staffId}`}>認証器</h3>
      {person.authenticators.length === 0 ? (
        <p className="muted">登録されている認証器はありません。</p>
      ) : (
        <table className="history" aria-label="登録されている認証器">
          <thead>
            <tr>
              <th>名前</th>
              <th>登録日</th>
              <th>登録者</th>
              <th>
                <span className="visually-hidden">操作</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {person.authenticators.map((a) => (
              <Fragment key={a.id}>
                <tr>
                  <td>{a.label}</td>
                  <td>{jstDate(a.createdAt)}</td>
                  <td>{nameOf(a.registeredBy)}</td>
                  <td>
                    <button
                      type="button"
                      aria-label={`認証器「${a.label}」を無効化する`}
                      aria-expanded={revoking === a.id}
                      onClick={(e) => {
                        opener.current = e.currentTarget;
                        setRevoking(a.id);
                      }}
                    >
                      無効化
                    </button>
                  </td>
                </tr>
                {revoking === a.id && (
                  <tr className="inline-row">
                    <td colSpan={4}>
                      <ReasonForm
                        label={`認証器「${a.label}」を無効化する理由`}
                        submitLabel="無効化する"
                        onSubmit={(reason) => call('admin.authenticators.revoke', { authenticatorId: a.id, reason })}
                        onDone={() => {
                          setRevoking(null);
                          onDone(`${person.name}さんの認証器「${a.label}」を無効化しました。`);
                        }}
                        onCancel={cancel}
                      />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
      <h4>認証器を登録する</h4>
      <RegisterAuthenticatorForm person={person} onDone={onDone} />
    </section>
  );
}
