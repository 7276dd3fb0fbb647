import { Fragment, useState } from 'react';
import { jstDateTime } from '../../../../shared/domain/wareki';
import { can } from '../../lib/can';
import { call } from '../../lib/api';
import { useLoad } from '../../lib/useLoad';
import { ErrorBanner, StatusBanner } from '../../ui/Field';
import { useApp } from '../../lib/store';
import { useInlineForm } from '../../lib/useInlineForm';
import { ReasonRow } from '../../ui/ReasonForm';
import { Table } from '../../ui/Table';

/** 同期の状態: counts and the sync-error list (records the central server refused, with its reason). */
export function SyncScreen() {
  const { session } = useApp();
  const status = useLoad(() => call('sync.status', {}), []);
  const list = useLoad(() => call('sync.rejections', {}), []);
  return (
    <main className="screen">
      <h1>同期の状態</h1>
      <ErrorBanner message={status.error ?? list.error} />
      {status.data && (
        <dl className="detail">
          <dt>中央サーバ</dt>
          <dd>{!status.data.configured ? '未設定（この端末だけで処理しています）' : status.data.online ? '接続できています' : status.data.online === false ? `接続できません（縮退運用）${status.data.lastError ? `：${status.data.lastError}` : ''}` : '確認中'}</dd>
          <dt>未送信</dt>
          <dd>{status.data.pending}件</dd>
          <dt>送信エラー</dt>
          <dd>{status.data.failed}件</dd>
          <dt>最終同期</dt>
          <dd>{status.data.lastSuccessAt ? jstDateTime(status.data.lastSuccessAt, { isoDate: true }) : 'まだ同期していません'}</dd>
        </dl>
      )}
      <h2>送信エラーの一覧</h2>
      {list.data && list.data.rejections.length === 0 && <p className="muted">送信エラーはありません。</p>}
      {list.data && list.data.rejections.length > 0 && (
        <Table className="history" data-testid="sync-rejections" headers={['番号', '種類', '理由', '日時']}>
          {list.data.rejections.map((r) => (
            <tr key={r.mutationId}>
              <td>{r.mutationId}</td>
              <td>{r.entity}</td>
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
                <td>{c.entity}</td>
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
                    setNotice(`競合を解決しました（${c.terminalId}・${c.entity}：${RESOLUTION_LABEL[deciding.resolution]}）。`);
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
