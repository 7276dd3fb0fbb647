import type { StaffSummary } from '../../../../shared/ipc/admin-contract';
import { jstDate } from '../../../../shared/domain/wareki';
import { call } from '../../lib/api';
import { RegisterAuthenticatorForm } from './RegisterAuthenticatorForm';
import { RevocableTable } from './RevocableTable';
import { approvalLabel } from './format';

interface AuthenticatorsSectionProps {
  person: StaffSummary;
  approvers: readonly StaffSummary[];
  nameOf(staffId: string): string;
  onDone(message: string): void;
}

/** The person's authenticators (無効化 asks for a reason) and the registration of a new one. */
export function AuthenticatorsSection({ person, approvers, nameOf, onDone }: AuthenticatorsSectionProps) {
  return (
    <section aria-labelledby={`authn-${person.staffId}`}>
      <h3 id={`authn-${person.staffId}`}>認証器</h3>
      <RevocableTable
        label="登録されている認証器"
        empty="登録されている認証器はありません。"
        headers={['名前', '登録日', '登録者', '承認']}
        items={person.authenticators}
        cells={(a) => [a.label, jstDate(a.createdAt), nameOf(a.registeredBy), approvalLabel(a.approvalStatus, a.approver, nameOf)]}
        revoke={{
          button: '無効化',
          name: (a) => `認証器「${a.label}」を無効化する`,
          reasonLabel: (a) => `認証器「${a.label}」を無効化する理由`,
          submitLabel: '無効化する',
          send: (a, reason) => call('admin.authenticators.revoke', { authenticatorId: a.id, reason }),
          done: (a) => onDone(`${person.name}さんの認証器「${a.label}」を無効化しました。`),
        }}
      />
      <h4>認証器を登録する</h4>
      <RegisterAuthenticatorForm person={person} approvers={approvers} onDone={onDone} />
    </section>
  );
}
