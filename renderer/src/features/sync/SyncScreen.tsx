import { Fragment, useState } from 'react';
import type { ResponseOf } from '../../../../shared/ipc/contract';
import { jstDateTime } from '../../../../shared/domain/wareki';
import { can } from '../../lib/can';
import { call } from '../../lib/api';
import { useAction } from '../../lib/useAction';
import { useEscape, useLoad } from '../../lib/useLoad';
import { ErrorBanner, StatusBanner } from '../../ui/Field';
import { useApp, type Screen } from '../../lib/store';
import { useInlineForm } from '../../lib/useInlineForm';
import { BackNav } from '../../ui/BackNav';
import { ReasonRow } from '../../ui/ReasonForm';
import { SubmitButton } from '../../ui/SubmitButton';
import { Table } from '../../ui/Table';

type SyncStatus = ResponseOf<'sync.status'>;

/** Kinds of record in the sync-error list, in words. */
const ENTITY_LABELS: Record<string, string> = {
  certificates: '証',
  certificate_events: '証の履歴',
  claims: '請求',
  claim_events: '請求の履歴',
  vaccination_records: '接種歴',
  staff: '職員',
  staff_grants: '権限',
  authenticators: '認証器',
  password_history: 'パスワードの履歴',
  number_blocks: '証番号の枠',
};
const entityLabel = (e: string): string => ENTITY_LABELS[e] ?? 'その他の記録';

/** Fields of those records as a supervisor reads them in a conflict (an unknown one keeps its stored name). */
const FIELD_LABELS: Record<string, string> = {
  status: '状態', state: '状態', deleted: '削除', name: '氏名', name_kana: '氏名カナ', section: '所属', role: '役割', disabled: '利用停止',
  staff_id: '職員ID', resident_id: '住民', cert_type: '証の種類', certificate_no: '証番号', issue_kind: '交付の区分', reissue_reason: '再交付の理由',
  issue_date: '交付日', valid_from: '有効期間（自）', valid_to: '有効期間（至）', guardian_id: '保護者', superseded_by: '置き換えた証', details_json: '記載事項',
  name_choice: '氏名の表記', print_sex: '性別の印字', end_reason: '終了の理由', recall_status: '回収の状況', recall_date: '回収日', recall_kind: '回収の区分',
  public_payer_no: '公費負担者番号', claim_no: '受付番号', claim_kind: '請求の種類', applicant_id: '申請者', application_date: '申請日', input_json: '請求の内容',
  calc_json: '計算結果', bank_json: '振込先', identity_json: '本人確認', amount_yen: '金額', deadline: '請求期限', deadline_expired: '請求期限の経過',
  entered_by: '受付者', checked_by: '確認者', decided_by: '決裁者', decided_at: '決裁日時', decision: '決定', decision_reason: '決定の理由',
  override_reason: '期限経過の扱いの理由', notice_no: '通知番号', revision: '訂正の回', vaccine: 'ワクチン', stage: '期', dose_number: '回数',
  administered_on: '接種日', lot_number: 'ロット番号', institution: '医療機関', overseas: '海外での接種', invalid: '無効', invalidated_at: '無効にした日時',
  invalidated_reason: '無効にした理由', replaced_by: '訂正後の記録', replaces: '訂正前の記録', right_name: '権限', expires_at: '有効期限',
  revoked_at: '取消日時', revoked_by: '取消者', revoke_reason: '取消の理由', approved_by: '承認者', approval_status: '承認の状態', label: '名称',
  reason: '理由', event: '出来事', locked_until: 'ロック期限', must_change_password: 'パスワード変更の要求', failed_count: '失敗回数',
};
const fieldLabel = (f: string): string => FIELD_LABELS[f] ?? f;

