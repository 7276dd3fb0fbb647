import type { Printing } from '../lib/usePrinting';

/**
 * The printer choice and print button every print preview shows: only the printers the main process allows
 * (policy, never print-to-PDF), a clear message when there is none, and the result of the last print.
 */
export function PrintActions({ printing, onPrint, disabled }: { printing: Printing; onPrint(): void; disabled?: boolean }) {
  const { printers, chosen, choose, busy, printed } = printing;
  return (
    <div className="actions no-print">
      {printers && printers.length === 0 && <span className="field__error">この端末で使用できるプリンタがありません。IT担当者に連絡してください。</span>}
      {printers && printers.length > 0 && (
        <>
          <label>
            プリンタ{' '}
            <select value={chosen} onChange={(e) => choose(e.target.value)} aria-label="プリンタ">
              {printers.map((p) => (
                <option key={p}>{p}</option>
              ))}
            </select>
          </label>
          <button type="button" className="primary" onClick={onPrint} disabled={busy || disabled === true} autoFocus>
            {busy ? '印刷中…' : '印刷する'}
          </button>
        </>
      )}
      {printed && <span role="status">印刷しました（{printed}）。</span>}
    </div>
  );
}
