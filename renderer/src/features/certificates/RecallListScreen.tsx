import { useState } from 'react';
import { createColumnHelper } from '@tanstack/react-table';
import type { ResponseOf } from '../../../../shared/ipc/contract';
import { call } from '../../lib/api';
import { useEscape, useLoad } from '../../lib/useLoad';
import { DataTable } from '../../ui/DataTable';
import { ErrorBanner, StatusBanner } from '../../ui/Field';
import { useApp } from '../../lib/store';
import { dateJa } from '../../lib/format';
import { RecallForm } from './LifecycleActions';

type Row = ResponseOf<'certificates.recallList'>['certificates'][number];
const col = createColumnHelper<Row>();
const COLUMNS = [
  col.accessor('typeName', { header: '種類' }),
  col.accessor('certificateNo', { header: '番号' }),
  col.accessor('atenaNo', { header: '宛名番号' }),
  col.accessor('residentName', { header: '氏名' }),
  col.accessor('endReason', { header: '失効・取消の理由', cell: (c) => c.getValue() ?? '' }),
  col.accessor('issueDate', { header: '交付日', cell: (c) => dateJa(c.getValue()) }),
  col.accessor('validTo', { header: '有効期限', cell: (c) => (c.getValue() ? dateJa(c.getValue()) : '—') }),
];

/**
 * 回収リスト (certificates.recallList): certificates superseded or cancelled and not yet returned, for the
 * types this member of staff issues. Enter (or 回収) on a row records the 回収 with date and 区分.
 */
export function RecallListScreen() {
  const { go } = useApp();
  const { data, error, reload } = useLoad(() => call('certificates.recallList', {}), []);
  const [open, setOpen] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  useEscape(() => go({ name: 'search' }));
  const toggle = (r: Row) => setOpen(open === r.id ? null : r.id);

  return (
    <main className="screen screen--wide">
      <h1>回収リスト</h1>
      <p className="muted">更新・再交付・訂正・取消により失効し、まだ回収を記録していない証です。</p>
      <ErrorBanner message={error} />
      <StatusBanner message={done} />
      {data && data.certificates.length === 0 && <p>回収を待っている証はありません。</p>}
      {data && data.certificates.length > 0 && (
        <>
          <p className="result-count">{data.certificates.length}件</p>
          <DataTable
            rows={data.certificates}
            columns={COLUMNS}
            label="回収リスト"
            className="recall-list"
            onOpen={(r) => setOpen(r.id)}
            rowData={(r) => ({ 'data-certificate': r.certificateNo })}
            actions={{
              header: '操作',
              cell: (r) => (
                <>
                  <button type="button" aria-expanded={open === r.id} onClick={() => toggle(r)}>
                    回収
                  </button>{' '}
                  <button type="button" onClick={() => go({ name: 'recallNotice', certificateId: r.id })}>
                    回収通知
                  </button>
                </>
              ),
            }}
            detail={(r) =>
              open === r.id && (
                <RecallForm
                  cert={r}
                  onCancel={() => setOpen(null)}
                  onDone={(m) => {
                    setOpen(null);
                    setDone(m);
                    reload();
                  }}
                />
              )
            }
          />
        </>
      )}
    </main>
  );
}
