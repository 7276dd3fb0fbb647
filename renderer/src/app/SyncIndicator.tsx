import { useEffect, useState } from 'react';
import type { ResponseOf } from '../../../shared/ipc/contract';
import { jstTime } from '../../../shared/domain/wareki';
import { call } from '../lib/api';

/**
 * The header's sync state in a few words. Without a central server nothing is ever sent, so no 未送信 count is
 * shown (it would only grow); with one, records waiting to be sent and refused ones are counted when there are
 * any. Views leave nothing to send: only records (証, 請求 …) are counted.
 */
export function indicatorText(s: ResponseOf<'sync.status'>): string {
  if (!s.configured) return '端末内で処理中（中央サーバなし）';
  const parts = [s.online === null ? '同期: 確認中' : s.online ? '同期: 接続中' : '同期: 接続できません（縮退運用）'];
  if (s.pending > 0) parts.push(`送信待ち ${s.pending.toLocaleString('ja-JP')}件`);
  if (s.failed > 0) parts.push(`送信エラー ${s.failed.toLocaleString('ja-JP')}件`);
  if (s.lastSuccessAt) parts.push(`最終同期 ${jstTime(s.lastSuccessAt)}`);
  return parts.join('・');
}

/** Always visible while working: the sync state (opens 同期の状態). */
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
  return (
    <>
      <button type="button" className={`sync-indicator${s.online === false || s.failed > 0 || s.clockProblem ? ' sync-indicator--warn' : ''}`} onClick={onOpen} data-testid="sync-indicator">
        {indicatorText(s)}
      </button>
      {s.clockProblem && (
        <span className="sync-indicator sync-indicator--warn" role="alert" data-testid="clock-problem">
          {s.clockProblem}
        </span>
      )}
    </>
  );
}
