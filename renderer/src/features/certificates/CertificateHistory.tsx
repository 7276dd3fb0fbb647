import { ISSUE_KIND_LABELS } from '../../../../shared/domain/resident';
import { formatWareki } from '../../../../shared/domain/wareki';
import { call } from '../../lib/api';
import { useLoad } from '../../lib/useLoad';
import { ErrorBanner } from '../../ui/Field';

const EVENT_LABELS = { issue: '新規交付', reissue: '再交付', supersede: '失効（再交付による）', print: '印刷' } as const;

function dateTime(iso: string): string {
  const d = new Date(iso);
  const jst = new Date(d.getTime() + 9 * 3600_000).toISOString();
  return `${formatWareki(jst.slice(0, 10))} ${jst.slice(11, 16)}`;
}

/** 交付履歴: every certificate and every event on it, who did it and why. */
export function CertificateHistory({ residentId, onPreview }: { residentId: string; onPreview(certificateId: string): void }) {
  const { data, error } = useLoad(() => call('certificates.history', { residentId }), [residentId]);
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
                  {formatWareki(c.validFrom)}〜{formatWareki(c.validTo)}
                </td>
                <td>{c.status === 'valid' ? '有効' : '失効'}</td>
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
            {data.events.map((e) => (
              <li key={e.id}>
                {dateTime(e.at)} {EVENT_LABELS[e.event]} 受給者番号 {e.certificateNo} — {e.by}
                {e.reason ? `（${e.reason}）` : ''}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
