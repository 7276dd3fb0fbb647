import { useState } from 'react';
import { PrintActions } from '../../ui/PrintActions';
import type { PrintableCertificate } from '../../../../shared/ipc/contract';
import { SEX_LABELS } from '../../../../shared/domain/resident';
import { formatWareki } from '../../../../shared/domain/wareki';
import { call, errorMessage } from '../../lib/api';
import { useEscape, useLoad } from '../../lib/useLoad';
import { ErrorBanner } from '../../ui/Field';
import { useApp } from '../../app/store';

export function PrintPreviewScreen({ residentId, certificateId }: { residentId: string; certificateId: string }) {
  const { go } = useApp();
  const { data, error } = useLoad(() => call('certificates.printView', { certificateId }), [certificateId]);
  const { data: printers } = useLoad(() => call('printers.list', {}), []);
  const [printer, setPrinter] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [printed, setPrinted] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEscape(() => go({ name: 'resident', residentId }));
  const chosen = printer || printers?.printers[0] || '';

  async function print() {
    if (busy) return;
    setMessage(null);
    setBusy(true);
    try {
      if (!data) return;
      const r = await call('certificates.print', { certificateId, printerName: chosen, fingerprint: data.fingerprint });
      setPrinted(r.printedAt);
    } catch (e) {
      setMessage(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="screen">
      <nav className="crumbs no-print">
        <button type="button" onClick={() => go({ name: 'resident', residentId })}>
          ← 住民の詳細に戻る（Esc）
        </button>
      </nav>
      <h1 className="no-print">印刷プレビュー</h1>
      <ErrorBanner message={error ?? message} />
      {data && (
        <>
          <CertificateCard c={data} />
          <PrintActions printers={printers?.printers ?? null} chosen={chosen} onChoose={setPrinter} onPrint={print} busy={busy} printed={printed ? chosen : null} />
        </>
      )}
    </main>
  );
}

/** The certificate as printed (card layout); the print stylesheet shows only this. */
export function CertificateCard({ c }: { c: PrintableCertificate }) {
  return (
    <article className="certificate" aria-label={c.certificateName}>
      <header>
        <h2>{c.certificateName}</h2>
        {c.issueKind === 'reissue' && <span className="stamp">再交付</span>}
      </header>
      <table>
        <tbody>
          <tr>
            <th>公費負担者番号</th>
            <td className="digits">{c.publicPayerNo}</td>
            <th>受給者番号</th>
            <td className="digits">{c.certificateNo}</td>
          </tr>
          <tr>
            <th>受給者（子）</th>
            <td colSpan={3}>
              <div className="furigana">{c.child.nameKana}</div>
              <div className="name">{c.child.nameKanji}</div>
            </td>
          </tr>
          <tr>
            <th>生年月日</th>
            <td>{formatWareki(c.child.birthDate)}</td>
            <th>性別</th>
            <td>{SEX_LABELS[c.child.sex]}</td>
          </tr>
          <tr>
            <th>保護者</th>
            <td colSpan={3}>
              {c.guardian && (
                <>
                  <div className="furigana">{c.guardian.nameKana}</div>
                  <div className="name">{c.guardian.nameKanji}</div>
                </>
              )}
            </td>
          </tr>
          <tr>
            <th>住所</th>
            <td colSpan={3}>{c.addressWithheld ? '（記載しません）' : c.guardian?.address}</td>
          </tr>
          {c.insurance && (
            <tr>
              <th>保険者番号</th>
              <td className="digits">{c.insurance.insurerNo}</td>
              <th>記号・番号</th>
              <td>
                {c.insurance.symbol}・{c.insurance.number}
                {c.insurance.branch ? `（枝番 ${c.insurance.branch}）` : ''}
              </td>
            </tr>
          )}
          <tr>
            <th>有効期間</th>
            <td colSpan={3} className="validity">
              {formatWareki(c.validFrom)}から{formatWareki(c.validTo)}まで
            </td>
          </tr>
          <tr>
            <th>交付年月日</th>
            <td colSpan={3}>{formatWareki(c.issueDate)}</td>
          </tr>
        </tbody>
      </table>
      {c.notes.length > 0 && (
        <ul className="notes">
          {c.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      <footer>
        {c.municipalityName} {c.issuerTitle}
      </footer>
    </article>
  );
}
