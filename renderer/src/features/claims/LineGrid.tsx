import { useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { DateInput, readDate, type DateKind } from '../../ui/DateInput';
import { groupDigits } from './format';

export type GridColumn<T> = {
  key: keyof T & string;
  label: string;
  /** Error key suffix when it differs from `key`. */
  errorKey?: string;
  options?: readonly { value: string; label: string }[];
  placeholder?: string;
  numeric?: boolean;
  /** An amount: shown with thousands separators once the cell is left (read back with or without them). */
  amount?: boolean;
  /** A date or 年月 cell: typed as staff write it (R8.10, 2026/10 …), its 和暦 echoed under the cell. */
  date?: DateKind;
  size?: 's' | 'm' | 'l';
};

interface Props<T extends Record<string, unknown>> {
  label: string;
  rows: T[];
  columns: readonly GridColumn<T>[];
  onChange(rows: T[]): void;
  newRow(previous: T | undefined): T;
  /** Visible errors, keyed `${errorPrefix}.${row}.${field}`. */
  errors: Record<string, string>;
  errorPrefix: string;
  extraHeader?: ReactNode;
  extraCell?: (row: number) => ReactNode;
  footer?: ReactNode;
}

/**
 * Keyboard-first line entry: Enter moves to the next cell, Shift+Enter back; Enter in the last cell of the
 * last line adds a line and puts the cursor in its first cell; Ctrl+Delete removes the current line. An
 * invalid value stays as typed with its message under the cell. Enter that confirms an IME conversion is
 * left to the IME.
 */
export function LineGrid<T extends Record<string, unknown>>({ label, rows, columns, onChange, newRow, errors, errorPrefix, extraHeader, extraCell, footer }: Props<T>) {
  const tableRef = useRef<HTMLTableElement>(null);
  /** The line whose first cell gets the cursor after the next render (a line was added or removed). */
  const focusRow = useRef<number | null>(null);

  useEffect(() => {
    if (focusRow.current === null) return;
    tableRef.current?.querySelector<HTMLElement>(`[data-row="${focusRow.current}"][data-col="0"]`)?.focus();
    focusRow.current = null;
  });

  const set = (i: number, key: keyof T, value: string) => onChange(rows.map((r, j) => (j === i ? { ...r, [key]: value } : r)));
  const add = () => {
    onChange([...rows, newRow(rows.at(-1))]);
    focusRow.current = rows.length;
  };
  const remove = (i: number) => {
    const next = rows.filter((_, j) => j !== i);
    onChange(next.length ? next : [newRow(undefined)]);
    focusRow.current = Math.max(0, Math.min(i, next.length - 1));
  };

  function onKey(e: KeyboardEvent<HTMLTableElement>) {
    const t = e.target as HTMLElement;
    if (t.dataset.row === undefined || e.nativeEvent.isComposing || e.keyCode === 229) return;
    const row = Number(t.dataset.row);
    if (e.key === 'Delete' && e.ctrlKey) {
      e.preventDefault();
      remove(row);
      return;
    }
    if (e.key !== 'Enter') return;
    e.preventDefault();
    const cells = [...(tableRef.current?.querySelectorAll<HTMLElement>('[data-row]') ?? [])];
    const at = cells.indexOf(t);
    if (e.shiftKey) cells[at - 1]?.focus();
    else if (at === cells.length - 1) add();
    else cells[at + 1]?.focus();
  }

  return (
    <div className="grid-wrap">
      <table className="line-grid" aria-label={label} ref={tableRef} onKeyDown={onKey}>
        <thead>
          <tr>
            <th scope="col">行</th>
            {columns.map((c) => (
              <th key={c.key} scope="col">
                {c.label}
              </th>
            ))}
            {extraHeader}
            <th scope="col">
              <span className="visually-hidden">削除</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i} data-line={i + 1}>
              <td className="num">{i + 1}</td>
              {columns.map((c, ci) => {
                const raw = errors[`${errorPrefix}.${i}.${c.errorKey ?? c.key}`];
                // A date cell that cannot be read says why (平成31年5月 does not exist) rather than the schema's general message.
                const reading = c.date && raw ? readDate(c.date, String(r[c.key] ?? '')) : null;
                const err = reading && !reading.ok ? reading.message : raw;
                const common = {
                  'aria-label': `${i + 1}行目 ${c.label}`,
                  'aria-invalid': Boolean(err),
                  'data-row': i,
                  'data-col': ci,
                  className: `cell cell--${c.size ?? 'm'}${c.numeric ? ' cell--num' : ''}`,
                  value: String(r[c.key] ?? ''),
                };
                return (
                  <td key={c.key} className={err ? 'has-error' : undefined}>
                    {c.options ? (
                      <select {...common} onChange={(e) => set(i, c.key, e.target.value)}>
                        {c.options.map((o) => (
                          <option key={o.value} value={o.value}>
                            {o.label}
                          </option>
                        ))}
                      </select>
                    ) : c.date ? (
                      <DateInput
                        kind={c.date}
                        compact
                        hideRefusal={Boolean(err)}
                        aria-invalid={common['aria-invalid']}
                        className={common.className}
                        value={common.value}
                        onChange={(text) => set(i, c.key, text)}
                        inputProps={{ 'aria-label': common['aria-label'], 'data-row': i, 'data-col': ci }}
                        {...(c.placeholder ? { placeholder: c.placeholder } : {})}
                      />
                    ) : (
                      <input
                        {...common}
                        placeholder={c.placeholder}
                        inputMode={c.numeric ? 'numeric' : undefined}
                        autoComplete="off"
                        onChange={(e) => set(i, c.key, e.target.value)}
                        onBlur={c.amount ? (e) => groupDigits(e.target.value) !== e.target.value && set(i, c.key, groupDigits(e.target.value)) : undefined}
                      />
                    )}
                    {err && <div className="cell-error">{err}</div>}
                  </td>
                );
              })}
              {extraCell?.(i)}
              <td>
                <button type="button" className="link" tabIndex={-1} onClick={() => remove(i)} title="この行を削除（Ctrl+Delete）">
                  削除
                </button>
              </td>
            </tr>
          ))}
        </tbody>
        {footer && <tfoot>{footer}</tfoot>}
      </table>
      <p className="field__hint">
        Enterで次の欄へ、最後の欄でEnterを押すと行を追加します。Shift+Enterで前の欄、Ctrl+Deleteで行を削除。
        <button type="button" className="link" onClick={add}>
          行を追加
        </button>
      </p>
    </div>
  );
}