/** The connection in one sentence. */
function connectionText(s: SyncStatus): string {
  if (!s.configured) return 'この端末は中央サーバにつながない設定です。記録はこの端末の中だけに保存されます。';
  if (s.online === null) return '中央サーバとの接続を確認しています。';
  if (s.online) return '中央サーバに接続できています。';
  return '中央サーバに接続できません。窓口の業務はこのまま続けられます（縮退運用）。記録はこの端末に保存され、接続が戻ると自動で送られます。';
}

/**
 * 同期の状態, in plain Japanese for counter staff and supervisors: what is waiting to be sent, when the last
 * sync succeeded, what to do when it fails, the records the central server refused, and for a supervisor
 * 「今すぐ同期」 and the conflicts.
 */
export function SyncScreen({ back }: { back: Screen }) {
  const { session, go } = useApp();
  const status = useLoad(() => call('sync.status', {}), []);
  const list = useLoad(() => call('sync.rejections', {}), []);
  const [latest, setLatest] = useState<SyncStatus | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const act = useAction();
  useEscape(() => go(back));
  const s = latest ?? status.data;

  async function syncNow() {
    setDone(null);
    const r = await act.run(() => call('sync.now', {}));
    if (r) {
      setLatest(r);
      list.reload();
      setDone(r.online ? `同期しました（${r.lastSuccessAt ? jstDateTime(r.lastSuccessAt, { seconds: true }) : ''}）。` : '同期を試みましたが、中央サーバに接続できませんでした。記録はこの端末に保存されています。');
    }
  }

  return (
    <main className="screen sync-screen">
      <BackNav label="前の画面に戻る" onBack={() => go(back)} />
      <h1>同期の状態</h1>
      <p>この端末で行った証の交付・請求の受付などの記録は、中央サーバへ自動で送られ、ほかの端末の記録もここへ届きます（同期）。ふだんは操作する必要はありません。</p>
      <ErrorBanner message={status.error ?? list.error ?? act.bannerFor([])} />
      <StatusBanner message={done} />
      {s && (
        <>
          <p data-testid="sync-connection">{connectionText(s)}</p>
          <dl className="detail" data-testid="sync-summary">
            {s.configured && (
              <>
                <dt>送信待ちの記録</dt>
                <dd>{s.pending === 0 ? 'ありません' : `${s.pending.toLocaleString('ja-JP')}件（接続が戻ると自動で送られます）`}</dd>
              </>
            )}
            <dt>中央サーバが受け付けなかった記録</dt>
            <dd>{s.failed === 0 ? 'ありません' : `${s.failed.toLocaleString('ja-JP')}件（下の一覧を確認してください）`}</dd>
            {s.configured && (
              <>
                <dt>最後に同期できた日時</dt>
                <dd>{s.lastSuccessAt ? jstDateTime(s.lastSuccessAt, { seconds: true }) : 'まだ同期していません'}</dd>
              </>
            )}
          </dl>
          {s.configured && s.online === false && (
            <div className="banner banner--warn" role="status">
              <p>同期できないとき：</p>
              <ul>
                <li>窓口の業務は続けてかまいません。記録は失われません。</li>
                <li>ネットワークの線や無線の接続を確認してください。ほかの端末も同じであれば、ネットワークの障害の可能性があります。</li>
                <li>しばらくしても直らないとき、または長い時間同期できないときは、システム管理者に連絡してください（長く同期できないと、この端末にログインできなくなります）。</li>
              </ul>
            </div>
          )}
          {s.clockProblem && (
            <p className="flag" role="alert">
              {s.clockProblem}
            </p>
          )}
        </>
      )}
      {can(session, 'sync.now') && s?.configured && (
        <form
          className="actions"
          aria-label="今すぐ同期"
          onSubmit={(e) => {
            e.preventDefault();
            void syncNow();
          }}
        >
          <SubmitButton busy={act.busy} busyLabel="同期しています…">
            今すぐ同期
          </SubmitButton>
          <span className="muted">次の自動同期を待たずに、いま送受信します（監督者向け）。</span>
        </form>
      )}
      <h2>中央サーバが受け付けなかった記録</h2>
      <p className="muted">中央サーバが内容を確認して受け付けなかった記録です。ほかの記録の送信は止まりません。内容を確かめ、必要なら監督者に相談してください。</p>
      {list.data && list.data.rejections.length === 0 && <p className="muted">ありません。</p>}
      {list.data && list.data.rejections.length > 0 && (
        <Table className="history" data-testid="sync-rejections" headers={['番号', '記録の種類', '理由', '日時']}>
          {list.data.rejections.map((r) => (
            <tr key={r.mutationId}>
              <td>{r.mutationId}</td>
              <td>{entityLabel(r.entity)}</td>
              <td>{r.reason}</td>
              <td>{jstDateTime(r.rejectedAt, { isoDate: true })}</td>
            </tr>
          ))}
        </Table>
      )}
      {can(session, 'sync.conflicts') && <Conflicts />}
    </main>
  );
}

