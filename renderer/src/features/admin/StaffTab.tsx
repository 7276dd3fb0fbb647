import { useRef, useState, type KeyboardEvent } from 'react';
import type { StaffSummary } from '../../../../shared/ipc/admin-contract';
import { call } from '../../lib/api';
import { useEscape, useLoad } from '../../lib/useLoad';
import { ErrorBanner, Field } from '../../ui/Field';
import { staffNamer } from './format';
import { StaffPanel } from './StaffPanel';
import { StaffTable } from './StaffTable';

interface StaffTabProps {
  /** The person whose panel is open (kept by AdminScreen across tabs). */
  selectedId: string | null;
  onSelect(staffId: string | null): void;
}

function matches(s: StaffSummary, q: string): boolean {
  const k = q.trim().toLowerCase();
  return !k || [s.staffId, s.name, s.nameKana, s.section].some((v) => v.toLowerCase().includes(k));
}

/** 職員一覧 and the selected person's panel; after each action the list is reloaded and the person stays selected. */
export function StaffTab({ selectedId, onSelect }: StaffTabProps) {
  const { data, error, reload } = useLoad(() => call('admin.staff.list', {}), []);
  const [filter, setFilter] = useState('');
  const [status, setStatus] = useState('');
  const statusRef = useRef<HTMLParagraphElement>(null);
  const tableRef = useRef<HTMLDivElement>(null);
  const staff = data?.staff ?? [];
  const person = staff.find((s) => s.staffId === selectedId) ?? null;
  const approvers = staff.filter((s) => s.role === 'approver' && !s.disabled);
  const shown = staff.filter((s) => matches(s, filter));
  const nameOf = staffNamer(staff);

  function open(s: StaffSummary) {
    setStatus('');
    onSelect(s.staffId);
  }

  function close() {
    if (!selectedId) return;
    onSelect(null);
    tableRef.current?.querySelector<HTMLElement>(`[data-testid="staff-row-${CSS.escape(selectedId)}"]`)?.focus();
  }
  // Esc closes the panel, except from a panel field that holds typed text (nothing typed is thrown away).
  useEscape(() => {
    const a = document.activeElement;
    if ((a instanceof HTMLInputElement || a instanceof HTMLSelectElement) && a.value && a.closest('.admin-panel')) return;
    close();
  });

  function done(message: string) {
    setStatus(message);
    reload();
    statusRef.current?.focus();
  }

  function onFilterKey(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      tableRef.current?.querySelector<HTMLElement>('tbody tr')?.focus();
    }
  }

  return (
    <>
      <ErrorBanner message={error} />
      <div className="admin-toolbar">
        <Field label="絞り込み（職員ID・氏名・カナ・所属）">
          {(p) => <input {...p} type="search" value={filter} onChange={(e) => setFilter(e.target.value)} onKeyDown={onFilterKey} autoFocus />}
        </Field>
        {data && (
          <span className="muted">
            {shown.length}人{shown.length !== staff.length ? `（全${staff.length}人）` : ''} — ↓で一覧へ、↑↓で選択、Enterで詳細
          </span>
        )}
      </div>
      <div ref={tableRef}>
        <StaffTable staff={shown} selectedId={selectedId} onOpen={open} />
      </div>
      <p role="status" className="admin-status" ref={statusRef} tabIndex={-1}>
        {status}
      </p>
      {person && <StaffPanel key={person.staffId} person={person} approvers={approvers} nameOf={nameOf} onDone={done} onClose={close} />}
    </>
  );
}
