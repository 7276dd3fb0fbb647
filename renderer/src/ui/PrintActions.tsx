import { useState } from 'react';
import type { Printing } from '../lib/usePrinting';
import { ConfirmDialog } from './ConfirmDialog';

/**
 * The printer choice and print button every print preview shows: only the printers the main process allows
 * (policy, never print-to-PDF), a clear message when there is none, and the result of the last print.
 * A document printed before (`timesPrinted` from the core, or printed from this preview) is a 再印刷: the
 * button asks first (ConfirmDialog) and prints only when confirmed.
 */
export function PrintActions({ printing, onPrint, disabled, timesPrinted = 0 }: { printing: Printing; onPrint(): void; disabled?: boolean; timesPrinted?: number }) {
  const { printers, chosen, choose, busy, printed } = printing;
  const [asking, setAsking] = useState(false);
  const reprint = timesPrinted > 0 || printed !== null;
  const press = () => (reprint ? setAsking(true) : onPrint());
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
          <button type="button" className="primary" onClick={press} disabled={busy || disabled === true} autoFocus>
            {busy ? '印刷中…' : reprint ? '再印刷する' : '印刷する'}
          </button>
        </>
      )}
      {printed && <span role="status">印刷しました（{printed}）。</span>}
      {asking && (
        <ConfirmDialog
          title="再印刷しますか？"
          confirmLabel="再印刷する"
          onConfirm={() => {
            setAsking(false);
            onPrint();
          }}
          onCancel={() => setAsking(false)}
        >
          <p>この書類は既に印刷されています。再印刷は記録されます。{chosen && `（プリンタ: ${chosen}）`}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
