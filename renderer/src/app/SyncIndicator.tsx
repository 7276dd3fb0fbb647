import { useEffect, useState } from 'react';
import type { ResponseOf } from '../../../shared/ipc/contract';
import { jstTime } from '../../../shared/domain/wareki';
import { call } from '../lib/api';

/** Always visible while working: online/offline, pending and failed counts, last successful sync. */
export function SyncIndicator({ onOpen }: { onOpen(): void }) {
  const [s, setS] = useState<ResponseOf<'sync.status'> | null>(null);
  useEffect(() => {
    let live = true;
    const load = () => call('sync.status', {}).then((r) => live && setS(r), () => undefined);
    load();
    const t = window.setInterval(load, 15_000);
    return () => {
      live = false;
      window.clearInterval(t);
    };
  }, []);
  if (!s) return null;
  const state = !s.configured ? '中央サーバ未設定（端末内で処理）' : s.online === null ? '同期: 確認中' : s.online ? 'オンライン' : 'オフライン（縮退運用）';
  return (
    <>
      <button type="button" className={`sync-indicator${s.online === false || s.failed > 0 || s.clockProblem ? ' sync-indicator--warn' : ''}`} onClick={onOpen} data-testid="sync-indicator" title={s.lastError ?? undefined}>
        {state}・未送信 {s.pending}件・送信エラー {s.failed}件{s.lastSuccessAt ? `・最終同期 ${jstTime(s.lastSuccessAt)}` : ''}
      </button>
      {s.clockProblem && (
        <span className="sync-indicator sync-indicator--warn" role="alert" data-testid="clock-problem">
          {s.clockProblem}
        </span>
      )}
    </>
  );
}
