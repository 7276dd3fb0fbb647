import { useState } from 'react';
import { RightsReviewTab } from './RightsReviewTab';
import { RosterTab } from './RosterTab';
import { StaffTab } from './StaffTab';

type AdminTab = 'staff' | 'roster' | 'review';
const TABS: { id: AdminTab; label: string }[] = [
  { id: 'staff', label: '職員一覧' },
  { id: 'roster', label: '名簿の取込' },
  { id: 'review', label: '権限点検表' },
];

/** システム管理: staff and their grants/authenticators/passwords, the roster import and the 権限点検表. */
export function AdminScreen() {
  const [tab, setTab] = useState<AdminTab>('staff');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  return (
    <main className="screen admin">
      <h1 className="no-print">システム管理</h1>
      <nav className="admin-tabs no-print" aria-label="システム管理のメニュー">
        {TABS.map((t) => (
          <button key={t.id} type="button" aria-pressed={tab === t.id} onClick={() => setTab(t.id)}>
            {t.label}
          </button>
        ))}
      </nav>
      {tab === 'staff' && <StaffTab selectedId={selectedId} onSelect={setSelectedId} />}
      {tab === 'roster' && <RosterTab />}
      {tab === 'review' && <RightsReviewTab />}
    </main>
  );
}
