import { ROLE_LABELS } from '../../../../shared/domain/rights';
import type { StaffSummary } from '../../../../shared/ipc/admin-contract';
import { call } from '../../lib/api';
import { useLoad } from '../../lib/useLoad';
import { ErrorBanner } from '../../ui/Field';
import { jstDateTime } from '../../../../shared/domain/wareki';
import { expiryLabel, functionLabel, groupByJimu, staffNamer, staffStatus } from './format';

/** 権限点検表: generated (and audited) when the tab opens; laid out for printing, one block per member of staff. */
export function RightsReviewTab() {
  const { data, error, reload } = useLoad(() => call('admin.rightsReview', {}), []);
  return (
    <>
      <ErrorBanner message={error} />
      <div className="actions no-print">
        <span className="muted">印刷用の体裁で表示しています（印刷時、画面の操作部分は印字されません）。</span>
        <button type="button" onClick={reload}>
          作成し直す
        </button>
      </div>
      {!data && !error && <p className="loading">作成中…</p>}
      {data && <RightsReview generatedAt={data.generatedAt} generatedBy={data.generatedBy} staff={data.staff} />}
    </>
  );
}

interface RightsReviewProps {
  generatedAt: string;
  generatedBy: string;
  staff: readonly StaffSummary[];
}

export function RightsReview({ generatedAt, generatedBy, staff }: RightsReviewProps) {
  const nameOf = staffNamer(staff);
  return (
    <article className="rights-review" data-testid="rights-review" aria-label="権限点検表">
      <h2>権限点検表</h2>
      <p className="rights-review__meta">
        作成日時 {jstDateTime(generatedAt)} ／ 作成者 {nameOf(generatedBy)} ／ 対象 {staff.length}人
      </p>
      {staff.map((s) => (
        <section key={s.staffId} className="review-staff" aria-label={`${s.name}（${s.staffId}）`}>
          <table className="review-staff__who">
            <tbody>
              <tr>
                <th>職員ID</th>
                <td>{s.staffId}</td>
                <th>氏名</th>
                <td>{s.name}</td>
                <th>所属</th>
                <td>{s.section}</td>
                <th>役割</th>
                <td>{ROLE_LABELS[s.role]}</td>
                <th>状態</th>
                <td>{staffStatus(s)}</td>
              </tr>
            </tbody>
          </table>
          {s.grants.length === 0 ? (
            <p className="review-staff__none">付与されている権限はありません。</p>
          ) : (
            <table className="review-staff__rights">
              <thead>
                <tr>
                  <th>事務</th>
                  <th>権限</th>
                  <th>承認者</th>
                  <th>期限</th>
                </tr>
              </thead>
              <tbody>
                {groupByJimu(s.grants, (g) => g.right).map((grp) =>
                  grp.items.map((g, i) => (
                    <tr key={g.id}>
                      {i === 0 && (
                        <th scope="rowgroup" rowSpan={grp.items.length}>
                          {grp.label}
                        </th>
                      )}
                      <td>{functionLabel(g.right)}</td>
                      <td>{nameOf(g.approvedBy)}</td>
                      <td>{expiryLabel(g.expiresAt)}</td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          )}
          <table className="review-staff__check">
            <tbody>
              <tr>
                <th>確認欄</th>
                <th>点検者（署名）</th>
                <td className="box" />
                <th>点検日</th>
                <td className="box box--date">{'\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日'}</td>
              </tr>
            </tbody>
          </table>
        </section>
      ))}
    </article>
  );
}
