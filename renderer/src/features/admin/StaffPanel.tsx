import { ROLE_LABELS } from '../../../../shared/domain/rights';
import type { StaffSummary } from '../../../../shared/ipc/admin-contract';
import { AuthenticatorsSection } from './AuthenticatorsSection';
import { staffStatus } from './format';
import { GrantsSection } from './GrantsSection';
import { InitialPasswordForm } from './InitialPasswordForm';

interface StaffPanelProps {
  person: StaffSummary;
  approvers: readonly StaffSummary[];
  nameOf(staffId: string): string;
  /** Called after each successful action with the confirmation to show; the list is then reloaded. */
  onDone(message: string): void;
  onClose(): void;
}

/** One member of staff: grants, authenticators and the initial password. Keyed by staffId by the caller. */
export function StaffPanel({ person, approvers, nameOf, onDone, onClose }: StaffPanelProps) {
  const headingId = `staff-panel-${person.staffId}`;
  return (
    <section className="admin-panel" aria-labelledby={headingId}>
      <header className="admin-panel__head">
        <h2 id={headingId}>
          {person.name}
          <span className="kana">{person.nameKana}</span>（{person.staffId}）
        </h2>
        <button type="button" onClick={onClose}>
          閉じる（Esc）
        </button>
      </header>
      <p>
        {person.section} ／ {ROLE_LABELS[person.role]} ／ {staffStatus(person)}
        {person.demo && ' ／ デモ用アカウント'}
      </p>
      <GrantsSection person={person} approvers={approvers} nameOf={nameOf} onDone={onDone} />
      <AuthenticatorsSection person={person} approvers={approvers} nameOf={nameOf} onDone={onDone} />
      <InitialPasswordForm person={person} onDone={onDone} />
    </section>
  );
}
