import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { can } from '../../lib/can';
import { HIGHLIGHT_LABELS } from '../../../../shared/ipc/audit-contract';
import { useApp } from '../../lib/store';
import { ErrorBanner } from '../../ui/Field';
import { AuditLogTable } from './AuditLogTable';
import { detailLines } from './detail';
import { useAuditFilter } from './auditStore';
import { FilterFields } from './FilterFields';
import { EMPTY_FILTER, filterErrors, toRequestFilter, type FilterDraft, type Highlight, type ReviewRow } from './format';
import { useReviewPages } from './useReviewPages';
import './audit.css';
import { useEscape } from '../../lib/useLoad';

/** How many loaded rows carry each highlight, in the order of HIGHLIGHT_LABELS. */
function highlightCounts(rows: readonly ReviewRow[]): { flagged: number; by: [Highlight, number][] } {
  const by = new Map<Highlight, number>();
  let flagged = 0;
  for (const r of rows) {
    if (r.highlights.length) flagged += 1;
    for (const h of r.highlights) by.set(h, (by.get(h) ?? 0) + 1);
  }
  return { flagged, by: (Object.keys(HIGHLIGHT_LABELS) as Highlight[]).filter((h) => by.has(h)).map((h) => [h, by.get(h)!]) };
}


/**
 * 監査ログ (issue 8 §2), for holders of audit.review: filter, a windowed table loaded page by page (keyset,
 * newest first) as the supervisor scrolls, highlight badges and their count over the loaded rows, and the
 * detail of an entry. Every page read is itself audited by the core.
 */
export function AuditReviewScreen() {
  const { session, go } = useApp();
  const stored = useAuditFilter((s) => s.filter);
  const setStored = useAuditFilter((s) => s.setFilter);
  const [draft, setDraft] = useState<FilterDraft>(stored);
  const [selected, setSelected] = useState<{ row: ReviewRow; index: number } | null>(null);
  const pages = useReviewPages();
  const { search, searchFromForm, loadMore } = pages;
  const detailRef = useRef<HTMLElement>(null);
  const counts = useMemo(() => highlightCounts(pages.rows), [pages.rows]);
  const canExport = can(session, 'audit.exports.request');

  // The first page with the filter kept from before (or none).
  const initial = useRef(stored);
  useEffect(() => {
    search(toRequestFilter(initial.current));
  }, [search]);

  useEffect(() => {
    if (selected) detailRef.current?.focus();
  }, [selected]);

  function submit(e: FormEvent) {
    e.preventDefault();
    setStored(draft);
    setSelected(null);
    searchFromForm(toRequestFilter(draft));
  }

  const open = useCallback((row: ReviewRow, index: number) => setSelected({ row, index }), []);

  function closeDetail() {
    const index = selected?.index;
    setSelected(null);
    if (index !== undefined) document.querySelector<HTMLElement>(`.audit-table tr[data-index="${index}"]`)?.focus();
  }

  // Esc closes the row detail as every dialog does (closeDetail focuses its row again).
  useEscape(closeDetail, 'dialog', selected !== null);

  const errors = filterErrors(pages.fieldErrors);
  return (
    <main className="screen screen--wide audit-review">
      <h1>監査ログ</h1>
      <form className="audit-filter-form" onSubmit={submit} noValidate aria-label="監査ログの検索条件">
        <FilterFields value={draft} onChange={setDraft} errors={errors} />
        <div className="actions">
          <button type="submit" className="primary" disabled={pages.loading && !pages.loaded}>
            検索
          </button>
          <button type="button" onClick={() => setDraft(EMPTY_FILTER)}>
            条件をクリア
          </button>
          {canExport && (
            <button
              type="button"
              onClick={() => {
                setStored(draft);
                go({ name: 'auditExport' });
              }}
            >
              この条件で出力を申請…
            </button>
          )}
        </div>
      </form>
      <ErrorBanner message={Object.keys(errors).length ? null : pages.error} />
      {pages.loaded && (
        <p className="result-count audit-summary" role="status" data-testid="audit-summary">
          読み込み済み {pages.rows.length.toLocaleString('ja-JP')}件
          {pages.next === null ? '（条件に合う監査ログをすべて表示しています）' : '（下へスクロールすると続きを読み込みます）'}
          ／ 注意の付いた行 {counts.flagged.toLocaleString('ja-JP')}件
          {counts.by.length > 0 && `（${counts.by.map(([h, n]) => `${HIGHLIGHT_LABELS[h]} ${n}件`).join('、')}）`}
        </p>
      )}
      {!pages.loaded && pages.loading && <p className="muted">読み込んでいます…</p>}
      {pages.loaded && pages.rows.length === 0 && <p>条件に合う監査ログはありません。</p>}
      <div className={selected ? 'audit-layout audit-layout--detail' : 'audit-layout'}>
        {pages.rows.length > 0 && <AuditLogTable rows={pages.rows} hasMore={pages.next !== null} loading={pages.loading} onNearEnd={loadMore} onOpen={open} selectedSeq={selected?.row.seq ?? null} />}
        {selected && (
          <section className="panel audit-detail" aria-label="監査ログの詳細" tabIndex={-1} ref={detailRef}>
            <h2>監査ログ {selected.row.seq} 番の詳細</h2>
            <table className="audit-detail__table" data-testid="audit-detail" data-seq={selected.row.seq} aria-label={`監査ログ ${selected.row.seq} 番の内容`}>
              <tbody>
                {detailLines(selected.row).map((l, i) => (
                  <tr key={i}>
                    <th scope="row">{l.label}</th>
                    <td>{l.value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <button type="button" onClick={closeDetail}>
              閉じる（Esc）
            </button>
          </section>
        )}
      </div>
    </main>
  );
}
