import { rightLabel } from '../../../../shared/domain/rights';
import type { StaffSummary } from '../../../../shared/ipc/admin-contract';
import { jstDate } from '../../../../shared/domain/wareki';
import { call } from '../../lib/api';
import { approvalLabel, expiryLabel } from './format';
import { GrantForm } from './GrantForm';
import { RevocableTable } from './RevocableTable';

interface GrantsSectionProps {
  person: StaffSummary;
  approvers: readonly StaffSummary[];
  /** '職員ID（氏名）' for an ID. */
  nameOf(staffId: string): string;
  onDone(message: string): void;
}

/** The person's grants, in force or waiting for the named 所属長 (取消 asks for a reason), and the form granting a new one. */
export function GrantsSection({ person, approvers, nameOf, onDone }: GrantsSectionProps) {
  return (
    <section aria-labelledby={`grants-${person.staffId}`}>
      <h3 id={`grants-${person.staffId}`}>権限</h3>
      <RevocableTable
        label="付与されている権限"
        empty="付与されている権限はありません。"
        headers={['権限', '承認', '理由', '期限', '付与者', '付与日']}
        items={person.grants}
        cells={(g) => [rightLabel(g.right), approvalLabel(g.approvalStatus, g.approvedBy, nameOf), g.reason, expiryLabel(g.expiresAt), nameOf(g.grantedBy), jstDate(g.validFrom)]}
        revoke={{
          button: '取消',
          name: (g) => `「${rightLabel(g.right)}」を取り消す`,
          reasonLabel: (g) => `「${rightLabel(g.right)}」を取り消す理由`,
          submitLabel: '取り消す',
          send: (g, reason) => call('admin.grants.revoke', { grantId: g.id, reason }),
          done: (g) => onDone(`${person.name}さんの「${rightLabel(g.right)}」を取り消しました。`),
        }}
      />
      <h4>権限を付与する</h4>
      <GrantForm person={person} approvers={approvers} onDone={onDone} />
    </section>
  );
}
