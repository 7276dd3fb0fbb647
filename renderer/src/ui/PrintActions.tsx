/**
 * The printer choice and print button every print preview shows: only the printers the main process allows
 * (policy, never print-to-PDF), a clear message when there is none, and the result of the last print.
 */
export function PrintActions(props: {
  printers: string[] | null;
  chosen: string;
  onChoose(name: string): void;
  onPrint(): void;
  busy: boolean;
  disabled?: boolean;
  printed: string | null;
}) {
  const { printers, chosen, onChoose, onPrint, busy, disabled, printed } = props;
  return (
    <div className="actions no-print">
      {printers && printers.length === 0 && <span className="field__error">この端末で使用できるプリンタがありません。IT担当者に連絡してください。</span>}
      {printers && printers.length > 0 && (
        <>
          <label>
            プリンタ{' '}
            <select value={chosen} onChange={(e) => onChoose(e.target.value)} aria-label="プリンタ">
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
