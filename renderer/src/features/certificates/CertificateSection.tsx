import { CERT_TYPE_DEFS } from '../../../../shared/domain/certificate-types';
import { useApp } from '../../lib/store';
import { issuableTypes } from './model';
import { can } from '../../lib/can';

/**
 * 証の交付 on the resident detail: the types this member of staff may issue (certificate.issue per 事務), each
 * through the one issue screen, and the history of every certificate of the person. The こども医療証 is offered
 * only while the child is eligible (to the 18歳年度末).
 */
export function CertificateSection({ residentId, kodomoEligible }: { residentId: string; kodomoEligible: boolean }) {
  const { go, session } = useApp();
  const types = issuableTypes(session?.rights).filter((t) => t !== 'kodomo' || kodomoEligible);
  const viewsHistory = can(session, 'certificates.lifecycle');
  if (types.length === 0 && !viewsHistory) return null;
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
