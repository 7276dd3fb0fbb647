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
                <td>{c.changedFields.map((f) => `${f.field}：${f.terminal} ／ ${f.server}`).join('、')}</td>
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
