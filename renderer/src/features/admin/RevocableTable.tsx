import { Fragment, type ReactNode } from 'react';
import { useInlineForm } from '../../lib/useInlineForm';
import { ReasonRow } from '../../ui/ReasonForm';
import { ACTIONS_HEADER, Table } from '../../ui/Table';

interface RevocableTableProps<T extends { id: string }> {
  /** The table's accessible name. */
  label: string;
  /** Shown instead of the table when there is nothing. */
  empty: string;
  headers: readonly string[];
  items: readonly T[];
  cells(item: T): ReactNode[];
  /** The last column's button, e.g. 取消: it opens an inline form asking for the reason. */
  revoke: {
    button: string;
    /** The button's accessible name, e.g. 「…」を取り消す. */
    name(item: T): string;
    reasonLabel(item: T): string;
    submitLabel: string;
    send(item: T, reason: string): Promise<unknown>;
    done(item: T): void;
  };
}

/** A member of staff's grants or authenticators: one row each, 取消/無効化 asks for a reason inline (Esc cancels). */
export function RevocableTable<T extends { id: string }>({ label, empty, headers, items, cells, revoke }: RevocableTableProps<T>) {
  const form = useInlineForm<string>();
  if (items.length === 0) return <p className="muted">{empty}</p>;
  return (
    <Table className="history" aria-label={label} headers={[...headers, ACTIONS_HEADER]}>
      {items.map((item) => (
        <Fragment key={item.id}>
          <tr>
            {cells(item).map((c, i) => (
              <td key={i}>{c}</td>
            ))}
            <td>
              <button type="button" aria-label={revoke.name(item)} aria-expanded={form.open === item.id} onClick={(e) => form.show(item.id, e.currentTarget)}>
                {revoke.button}
              </button>
            </td>
          </tr>
          {form.open === item.id && (
            <ReasonRow
              colSpan={headers.length + 1}
              label={revoke.reasonLabel(item)}
              submitLabel={revoke.submitLabel}
              onSubmit={(reason) => revoke.send(item, reason)}
              onDone={() => {
                form.close();
                revoke.done(item);
              }}
              onCancel={form.cancel}
            />
          )}
        </Fragment>
      ))}
    </Table>
  );
}
