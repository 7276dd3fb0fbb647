import { PrintActions } from '../../ui/PrintActions';
import { call } from '../../lib/api';
import { usePrinting } from '../../lib/usePrinting';
import { useEscape, useLoad } from '../../lib/useLoad';
import { ErrorBanner } from '../../ui/Field';
import { useApp, type Screen } from '../../lib/store';
import { BackNav } from '../../ui/BackNav';
import { CertificateDocument } from './CertificateDocument';
import { DvReleaseForm } from './DvReleaseForm';
import { canReleaseDv } from './model';

/**
 * 印刷プレビュー of any certificate type (certificates.printFields). Printing sends the preview's fingerprint;
 * the core re-reads every printed field and refuses when anything changed since — the explanation is shown
 * with 「プレビューを更新」, which reads the fields again.
 */
export function CertificatePreviewScreen({ certificateId, back }: { certificateId: string; back: Screen }) {
  const { go, session } = useApp();
  const { data, error, reload } = useLoad(() => call('certificates.printFields', { certificateId }), [certificateId]);
  const printing = usePrinting();
  const refusal = printing.refusal;
  useEscape(() => go(back));

  function print() {
    if (data) void printing.print((printerName) => call('certificates.print', { certificateId, printerName, fingerprint: data.fingerprint }));
  }

  function refresh() {
    printing.reset();
    reload();
  }

  const withheld = data ? data.restricted && !data.released : false;
  return (
    <main className="screen screen--wide">
      <BackNav label="戻る" onBack={() => go(back)} noPrint />
      <h1 className="no-print">印刷プレビュー{data ? ` — ${data.typeName}` : ''}</h1>
      <div className="no-print">
        <ErrorBanner message={error} />
        {withheld && (
          <div className="banner banner--warn" role="note" data-testid="address-withheld">
            住所は支援措置により印字しません。登録住所への印字・郵送には所属長の解除が必要です。
          </div>
        )}
        {data?.restricted && data.released && (
          <div className="banner banner--info" role="note">
            所属長の解除により、本日に限り住所を印字します。
          </div>
        )}
        {data && withheld && canReleaseDv(session?.rights, data.type) && (
          <DvReleaseForm certificateId={certificateId} certificateNo={data.fields.find((f) => f.key === 'certificateNo')?.value ?? ''} onReleased={refresh} />
        )}
        {data && data.status !== 'valid' && (
          <div className="banner banner--info" role="note">
            この証は{data.status === 'cancelled' ? '取消' : '失効'}されているため印刷できません（内容の確認のみ）。
          </div>
        )}
        {refusal && (
          <div className="banner banner--error" role="alert" data-testid="print-refusal">
            <p>{refusal}</p>
            <button type="button" onClick={refresh} autoFocus>
              プレビューを更新
            </button>
          </div>
        )}
      </div>
      {data && <CertificateDocument doc={data} />}
      {data && data.status === 'valid' && (
        <PrintActions printing={printing} onPrint={print} disabled={refusal !== null} timesPrinted={data.timesPrinted} />
      )}
    </main>
  );
}
