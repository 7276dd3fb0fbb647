import { Fragment, useState, type FormEvent } from 'react';
import { can } from '../../lib/can';
import type { AuditExportView } from '../../../../shared/ipc/audit-contract';
import { useApp } from '../../lib/store';
import { call } from '../../lib/api';
import { useLoad } from '../../lib/useLoad';
import { ErrorBanner, Field, StatusBanner } from '../../ui/Field';
import { ReasonRow } from '../../ui/ReasonForm';
import { useAction } from '../../lib/useAction';
import { jstDateTime } from '../../../../shared/domain/wareki';
import { SubmitButton } from '../../ui/SubmitButton';
import { Table } from '../../ui/Table';
import { useAuditFilter } from './auditStore';
import { FilterFields } from './FilterFields';
import { describeFilter, filterErrors, toRequestFilter, type FilterDraft } from './format';
import './audit.css';

type Encoding = AuditExportView['csvEncoding'];
const ENCODINGS: readonly { value: Encoding; label: string }[] = [
  { value: 'utf8bom', label: 'UTF-8（BOM付き）' },
  { value: 'cp932', label: 'Shift_JIS（CP932, 古いExcel向け）' },
];
const ENCODING_LABELS: Record<Encoding, string> = { utf8bom: 'UTF-8（BOM付き）', cp932: 'Shift_JIS（CP932）' };
const STATUS_LABELS: Record<AuditExportView['status'], string> = { requested: '申請中（承認待ち）', approved: '承認済み（未出力）', rejected: '却下', written: '出力済み' };
/** The core's rule, shown before anyone tries (the core refuses it too, and audits the attempt). */
export const OWN_REQUEST_MESSAGE = '自分が申請した出力は承認できません（二人による確認が必要です）。';
/** How a supervisor learns to verify a package: the steps (a command for the administrator) are in docs/ja/audit-verification.md. */
export const VERIFY_GUIDE = '出力したフォルダは、署名とハッシュ値によって出力後に書き換えられていないことを確かめられます。検証手順は管理者向け手引きを参照してください。';

/**
 * 監査ログの出力 (issue 8 §3): a 監督者 requests an export of the filtered log with a reason and the CSV's
 * character set; a second person holding audit.export.approve approves or rejects it with a reason (never their
 * own request: the two-person rule, enforced by the core). On approval the core writes the package to the
 * policy's export destination; the screen shows where and how many entries, and how to verify it.
 */
export function AuditExportScreen() {
  const { session } = useApp();
  const canRequest = can(session, 'audit.exports.request');
  const canApprove = can(session, 'audit.exports.decide');
  const list = useLoad(() => call('audit.exports.list', {}), []);
  const [deciding, setDeciding] = useState<{ id: string; approve: boolean } | null>(null);
  const [result, setResult] = useState<AuditExportView | null>(null);

  async function decide(id: string, approve: boolean, reason: string) {
    setResult(null);
    try {
      const r = await call('audit.exports.decide', { exportId: id, approve, reason });
      setResult(r);
    } finally {
      // A refusal (or a failed write after approval) changes the request's state too.
      list.reload();
    }
  }

  return (
    <main className="screen screen--wide audit-export">
      <h1>監査ログの出力</h1>
      <p className="muted">出力は監督者が申請し、申請者以外の管理責任者が承認したときにだけ、決められた出力先へ書き出されます（二人による確認）。出力の申請・承認・書き出しはすべて監査ログに記録されます。</p>
      {result && <DecisionResult r={result} />}
      {canRequest && <RequestForm onRequested={() => list.reload()} />}
      <h2>申請の一覧</h2>
      <ErrorBanner message={list.error} />
      {list.data && list.data.exports.length === 0 && <p className="muted">出力の申請はありません。</p>}
      {list.data && list.data.exports.length > 0 && (
        <Table className="history audit-exports" aria-label="出力の申請の一覧" data-testid="audit-exports" scoped headers={['申請日時', '申請者', '理由', '条件', '文字コード', '状態', '承認・却下', '出力先']}>
          {list.data.exports.map((x) => (
            <Fragment key={x.id}>
              <tr data-export={x.id} data-status={x.status}>
                <td>{jstDateTime(x.requestedAt, { seconds: true })}</td>
                <td>{x.requestedByLabel}</td>
                <td>{x.reason}</td>
                <td>{describeFilter(x.filter)}</td>
                <td>{ENCODING_LABELS[x.csvEncoding]}</td>
                <td>{STATUS_LABELS[x.status]}</td>
                <td>
                  {x.decidedBy && (
                    <>
                      {x.decidedByLabel}（{x.decidedAt ? jstDateTime(x.decidedAt, { seconds: true }) : ''}）{x.decisionReason && `：${x.decisionReason}`}
                    </>
                  )}
                  {canApprove && x.status === 'requested' && x.requestedBy === session?.staffId && <span className="flag">{OWN_REQUEST_MESSAGE}</span>}
                  {canApprove && x.status === 'requested' && x.requestedBy !== session?.staffId && (
                    <span className="audit-decide">
                      <button type="button" aria-label={`${x.requestedByLabel} の申請を承認する`} onClick={() => setDeciding({ id: x.id, approve: true })}>
                        承認する
                      </button>
                      <button type="button" aria-label={`${x.requestedByLabel} の申請を却下する`} onClick={() => setDeciding({ id: x.id, approve: false })}>
                        却下する
                      </button>
                    </span>
                  )}
                </td>
                <td>{x.destination ? `${x.destination}（${x.entries ?? 0}件）` : ''}</td>
              </tr>
              {deciding?.id === x.id && (
                <ReasonRow
                  colSpan={8}
                  label={deciding.approve ? '承認の理由' : '却下の理由'}
                  submitLabel={deciding.approve ? '承認して出力する' : '却下する'}
                  onSubmit={(reason) => decide(x.id, deciding.approve, reason)}
                  onDone={() => setDeciding(null)}
                  onCancel={() => setDeciding(null)}
                />
              )}
            </Fragment>
          ))}
        </Table>
      )}
      <p className="muted">{VERIFY_GUIDE}</p>
    </main>
  );
}

