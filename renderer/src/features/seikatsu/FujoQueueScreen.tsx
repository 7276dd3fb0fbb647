import { useEffect, useRef } from 'react';
import { call } from '../../lib/api';
import { useApp, type Screen } from '../../lib/store';
import { useEscape, useLoad } from '../../lib/useLoad';
import { ErrorBanner } from '../../ui/Field';
import { FlowsTable } from './FlowsTable';

export type FujoQueue = 'enter' | 'check' | 'approve';

const TITLES: Readonly<Record<FujoQueue, string>> = {
  enter: '扶助 要入力（照会・回答・計画・廃止の起案）',
  check: '扶助 要確認（二重チェック待ち）',
  approve: '扶助 要決裁（決定・廃止の決裁待ち）',
};
const EMPTY: Readonly<Record<FujoQueue, string>> = {
  enter: '入力を待っている扶助はありません。',
  check: '確認を待っている扶助はありません。',
  approve: '決裁を待っている扶助はありません。',
};

/** 生活保護 医療扶助・介護扶助 work lists (fujo.queue): nobody sees their own entry to check, nor what they entered or checked to decide. */
export function FujoQueueScreen({ queue }: { queue: FujoQueue }) {
  const go = useApp((s) => s.go);
  const { data, error } = useLoad(() => call('fujo.queue', { queue }), [queue]);
  const wrap = useRef<HTMLDivElement>(null);
  useEscape(() => go({ name: 'search' }));
  const here: Screen = { name: 'fujoQueue', queue };

  useEffect(() => {
    if (data?.flows.length) wrap.current?.querySelector<HTMLElement>('tbody tr')?.focus();
  }, [data]);

  return (
    <main className="screen screen--wide">
      <h1>{TITLES[queue]}</h1>
      <ErrorBanner message={error} />
      {data && data.flows.length === 0 && <p>{EMPTY[queue]}</p>}
      {data && data.flows.length > 0 && (
        <div ref={wrap}>
          <p className="result-count">{data.flows.length}件</p>
          <FlowsTable rows={data.flows} label={TITLES[queue]} onOpen={(f) => go({ name: 'fujo', flowId: f.id, back: here })} />
        </div>
      )}
    </main>
  );
}
