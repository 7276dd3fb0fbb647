import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { createColumnHelper, flexRender, getCoreRowModel, getSortedRowModel, useReactTable, type SortingState } from '@tanstack/react-table';
import type { ResidentSummary } from '../../../../shared/ipc/contract';
import { SEX_LABELS } from '../../../../shared/domain/resident';
import { formatWareki } from '../../../../shared/domain/wareki';

const col = createColumnHelper<ResidentSummary>();

const columns = [
  col.accessor('atenaNo', { header: '宛名番号' }),
  col.accessor('nameKanji', {
    header: '氏名',
    cell: (c) => (
      <>
        {c.getValue()}
        {c.row.original.aliasName && <span className="muted">（通称 {c.row.original.aliasName}）</span>}
      </>
    ),
  }),
  col.accessor('nameKana', { header: 'カナ氏名' }),
  col.accessor('birthDate', { header: '生年月日', cell: (c) => formatWareki(c.getValue()) }),
  col.accessor('sex', { header: '性別', cell: (c) => SEX_LABELS[c.getValue()] }),
  col.accessor('address', {
    header: '住所',
    enableSorting: false,
    cell: (c) => (c.row.original.flags.dvSupport || c.row.original.flags.nonDisclosure ? <span className="flag">{c.getValue()}</span> : c.getValue()),
  }),
];

interface Props {
  rows: ResidentSummary[];
  onOpen(r: ResidentSummary): void;
  focusFirst: number;
}

/** Sortable results; rows are reachable by Tab/↑/↓ and open with Enter. No 個人番号 column exists. */
export function ResultsTable({ rows, onOpen, focusFirst }: Props) {
  const [sorting, setSorting] = useState<SortingState>([]);
  const data = useMemo(() => rows, [rows]);
  const table = useReactTable({ data, columns, state: { sorting }, onSortingChange: setSorting, getCoreRowModel: getCoreRowModel(), getSortedRowModel: getSortedRowModel() });
  const bodyRef = useRef<HTMLTableSectionElement>(null);

  useEffect(() => {
    if (focusFirst > 0) bodyRef.current?.querySelector<HTMLTableRowElement>('tr')?.focus();
  }, [focusFirst]);

  function onKey(e: KeyboardEvent<HTMLTableRowElement>, r: ResidentSummary) {
    if (e.key === 'Enter') {
      e.preventDefault();
      onOpen(r);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const sib = e.key === 'ArrowDown' ? e.currentTarget.nextElementSibling : e.currentTarget.previousElementSibling;
      (sib as HTMLElement | null)?.focus();
    }
  }

  return (
    <table className="results" aria-label="検索結果">
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
      <tbody ref={bodyRef}>
        {table.getRowModel().rows.map((row) => (
          <tr key={row.id} tabIndex={0} onKeyDown={(e) => onKey(e, row.original)} onDoubleClick={() => onOpen(row.original)} data-atena={row.original.atenaNo}>
            {row.getVisibleCells().map((cell) => (
              <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
