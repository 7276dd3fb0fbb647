import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { jstDateTime, jstIso } from '../../../../shared/domain/wareki';
import { staffLabel } from './detail';
import { actionLabel, highlightLabel, outcomeLabel, type ReviewRow } from './format';

/** Fixed row height in px (also in audit.css): the window is computed from it. */
export const ROW_HEIGHT = 36;
/** Rows rendered above and below the visible ones. */
const OVERSCAN = 10;
/** Ask for the next page when the last rendered row is this close to the end of what is loaded. */
const NEAR_END = 30;
const COLUMNS = ['日時', '職員', '端末', '操作', '対象（宛名番号）', '処理事由', '結果', '注意'] as const;

interface AuditLogTableProps {
  rows: ReviewRow[];
  hasMore: boolean;
  loading: boolean;
  onNearEnd(): void;
  onOpen(row: ReviewRow, index: number): void;
  selectedSeq: number | null;
}

/**
 * The audit log as a windowed table: a scroll container of fixed-height rows where only the visible rows
 * (plus an overscan) are in the DOM, spacer rows standing in for the rest, so 1M loaded entries cost as much
 * to draw as 30. Scrolling near the end asks for the next keyset page. Keyboard: Tab reaches the current row,
 * ↑/↓/PageUp/PageDown/Home/End move (scrolling the window along), Enter opens the detail.
 */
export function AuditLogTable({ rows, hasMore, loading, onNearEnd, onOpen, selectedSeq }: AuditLogTableProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewHeight, setViewHeight] = useState(ROW_HEIGHT * 15);
  const [active, setActive] = useState(0);
  const focusWanted = useRef(false);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setViewHeight(el.clientHeight || ROW_HEIGHT * 15);
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const count = rows.length;
  const current = Math.min(active, Math.max(count - 1, 0));
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(count, Math.ceil((scrollTop + viewHeight) / ROW_HEIGHT) + OVERSCAN);
  // Tab reaches the current row, or the first visible one when the current row was scrolled out of the window.
  const tabbable = current >= first && current < last ? current : Math.min(Math.floor(scrollTop / ROW_HEIGHT), count - 1);

  useEffect(() => {
    if (hasMore && !loading && last >= count - NEAR_END) onNearEnd();
  }, [last, count, hasMore, loading, onNearEnd]);

  // After a keyboard move the target row is rendered (the window followed it): give it focus.
  useEffect(() => {
    if (!focusWanted.current) return;
    focusWanted.current = false;
    scroller.current?.querySelector<HTMLElement>(`tr[data-index="${current}"]`)?.focus();
  }, [current, first, last]);

  const moveTo = useCallback(
    (i: number) => {
      const el = scroller.current;
      if (!el || count === 0) return;
      const target = Math.min(Math.max(i, 0), count - 1);
      const head = el.querySelector('thead')?.getBoundingClientRect().height ?? ROW_HEIGHT;
      const top = target * ROW_HEIGHT;
      // Keep the row inside the visible part (below the sticky header).
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + ROW_HEIGHT + head > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_HEIGHT + head - el.clientHeight;
      setScrollTop(el.scrollTop);
      focusWanted.current = true;
      setActive(target);
    },
    [count],
  );

  function onKey(e: KeyboardEvent<HTMLTableRowElement>, row: ReviewRow, index: number) {
    const page = Math.max(1, Math.floor(viewHeight / ROW_HEIGHT) - 2);
    const moves: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, PageDown: index + page, PageUp: index - page, Home: 0, End: count - 1 };
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onOpen(row, index);
    } else if (e.key in moves) {
      e.preventDefault();
      moveTo(moves[e.key]!);
    }
  }

  return (
    <div className="audit-scroller" ref={scroller} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} data-testid="audit-scroller">
      <table className="results audit-table" aria-label="監査ログ" aria-rowcount={count + 1} data-rendered-from={first} data-rendered-to={last}>
        <colgroup>
          <col className="audit-col--at" />
          <col className="audit-col--staff" />
          <col className="audit-col--terminal" />
          <col className="audit-col--action" />
          <col className="audit-col--target" />
          <col className="audit-col--reason" />
          <col className="audit-col--outcome" />
          <col className="audit-col--highlights" />
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            {COLUMNS.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {first > 0 && (
            <tr className="audit-spacer" aria-hidden="true">
              <td colSpan={COLUMNS.length} style={{ height: first * ROW_HEIGHT }} />
            </tr>
          )}
          {rows.slice(first, last).map((r, k) => {
            const i = first + k;
            const labels = r.highlights.map(highlightLabel);
            return (
              <tr
                key={r.seq}
                data-index={i}
                data-seq={r.seq}
                aria-rowindex={i + 2}
                aria-selected={selectedSeq === r.seq}
                tabIndex={i === tabbable ? 0 : -1}
                className={r.highlights.length ? 'audit-row audit-row--flagged' : 'audit-row'}
                onKeyDown={(e) => onKey(e, r, i)}
                onFocus={() => setActive(i)}
                onClick={() => {
                  setActive(i);
                  onOpen(r, i);
                }}
              >
                <td title={jstIso(r.at)}>{jstDateTime(r.at, { seconds: true })}</td>
                <td title={r.staffId ?? undefined}>{staffLabel(r.staffId, r.staffName)}</td>
                <td>{r.terminalId}</td>
                <td title={r.action}>{actionLabel(r.action)}</td>
                <td>{r.targetAtenaNo ?? ''}</td>
                <td title={r.reason ?? undefined}>{r.reason ?? ''}</td>
                <td className={r.outcome === 'success' ? undefined : 'audit-outcome--bad'}>{outcomeLabel(r.outcome)}</td>
                <td title={labels.join('、') || undefined}>
                  {labels.map((l, j) => (
                    <span key={r.highlights[j]} className={`audit-badge audit-badge--${r.highlights[j]}`}>
                      {l}
                    </span>
                  ))}
                </td>
              </tr>
            );
          })}
          {last < count && (
            <tr className="audit-spacer" aria-hidden="true">
              <td colSpan={COLUMNS.length} style={{ height: (count - last) * ROW_HEIGHT }} />
            </tr>
          )}
        </tbody>
      </table>
      {loading && count > 0 && (
        <p className="audit-more muted" role="status">
          続きを読み込んでいます…
        </p>
      )}
    </div>
  );
}
