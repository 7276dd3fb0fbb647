import { formatWareki } from '../../../../shared/domain/wareki';
import { call } from '../../lib/api';
import { useLoad } from '../../lib/useLoad';
import { ErrorBanner } from '../../ui/Field';
import { EVENT_LABELS, ISSUE_KIND_LABELS, STATUS_LABELS } from './model';

function dateTime(iso: string): string {
  const d = new Date(iso);
  const jst = new Date(d.getTime() + 9 * 3600_000).toISOString();
  return `${formatWareki(jst.slice(0, 10))} ${jst.slice(11, 16)}`;
}

/**
 * こども医療証 交付履歴: every こども医療証 and every event on it, who did it and why. Read through
 * certificates.lifecycle (all types, filtered here): certificates.history can only describe こども医療証 that
 * were issued or reissued, and fails its response contract once the person has a certificate of another type.
 */
export function CertificateHistory({ residentId, onPreview }: { residentId: string; onPreview(certificateId: string): void }) {
  const { data: all, error } = useLoad(() => call('certificates.lifecycle', { residentId }), [residentId]);
  const certificates = all?.certificates.filter((c) => c.type === 'kodomo') ?? [];
  const ids = new Set(certificates.map((c) => c.id));
  const data = all && { certificates, events: all.events.filter((e) => ids.has(e.certificateId)) };
  return (
    <section aria-label="交付履歴">
      <h2>こども医療証 交付履歴</h2>
      <ErrorBanner message={error} />
      {data && data.certificates.length === 0 && <p className="muted">交付履歴はありません。</p>}
      {data && data.certificates.length > 0 && (
        <table className="history">
          <thead>
            <tr>
              <th>受給者番号</th>
              <th>交付区分</th>
              <th>交付日</th>
              <th>有効期間</th>
              <th>状態</th>
              <th>交付者</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data.certificates.map((c) => (
              <tr key={c.id} data-certificate={c.certificateNo}>
                <td>{c.certificateNo}</td>
                <td>
                  {ISSUE_KIND_LABELS[c.issueKind]}
                  {c.reissueReason ? `（${c.reissueReason}）` : ''}
                </td>
                <td>{formatWareki(c.issueDate)}</td>
                <td>
                  {formatWareki(c.validFrom)}〜{c.validTo ? formatWareki(c.validTo) : ''}
                </td>
                <td>{STATUS_LABELS[c.status]}</td>
                <td>{c.issuedBy}</td>
                <td>{c.status === 'valid' && <button type="button" onClick={() => onPreview(c.id)}>印刷プレビュー</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && data.events.length > 0 && (
        <details>
          <summary>操作の記録（{data.events.length}件）</summary>
          <ul className="events">
            {data.events.map((e, i) => (
              <li key={`${e.certificateId}-${e.at}-${i}`}>
                {dateTime(e.at)} {EVENT_LABELS[e.event] ?? e.event} 受給者番号 {e.certificateNo} — {e.by}
                {e.reason ? `（${e.reason}）` : ''}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
