import { useEffect, useRef } from 'react';
import { call } from '../../lib/api';
import { useEscape, useLoad } from '../../lib/useLoad';
import { ErrorBanner } from '../../ui/Field';
import { useApp, type Screen } from '../../lib/store';
import { ClaimsTable } from './ClaimsTable';

const TITLES = { mine: '請求受付（自分が受け付けた請求）', check: '要確認（二重チェック待ち）', approve: '要決裁（決裁待ち）' } as const;
const EMPTY = { mine: '受け付けた請求はありません。', check: '二重チェックを待っている請求はありません。', approve: '決裁を待っている請求はありません。' } as const;

/** Work queues per role (claims.queue): 要確認 for checkers, 要決裁 for approvers, and one's own entries. */
export function ClaimQueueScreen({ queue }: { queue: 'mine' | 'check' | 'approve' }) {
  const { go } = useApp();
  const { data, error } = useLoad(() => call('claims.queue', { queue }), [queue]);
  const wrap = useRef<HTMLDivElement>(null);
  useEscape(() => go({ name: 'search' }));
  const here: Screen = { name: 'claimQueue', queue };

  useEffect(() => {
    if (data?.claims.length) wrap.current?.querySelector<HTMLElement>('tbody tr')?.focus();
  }, [data]);

  return (
    <main className="screen screen--wide">
      <h1>{TITLES[queue]}</h1>
      {queue === 'mine' && <p className="muted">新しい請求は、住民を検索して詳細画面の「請求を受け付ける」から入力します。</p>}
      <ErrorBanner message={error} />
      {data && data.claims.length === 0 && <p>{EMPTY[queue]}</p>}
      {data && data.claims.length > 0 && (
        <div ref={wrap}>
          <p className="result-count">{data.claims.length}件</p>
          <ClaimsTable rows={data.claims} label={TITLES[queue]} hideAmount={queue === 'check'} onOpen={(c) => go({ name: 'claim', claimId: c.id, back: here })} />
        </div>
      )}
      {queue === 'mine' && (
        <p>
          <button type="button" onClick={() => go({ name: 'search' })}>
            住民検索へ
          </button>
        </p>
      )}
    </main>
  );
}
