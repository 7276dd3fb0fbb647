import { useEffect, useState } from 'react';
import type { ResponseOf } from '../../../shared/ipc/contract';
import { call } from '../lib/api';

function hhmm(iso: string): string {
  return new Date(Date.parse(iso) + 9 * 3600_000).toISOString().slice(11, 16);
}

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
    <button type="button" className={`sync-indicator${s.online === false || s.failed > 0 ? ' sync-indicator--warn' : ''}`} onClick={onOpen} data-testid="sync-indicator" title={s.lastError ?? undefined}>
      {state}・未送信 {s.pending}件・送信エラー {s.failed}件{s.lastSuccessAt ? `・最終同期 ${hhmm(s.lastSuccessAt)}` : ''}
    </button>
  );
}
