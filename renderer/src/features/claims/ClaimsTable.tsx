import { useState, type KeyboardEvent } from 'react';
import { createColumnHelper, flexRender, getCoreRowModel, getSortedRowModel, useReactTable, type SortingState } from '@tanstack/react-table';
import type { ClaimSummary } from '../../../../shared/ipc/claims-contract';
import { CLAIM_KIND_LABELS } from '../../../../shared/domain/claims';
import { dateJa } from '../../lib/format';
import { stateLabel, yenOrDash } from './format';

const col = createColumnHelper<ClaimSummary>();

const columnsFor = (hideAmount: boolean) => [
  col.accessor('claimNo', { header: '受付番号' }),
  col.accessor('kind', { header: '種類', cell: (c) => CLAIM_KIND_LABELS[c.getValue()] }),
  col.accessor('residentName', { header: '対象者' }),
  col.accessor('applicationDate', { header: '申請日', cell: (c) => dateJa(c.getValue()) }),
  col.accessor('amountYen', { header: '金額', enableSorting: !hideAmount, cell: (c) => (hideAmount ? '（確認後に表示）' : yenOrDash(c.getValue())), meta: { num: true } }),
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
  const [sorting, setSorting] = useState<SortingState>([]);
  const columns = hideAmount ? COLUMNS_BLIND : COLUMNS;
  const table = useReactTable({ data: rows, columns, state: { sorting }, onSortingChange: setSorting, getCoreRowModel: getCoreRowModel(), getSortedRowModel: getSortedRowModel() });

  function onKey(e: KeyboardEvent<HTMLTableRowElement>, c: ClaimSummary) {
    if (e.key === 'Enter') {
      e.preventDefault();
      onOpen(c);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const sib = e.key === 'ArrowDown' ? e.currentTarget.nextElementSibling : e.currentTarget.previousElementSibling;
      (sib as HTMLElement | null)?.focus();
    }
  }

  return (
    <table className="results claims" aria-label={label}>
      <thead>
        {table.getHeaderGroups().map((hg) => (
          <tr key={hg.id}>
            {hg.headers.map((h) => {
              const sorted = h.column.getIsSorted();
              return (
                <th key={h.id} aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}>
                  {h.column.getCanSort() ? (
                    <button type="button" className="sort" onClick={h.column.getToggleSortingHandler()}>
                      {flexRender(h.column.columnDef.header, h.getContext())}
                      {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}
                    </button>
                  ) : (
                    flexRender(h.column.columnDef.header, h.getContext())
                  )}
                </th>
              );
            })}
          </tr>
        ))}
      </thead>
      <tbody>
        {table.getRowModel().rows.map((row) => (
          <tr key={row.id} tabIndex={0} data-claim={row.original.claimNo} onKeyDown={(e) => onKey(e, row.original)} onClick={() => onOpen(row.original)}>
            {row.getVisibleCells().map((cell) => (
              <td key={cell.id} className={(cell.column.columnDef.meta as { num?: boolean } | undefined)?.num ? 'num' : undefined}>
                {flexRender(cell.column.columnDef.cell, cell.getContext())}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
