import { call } from '../../lib/api';
import { useLoad } from '../../lib/useLoad';
import { ErrorBanner } from '../../ui/Field';
import { useApp } from '../../lib/store';
import { ClaimsTable } from './ClaimsTable';
import { useCan } from '../../lib/can';

/** On the resident screen: 「請求を受け付ける」 for claim.enter holders and the resident's claims (claims.byResident). */
export function ResidentClaims({ residentId }: { residentId: string }) {
  const { go } = useApp();
  const { data, error } = useLoad(() => call('claims.byResident', { residentId }), [residentId]);
  const canEnter = useCan('claims.receive');
  return (
    <section aria-label="請求">
      <h2>請求</h2>
      {canEnter && (
        <p>
          <button type="button" className="primary" accessKey="c" onClick={() => go({ name: 'claimEntry', residentId, kind: null, claimId: null })}>
            請求を受け付ける
          </button>
        </p>
      )}
      <ErrorBanner message={error} />
      {data && data.claims.length === 0 && <p className="muted">この住民の請求はありません。</p>}
      {data && data.claims.length > 0 && (
        <ClaimsTable rows={data.claims} label="この住民の請求" onOpen={(c) => go({ name: 'claim', claimId: c.id, back: { name: 'resident', residentId } })} />
      )}
    </section>
  );
}
