import { Fragment, useRef, useState } from 'react';
import { rightLabel } from '../../../../shared/domain/rights';
import type { StaffSummary } from '../../../../shared/ipc/admin-contract';
import { call } from '../../lib/api';
import { jstDate } from '../../../../shared/domain/wareki';
import { expiryLabel } from './format';
import { GrantForm } from './GrantForm';
import { ReasonForm } from '../../ui/ReasonForm';

interface GrantsSectionProps {
  person: StaffSummary;
  approvers: readonly StaffSummary[];
  /** '職員ID（氏名）' for an ID. */
  nameOf(staffId: string): string;
  onDone(message: string): void;
}

/** The person's effective grants (取消 asks for a reason) and the form granting a new one. */
export function GrantsSection({ person, approvers, nameOf, onDone }: GrantsSectionProps) {
  const [revoking, setRevoking] = useState<string | null>(null);
  const opener = useRef<HTMLButtonElement | null>(null);

  function cancel() {
    setRevoking(null);
    opener.current?.focus();
  }

  return (
    <section aria-labelledby={`grants-${person.staffId}`}>
      <h3 id={`grants-${person.staffId}`}>権限</h3>
      {person.grants.length === 0 ? (
        <p className="muted">付与されている権限はありません。</p>
      ) : (
        <table className="history" aria-label="付与されている権限">
          <thead>
            <tr>
              <th>権限</th>
              <th>承認者</th>
              <th>理由</th>
              <th>期限</th>
              <th>付与者</th>
              <th>付与日</th>
              <th>
                <span className="visually-hidden">操作</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {person.grants.map((g) => (
              <Fragment key={g.id}>
                <tr>
                  <td>{rightLabel(g.right)}</td>
                  <td>{nameOf(g.approvedBy)}</td>
                  <td>{g.reason}</td>
                  <td>{expiryLabel(g.expiresAt)}</td>
                  <td>{nameOf(g.grantedBy)}</td>
                  <td>{jstDate(g.validFrom)}</td>
                  <td>
                    <button
                      type="button"
                      aria-label={`「${rightLabel(g.right)}」を取り消す`}
                      aria-expanded={revoking === g.id}
                      onClick={(e) => {
                        opener.current = e.currentTarget;
                        setRevoking(g.id);
                      }}
                    >
                      取消
                    </button>
                  </td>
                </tr>
                {revoking === g.id && (
                  <tr className="inline-row">
                    <td colSpan={7}>
                      <ReasonForm
                        label={`「${rightLabel(g.right)}」を取り消す理由`}
                        submitLabel="取り消す"
                        onSubmit={(reason) => call('admin.grants.revoke', { grantId: g.id, reason })}
                        onDone={() => {
                          setRevoking(null);
                          onDone(`${person.name}さんの「${rightLabel(g.right)}」を取り消しました。`);
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
      <h4>権限を付与する</h4>
      <GrantForm person={person} approvers={approvers} onDone={onDone} />
    </section>
  );
}