function DecisionResult({ r }: { r: AuditExportView }) {
  if (r.status === 'rejected') {
    return <StatusBanner message={`${r.requestedByLabel} の出力申請を却下しました。`} />;
  }
  if (r.status !== 'written' || !r.destination) {
    return (
      <div className="banner banner--warn" role="status">
        承認しましたが、まだ書き出されていません。出力先の設定を確認してください。
      </div>
    );
  }
  return (
    <div className="banner banner--info audit-written" role="status" data-testid="audit-export-result">
      <p>
        監査ログを出力しました。出力先: <code data-testid="audit-export-destination">{r.destination}</code>（{(r.entries ?? 0).toLocaleString('ja-JP')}件）
      </p>
      <p>{VERIFY_GUIDE}</p>
    </div>
  );
}

/** The request: the filter (starting from the review screen's), a reason and the CSV's character set. */
function RequestForm({ onRequested }: { onRequested(): void }) {
  const stored = useAuditFilter((s) => s.filter);
  const [draft, setDraft] = useState<FilterDraft>(stored);
  const [reason, setReason] = useState('');
  const [encoding, setEncoding] = useState<Encoding>('utf8bom');
  const [done, setDone] = useState<string | null>(null);
  const act = useAction();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setDone(null);
    if (!reason.trim()) return act.fail(null, { reason: '理由を入力してください' });
    const filter = toRequestFilter(draft);
    const r = await act.run(() => call('audit.exports.request', { filter, reason, csvEncoding: encoding }));
    if (r) {
      setReason('');
      setDone(`出力を申請しました（${describeFilter(r.filter)}）。申請者以外の承認者が承認すると書き出されます。`);
      onRequested();
    }
  }

  const errors = filterErrors(act.fieldErrors);
  return (
    <form className="panel audit-request" onSubmit={submit} noValidate aria-label="監査ログの出力申請">
      <h2>出力を申請する</h2>
      <StatusBanner message={done} />
      <ErrorBanner message={act.bannerFor(['reason', 'csvEncoding', ...Object.keys(errors).map((k) => `filter.${k}`)])} />
      <FilterFields value={draft} onChange={setDraft} errors={errors} />
      <Field label="出力の理由" error={act.fieldErrors.reason}>
        {(p) => <input {...p} name="exportReason" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} autoComplete="off" />}
      </Field>
      <fieldset>
        <legend>CSV 文字コード</legend>
        {ENCODINGS.map((o) => (
          <label key={o.value} className="radio">
            <input type="radio" name="csvEncoding" value={o.value} checked={encoding === o.value} onChange={() => setEncoding(o.value)} /> {o.label}
          </label>
        ))}
      </fieldset>
      <SubmitButton busy={act.busy} busyLabel="申請中…">
        出力を申請する
      </SubmitButton>
    </form>
  );
}
