import { formatWareki } from '../../../../shared/domain/wareki';
import { call } from '../../lib/api';
import { usePrinting } from '../../lib/usePrinting';
import { useEscape, useLoad } from '../../lib/useLoad';
import { ErrorBanner } from '../../ui/Field';
import { PrintActions } from '../../ui/PrintActions';
import { useApp } from '../../lib/store';
import { BackNav } from '../../ui/BackNav';

const ISO = /\d{4}-\d{2}-\d{2}/g;

/**
 * 回収通知: the letter asking the holder to return a certificate on the 回収リスト. Printing goes through the
 * same print-safety check as a certificate (the core re-reads the fields and compares with this preview).
 */
export function RecallNoticeScreen({ certificateId }: { certificateId: string }) {
  const { go } = useApp();
  const { data, error, reload } = useLoad(() => call('certificates.recallNotice', { certificateId }), [certificateId]);
  const printing = usePrinting();
  const message = printing.refusal;
  useEscape(() => go({ name: 'recallList' }));

  function print() {
    if (data) void printing.print((printerName) => call('certificates.printRecallNotice', { certificateId, printerName, fingerprint: data.fingerprint }));
  }

  const field = (key: string) => (data?.fields.find((f) => f.key === key)?.value ?? '').replace(ISO, (d) => formatWareki(d));
  return (
    <main className="screen">
      <BackNav label="回収リストに戻る" onBack={() => go({ name: 'recallList' })} noPrint />
      <h1 className="no-print">回収通知 印刷プレビュー</h1>
      <ErrorBanner message={error ?? message} />
      {message && (
        <button type="button" className="no-print" onClick={() => (printing.reset(), reload())}>
          プレビューを更新
        </button>
      )}
      {data && (
        <>
          <article className="notice recall-notice" aria-label="回収通知">
            <p className="notice__addressee">
              {field('address') ? <span>{field('address')}</span> : <span className="muted">（住所は支援措置により印字しません）</span>}
              <br />
              {field('name')} 様
            </p>
            <h2>{field('title')}</h2>
            <p>{field('request')}</p>
            <dl>
              <dt>返還をお願いする証</dt>
              <dd>{field('certificate')}</dd>
              <dt>有効期間</dt>
              <dd>{field('validity')}</dd>
              <dt>理由</dt>
              <dd>{field('reason')}</dd>
            </dl>
            <p className="notice__issuer">{data.municipalityName}</p>
          </article>
          <PrintActions printing={printing} onPrint={print} disabled={message !== null} />
        </>
      )}
    </main>
  );
}