type Resolution = 'keep_server' | 'apply_terminal';
const RESOLUTION_LABEL: Record<Resolution, string> = { keep_server: 'サーバの内容を採用', apply_terminal: '端末の変更を適用' };

/**
 * For a supervisor: records two terminals edited at once. The server kept one edit; the other is here. The
 * supervisor keeps the server's record or applies the terminal's change (as a new version), with a reason; the
 * central server keeps both edits on record either way.
 */
function Conflicts() {
  const { data, error, reload } = useLoad(() => call('sync.conflicts', {}), []);
  const form = useInlineForm<{ conflictId: number; resolution: Resolution }>();
  const deciding = form.open;
  const [notice, setNotice] = useState<string | null>(null);

  function open(conflictId: number, resolution: Resolution, button: HTMLButtonElement) {
    setNotice(null);
    form.show({ conflictId, resolution }, button);
  }

  return (
    <section aria-label="競合">
      <h2>競合（監督者向け）</h2>
      <ErrorBanner message={error} />
      <StatusBanner message={notice} />
      {data && !data.available && <p className="muted">中央サーバに接続できないため、競合を表示できません。</p>}
      {data && data.available && data.conflicts.length === 0 && <p className="muted">未解決の競合はありません。</p>}
      {data && data.conflicts.length > 0 && (
        <Table className="history" data-testid="sync-conflicts" headers={['日時', '端末', '種類', '項目：端末の値 ／ サーバの値', '対応']}>
          {data.conflicts.map((c) => (
            <Fragment key={c.conflictId}>
              <tr>
                <td>{jstDateTime(c.createdAt, { isoDate: true })}</td>
                <td>{c.terminalId}</td>
                <td>{entityLabel(c.entity)}</td>
                <td>{c.changedFields.map((f) => `${fieldLabel(f.field)}：${f.terminal} ／ ${f.server}`).join('、')}</td>
                <td>
                  {(['keep_server', 'apply_terminal'] as const).map((r) => (
                    <button
                      key={r}
                      type="button"
                      aria-expanded={deciding?.conflictId === c.conflictId && deciding.resolution === r}
                      onClick={(e) => open(c.conflictId, r, e.currentTarget)}
                    >
                      {RESOLUTION_LABEL[r]}
                    </button>
                  ))}
                </td>
              </tr>
              {deciding?.conflictId === c.conflictId && (
                <ReasonRow
                  key={deciding.resolution}
                  colSpan={5}
                  label={`「${RESOLUTION_LABEL[deciding.resolution]}」とする理由`}
                  submitLabel={RESOLUTION_LABEL[deciding.resolution]}
                  onSubmit={(reason) => call('sync.resolveConflict', { conflictId: c.conflictId, resolution: deciding.resolution, reason })}
                  onDone={() => {
                    setNotice(`競合を解決しました（${c.terminalId}・${entityLabel(c.entity)}：${RESOLUTION_LABEL[deciding.resolution]}）。`);
                    form.close();
                    reload();
                  }}
                  onCancel={form.cancel}
                />
              )}
            </Fragment>
          ))}
        </Table>
      )}
    </section>
  );
}
