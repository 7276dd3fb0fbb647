import { ROLE_LABELS } from '../../../../shared/domain/rights';
import type { StaffSummary } from '../../../../shared/ipc/admin-contract';
import { onRowKey } from '../../ui/DataTable';
import { ACTIONS_HEADER, Table } from '../../ui/Table';
import { staffStatus } from './format';

interface StaffTableProps {
  staff: readonly StaffSummary[];
  selectedId: string | null;
  onOpen(s: StaffSummary): void;
}

/** 職員一覧: rows are reachable by Tab/↑/↓ and open with Enter, a double-click or the 詳細 button. */
export function StaffTable({ staff, selectedId, onOpen }: StaffTableProps) {
  return (
    <Table className="results staff-table" aria-label="職員一覧" headers={['職員ID', '氏名', '所属', '役割', '状態', '認証器', '権限', ACTIONS_HEADER]}>
      {staff.map((s) => (
        <tr
          key={s.staffId}
          data-testid={`staff-row-${s.staffId}`}
          tabIndex={0}
          className={s.staffId === selectedId ? 'selected' : undefined}
          aria-current={s.staffId === selectedId ? 'true' : undefined}
          onKeyDown={(e) => onRowKey(e, () => onOpen(s))}
          onDoubleClick={() => onOpen(s)}
        >
          <td>{s.staffId}</td>
          <td>
            {s.name}
            {s.demo && <span className="muted">（デモ）</span>}
          </td>
          <td>{s.section}</td>
          <td>{ROLE_LABELS[s.role]}</td>
          <td className={s.disabled || s.lockedUntil ? 'flag' : undefined}>{staffStatus(s)}</td>
          <td className="num">{s.authenticators.length}</td>
          <td className="num">{s.grants.length}</td>
          <td>
            <button type="button" onClick={() => onOpen(s)} aria-label={`${s.name}（${s.staffId}）の詳細`}>
              詳細
            </button>
          </td>
        </tr>
      ))}
    </Table>
  );
}
