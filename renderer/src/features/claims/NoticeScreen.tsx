import { PrintActions } from '../../ui/PrintActions';
import type { PrintableNotice } from '../../../../shared/ipc/claims-contract';
import { call } from '../../lib/api';
import { usePrinting } from '../../lib/usePrinting';
import { useEscape, useLoad } from '../../lib/useLoad';
import { ErrorBanner } from '../../ui/Field';
import { useApp, type Screen } from '../../lib/store';
import { dateJa, formatPostalCode } from '../../lib/format';
import { BackNav } from '../../ui/BackNav';
import { BreakdownLines } from './Breakdown';
import { formatYen } from './format';

/** 通知書の印刷プレビュー (claims.noticeView) and printing on a policy-allowed printer (claims.printNotice). */
export function NoticeScreen({ claimId, back }: { claimId: string; back: Screen }) {
  const { go } = useApp();
  const { data, error } = useLoad(() => call('claims.noticeView', { claimId }), [claimId]);
  const printing = usePrinting();
  useEscape(() => go(back));
  const print = () => printing.print((printerName) => call('claims.printNotice', { claimId, printerName }));

  return (
    <main className="screen">
      <BackNav label="請求の詳細に戻る" onBack={() => go(back)} noPrint />
      <h1 className="no-print">通知書 印刷プレビュー</h1>
      <ErrorBanner message={error ?? printing.refusal ?? (printing.printersError ? `プリンタの一覧を取得できません: ${printing.printersError}` : null)} />
      {data && (
        <>
          <NoticeDocument n={data} />
          <PrintActions printing={printing} onPrint={print} timesPrinted={data.timesPrinted} />
        </>
      )}
    </main>
  );
}

/** The notice as printed on A4; the print stylesheet shows only this. */
export function NoticeDocument({ n }: { n: PrintableNotice }) {
  return (
    <article className="notice" aria-label={n.title}>
      <p className="notice__no">
        {n.noticeNo.startsWith('G') ? '交付番号' : '通知番号'} {n.noticeNo}
        <br />
        {dateJa(n.issueDate)}
      </p>
      <p className="notice__to">
        {!n.addressee.addressWithheld && n.addressee.postalCode && (
          <>
            〒{formatPostalCode(n.addressee.postalCode)}
            <br />
          </>
        )}
        {n.addressee.addressWithheld || !n.addressee.address ? '' : n.addressee.address}
        <br />
        <span className="notice__name">{n.addressee.name} 様</span>
      </p>
      <p className="notice__from">
        {n.municipalityName} {n.issuerTitle}
      </p>
      <h2 className="notice__title">{n.title}</h2>
      <p>{n.kindLabel}の請求について、次のとおり決定したので通知します。</p>
      <table className="notice__table">
        <tbody>
          <tr>
            <th>受付番号</th>
            <td>{n.claimNo}</td>
          </tr>
          <tr>
            <th>対象者</th>
            <td>{n.subjectName}</td>
          </tr>
          <tr>
            <th>決定</th>
            <td>{n.decision}</td>
          </tr>
          {n.amountYen !== null && (
            <tr>
              <th>支給額</th>
              <td className="notice__amount">{formatYen(n.amountYen)}</td>
            </tr>
          )}
          {n.bankLine && (
            <tr>
              <th>振込先</th>
              <td>{n.bankLine}</td>
            </tr>
          )}
          {n.reason && (
            <tr>
              <th>{n.decision === '不支給' || n.decision === '却下' ? `${n.decision}の理由` : '備考'}</th>
              <td>{n.reason}</td>
            </tr>
          )}
        </tbody>
      </table>
      {n.breakdown.length > 0 && (
        <>
          <h3>算定の内訳</h3>
          <BreakdownLines lines={n.breakdown} className="notice__breakdown" />
        </>
      )}
      <section className="notice__footer" aria-label="教示">
        <h3>教示</h3>
        <p>1 審査請求について{"\u3000"}{n.appeal.review}</p>
        <p>2 取消訴訟について{"\u3000"}{n.appeal.lawsuit}</p>
      </section>
    </article>
  );
}
