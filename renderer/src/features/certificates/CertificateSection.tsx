import { CERT_TYPE_DEFS, type CertType } from '../../../../shared/domain/certificate-types';
import type { ResidentDetail } from '../../../../shared/ipc/contract';
import { useApp } from '../../lib/store';
import { issuableTypes } from './model';
import { can } from '../../lib/can';

/**
 * 証の交付 on the resident detail: the types this member of staff may issue (certificate.issue per 事務), each
 * through the one issue screen, and the history of every certificate of the person. Only what the person's
 * data allows is offered (the core's `offers`: こども医療 to the 18歳年度末, 国保 資格, B類 age); the other types
 * are listed with the reason (issue 14 §5).
 */
export function CertificateSection({ residentId, offers }: { residentId: string; offers: ResidentDetail['offers']['certificates'] }) {
  const { go, session } = useApp();
  const mine = issuableTypes(session?.rights);
  const types = mine.filter((t) => offers[t].available);
  const unavailable = mine.flatMap((t) => {
    const o = offers[t];
    return o.available ? [] : [{ type: t as CertType, reason: o.reason }];
  });
  const viewsHistory = can(session, 'certificates.lifecycle');
  if (mine.length === 0 && !viewsHistory) return null;
  return (
    <section aria-label="証の交付">
      <h2>証の交付</h2>
      {types.length > 0 && (
        <ul className="cert-types">
          {types.map((t) => (
            <li key={t}>
              <button
                type="button"
                className={t === 'kodomo' ? 'primary' : undefined}
                accessKey={t === 'kodomo' ? 'i' : undefined}
                onClick={() => go({ name: 'certIssue', residentId, type: t })}
              >
                {CERT_TYPE_DEFS[t].name}を交付する
              </button>
              <span className="muted">（{CERT_TYPE_DEFS[t].size === 'card' ? 'カード' : 'A4'}）</span>
            </li>
          ))}
        </ul>
      )}
      {unavailable.length > 0 && (
        <>
          <h3 className="unavailable__title">この方には交付できない証</h3>
          <ul className="unavailable" data-testid="unavailable-certificates">
            {unavailable.map((u) => (
              <li key={u.type}>
                <span className="unavailable__name">{CERT_TYPE_DEFS[u.type].name}</span>：{u.reason}
              </li>
            ))}
          </ul>
        </>
      )}
      {viewsHistory && (
        <p>
          <button type="button" accessKey="h" onClick={() => go({ name: 'certHistory', residentId })}>
            交付履歴・訂正・回収（全種類）
          </button>
        </p>
      )}
    </section>
  );
}
