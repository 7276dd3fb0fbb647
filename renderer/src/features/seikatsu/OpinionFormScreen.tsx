import { call } from '../../lib/api';
import { dateJa } from '../../lib/format';
import { usePrinting } from '../../lib/usePrinting';
import { useApp, type Screen } from '../../lib/store';
import { useEscape, useLoad } from '../../lib/useLoad';
import { BackNav } from '../../ui/BackNav';
import { ErrorBanner } from '../../ui/Field';
import { PrintActions } from '../../ui/PrintActions';

const DATE_KEYS = new Set(['birthDate', 'issueDate']);

/**
 * The blank 医療要否意見書 (seikatsu.opinionForm): the recipient and the 指定医療機関 of the flow's 発行 step, the
 * doctor's items left blank. Printing goes through the same print-safety comparison as a certificate (the core
 * re-reads the fields and compares them with this preview's fingerprint).
 */
export function OpinionFormScreen({ residentId, back }: { residentId: string; back: Screen }) {
  const go = useApp((s) => s.go);
  const { data, error, reload } = useLoad(() => call('seikatsu.opinionForm', { residentId }), [residentId]);
  const printing = usePrinting();
  const refusal = printing.refusal;
  useEscape(() => go(back));

  function print() {
    if (data) void printing.print((printerName) => call('seikatsu.printOpinionForm', { residentId, printerName, fingerprint: data.fingerprint }));
  }

  const title = data?.fields.find((f) => f.key === 'title')?.value ?? '医療要否意見書';
  return (
    <main className="screen">
      <BackNav label="扶助の画面に戻る" onBack={() => go(back)} noPrint />
      <h1 className="no-print">印刷プレビュー — {title}</h1>
      <ErrorBanner message={error ?? refusal} />
      {refusal && (
        <button type="button" className="no-print" onClick={() => (printing.reset(), reload())}>
          プレビューを更新
        </button>
      )}
      {data && (
        <>
          <article className="notice opinion-form" aria-label={title} data-testid="opinion-form">
            <h2>{title}</h2>
            <dl>
              {data.fields
                .filter((f) => f.key !== 'title')
                .map((f) => (
                  <div key={f.key} className="opinion-form__row">
                    <dt>{f.label}</dt>
                    <dd>{DATE_KEYS.has(f.key) ? dateJa(f.value) : f.value || '\u00a0'}</dd>
                  </div>
                ))}
            </dl>
            <p className="notice__issuer">{data.municipalityName} 福祉事務所長</p>
          </article>
          <PrintActions printing={printing} onPrint={print} disabled={refusal !== null} />
        </>
      )}
    </main>
  );
}
