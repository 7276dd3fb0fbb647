import { createColumnHelper } from '@tanstack/react-table';
import type { ClaimSummary } from '../../../../shared/ipc/claims-contract';
import { CLAIM_KIND_LABELS } from '../../../../shared/domain/claims';
import { dateJa } from '../../lib/format';
import { DataTable, type DataColumnMeta } from '../../ui/DataTable';
import { stateLabel, yenOrDash } from './format';

const col = createColumnHelper<ClaimSummary>();

const columnsFor = (hideAmount: boolean) => [
  col.accessor('claimNo', { header: '受付番号' }),
  col.accessor('kind', { header: '種類', cell: (c) => CLAIM_KIND_LABELS[c.getValue()] }),
  col.accessor('residentName', { header: '対象者' }),
  col.accessor('applicationDate', { header: '申請日', cell: (c) => dateJa(c.getValue()) }),
  col.accessor('amountYen', { header: '金額', enableSorting: !hideAmount, cell: (c) => (hideAmount ? '（確認後に表示）' : yenOrDash(c.getValue())), meta: { num: true } satisfies DataColumnMeta }),
  col.accessor('state', {
    header: '状態',
    cell: (c) => (
      <>
        {stateLabel(c.row.original)}
        {c.row.original.deadlineExpired && <span className="flag">（期限超過）</span>}
        {c.row.original.revision > 1 && <span className="muted">（第{c.row.original.revision}版）</span>}
      </>
    ),
  }),
  col.accessor('enteredBy', { header: '入力者' }),
];

const COLUMNS = columnsFor(false);
const COLUMNS_BLIND = columnsFor(true);

/**
 * A list of claims (queue or per resident): sortable, rows reachable by Tab/↑/↓, Enter or a click opens.
 * `hideAmount` for the 要確認 queue: a checker does not see the computed amount before the blind check.
 */
export function ClaimsTable({ rows, onOpen, label, hideAmount = false }: { rows: ClaimSummary[]; onOpen(c: ClaimSummary): void; label: string; hideAmount?: boolean }) {
  return <DataTable rows={rows} columns={hideAmount ? COLUMNS_BLIND : COLUMNS} label={label} className="claims" onOpen={onOpen} openWith="click" rowData={(c) => ({ 'data-claim': c.claimNo })} />;
}
