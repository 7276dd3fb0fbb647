import { Fragment, useState, type KeyboardEvent } from 'react';
import { createColumnHelper, flexRender, getCoreRowModel, getSortedRowModel, useReactTable, type SortingState } from '@tanstack/react-table';
import type { ResponseOf } from '../../../../shared/ipc/contract';
import { call } from '../../lib/api';
import { useEscape, useLoad } from '../../lib/useLoad';
import { ErrorBanner } from '../../ui/Field';
import { useApp } from '../../lib/store';
import { dateJa } from '../../lib/format';
import { RecallForm } from './LifecycleActions';

type Row = ResponseOf<'certificates.recallList'>['certificates'][number];
const col = createColumnHelper<Row>();
const COLUMNS = [
  col.accessor('typeName', { header: '種類' }),
  col.accessor('certificateNo', { header: '番号' }),
  col.accessor('atenaNo', { header: '宛名番号' }),
  col.accessor('residentName', { header: '氏名' }),
  col.accessor('endReason', { header: '失効・取消の理由', cell: (c) => c.getValue() ?? '' }),
  col.accessor('issueDate', { header: '交付日', cell: (c) => dateJa(c.getValue()) }),
  col.accessor('validTo', { header: '有効期限', cell: (c) => (c.getValue() ? dateJa(c.getValue()) : '—') }),
];

/**
 * 回収リスト (certificates.recallList): certificates superseded or cancelled and not yet returned, for the
 * types this member of staff issues. Enter (or 回収) on a row records the 回収 with date and 区分.
 */
export function RecallListScreen() {
  const { go } = useApp();
  const { data, error, reload } = useLoad(() => call('certificates.recallList', {}), []);
  const [sorting, setSorting] = useState<SortingState>([]);
  const [open, setOpen] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  useEscape(() => go({ name: 'search' }));
  const table = useReactTable({ data: data?.certificates ?? [], columns: COLUMNS, state: { sorting }, onSortingChange: setSorting, getCoreRowModel: getCoreRowModel(), getSortedRowModel: getSortedRowModel() });

  function onKey(e: KeyboardEvent<HTMLTableRowElement>, r: Row) {
    if (e.target !== e.currentTarget) return;
    if (e.key === 'Enter') {
      e.preventDefault();
      setOpen(r.id);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const sib = e.key === 'ArrowDown' ? e.currentTarget.nextElementSibling : e.currentTarget.previousElementSibling;
      (sib as HTMLElement | null)?.focus();
    }
  }

  return (
    <main className="screen screen--wide">
      <h1>回収リスト</h1>
      <p className="muted">更新・再交付・訂正・取消により失効し、まだ回収を記録していない証です。</p>
      <ErrorBanner message={error} />
      {done && (
        <div className="banner banner--info" role="status">
          {done}
        </div>
      )}
      {data && data.certificates.length === 0 && <p>回収を待っている証はありません。</p>}
      {data && data.certificates.length > 0 && (
        <>
          <p className="result-count">{data.certificates.length}件</p>
          <table className="results recall-list" aria-label="回収リスト">
            <thead>
              {table.getHeaderGroups().map((hg) => (
                <tr key={hg.id}>
                  {hg.headers.map((h) => {
                    const sorted = h.column.getIsSorted();
                    return (
                      <th key={h.id} aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}>
                        <button type="button" className="sort" onClick={h.column.getToggleSortingHandler()}>
                          {flexRender(h.column.columnDef.header, h.getContext())}
                          {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}
                        </button>
                      </th>
                    );
                  })}
                  <th>操作</th>
                </tr>
              ))}
            </thead>
            <tbody>
              {table.getRowModel().rows.map((row) => (
                <Fragment key={row.id}>
                  <tr tabIndex={0} data-certificate={row.original.certificateNo} onKeyDown={(e) => onKey(e, row.original)}>
                    {row.getVisibleCells().map((cell) => (
                      <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
                    ))}
                    <td>
                      <button type="button" aria-expanded={open === row.original.id} onClick={() => setOpen(open === row.original.id ? null : row.original.id)}>
                        回収
                      </button>{' '}
                      <button type="button" onClick={() => go({ name: 'recallNotice', certificateId: row.original.id })}>
                        回収通知
                      </button>
                    </td>
                  </tr>
                  {open === row.original.id && (
                    <tr className="inline-row">
                      <td colSpan={COLUMNS.length + 1}>
                        <RecallForm
                          cert={row.original}
                          onCancel={() => setOpen(null)}
                          onDone={(m) => {
                            setOpen(null);
                            setDone(m);
                            reload();
                          }}
                        />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </>
      )}
    </main>
  );
}
