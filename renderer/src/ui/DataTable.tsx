import { Fragment, useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { flexRender, getCoreRowModel, getSortedRowModel, useReactTable, type ColumnDef, type SortingState } from '@tanstack/react-table';

/**
 * Keyboard of a list row (tr tabIndex=0): ↑/↓ move to the row above/below, Enter opens. Keys pressed on a
 * control inside the row (a button, a field) are the control's.
 */
export function onRowKey(e: KeyboardEvent<HTMLTableRowElement>, open: () => void): void {
  if (e.target !== e.currentTarget) return;
  if (e.key === 'Enter') {
    e.preventDefault();
    open();
  } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    e.preventDefault();
    const sibling = e.key === 'ArrowDown' ? e.currentTarget.nextElementSibling : e.currentTarget.previousElementSibling;
    (sibling as HTMLElement | null)?.focus();
  }
}

/** A column's meta: `num` right-aligns the cells (class 'num'). */
export interface DataColumnMeta {
  num?: boolean;
}

interface DataTableProps<T> {
  rows: T[];
  // TanStack's own type for a list of columns of mixed value types (what createColumnHelper builds).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  columns: ColumnDef<T, any>[];
  /** The table's accessible name. */
  label: string;
  /** Added to 'results'. */
  className?: string;
  /** Enter on a row, and the click or double-click of `openWith`. */
  onOpen(row: T): void;
  openWith?: 'click' | 'doubleClick';
  /** data-* attributes of a row (what tests and the screen reader's users find it by). */
  rowData?(row: T): Record<`data-${string}`, string>;
  /** Each time this number grows past 0, the first row takes the focus (e.g. after a search). */
  focusFirst?: number;
  /** A last, unsorted column with the row's buttons. */
  actions?: { header: string; cell(row: T): ReactNode };
  /** An inline row under the row (e.g. its open form); null for none. */
  detail?(row: T): ReactNode;
}

/**
 * A sortable list (TanStack Table): headers that can sort are buttons with aria-sort and ▲/▼; rows are reached
 * with Tab and ↑/↓ and open with Enter (onRowKey) or the pointer.
 */
export function DataTable<T>({ rows, columns, label, className, onOpen, openWith, rowData, focusFirst = 0, actions, detail }: DataTableProps<T>) {
  const [sorting, setSorting] = useState<SortingState>([]);
  const table = useReactTable({ data: rows, columns, state: { sorting }, onSortingChange: setSorting, getCoreRowModel: getCoreRowModel(), getSortedRowModel: getSortedRowModel() });
  const body = useRef<HTMLTableSectionElement>(null);
  const width = columns.length + (actions ? 1 : 0);

  useEffect(() => {
    if (focusFirst > 0) body.current?.querySelector<HTMLTableRowElement>('tr')?.focus();
  }, [focusFirst]);

  return (
    <table className={className ? `results ${className}` : 'results'} aria-label={label}>
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
            {actions && <th>{actions.header}</th>}
          </tr>
        ))}
      </thead>
      <tbody ref={body}>
        {table.getRowModel().rows.map((row) => {
          const open = () => onOpen(row.original);
          const inline = detail?.(row.original);
          return (
            <Fragment key={row.id}>
              <tr tabIndex={0} onKeyDown={(e) => onRowKey(e, open)} onClick={openWith === 'click' ? open : undefined} onDoubleClick={openWith === 'doubleClick' ? open : undefined} {...rowData?.(row.original)}>
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} className={(cell.column.columnDef.meta as DataColumnMeta | undefined)?.num ? 'num' : undefined}>
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
                {actions && <td>{actions.cell(row.original)}</td>}
              </tr>
              {inline && (
                <tr className="inline-row">
                  <td colSpan={width}>{inline}</td>
                </tr>
              )}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}
